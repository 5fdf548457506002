import assert from "node:assert/strict";
import { startEmulator, createTestWidget, type RunningEmulator } from "../helpers/emulator";
import { api, firstError, type V4Error } from "./http-client";

const valid = { name: "n", domains: ["example.com"], mode: "managed" };

describe("emulator: request validation", () => {
  let running: RunningEmulator;
  before(async () => { running = await startEmulator(); });
  after(async () => { await running.stop(); });

  async function rejects(body: unknown, pointer: string, pattern?: RegExp): Promise<void> {
    const reply = await api(running, "POST", "", body);
    assert.equal(reply.status, 400, JSON.stringify(reply.body));
    assert.equal(reply.body.success, false);
    assert.equal(reply.body.result, null);
    const match = (reply.body.errors as V4Error[]).find((e) => e.source?.pointer === pointer);
    assert.ok(match, `no error with pointer ${pointer}: ${JSON.stringify(reply.body.errors)}`);
    assert.equal(match.code, 10400);
    if (pattern) assert.match(match.message, pattern);
  }

  it("requires name, domains and mode, reporting all of them at once", async () => {
    const reply = await api(running, "POST", "", {});
    assert.equal(reply.status, 400);
    const pointers = (reply.body.errors as V4Error[]).map((e) => e.source?.pointer).sort();
    assert.deepEqual(pointers, ["/domains", "/mode", "/name"]);
  });

  it("name must be a string of 1..254 characters", async () => {
    await rejects({ ...valid, name: "" }, "/name", /1 to 254/);
    await rejects({ ...valid, name: "x".repeat(255) }, "/name", /1 to 254/);
    await rejects({ ...valid, name: 42 }, "/name", /string/);
    assert.equal((await api(running, "POST", "", { ...valid, name: "x".repeat(254) })).status, 200);
  });

  it("domains: array, at most 10, no wildcards, valid host names or IPs, pointer to the index", async () => {
    await rejects({ ...valid, domains: "example.com" }, "/domains", /array/);
    const eleven = Array.from({ length: 11 }, (_, i) => `d${i}.example.com`);
    await rejects({ ...valid, domains: eleven }, "/domains", /at most 10/);
    await rejects({ ...valid, domains: ["a.example", "b.example", "c.example", "*.example.com"] }, "/domains/3", /wildcard/);
    await rejects({ ...valid, domains: ["ok.example", "https://bad.example"] }, "/domains/1", /not a valid hostname/);
    await rejects({ ...valid, domains: ["-bad-.example"] }, "/domains/0");
    await rejects({ ...valid, domains: [7] }, "/domains/0", /string/);
    const ten = Array.from({ length: 10 }, (_, i) => `d${i}.example.com`);
    assert.equal((await api(running, "POST", "", { ...valid, domains: [...ten.slice(0, 8), "2001:db8::1", "localhost"] })).status, 200);
  });

  it("enums: mode, clearance_level, region", async () => {
    await rejects({ ...valid, mode: "loud" }, "/mode", /non-interactive, invisible, managed/);
    await rejects({ ...valid, clearance_level: "max" }, "/clearance_level");
    await rejects({ ...valid, region: "mars" }, "/region", /world, china/);
  });

  it("booleans must be booleans", async () => {
    for (const flag of ["bot_fight_mode", "ephemeral_id", "offlabel"]) {
      await rejects({ ...valid, [flag]: "true" }, `/${flag}`, /boolean/);
    }
  });

  it("a body that is not an object, or not JSON at all, is refused with a pointer", async () => {
    await rejects([valid], "");
    const malformed = await api(running, "POST", "", '{"name": "n",');
    assert.equal(malformed.status, 400);
    assert.equal(firstError(malformed).code, 6007);
    assert.equal(firstError(malformed).source?.pointer, "");
    const empty = await api(running, "POST", "");
    assert.equal(empty.status, 400);
  });

  it("update validates like create", async () => {
    const w = await createTestWidget(running);
    const reply = await api(running, "PUT", `/${w.sitekey}`, { ...valid, domains: ["*.x.com"] });
    assert.equal(reply.status, 400);
    assert.equal(firstError(reply).source?.pointer, "/domains/0");
  });

  it("rotate_secret: invalidate_immediately must be a boolean; body must be an object", async () => {
    const w = await createTestWidget(running);
    const wrong = await api(running, "POST", `/${w.sitekey}/rotate_secret`, { invalidate_immediately: "yes" });
    assert.equal(wrong.status, 400);
    assert.equal(firstError(wrong).source?.pointer, "/invalidate_immediately");
    const notObject = await api(running, "POST", `/${w.sitekey}/rotate_secret`, "[]");
    assert.equal(notObject.status, 400);
    assert.equal((await api(running, "GET", `/${w.sitekey}`)).body.result.secret, w.secret, "refused rotations change nothing");
  });
});
