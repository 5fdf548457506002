/**
 * Input that could break the emulator itself: each case answers a proper
 * error and leaves the emulator usable afterwards.
 */
import assert from "node:assert/strict";
import { connect } from "node:net";
import { startEmulator, createTestWidget, type RunningEmulator } from "../helpers/emulator";
import { api, call, firstError } from "./http-client";
import { ManualClock } from "../../emulator";

/** Sends a raw request line (fetch refuses targets like `http://[`) and returns the status line. */
function rawStatusLine(running: RunningEmulator, target: string): Promise<string> {
  const { port } = new URL(running.origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1", () =>
      socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    let data = "";
    socket.on("data", (chunk: Buffer) => { data += chunk.toString(); });
    socket.on("close", () => resolve(data.split("\r\n")[0]));
    socket.on("error", reject);
  });
}

describe("emulator: hostile input", () => {
  let running: RunningEmulator;
  beforeEach(async () => { running = await startEmulator(); });
  afterEach(async () => { await running.stop(); });

  it("a malformed percent-encoding in the path is a v4 404 envelope, not a 500", async () => {
    const auth = { authorization: `Bearer ${running.apiToken}` };
    for (const path of [`/client/v4/accounts/%E0%A4%A/challenges/widgets`,
      `/client/v4/accounts/${running.accountId}/challenges/widgets/%`,
      `/client/v4/accounts/${running.accountId}/challenges/widgets/0x4AAA%zz/rotate_secret`]) {
      const reply = await call(running, "POST", path, {}, auth);
      assert.equal(reply.status, 404, path);
      assert.deepEqual([reply.body.success, reply.body.result, firstError(reply).code], [false, null, 7000]);
    }
    assert.equal((await api(running, "GET", "")).status, 200, "still serving");
  });

  it("a request target that is not a URL is a 400, not a 500", async () => {
    for (const target of ["http://[", "http://a:b@/client/v4/accounts"]) {
      assert.equal(await rawStatusLine(running, target), "HTTP/1.1 400 Bad Request", target);
    }
    assert.equal(running.emulator.store.requestCounts().unmatched, 2, "counted as calls that matched no route");
    assert.equal((await api(running, "GET", "")).status, 200, "still serving");
  });

  it("a clock advance past what a Date can hold is refused with 400 and leaves the clock where it was", async () => {
    const before = (await call(running, "GET", "/emulator/clock")).body.now as string;
    const pastMax = Math.ceil((8.64e15 - running.emulator.clock.now()) / 1000) + 1;
    for (const seconds of [1e300, pastMax, Number.MAX_VALUE]) {
      const reply = await call(running, "POST", "/emulator/clock/advance", { seconds });
      assert.equal(reply.status, 400, String(seconds));
      assert.equal(typeof reply.body.error, "string");
      assert.equal((await call(running, "GET", "/emulator/clock")).body.now, before, "clock unchanged");
    }
    const w = await createTestWidget(running);
    assert.equal((await api(running, "POST", `/${w.sitekey}/rotate_secret`, {})).status, 200, "not bricked");
    assert.equal((await call(running, "POST", "/emulator/clock/advance", { seconds: 60 })).status, 200);
  });

  it("the in-process clocks refuse the same advance before moving", () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    assert.throws(() => clock.advance(1e300), RangeError);
    assert.equal(clock.now(), Date.UTC(2026, 0, 1));
    clock.advance(86_400 * 365 * 1000); // a thousand years is still a printable date
    assert.match(new Date(clock.now()).toISOString(), /^3025-/);
  });

  it("malformed JSON (6007) names a position and never echoes the body", async () => {
    const canary = "QzBodyCanaryVx9";
    const reply = await api(running, "POST", "", `{"name": '${canary}', "domains": [], "mode": "managed"}`);
    assert.equal(reply.status, 400);
    const error = firstError(reply);
    assert.deepEqual([error.code, error.source], [6007, { pointer: "" }]);
    assert.equal(error.message, "Malformed JSON in request body (error at line 1, column 10)");
    for (let i = 0; i + 5 <= canary.length; i++) assert.ok(!JSON.stringify(reply.body).includes(canary.slice(i, i + 5)));
  });
});
