import assert from "node:assert/strict";
import { request } from "node:http";
import { startEmulator, createTestWidget, type RunningEmulator } from "../helpers/emulator";
import { api, call, firstError } from "./http-client";
import { parseFaultSpec } from "../../emulator";

/** Sends one raw request and reports either the answer or the socket error (no retries, no pooling). */
function rawCall(running: RunningEmulator, method: string, path: string, body?: unknown):
  Promise<{ status?: number; error?: NodeJS.ErrnoException }> {
  return new Promise((resolve) => {
    const req = request(running.origin + path, {
      method, agent: false,
      headers: { authorization: `Bearer ${running.apiToken}`, "content-type": "application/json" },
    }, (res) => { res.resume(); res.on("end", () => resolve({ status: res.statusCode })); });
    req.on("error", (error: NodeJS.ErrnoException) => resolve({ error }));
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe("emulator: fault injection", () => {
  let running: RunningEmulator;
  beforeEach(async () => { running = await startEmulator(); });
  afterEach(async () => { await running.stop(); });

  const addFault = (fault: Record<string, unknown>) => call(running, "POST", "/emulator/faults", fault);
  const widgetsPath = () => `/client/v4/accounts/${running.accountId}/challenges/widgets`;

  it("status: answers with the status and a Cloudflare-like body, `times` times, then recovers", async () => {
    const w = await createTestWidget(running);
    assert.equal((await addFault({ route: "widgets.get", kind: "status", status: 503, times: 2 })).status, 200);
    for (let i = 0; i < 2; i++) {
      const reply = await api(running, "GET", `/${w.sitekey}`);
      assert.equal(reply.status, 503);
      assert.deepEqual([reply.body.success, reply.body.result, firstError(reply).code], [false, null, 10001]);
    }
    assert.equal((await api(running, "GET", `/${w.sitekey}`)).status, 200);
  });

  it("faults match only their route (and method when given)", async () => {
    const w = await createTestWidget(running);
    await addFault({ route: "widgets.rotate_secret", kind: "status", status: 500 });
    assert.equal((await api(running, "GET", `/${w.sitekey}`)).status, 200);
    await addFault({ route: "*", method: "delete", kind: "status", status: 502 });
    assert.equal((await api(running, "GET", "")).status, 200);
    assert.equal((await api(running, "DELETE", `/${w.sitekey}`)).status, 502);
    assert.equal((await api(running, "POST", `/${w.sitekey}/rotate_secret`, {})).status, 500);
    assert.deepEqual((await call(running, "GET", "/emulator/faults")).body.faults, []);
  });

  it("rate_limit: 429 with retry-after and code 971", async () => {
    await addFault({ route: "widgets.list", kind: "rate_limit", retryAfterSeconds: 7 });
    const reply = await api(running, "GET", "");
    assert.equal(reply.status, 429);
    assert.equal(reply.headers.get("retry-after"), "7");
    assert.equal(firstError(reply).code, 971);
  });

  it("latency: delays the answer, which is otherwise normal", async () => {
    await addFault({ route: "widgets.list", kind: "latency", latencyMs: 120 });
    const started = Date.now();
    const reply = await api(running, "GET", "");
    assert.ok(Date.now() - started >= 110, `took ${Date.now() - started} ms`);
    assert.equal(reply.status, 200);
  });

  it("reset: the connection drops and nothing is done", async () => {
    const w = await createTestWidget(running);
    await addFault({ route: "widgets.rotate_secret", kind: "reset" });
    const outcome = await rawCall(running, "POST", `${widgetsPath()}/${w.sitekey}/rotate_secret`, {});
    assert.equal(outcome.status, undefined);
    assert.ok(outcome.error, "expected a socket error");
    assert.equal((await api(running, "GET", `/${w.sitekey}`)).body.result.secret, w.secret);
  });

  it("commit_drop: the client sees a socket error, yet the rotation was committed", async () => {
    const w = await createTestWidget(running);
    await addFault({ route: "widgets.rotate_secret", kind: "commit_drop" });
    const outcome = await rawCall(running, "POST", `${widgetsPath()}/${w.sitekey}/rotate_secret`, {});
    assert.equal(outcome.status, undefined);
    assert.match(String(outcome.error?.code ?? outcome.error?.message), /ECONNRESET|socket hang up/);
    const after = (await api(running, "GET", `/${w.sitekey}`)).body.result;
    assert.notEqual(after.secret, w.secret, "new secret committed");
    const retry = await api(running, "POST", `/${w.sitekey}/rotate_secret`, {});
    assert.equal(retry.status, 400, "a blind retry now hits the grace-period refusal");
  });

  it("commit_drop on create commits the widget; on siteverify it consumes the token", async () => {
    await addFault({ route: "widgets.create", kind: "commit_drop" });
    const outcome = await rawCall(running, "POST", widgetsPath(), { name: "ghost", domains: [], mode: "managed" });
    assert.ok(outcome.error);
    const list = await api(running, "GET", "?filter=name:ghost");
    assert.equal(list.body.result_info.total_count, 1);

    const w = await createTestWidget(running);
    const { body } = await call(running, "POST", "/emulator/tokens", { sitekey: w.sitekey });
    await addFault({ route: "siteverify", kind: "commit_drop" });
    const dropped = await rawCall(running, "POST", "/turnstile/v0/siteverify", { secret: w.secret, response: body.token });
    assert.ok(dropped.error);
    const again = await call(running, "POST", "/turnstile/v0/siteverify", { secret: w.secret, response: body.token });
    assert.deepEqual(again.body["error-codes"], ["timeout-or-duplicate"]);
  });

  it("status faults on siteverify answer internal-error", async () => {
    await addFault({ route: "siteverify", kind: "status", status: 500 });
    const reply = await call(running, "POST", "/turnstile/v0/siteverify", { secret: "x", response: "y" });
    assert.equal(reply.status, 500);
    assert.deepEqual(reply.body["error-codes"], ["internal-error"]);
  });

  it("status with shouldRetry sends x-should-retry; without it, no header", async () => {
    for (const shouldRetry of [true, false, undefined]) {
      await addFault({ route: "widgets.list", kind: "status", status: 502, shouldRetry });
      const reply = await api(running, "GET", "");
      assert.equal(reply.status, 502);
      assert.equal(reply.headers.get("x-should-retry"), shouldRetry === undefined ? null : String(shouldRetry));
    }
  });

  it("hang: never answers and commits nothing; the client's deadline ends the call", async () => {
    const w = await createTestWidget(running);
    await addFault({ route: "widgets.rotate_secret", kind: "hang" });
    const started = Date.now();
    await assert.rejects(fetch(`${running.origin}${widgetsPath()}/${w.sitekey}/rotate_secret`, {
      method: "POST", headers: { authorization: `Bearer ${running.apiToken}` }, body: "{}", signal: AbortSignal.timeout(300),
    }), { name: "TimeoutError" });
    assert.ok(Date.now() - started >= 290);
    assert.equal((await api(running, "GET", `/${w.sitekey}`)).body.result.secret, w.secret, "nothing committed");
    assert.equal(running.emulator.store.requestCounts().rotations, 0);
  });

  it("foreign_404: an HTML 404 page that is not Cloudflare's, and nothing done", async () => {
    const w = await createTestWidget(running);
    running.emulator.faults.add(parseFaultSpec({ route: "widgets.delete", kind: "foreign_404" }));
    const response = await fetch(`${running.origin}${widgetsPath()}/${w.sitekey}`, {
      method: "DELETE", headers: { authorization: `Bearer ${running.apiToken}` },
    });
    assert.equal(response.status, 404);
    assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
    const text = await response.text();
    assert.match(text, /<title>404 Not Found<\/title>/);
    assert.throws(() => JSON.parse(text), SyntaxError);
    assert.equal((await api(running, "GET", `/${w.sitekey}`)).status, 200, "the widget was not deleted");
  });

  it("commit_status on siteverify: 503 internal-error, yet the token was spent", async () => {
    const w = await createTestWidget(running);
    const { body } = await call(running, "POST", "/emulator/tokens", { sitekey: w.sitekey });
    await addFault({ route: "siteverify", kind: "commit_status" });
    const failed = await call(running, "POST", "/turnstile/v0/siteverify", { secret: w.secret, response: body.token });
    assert.deepEqual([failed.status, failed.body["error-codes"]], [503, ["internal-error"]]);
    const again = await call(running, "POST", "/turnstile/v0/siteverify", { secret: w.secret, response: body.token });
    assert.deepEqual(again.body["error-codes"], ["timeout-or-duplicate"]);
  });

  it("new fields have defaults and are refused where they would do nothing", async () => {
    await addFault({ route: "widgets.get", kind: "commit_status" });
    await addFault({ route: "widgets.get", kind: "commit_garble" });
    const [commitStatus, commitGarble] = (await call(running, "GET", "/emulator/faults")).body.faults;
    assert.deepEqual([commitStatus.status, commitStatus.shouldRetry, commitGarble.body], [503, undefined, "truncated"]);
    for (const bad of [{ route: "widgets.get", kind: "reset", shouldRetry: true },
      { route: "widgets.get", kind: "status", shouldRetry: "yes" },
      { route: "widgets.get", kind: "commit_status", body: "html" },
      { route: "widgets.get", kind: "commit_garble", body: "xml" },
      { route: "widgets.get", kind: "reset", code: 7003 },
      { route: "widgets.get", kind: "status", code: "7003" },
      { route: "widgets.get", kind: "status", action: "edit" },
      { route: "widgets.get", kind: "rival", action: "explode" }]) {
      const reply = await addFault(bad);
      assert.equal(reply.status, 400, JSON.stringify(bad));
      assert.equal(typeof reply.body.error, "string");
    }
  });

  it("status with code: the envelope error carries that code, or none with code null", async () => {
    const sitekey = (await createTestWidget(running)).sitekey;
    await addFault({ route: "widgets.get", kind: "status", status: 404, code: 7003 });
    const coded = await api(running, "GET", `/${sitekey}`);
    assert.deepEqual([coded.status, firstError(coded).code], [404, 7003]);
    await addFault({ route: "widgets.get", kind: "status", status: 404, code: null });
    const uncoded = await api(running, "GET", `/${sitekey}`);
    assert.equal(uncoded.status, 404);
    assert.equal("code" in firstError(uncoded), false);
  });

  it("DELETE /emulator/faults clears the queue; bad specs are refused with 400", async () => {
    await addFault({ route: "widgets.list", kind: "status", times: 5 });
    assert.equal((await call(running, "GET", "/emulator/faults")).body.faults.length, 1);
    assert.equal((await call(running, "DELETE", "/emulator/faults")).status, 200);
    assert.equal((await api(running, "GET", "")).status, 200);
    for (const bad of [{ route: "widgets.nope", kind: "reset" }, { route: "widgets.list", kind: "explode" },
      { route: "widgets.list", kind: "status", status: 200 }, { route: "widgets.list", kind: "reset", times: 0 }]) {
      const reply = await addFault(bad);
      assert.equal(reply.status, 400, JSON.stringify(bad));
      assert.equal(typeof reply.body.error, "string");
    }
  });
});
