import assert from "node:assert/strict";
import { startEmulator, createTestWidget, type RunningEmulator } from "../helpers/emulator";
import { api, call, firstError } from "./http-client";

const TWO_HOURS = 2 * 60 * 60;

describe("emulator: rotate_secret and the 2 h grace rule", () => {
  let running: RunningEmulator;
  beforeEach(async () => { running = await startEmulator(); });
  afterEach(async () => { await running.stop(); });

  const rotate = (sitekey: string, body?: unknown) => api(running, "POST", `/${sitekey}/rotate_secret`, body);

  async function verifyWith(secret: string, sitekey: string): Promise<boolean> {
    const { body } = await call(running, "POST", "/emulator/tokens", { sitekey });
    const reply = await call(running, "POST", "/turnstile/v0/siteverify", { secret, response: body.token });
    return reply.body.success as boolean;
  }

  it("issues a new secret, keeps the sitekey, bumps modified_on", async () => {
    const w = await createTestWidget(running);
    running.advanceClock(30);
    const reply = await rotate(w.sitekey, { invalidate_immediately: false });
    assert.equal(reply.status, 200);
    const r = reply.body.result;
    assert.notEqual(r.secret, w.secret);
    assert.match(r.secret, /^0x4AAAAAAA[A-Za-z0-9_-]{25}$/);
    assert.equal(r.sitekey, w.sitekey);
    assert.equal(r.created_on, w.created_on);
    assert.equal(new Date(r.modified_on).getTime(), new Date(w.modified_on).getTime() + 30_000);
    assert.equal((await api(running, "GET", `/${w.sitekey}`)).body.result.secret, r.secret);
  });

  it("without a body defaults to invalidate_immediately=false: the old secret keeps validating", async () => {
    const w = await createTestWidget(running);
    const r = (await rotate(w.sitekey)).body.result;
    assert.equal(await verifyWith(w.secret, w.sitekey), true, "previous secret within the grace window");
    assert.equal(await verifyWith(r.secret, w.sitekey), true, "new secret");
  });

  it("refuses a second rotation during the 2 h grace window with 400 naming when it becomes possible", async () => {
    const w = await createTestWidget(running);
    const start = running.emulator.clock.now();
    const first = (await rotate(w.sitekey, {})).body.result;
    running.advanceClock(TWO_HOURS - 1);
    for (const body of [{}, { invalidate_immediately: false }, { invalidate_immediately: true }]) {
      const refused = await rotate(w.sitekey, body);
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.notEqual(refused.status, 409);
      assert.equal(refused.headers.get("x-should-retry"), "false");
      const error = firstError(refused);
      assert.equal(error.code, 10409);
      const expected = new Date(start + TWO_HOURS * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
      assert.equal(error.message,
        `Secret rotation is not allowed during the grace period of the previous rotation; try again after ${expected}`);
    }
    const current = (await api(running, "GET", `/${w.sitekey}`)).body.result;
    assert.equal(current.secret, first.secret, "refusals change nothing");
    assert.equal(await verifyWith(w.secret, w.sitekey), true, "refused invalidate_immediately did not drop the old secret");
  });

  it("every change moves modified_on, even on a clock that has not moved (as Cloudflare's microsecond clock does)", async () => {
    const w = await createTestWidget(running);
    const first = (await rotate(w.sitekey, { invalidate_immediately: true })).body.result;
    const second = (await rotate(w.sitekey, { invalidate_immediately: true })).body.result;
    const edited = (await api(running, "PUT", `/${w.sitekey}`, { name: "renamed", domains: ["example.com"], mode: "managed" })).body.result;
    const times = [w, first, second, edited].map((widget) => Date.parse(widget.modified_on));
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
    assert.equal(new Set(times).size, 4, `modified_on repeats: ${times.join(", ")}`);
  });

  it("allows rotation again exactly when the grace window ends; the old secret then stops validating", async () => {
    const w = await createTestWidget(running);
    const first = (await rotate(w.sitekey)).body.result;
    running.advanceClock(TWO_HOURS);
    assert.equal(await verifyWith(w.secret, w.sitekey), false, "previous secret expired with the window");
    assert.equal(await verifyWith(first.secret, w.sitekey), true);
    const second = await rotate(w.sitekey);
    assert.equal(second.status, 200);
    assert.notEqual(second.body.result.secret, first.secret);
    assert.equal(await verifyWith(first.secret, w.sitekey), true, "the secret just replaced gets its own grace window");
  });

  it("invalidate_immediately=true drops the old secret at once and leaves no grace window", async () => {
    const w = await createTestWidget(running);
    const r = (await rotate(w.sitekey, { invalidate_immediately: true })).body.result;
    assert.equal(await verifyWith(w.secret, w.sitekey), false);
    assert.equal(await verifyWith(r.secret, w.sitekey), true);
    const again = await rotate(w.sitekey, { invalidate_immediately: true });
    assert.equal(again.status, 200, "no grace window, so rotating again is allowed");
    const third = await rotate(w.sitekey, {});
    assert.equal(third.status, 200);
    assert.equal((await rotate(w.sitekey, {})).status, 400);
  });

  it("rotating an unknown widget is 404/10404", async () => {
    const reply = await rotate("0x4AAAAAAAmissing", {});
    assert.deepEqual([reply.status, firstError(reply).code], [404, 10404]);
    assert.match(firstError(reply).message, /0x4AAAAAAAmissing/);
  });
});
