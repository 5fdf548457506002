import assert from "node:assert/strict";
import { startEmulator, createTestWidget, type RunningEmulator } from "../helpers/emulator";
import { api, call } from "./http-client";
import { ROUTE_KEYS } from "../../emulator";

describe("emulator: control routes", () => {
  let running: RunningEmulator;
  beforeEach(async () => { running = await startEmulator(); });
  afterEach(async () => { await running.stop(); });

  it("GET /emulator/clock and POST /emulator/clock/advance move emulator time", async () => {
    const before = (await call(running, "GET", "/emulator/clock")).body.now as string;
    assert.equal(before, new Date(running.emulator.clock.now()).toISOString());
    const advanced = await call(running, "POST", "/emulator/clock/advance", { seconds: 7200 });
    assert.equal(advanced.status, 200);
    assert.equal(new Date(advanced.body.now).getTime() - new Date(before).getTime(), 7_200_000);
    for (const bad of [{ seconds: -1 }, { seconds: "5" }, {}]) {
      assert.equal((await call(running, "POST", "/emulator/clock/advance", bad)).status, 400);
    }
    assert.equal((await call(running, "POST", "/emulator/clock/advance", "{oops")).status, 400);
  });

  it("advancing the clock over HTTP lifts the grace-period lock", async () => {
    const w = await createTestWidget(running);
    await api(running, "POST", `/${w.sitekey}/rotate_secret`, {});
    assert.equal((await api(running, "POST", `/${w.sitekey}/rotate_secret`, {})).status, 400);
    await call(running, "POST", "/emulator/clock/advance", { seconds: 7200 });
    assert.equal((await api(running, "POST", `/${w.sitekey}/rotate_secret`, {})).status, 200);
  });

  it("GET /emulator/requests counts every request per route key, refused ones included", async () => {
    const w = await createTestWidget(running);
    await api(running, "GET", `/${w.sitekey}`);
    await api(running, "GET", `/${w.sitekey}`, undefined, { token: "wrong" });
    await api(running, "PUT", `/${w.sitekey}`, { name: "x", domains: [], mode: "managed" });
    await api(running, "GET", "");
    await api(running, "POST", `/${w.sitekey}/rotate_secret`, {});
    await api(running, "POST", `/${w.sitekey}/rotate_secret`, {});
    await api(running, "DELETE", `/${w.sitekey}`);
    await call(running, "POST", "/turnstile/v0/siteverify", {});
    await api(running, "PATCH", "", {}); // no such route: unmatched
    const counts = (await call(running, "GET", "/emulator/requests")).body;
    assert.deepEqual(counts, {
      total: 10,
      byRoute: { "widgets.create": 1, "widgets.get": 2, "widgets.update": 1, "widgets.list": 1,
        "widgets.rotate_secret": 2, "widgets.delete": 1, siteverify: 1 },
      unmatched: 1,
      rotations: 1,
    });
    assert.deepEqual(Object.keys(counts.byRoute).sort(), [...ROUTE_KEYS].sort());
  });

  it("GET /emulator/requests counts calls that match no route: wrong path, wrong method, malformed path", async () => {
    const auth = { authorization: `Bearer ${running.apiToken}` };
    const widgets = `/accounts/${running.accountId}/challenges/widgets`;
    await call(running, "GET", "/client/v4/zones", undefined, auth);
    await call(running, "GET", widgets, undefined, auth); // a base URL without /client/v4
    await call(running, "POST", "/client/v4/accounts/%E0%A4%A/challenges/widgets", {}, auth);
    await api(running, "PATCH", "", {});
    await api(running, "GET", "/0x4AAAAAAAabc/rotate_secret");
    await call(running, "GET", "/turnstile/v0/siteverify");
    await call(running, "GET", "/emulator/clock"); // control routes are not API calls
    assert.deepEqual((await call(running, "GET", "/emulator/requests")).body,
      { total: 6, byRoute: {}, unmatched: 6, rotations: 0 });
  });

  it("GET /emulator/requests: rotations counts rotate_secret calls that committed, not requests", async () => {
    const w = await createTestWidget(running);
    await api(running, "POST", `/${w.sitekey}/rotate_secret`, {});
    await api(running, "POST", `/${w.sitekey}/rotate_secret`, {}); // grace period: refused
    await api(running, "POST", "/0x4AAAAAAAnone/rotate_secret", {}); // unknown widget
    await api(running, "POST", `/${w.sitekey}/rotate_secret`, {}, { token: "wrong" });
    await call(running, "POST", "/emulator/faults", { route: "widgets.rotate_secret", kind: "status" });
    await api(running, "POST", `/${w.sitekey}/rotate_secret`, {}); // answered before committing
    running.advanceClock(7200);
    await call(running, "POST", "/emulator/faults", { route: "widgets.rotate_secret", kind: "commit_drop" });
    await fetch(`${running.baseUrl}/accounts/${running.accountId}/challenges/widgets/${w.sitekey}/rotate_secret`, {
      method: "POST", headers: { authorization: `Bearer ${running.apiToken}` }, body: "{}",
    }).catch(() => undefined); // the answer is lost, the rotation is not
    const counts = (await call(running, "GET", "/emulator/requests")).body;
    assert.equal(counts.byRoute["widgets.rotate_secret"], 6);
    assert.equal(counts.rotations, 2);
  });

  it("POST /emulator/reset drops widgets, faults and counters but keeps tokens working", async () => {
    const w = await createTestWidget(running);
    await call(running, "POST", "/emulator/faults", { route: "widgets.list", kind: "status", times: 3 });
    assert.equal((await call(running, "POST", "/emulator/reset")).status, 200);
    assert.deepEqual((await call(running, "GET", "/emulator/requests")).body, { total: 0, byRoute: {}, unmatched: 0, rotations: 0 });
    assert.deepEqual((await call(running, "GET", "/emulator/faults")).body.faults, []);
    const list = await api(running, "GET", "");
    assert.equal(list.status, 200, "same API token still accepted; fault gone");
    assert.deepEqual(list.body.result, []);
    assert.equal((await api(running, "GET", `/${w.sitekey}`)).status, 404);
  });

  it("POST /emulator/tokens validates its input", async () => {
    assert.equal((await call(running, "POST", "/emulator/tokens", { sitekey: "0x4AAAAAAAnone" })).status, 404);
    assert.equal((await call(running, "POST", "/emulator/tokens", {})).status, 404);
    assert.equal((await call(running, "POST", "/emulator/tokens", { sitekey: 5 })).status, 400);
    const w = await createTestWidget(running);
    assert.equal((await call(running, "POST", "/emulator/tokens", { sitekey: w.sitekey, action: 1 })).status, 400);
  });

  it("unknown control routes answer 404 JSON", async () => {
    const reply = await call(running, "GET", "/emulator/nothing");
    assert.equal(reply.status, 404);
    assert.match(reply.body.error, /no control route/);
  });
});
