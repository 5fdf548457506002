import assert from "node:assert/strict";
import { parseWidget, unwrapEnvelope } from "../../../provider/client";

const SECRET = "0x4AAF00AAAABn0R22HWm098HVBjhdsYUc";

function apiWidget(): Record<string, unknown> {
  return {
    bot_fight_mode: false,
    clearance_level: "interactive",
    created_on: "2014-01-01T05:20:00.123123Z",
    domains: ["203.0.113.1", "cloudflare.com"],
    ephemeral_id: false,
    mode: "invisible",
    modified_on: "2014-01-01T05:20:00.123123Z",
    name: "blog.cloudflare.com login form",
    offlabel: false,
    region: "world",
    secret: SECRET,
    sitekey: "0x4AAF00AAAABn0R22HWm-YUc",
  };
}

describe("parseWidget", () => {
  it("narrows Cloudflare's documented example", () => {
    const widget = parseWidget(apiWidget());
    assert.deepEqual({ ...widget, domains: [...widget.domains] }, apiWidget());
    assert.ok(Object.isFrozen(widget) && Object.isFrozen(widget.domains));
  });

  it("ignores unknown fields such as deployed_via", () => {
    const widget = parseWidget({ ...apiWidget(), deployed_via: "terraform", last_modified_via: "api" });
    assert.ok(!("deployed_via" in widget) && !("last_modified_via" in widget));
    assert.equal(widget.sitekey, "0x4AAF00AAAABn0R22HWm-YUc");
  });

  it("accepts a list item without a secret and leaves no secret key", () => {
    const { secret: _omitted, ...item } = apiWidget();
    const widget = parseWidget(item);
    assert.ok(!("secret" in widget));
  });

  it("accepts enum values it does not know yet", () => {
    assert.equal(parseWidget({ ...apiWidget(), mode: "future-mode" }).mode, "future-mode");
  });

  it("names the first wrong field and its JSON type, never a value", () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...apiWidget(), name: 7 }, /field "name" should be a string but is a number/],
      [{ ...apiWidget(), domains: "a.com" }, /field "domains" should be an array of strings but is a string/],
      [{ ...apiWidget(), domains: ["a.com", 1] }, /field "domains" should be an array of strings but is an array/],
      [{ ...apiWidget(), offlabel: null }, /field "offlabel" should be a boolean but is null/],
      [{ ...apiWidget(), sitekey: undefined }, /field "sitekey" should be a string but is missing/],
      [{ ...apiWidget(), secret: { value: SECRET } }, /field "secret" should be a string but is an object/],
    ];
    for (const [input, pattern] of cases) {
      const error = (() => { try { parseWidget(input); } catch (e) { return e; } return undefined; })();
      assert.ok(error instanceof TypeError, `expected a TypeError for ${pattern}`);
      assert.match(error.message, pattern);
      assert.ok(!error.message.includes(SECRET) && !error.message.includes("a.com"), error.message);
    }
    assert.throws(() => parseWidget(null), /widget should be an object but is null/);
    assert.throws(() => parseWidget([apiWidget()]), /widget should be an object but is an array/);
  });
});

describe("unwrapEnvelope", () => {
  it("returns the result and the pagination block of a success", () => {
    const unwrapped = unwrapEnvelope({
      success: true, errors: [], messages: [], result: [1, 2],
      result_info: { page: 2, per_page: 5, count: 2, total_count: 7 },
    });
    assert.deepEqual(unwrapped, { success: true, result: [1, 2], resultInfo: { page: 2, perPage: 5, count: 2, totalCount: 7 } });
  });

  it("returns Cloudflare's errors (code and message only) for a failure", () => {
    const unwrapped = unwrapEnvelope({
      success: false, messages: [], result: null,
      errors: [{ code: 10000, message: "Authentication error", documentation_url: "x" }, "junk", { message: "no code" }],
    });
    assert.deepEqual(unwrapped, { success: false, errors: [{ code: 10000, message: "Authentication error" }, { code: 0, message: "no code" }] });
  });

  it("returns undefined for anything that is not a v4 envelope", () => {
    for (const body of ["<html>", null, undefined, [], {}, { success: "true" }]) {
      assert.equal(unwrapEnvelope(body), undefined, JSON.stringify(body));
    }
  });
});
