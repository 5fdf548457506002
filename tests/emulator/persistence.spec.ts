import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, createTestWidget } from "../helpers/emulator";
import { api, call } from "./http-client";
import { createEmulator, ManualClock, StateFileError, STATE_FORMAT } from "../../emulator";

describe("emulator: state persistence", () => {
  let dir: string;
  let statePath: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "turnstile-emu-"));
    statePath = join(dir, "state.json");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("round-trips widgets, secrets and the grace window across restarts, without the API token", async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 26, 12));
    const first = await startEmulator({ statePath, clock });
    const w = await createTestWidget(first, { name: "persisted", offlabel: true });
    const rotated = (await api(first, "POST", `/${w.sitekey}/rotate_secret`, {})).body.result;
    const { body: minted } = await call(first, "POST", "/emulator/tokens", { sitekey: w.sitekey });
    await first.stop();

    const text = readFileSync(statePath, "utf8");
    assert.equal(JSON.parse(text).format, STATE_FORMAT);
    assert.equal(text.includes(first.apiToken), false, "API token must never be persisted");
    assert.deepEqual(readdirSync(dir), ["state.json"], "no temp files left behind");

    const second = await startEmulator({ statePath, clock });
    try {
      const got = (await api(second, "GET", `/${w.sitekey}`)).body.result;
      assert.deepEqual(got, rotated);
      assert.equal((await api(second, "POST", `/${w.sitekey}/rotate_secret`, {})).status, 400, "grace lock survived");
      const verify = await call(second, "POST", "/turnstile/v0/siteverify", { secret: w.secret, response: minted.token });
      assert.equal(verify.body.success, true, "previous secret and minted token survived");
      const created = await createTestWidget(second);
      const list = (await api(second, "GET", "")).body.result.map((x: { sitekey: string }) => x.sitekey);
      assert.deepEqual(list, [w.sitekey, created.sitekey], "creation order continues after restart");
    } finally {
      await second.stop();
    }
  });

  it("writes after each mutation (delete included)", async () => {
    const running = await startEmulator({ statePath });
    const w = await createTestWidget(running);
    assert.equal(JSON.parse(readFileSync(statePath, "utf8")).state.widgets.length, 1);
    await api(running, "DELETE", `/${w.sitekey}`);
    assert.equal(JSON.parse(readFileSync(statePath, "utf8")).state.widgets.length, 0);
    await running.stop();
  });

  it("starts empty when the file does not exist yet, creating it at once", async () => {
    const running = await startEmulator({ statePath });
    assert.equal(JSON.parse(readFileSync(statePath, "utf8")).format, STATE_FORMAT);
    assert.deepEqual((await api(running, "GET", "")).body.result, []);
    await running.stop();
  });

  it("an unwritable state path fails at start, naming the path", () => {
    const missingDir = join(dir, "no-such-dir", "state.json");
    assert.throws(() => createEmulator({ apiToken: "t", statePath: missingDir }), (err: unknown) =>
      err instanceof StateFileError && err.message.includes(missingDir) && /cannot be created/.test(err.message));
  });

  const refusals: Array<[string, string, RegExp]> = [
    ["corrupt JSON", "{ this is not json", /is not valid JSON/],
    ["someone else's JSON", JSON.stringify({ widgets: [] }), /not a Turnstile emulator state file/],
    ["a future version", JSON.stringify({ format: STATE_FORMAT, version: 99, state: {} }), /version 99/],
    ["damaged contents", JSON.stringify({ format: STATE_FORMAT, version: 1, state: { nextSeq: 1, widgets: [{ sitekey: 1 }], tokens: [] } }), /damaged/],
  ];
  for (const [label, content, pattern] of refusals) {
    it(`refuses ${label} with a message naming the file and the fix, and leaves it untouched`, () => {
      writeFileSync(statePath, content);
      assert.throws(() => createEmulator({ apiToken: "t", statePath }), (err: unknown) => {
        assert.ok(err instanceof StateFileError);
        assert.match(err.message, pattern);
        assert.ok(err.message.includes(statePath), err.message);
        assert.match(err.message, /Fix: delete or move it, or pass a different --state path/);
        return true;
      });
      assert.equal(readFileSync(statePath, "utf8"), content);
    });
  }
});
