import assert from "node:assert/strict";
import { parseSecretWidget, parseWidget, unwrapEnvelope } from "../../../provider/cloudflare";

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
    assert.deepEqual({ ...widget, domains: [...(widget.domains ?? [])] }, apiWidget());
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

  it("requires only what a rotation decides on: modified_on, and secret when present", () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...apiWidget(), modified_on: undefined }, /field "modified_on" should be an RFC 3339 timestamp but is missing/],
      [{ ...apiWidget(), modified_on: "yesterday" }, /field "modified_on" should be an RFC 3339 timestamp but is a string/],
      [{ ...apiWidget(), secret: { value: SECRET } }, /field "secret" should be a string but is an object/],
      [{ ...apiWidget(), secret: null }, /field "secret" should be a string but is null/],
    ];
    for (const [input, pattern] of cases) {
      const error = (() => { try { parseWidget(input); } catch (e) { return e; } return undefined; })();
      assert.ok(error instanceof TypeError, `expected a TypeError for ${pattern}`);
      assert.match(error.message, pattern);
      assert.ok(!error.message.includes(SECRET) && !error.message.includes("yesterday"), error.message);
    }
    assert.throws(() => parseWidget(null), /widget should be an object but is null/);
    assert.throws(() => parseWidget([apiWidget()]), /widget should be an object but is an array/);
  });

  it("drops descriptive fields of an unexpected type instead of failing (a committed rotation stays usable)", () => {
    const widget = parseWidget({ ...apiWidget(), name: null, domains: ["a.com", 1], offlabel: "no", mode: 7, sitekey: undefined });
    assert.equal(widget.secret, SECRET);
    assert.equal(widget.modified_on, apiWidget().modified_on);
    for (const field of ["name", "domains", "offlabel", "mode", "sitekey"]) assert.ok(!(field in widget), field);
  });

  it("parseSecretWidget insists on the secret", () => {
    const { secret: _omitted, ...item } = apiWidget();
    assert.throws(() => parseSecretWidget(item), /field "secret" should be a string but is missing/);
  });
});

describe("unwrapEnvelope", () => {
  it("returns the result of a success", () => {
    const unwrapped = unwrapEnvelope({ success: true, errors: [], messages: [], result: { sitekey: "k" } });
    assert.deepEqual(unwrapped, { success: true, result: { sitekey: "k" } });
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
