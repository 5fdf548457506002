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
    await api(running, "PATCH", "", {}); // no such route: not counted
    const counts = (await call(running, "GET", "/emulator/requests")).body;
    assert.deepEqual(counts, {
      total: 9,
      byRoute: { "widgets.create": 1, "widgets.get": 2, "widgets.update": 1, "widgets.list": 1,
        "widgets.rotate_secret": 2, "widgets.delete": 1, siteverify: 1 },
    });
    assert.deepEqual(Object.keys(counts.byRoute).sort(), [...ROUTE_KEYS].sort());
  });

  it("POST /emulator/reset drops widgets, faults and counters but keeps tokens working", async () => {
    const w = await createTestWidget(running);
    await call(running, "POST", "/emulator/faults", { route: "widgets.list", kind: "status", times: 3 });
    assert.equal((await call(running, "POST", "/emulator/reset")).status, 200);
    assert.deepEqual((await call(running, "GET", "/emulator/requests")).body, { total: 0, byRoute: {} });
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
