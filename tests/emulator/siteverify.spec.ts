import assert from "node:assert/strict";
import { startEmulator, createTestWidget, type RunningEmulator } from "../helpers/emulator";
import { api, call } from "./http-client";
import type { Widget } from "../../emulator";

const DUMMY = "XXXX.DUMMY.TOKEN.XXXX";
const PASS_SECRET = "1x0000000000000000000000000000000AA";
const FAIL_SECRET = "2x0000000000000000000000000000000AA";
const SPENT_SECRET = "3x0000000000000000000000000000000AA";

describe("emulator: siteverify", () => {
  let running: RunningEmulator;
  let widget: Widget;
  beforeEach(async () => {
    running = await startEmulator();
    widget = await createTestWidget(running, { domains: ["shop.example.com"] });
  });
  afterEach(async () => { await running.stop(); });

  async function mint(sitekey = widget.sitekey, extra: Record<string, string> = {}): Promise<string> {
    const reply = await call(running, "POST", "/emulator/tokens", { sitekey, ...extra });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    return reply.body.token as string;
  }
  const verify = (fields: Record<string, string>) => call(running, "POST", "/turnstile/v0/siteverify", fields);
  const verifyForm = (fields: Record<string, string>) => call(running, "POST", "/turnstile/v0/siteverify",
    new URLSearchParams(fields).toString(), { "content-type": "application/x-www-form-urlencoded" });

  it("accepts a fresh token with the current secret (JSON) and echoes its details", async () => {
    const token = await mint(widget.sitekey, { action: "login", cdata: "session-1" });
    assert.ok(token.length <= 2048);
    const reply = await verify({ secret: widget.secret, response: token, remoteip: "203.0.113.9" });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.success, true);
    assert.deepEqual(reply.body["error-codes"], []);
    assert.equal(reply.body.hostname, "shop.example.com");
    assert.equal(reply.body.action, "login");
    assert.equal(reply.body.cdata, "session-1");
    assert.equal(reply.body.challenge_ts, new Date(running.emulator.clock.now()).toISOString());
  });

  it("accepts form-encoded and multipart bodies", async () => {
    const form = await verifyForm({ secret: widget.secret, response: await mint() });
    assert.equal(form.body.success, true);
    const data = new FormData();
    data.append("secret", widget.secret);
    data.append("response", await mint());
    const response = await fetch(`${running.origin}/turnstile/v0/siteverify`, { method: "POST", body: data });
    assert.equal(((await response.json()) as { success: boolean }).success, true);
  });

  it("tokens are single use: a second check is timeout-or-duplicate", async () => {
    const token = await mint();
    assert.equal((await verify({ secret: widget.secret, response: token })).body.success, true);
    const again = await verify({ secret: widget.secret, response: token });
    assert.deepEqual([again.body.success, again.body["error-codes"]], [false, ["timeout-or-duplicate"]]);
  });

  it("re-checking with the same idempotency_key succeeds again; a different or missing key does not", async () => {
    const token = await mint();
    const key = "4f0c6f3e-7b6a-4d5e-9f1a-2b3c4d5e6f70";
    assert.equal((await verify({ secret: widget.secret, response: token, idempotency_key: key })).body.success, true);
    assert.equal((await verify({ secret: widget.secret, response: token, idempotency_key: key })).body.success, true);
    const other = await verify({ secret: widget.secret, response: token, idempotency_key: key.replace("4f", "5f") });
    assert.deepEqual(other.body["error-codes"], ["timeout-or-duplicate"]);
    assert.deepEqual((await verify({ secret: widget.secret, response: token })).body["error-codes"], ["timeout-or-duplicate"]);
  });

  it("tokens expire after 300 s of emulator time", async () => {
    const fresh = await mint();
    const stale = await mint();
    running.advanceClock(299);
    assert.equal((await verify({ secret: widget.secret, response: fresh })).body.success, true);
    running.advanceClock(1);
    const late = await verify({ secret: widget.secret, response: stale });
    assert.deepEqual([late.body.success, late.body["error-codes"]], [false, ["timeout-or-duplicate"]]);
  });

  it("previous secret: accepted within the grace window, refused after it and after invalidate_immediately", async () => {
    await api(running, "POST", `/${widget.sitekey}/rotate_secret`, {});
    assert.equal((await verify({ secret: widget.secret, response: await mint() })).body.success, true);
    running.advanceClock(2 * 3600);
    const after = await verify({ secret: widget.secret, response: await mint() });
    assert.deepEqual(after.body["error-codes"], ["invalid-input-secret"]);

    const other = await createTestWidget(running);
    await api(running, "POST", `/${other.sitekey}/rotate_secret`, { invalidate_immediately: true });
    const dropped = await verify({ secret: other.secret, response: await mint(other.sitekey) });
    assert.deepEqual(dropped.body["error-codes"], ["invalid-input-secret"]);
  });

  it("missing and invalid inputs get the documented error codes", async () => {
    const token = await mint();
    assert.deepEqual((await verify({})).body["error-codes"], ["missing-input-secret", "missing-input-response"]);
    assert.deepEqual((await verify({ response: token })).body["error-codes"], ["missing-input-secret"]);
    assert.deepEqual((await verifyForm({ secret: widget.secret })).body["error-codes"], ["missing-input-response"]);
    assert.deepEqual((await verify({ secret: "0x4AAAAAAAnotasecret", response: token })).body["error-codes"], ["invalid-input-secret"]);
    assert.deepEqual((await verify({ secret: widget.secret, response: "forged" })).body["error-codes"], ["invalid-input-response"]);
    assert.deepEqual((await verify({ secret: widget.secret, response: "x".repeat(2049) })).body["error-codes"], ["invalid-input-response"]);
    const otherWidget = await createTestWidget(running);
    assert.deepEqual((await verify({ secret: otherWidget.secret, response: token })).body["error-codes"], ["invalid-input-response"],
      "a token of another widget");
    assert.equal((await verify({ secret: widget.secret, response: token })).body.success, true, "failed checks did not consume it");
  });

  it("malformed bodies are bad-request; non-POST is refused", async () => {
    const broken = await call(running, "POST", "/turnstile/v0/siteverify", "{not json", { "content-type": "application/json" });
    assert.deepEqual(broken.body["error-codes"], ["bad-request"]);
    const typed = await verify({ secret: widget.secret, response: 5 } as unknown as Record<string, string>);
    assert.deepEqual(typed.body["error-codes"], ["bad-request"]);
    const get = await call(running, "GET", "/turnstile/v0/siteverify");
    assert.equal(get.status, 405);
  });

  it("a deleted widget's secret and tokens stop validating", async () => {
    const token = await mint();
    await api(running, "DELETE", `/${widget.sitekey}`);
    assert.deepEqual((await verify({ secret: widget.secret, response: token })).body["error-codes"], ["invalid-input-secret"]);
  });

  it("ephemeral_id widgets return metadata.ephemeral_id", async () => {
    const ent = await createTestWidget(running, { ephemeral_id: true });
    const reply = await verify({ secret: ent.secret, response: await mint(ent.sitekey) });
    assert.equal(typeof reply.body.metadata.ephemeral_id, "string");
    const plain = await verify({ secret: widget.secret, response: await mint() });
    assert.equal(plain.body.metadata.ephemeral_id, undefined);
  });

  describe("Cloudflare testing keys", () => {
    it("testing sitekeys 1x/3x yield the dummy token; 2x yields none", async () => {
      assert.equal(await mint("1x00000000000000000000AA"), DUMMY);
      assert.equal(await mint("3x00000000000000000000FF"), DUMMY);
      assert.equal((await call(running, "POST", "/emulator/tokens", { sitekey: "2x00000000000000000000AB" })).status, 422);
    });

    it("testing secrets accept only the dummy token, each with its fixed outcome", async () => {
      const pass = await verify({ secret: PASS_SECRET, response: DUMMY });
      assert.deepEqual([pass.body.success, pass.body["error-codes"], pass.body.hostname], [true, [], "example.com"]);
      assert.equal((await verify({ secret: PASS_SECRET, response: DUMMY })).body.success, true, "never single use");
      assert.deepEqual((await verify({ secret: FAIL_SECRET, response: DUMMY })).body["error-codes"], ["invalid-input-response"]);
      assert.equal((await verify({ secret: FAIL_SECRET, response: DUMMY })).body.success, false);
      assert.deepEqual((await verify({ secret: SPENT_SECRET, response: DUMMY })).body["error-codes"], ["timeout-or-duplicate"]);
      assert.deepEqual((await verify({ secret: PASS_SECRET, response: await mint() })).body["error-codes"], ["invalid-input-response"]);
    });

    it("a production secret rejects the dummy token", async () => {
      assert.deepEqual((await verify({ secret: widget.secret, response: DUMMY })).body["error-codes"], ["invalid-input-response"]);
    });
  });
});
