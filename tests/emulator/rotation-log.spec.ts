import assert from "node:assert/strict";
import { startEmulator, createTestWidget, type RunningEmulator } from "../helpers/emulator";
import { api, call } from "./http-client";

const TWO_HOURS = 2 * 60 * 60;

describe("emulator: rotation log and secret acceptance", () => {
  let running: RunningEmulator;
  beforeEach(async () => { running = await startEmulator(); });
  afterEach(async () => { await running.stop(); });

  const rotate = (sitekey: string, body: unknown = {}) => api(running, "POST", `/${sitekey}/rotate_secret`, body);

  it("store.rotations records every committed rotation with its secrets, per widget, as copies", async () => {
    const a = await createTestWidget(running);
    const b = await createTestWidget(running);
    const startMs = running.emulator.clock.now();
    const first = (await rotate(a.sitekey)).body.result;
    assert.equal((await rotate(a.sitekey)).status, 400, "refused in the grace period: not logged");
    running.advanceClock(TWO_HOURS);
    const second = (await rotate(a.sitekey, { invalidate_immediately: true })).body.result;
    await rotate(b.sitekey, { invalidate_immediately: true });
    assert.deepEqual(running.emulator.store.rotations(a.sitekey), [
      { accountId: running.accountId, sitekey: a.sitekey, secret: first.secret, previousSecret: a.secret,
        atMs: startMs, invalidateImmediately: false },
      { accountId: running.accountId, sitekey: a.sitekey, secret: second.secret, previousSecret: undefined,
        atMs: startMs + TWO_HOURS * 1000, invalidateImmediately: true },
    ]);
    assert.deepEqual(running.emulator.store.rotations().map((r) => r.sitekey), [a.sitekey, a.sitekey, b.sitekey]);
    running.emulator.store.rotations()[0].secret = "tampered";
    assert.equal(running.emulator.store.rotations()[0].secret, first.secret);
  });

  it("store.accepts: the current secret, and the previous one only inside its grace period", async () => {
    const w = await createTestWidget(running);
    const { store } = running.emulator;
    assert.equal(store.accepts(w.sitekey, w.secret), true);
    const rotated = (await rotate(w.sitekey)).body.result;
    assert.deepEqual([store.accepts(w.sitekey, w.secret), store.accepts(w.sitekey, rotated.secret)], [true, true]);
    running.advanceClock(TWO_HOURS);
    assert.deepEqual([store.accepts(w.sitekey, w.secret), store.accepts(w.sitekey, rotated.secret)], [false, true]);
    const immediate = (await rotate(w.sitekey, { invalidate_immediately: true })).body.result;
    assert.deepEqual([store.accepts(w.sitekey, rotated.secret), store.accepts(w.sitekey, immediate.secret)], [false, true]);
    const other = await createTestWidget(running);
    assert.equal(store.accepts(other.sitekey, immediate.secret), false, "another widget's secret");
    assert.equal(store.accepts("0x4AAAAAAAnone", immediate.secret), false, "no such widget");
    await api(running, "DELETE", `/${w.sitekey}`);
    assert.equal(store.accepts(w.sitekey, immediate.secret), false, "deleted widget");
  });

  it("GET /emulator/rotations lists rotations without any secret, filtered by sitekey; reset clears it", async () => {
    const a = await createTestWidget(running);
    const b = await createTestWidget(running);
    const ra = (await rotate(a.sitekey)).body.result;
    const rb = (await rotate(b.sitekey, { invalidate_immediately: true })).body.result;
    const all = await call(running, "GET", "/emulator/rotations");
    assert.equal(all.status, 200);
    const at = new Date(running.emulator.clock.now()).toISOString();
    assert.deepEqual(all.body, { rotations: [
      { accountId: running.accountId, sitekey: a.sitekey, at, invalidateImmediately: false },
      { accountId: running.accountId, sitekey: b.sitekey, at, invalidateImmediately: true },
    ] });
    const text = JSON.stringify(all.body);
    for (const secret of [a.secret, b.secret, ra.secret, rb.secret]) assert.ok(!text.includes(secret), "a secret leaked");
    const onlyB = await call(running, "GET", `/emulator/rotations?sitekey=${encodeURIComponent(b.sitekey)}`);
    assert.deepEqual(onlyB.body.rotations.map((r: { sitekey: string }) => r.sitekey), [b.sitekey]);
    await call(running, "POST", "/emulator/reset");
    assert.deepEqual((await call(running, "GET", "/emulator/rotations")).body, { rotations: [] });
    assert.deepEqual(running.emulator.store.rotations(), []);
  });
});
