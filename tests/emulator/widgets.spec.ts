import assert from "node:assert/strict";
import { startEmulator, createTestWidget, type RunningEmulator } from "../helpers/emulator";
import { api, firstError } from "./http-client";

const WIDGET_FIELDS = ["bot_fight_mode", "clearance_level", "created_on", "domains", "ephemeral_id", "mode",
  "modified_on", "name", "offlabel", "region", "secret", "sitekey"];

describe("emulator: widgets CRUD", () => {
  let running: RunningEmulator;
  beforeEach(async () => { running = await startEmulator(); });
  afterEach(async () => { await running.stop(); });

  it("create returns the full widget in a v4 envelope with defaults and realistic keys", async () => {
    const reply = await api(running, "POST", "", { name: "login", domains: ["example.com", "203.0.113.1"], mode: "invisible" });
    assert.equal(reply.status, 200);
    assert.deepEqual([reply.body.success, reply.body.errors, reply.body.messages], [true, [], []]);
    const w = reply.body.result;
    assert.deepEqual(Object.keys(w).sort(), WIDGET_FIELDS);
    assert.equal(w.name, "login");
    assert.deepEqual(w.domains, ["example.com", "203.0.113.1"]);
    assert.equal(w.mode, "invisible");
    assert.equal(w.clearance_level, "no_clearance");
    assert.equal(w.region, "world");
    assert.deepEqual([w.bot_fight_mode, w.ephemeral_id, w.offlabel], [false, false, false]);
    assert.match(w.sitekey, /^0x4AAAAAAA[A-Za-z0-9_-]{14}$/);
    assert.match(w.secret, /^0x4AAAAAAA[A-Za-z0-9_-]{25}$/);
    assert.equal(new Date(w.created_on).getTime(), running.emulator.clock.now());
    assert.equal(w.modified_on, w.created_on);
  });

  it("create honours every optional field", async () => {
    const w = await createTestWidget(running, { bot_fight_mode: true, clearance_level: "interactive",
      ephemeral_id: true, offlabel: true, region: "china", mode: "non-interactive" });
    assert.deepEqual([w.bot_fight_mode, w.clearance_level, w.ephemeral_id, w.offlabel, w.region, w.mode],
      [true, "interactive", true, true, "china", "non-interactive"]);
  });

  it("get returns the widget with its secret; unknown sitekey is 404/10404 naming it", async () => {
    const created = await createTestWidget(running);
    const got = await api(running, "GET", `/${created.sitekey}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body.result, created);
    const missing = await api(running, "GET", "/0x4AAAAAAAnope");
    assert.equal(missing.status, 404);
    assert.equal(missing.body.success, false);
    assert.equal(missing.body.result, null);
    assert.equal(firstError(missing).code, 10404);
    assert.match(firstError(missing).message, /0x4AAAAAAAnope/);
  });

  it("a widget of another account is not visible (404)", async () => {
    const other = "ffffffffffffffffffffffffffffffff";
    const w = await createTestWidget(running, { accountId: other });
    assert.equal((await api(running, "GET", `/${w.sitekey}`)).status, 404);
    assert.equal((await api(running, "GET", `/${w.sitekey}`, undefined, { accountId: other })).status, 200);
  });

  it("update replaces fields, keeps secret and sitekey, bumps modified_on only", async () => {
    const w = await createTestWidget(running, { offlabel: true });
    running.advanceClock(60);
    const reply = await api(running, "PUT", `/${w.sitekey}`, { name: "renamed", domains: ["a.example"], mode: "invisible", clearance_level: "managed" });
    assert.equal(reply.status, 200);
    const u = reply.body.result;
    assert.deepEqual([u.name, u.domains, u.mode, u.clearance_level], ["renamed", ["a.example"], "invisible", "managed"]);
    assert.equal(u.offlabel, true, "an omitted optional field keeps its value");
    assert.equal(u.secret, w.secret);
    assert.equal(u.created_on, w.created_on);
    assert.equal(new Date(u.modified_on).getTime() - new Date(w.modified_on).getTime(), 60_000);
    assert.deepEqual((await api(running, "GET", `/${w.sitekey}`)).body.result, u);
  });

  it("update may repeat the region but never change it (400, pointer /region)", async () => {
    const w = await createTestWidget(running);
    const same = await api(running, "PUT", `/${w.sitekey}`, { name: "n", domains: [], mode: "managed", region: "world" });
    assert.equal(same.status, 200);
    const changed = await api(running, "PUT", `/${w.sitekey}`, { name: "n", domains: [], mode: "managed", region: "china" });
    assert.equal(changed.status, 400);
    assert.equal(firstError(changed).source?.pointer, "/region");
    assert.equal((await api(running, "GET", `/${w.sitekey}`)).body.result.region, "world");
  });

  it("update and delete of an unknown widget are 404/10404", async () => {
    const put = await api(running, "PUT", "/0x4AAAAAAAgone", { name: "n", domains: [], mode: "managed" });
    assert.deepEqual([put.status, firstError(put).code], [404, 10404]);
    const del = await api(running, "DELETE", "/0x4AAAAAAAgone");
    assert.deepEqual([del.status, firstError(del).code], [404, 10404]);
  });

  it("delete returns the widget and removes it", async () => {
    const w = await createTestWidget(running);
    const del = await api(running, "DELETE", `/${w.sitekey}`);
    assert.equal(del.status, 200);
    assert.deepEqual(del.body.result, w);
    assert.equal((await api(running, "GET", `/${w.sitekey}`)).status, 404);
    assert.equal((await api(running, "DELETE", `/${w.sitekey}`)).status, 404);
  });

  it("unknown JSON fields are tolerated and not echoed", async () => {
    const reply = await api(running, "POST", "", { name: "n", domains: [], mode: "managed", deployed_via: "x", extra: { a: 1 } });
    assert.equal(reply.status, 200);
    assert.equal("extra" in reply.body.result, false);
  });
});
