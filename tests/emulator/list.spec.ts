import assert from "node:assert/strict";
import { startEmulator, createTestWidget, type RunningEmulator } from "../helpers/emulator";
import { api, firstError } from "./http-client";

describe("emulator: widgets list", () => {
  let running: RunningEmulator;
  const names = ["Charlie login", "alpha signup", "Bravo LOGIN", "delta", "echo", "foxtrot", "golf"];
  let sitekeys: string[];

  before(async () => {
    running = await startEmulator();
    sitekeys = [];
    for (const name of names) {
      sitekeys.push((await createTestWidget(running, { name })).sitekey);
      running.advanceClock(10);
    }
    running.advanceClock(5);
    // Touch "alpha signup" so modified_on order differs from creation order.
    await api(running, "PUT", `/${sitekeys[1]}`, { name: "alpha signup", domains: [], mode: "managed" });
    await createTestWidget(running, { name: "other account", accountId: "0123456789abcdef0123456789abcdef" });
  });
  after(async () => { await running.stop(); });

  it("defaults: page 1, per_page 25, creation order, no secrets, result_info", async () => {
    const reply = await api(running, "GET", "");
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body.result.map((w: { name: string }) => w.name), names);
    assert.deepEqual(reply.body.result_info, { page: 1, per_page: 25, count: 7, total_count: 7 });
    for (const w of reply.body.result) assert.equal("secret" in w, false);
    assert.equal(reply.body.result[0].sitekey, sitekeys[0]);
  });

  it("pages, and answers an empty page past the end", async () => {
    const p2 = await api(running, "GET", "?page=2&per_page=5");
    assert.deepEqual(p2.body.result.map((w: { name: string }) => w.name), names.slice(5));
    assert.deepEqual(p2.body.result_info, { page: 2, per_page: 5, count: 2, total_count: 7 });
    const p3 = await api(running, "GET", "?page=3&per_page=5");
    assert.equal(p3.status, 200);
    assert.deepEqual(p3.body.result, []);
    assert.deepEqual(p3.body.result_info, { page: 3, per_page: 5, count: 0, total_count: 7 });
  });

  it("orders by name, sitekey, created_on, modified_on in both directions", async () => {
    const byName = await api(running, "GET", "?order=name&direction=desc");
    const expected = [...names].sort().reverse();
    assert.deepEqual(byName.body.result.map((w: { name: string }) => w.name), expected);
    const bySitekey = await api(running, "GET", "?order=sitekey");
    assert.deepEqual(bySitekey.body.result.map((w: { sitekey: string }) => w.sitekey), [...sitekeys].sort());
    const byCreated = await api(running, "GET", "?order=created_on&direction=desc");
    assert.deepEqual(byCreated.body.result.map((w: { name: string }) => w.name), [...names].reverse());
    const byModified = await api(running, "GET", "?order=modified_on&direction=desc");
    assert.equal(byModified.body.result[0].name, "alpha signup");
  });

  it("filters by name or sitekey, case-insensitively, by substring", async () => {
    const login = await api(running, "GET", "?filter=name:login");
    assert.deepEqual(login.body.result.map((w: { name: string }) => w.name), ["Charlie login", "Bravo LOGIN"]);
    assert.equal(login.body.result_info.total_count, 2);
    const part = sitekeys[3].slice(10, 18).toLowerCase();
    const bySitekey = await api(running, "GET", `?filter=sitekey:${encodeURIComponent(part)}`);
    assert.ok(bySitekey.body.result.some((w: { sitekey: string }) => w.sitekey === sitekeys[3]));
    const none = await api(running, "GET", "?filter=name:zzz");
    assert.deepEqual(none.body.result, []);
  });

  it("refuses bad query parameters with 400 and a pointer naming the parameter", async () => {
    const cases: Array<[string, string]> = [
      ["?page=0", "/page"], ["?page=abc", "/page"], ["?per_page=4", "/per_page"], ["?per_page=1001", "/per_page"],
      ["?order=color", "/order"], ["?direction=up", "/direction"], ["?filter=domain:x", "/filter"], ["?filter=name", "/filter"],
    ];
    for (const [query, pointer] of cases) {
      const reply = await api(running, "GET", query);
      assert.equal(reply.status, 400, query);
      assert.equal(firstError(reply).code, 10400, query);
      assert.equal(firstError(reply).source?.pointer, pointer, query);
    }
    assert.equal((await api(running, "GET", "?per_page=5")).status, 200);
    assert.equal((await api(running, "GET", "?per_page=1000")).status, 200);
  });
});
