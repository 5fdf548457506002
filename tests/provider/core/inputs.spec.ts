import assert from "node:assert/strict";
import { checkInputs, parseInputs, UNKNOWN } from "../../../provider/core/inputs";

const VALID = { accountId: "023e105f4ecef8ad9ca31a8372d0c353", sitekey: "0x4AAAAAAABn0R22HWm-YUc", rotationTrigger: "2026-11" };

function failuresOf(news: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(checkInputs(news).failures.map((f) => [f.property, f.reason]));
}

describe("inputs: check", () => {
  it("accepts valid inputs as given: no default is stored in every resource's state", () => {
    const { inputs, failures } = checkInputs(VALID);
    assert.deepEqual(failures, []);
    assert.deepEqual(inputs, VALID);
  });

  it("accepts a numeric trigger", () => {
    assert.deepEqual(checkInputs({ ...VALID, rotationTrigger: 3 }).failures, []);
  });

  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ["missing accountId", { ...VALID, accountId: undefined }, "accountId", /is required/],
    ["short accountId", { ...VALID, accountId: "abc" }, "accountId", /32 hexadecimal characters, got 3/],
    ["non-hex accountId", { ...VALID, accountId: "z".repeat(32) }, "accountId", /only hexadecimal/],
    ["numeric accountId", { ...VALID, accountId: 42 }, "accountId", /got a number/],
    ["empty sitekey", { ...VALID, sitekey: "" }, "sitekey", /is required/],
    ["oversized sitekey", { ...VALID, sitekey: "x".repeat(33) }, "sitekey", /at most 32 characters, got 33/],
    ["sitekey with spaces", { ...VALID, sitekey: "0x4 AAA" }, "sitekey", /printable ASCII/],
    ["sitekey with a path", { ...VALID, sitekey: "../widgets" }, "sitekey", /must not contain \/ \? # %/],
    ["sitekey with a query", { ...VALID, sitekey: "0x4AAA?x=1" }, "sitekey", /must not contain/],
    ["sitekey ..", { ...VALID, sitekey: ".." }, "sitekey", /or be \. or \.\./],
    ["unicode sitekey", { ...VALID, sitekey: "0x4AAAé" }, "sitekey", /printable ASCII/],
    ["object trigger", { ...VALID, rotationTrigger: { a: 1 } }, "rotationTrigger", /string or a number, got an object/],
    ["NaN trigger", { ...VALID, rotationTrigger: Number.NaN }, "rotationTrigger", /finite number, got NaN/],
    ["empty trigger", { ...VALID, rotationTrigger: "  " }, "rotationTrigger", /must not be empty/],
    ["missing trigger", { ...VALID, rotationTrigger: undefined }, "rotationTrigger", /is required/],
    ["string invalidateImmediately", { ...VALID, invalidateImmediately: "yes" }, "invalidateImmediately", /true or false, got a string/],
  ];
  for (const [name, news, property, reason] of cases) {
    it(`rejects ${name}, naming ${property}`, () => {
      const failures = failuresOf(news);
      assert.match(failures[property] ?? "", reason);
      assert.equal(Object.keys(failures).length, 1);
    });
  }

  it("reports every invalid input at once", () => {
    assert.deepEqual(Object.keys(failuresOf({ accountId: "x", sitekey: 5, rotationTrigger: [] })).sort(), ["accountId", "rotationTrigger", "sitekey"]);
  });

  it("lets unknown values through during preview", () => {
    assert.deepEqual(checkInputs({ ...VALID, sitekey: UNKNOWN, rotationTrigger: UNKNOWN }).failures, []);
  });

  it("never quotes the value in a message", () => {
    const hostile = "0x4AAAAAAAsecretlooking1234567890ab";
    for (const reason of Object.values(failuresOf({ ...VALID, accountId: hostile, sitekey: hostile + hostile }))) {
      assert.ok(!reason.includes(hostile));
    }
  });
});

describe("inputs: parse", () => {
  it("returns typed inputs when valid", () => {
    assert.deepEqual(parseInputs(VALID), { ...VALID, invalidateImmediately: false });
  });

  it("throws naming the field when invalid", () => {
    assert.throws(() => parseInputs({ ...VALID, accountId: "nope" }), /accountId must be 32 hexadecimal characters/);
  });

  it("throws when a value is still unknown", () => {
    assert.throws(() => parseInputs({ ...VALID, sitekey: UNKNOWN }), /sitekey is not known yet/);
  });
});
