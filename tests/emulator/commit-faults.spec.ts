/**
 * Faults that act after the operation committed: the change is applied at the
 * emulator, yet the client gets an error status, an unusable 200, or nothing.
 */
import assert from "node:assert/strict";
import Cloudflare from "cloudflare";
import { startEmulator, createTestWidget, type RunningEmulator } from "../helpers/emulator";
import { api, call, firstError } from "./http-client";
import { parseFaultSpec, type Widget } from "../../emulator";

describe("emulator: faults after the commit", () => {
  let running: RunningEmulator;
  beforeEach(async () => { running = await startEmulator(); });
  afterEach(async () => { await running.stop(); });

  const addFault = async (fault: Record<string, unknown>) =>
    assert.equal((await call(running, "POST", "/emulator/faults", fault)).status, 200);
  const rotateUrl = (sitekey: string) =>
    `${running.baseUrl}/accounts/${running.accountId}/challenges/widgets/${sitekey}/rotate_secret`;
  const rotateRaw = (sitekey: string, signal?: AbortSignal) => fetch(rotateUrl(sitekey), {
    method: "POST", headers: { authorization: `Bearer ${running.apiToken}`, "content-type": "application/json" },
    body: "{}", signal,
  });
  const current = async (sitekey: string): Promise<Widget> => (await api(running, "GET", `/${sitekey}`)).body.result;
  const rotations = () => running.emulator.store.requestCounts().rotations;

  it("commit_status: 503 and a 10001 envelope by default, without x-should-retry, though the rotation committed", async () => {
    const w = await createTestWidget(running);
    await addFault({ route: "widgets.rotate_secret", kind: "commit_status" });
    const reply = await api(running, "POST", `/${w.sitekey}/rotate_secret`, {});
    assert.equal(reply.status, 503);
    assert.deepEqual([reply.body.success, reply.body.result, firstError(reply).code], [false, null, 10001]);
    assert.equal(reply.headers.get("x-should-retry"), null);
    assert.notEqual((await current(w.sitekey)).secret, w.secret, "committed");
    assert.equal(rotations(), 1);
  });

  it("commit_status with shouldRetry: the header the official SDK obeys, so `true` makes it repeat a committed rotation", async () => {
    const w = await createTestWidget(running);
    const sdk = new Cloudflare({ apiToken: running.apiToken, baseURL: running.baseUrl, maxRetries: 1 });
    await addFault({ route: "widgets.rotate_secret", kind: "commit_status", status: 500, shouldRetry: false });
    await assert.rejects(sdk.turnstile.widgets.rotateSecret(w.sitekey, { account_id: running.accountId }),
      Cloudflare.InternalServerError);
    assert.deepEqual([running.emulator.store.requestCounts().byRoute["widgets.rotate_secret"], rotations()], [1, 1]);

    running.advanceClock(7200);
    await addFault({ route: "widgets.rotate_secret", kind: "commit_status", shouldRetry: true });
    // The repeat meets the grace period of the rotation the first attempt committed.
    await assert.rejects(sdk.turnstile.widgets.rotateSecret(w.sitekey, { account_id: running.accountId }),
      Cloudflare.BadRequestError);
    assert.deepEqual([running.emulator.store.requestCounts().byRoute["widgets.rotate_secret"], rotations()], [3, 2]);
  });

  it("commit_garble truncated (the default): HTTP 200 with the first half of the real envelope", async () => {
    const w = await createTestWidget(running);
    await addFault({ route: "widgets.rotate_secret", kind: "commit_garble" });
    const response = await rotateRaw(w.sitekey);
    const text = await response.text();
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
    const whole = JSON.stringify({ success: true, errors: [], messages: [], result: await current(w.sitekey) });
    assert.equal(text, whole.slice(0, Math.floor(whole.length / 2)));
    assert.throws(() => JSON.parse(text), SyntaxError);
    assert.equal(rotations(), 1);
  });

  it("commit_garble html and success_false: HTTP 200 bodies that say nothing usable, after a commit", async () => {
    const w = await createTestWidget(running);
    await addFault({ route: "widgets.rotate_secret", kind: "commit_garble", body: "html" });
    const html = await rotateRaw(w.sitekey);
    assert.equal(html.status, 200);
    assert.match(html.headers.get("content-type") ?? "", /^text\/html/);
    assert.match(await html.text(), /^<!DOCTYPE html>/);
    const afterHtml = await current(w.sitekey);
    assert.notEqual(afterHtml.secret, w.secret);

    running.advanceClock(7200);
    await addFault({ route: "widgets.rotate_secret", kind: "commit_garble", body: "success_false" });
    const refused = await api(running, "POST", `/${w.sitekey}/rotate_secret`, {});
    assert.equal(refused.status, 200);
    assert.deepEqual([refused.body.success, refused.body.result, firstError(refused).code], [false, null, 10001]);
    assert.notEqual((await current(w.sitekey)).secret, afterHtml.secret);
    assert.equal(rotations(), 2);
  });

  it("commit_garble null_fields: a success envelope with null where a client needs nothing; secret, sitekey, modified_on intact", async () => {
    const w = await createTestWidget(running);
    running.advanceClock(30);
    await addFault({ route: "widgets.rotate_secret", kind: "commit_garble", body: "null_fields" });
    const reply = await api(running, "POST", `/${w.sitekey}/rotate_secret`, {});
    assert.equal(reply.status, 200);
    assert.equal(reply.body.success, true);
    const now = await current(w.sitekey);
    const { secret, sitekey, modified_on, ...rest } = reply.body.result as Widget;
    assert.deepEqual({ secret, sitekey, modified_on }, { secret: now.secret, sitekey: now.sitekey, modified_on: now.modified_on });
    assert.notEqual(secret, w.secret);
    assert.deepEqual(Object.values(rest), Object.keys(rest).map(() => null));
    assert.deepEqual(Object.keys(rest).sort(), ["bot_fight_mode", "clearance_level", "created_on", "domains",
      "ephemeral_id", "mode", "name", "offlabel", "region"]);

    await addFault({ route: "widgets.list", kind: "commit_garble", body: "null_fields" });
    const list = await api(running, "GET", "");
    assert.deepEqual(list.body.result.map((x: Widget) => [x.sitekey, x.name, x.domains]), [[w.sitekey, null, null]]);
  });

  it("commit_hang: commits, then never answers; the client's deadline ends it and the emulator goes on", async () => {
    const w = await createTestWidget(running);
    await addFault({ route: "widgets.rotate_secret", kind: "commit_hang" });
    const started = Date.now();
    await assert.rejects(rotateRaw(w.sitekey, AbortSignal.timeout(300)), { name: "TimeoutError" });
    assert.ok(Date.now() - started >= 290, "answered before the deadline");
    assert.notEqual((await current(w.sitekey)).secret, w.secret, "committed");
    assert.equal(rotations(), 1);
  });

  it("commit_hang: closing the emulator closes the hung connection", async () => {
    const w = await createTestWidget(running);
    running.emulator.faults.add(parseFaultSpec({ route: "widgets.rotate_secret", kind: "commit_hang" }));
    const pending = rotateRaw(w.sitekey).then(() => "answered", (err: Error) => err.name);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await running.stop();
    assert.equal(await pending, "TypeError", "fetch failed: the socket closed without an answer");
  });

  it("commit_late: the request is held, then committed although its client gave up long before; no answer ever", async () => {
    const w = await createTestWidget(running);
    await addFault({ route: "widgets.rotate_secret", kind: "commit_late", latencyMs: 300 });
    await assert.rejects(rotateRaw(w.sitekey, AbortSignal.timeout(50)), /abort|timeout/i);
    assert.equal((await current(w.sitekey)).secret, w.secret, "nothing yet: the client's read-back sees the old secret");
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.notEqual((await current(w.sitekey)).secret, w.secret, "committed after the client had left");
    assert.equal(rotations(), 1);
  });

  it("commit_garble oversized: valid JSON padded to 20 MiB, the real envelope inside", async () => {
    const w = await createTestWidget(running);
    await addFault({ route: "widgets.get", kind: "commit_garble", body: "oversized" });
    const response = await fetch(`${running.baseUrl}/accounts/${running.accountId}/challenges/widgets/${w.sitekey}`, {
      headers: { authorization: `Bearer ${running.apiToken}` },
    });
    const text = await response.text();
    assert.equal(text.length, 20 * 1024 * 1024);
    const parsed = JSON.parse(text) as { success: boolean; result: { sitekey: string } };
    assert.deepEqual([parsed.success, parsed.result.sitekey], [true, w.sitekey]);
  });
});

describe("emulator: another actor just before a request (rival faults)", () => {
  let running: RunningEmulator;
  beforeEach(async () => { running = await startEmulator(); });
  afterEach(async () => { await running.stop(); });
  const addFault = async (fault: Record<string, unknown>) =>
    assert.equal((await call(running, "POST", "/emulator/faults", fault)).status, 200);

  it("rotate: another actor rotates first, so a rotate call inside the grace period it opened is refused", async () => {
    const w = await createTestWidget(running);
    await addFault({ route: "widgets.rotate_secret", kind: "rival" });
    const reply = await api(running, "POST", `/${w.sitekey}/rotate_secret`, {});
    assert.equal(reply.status, 400);
    assert.equal(firstError(reply).code, 10409);
    assert.equal(running.emulator.store.rotations(w.sitekey).length, 1, "the rival's rotation only");
  });

  it("edit moves modified_on and keeps the secret; delete makes the request meet a missing widget", async () => {
    const w = await createTestWidget(running);
    running.advanceClock(60);
    await addFault({ route: "widgets.get", kind: "rival", action: "edit" });
    const edited = (await api(running, "GET", `/${w.sitekey}`)).body.result as Widget;
    assert.equal(edited.secret, w.secret);
    assert.notEqual(edited.modified_on, w.modified_on);
    await addFault({ route: "widgets.get", kind: "rival", action: "delete" });
    assert.equal((await api(running, "GET", `/${w.sitekey}`)).status, 404);
  });

  it("on the widget list: the page is taken, then the rival rotates its first widget (a stale page)", async () => {
    const w = await createTestWidget(running);
    running.advanceClock(60);
    await addFault({ route: "widgets.list", kind: "rival", action: "rotate_immediately" });
    const page = (await api(running, "GET", "?order=created_on")).body.result as Widget[];
    assert.equal(page[0].modified_on, w.modified_on, "the page shows the widget before the rival's change");
    assert.equal(running.emulator.store.rotations(w.sitekey).length, 1, "the rival rotated after the page was taken");
  });
});

describe("emulator: list-page faults (no_date, missing_item)", () => {
  let running: RunningEmulator;
  beforeEach(async () => { running = await startEmulator(); });
  afterEach(async () => { await running.stop(); });
  const addFault = async (fault: Record<string, unknown>) =>
    assert.equal((await call(running, "POST", "/emulator/faults", fault)).status, 200);

  it("no_date: the real answer without its Date header", async () => {
    await createTestWidget(running);
    await addFault({ route: "widgets.list", kind: "no_date" });
    const stripped = await api(running, "GET", "");
    assert.equal(stripped.status, 200);
    assert.equal(stripped.headers.get("date"), null);
    assert.equal((stripped.body.result as Widget[]).length, 1);
    assert.notEqual((await api(running, "GET", "")).headers.get("date"), null, "only once");
  });

  it("missing_item: a list page without its first widget; a single widget's answer as it is", async () => {
    const [a, b] = [await createTestWidget(running), await createTestWidget(running)];
    await addFault({ route: "widgets.list", kind: "commit_garble", body: "missing_item" });
    const page = (await api(running, "GET", "?order=created_on")).body.result as Widget[];
    assert.deepEqual(page.map((w) => w.sitekey), [b.sitekey]);
    await addFault({ route: "widgets.get", kind: "commit_garble", body: "missing_item" });
    assert.equal(((await api(running, "GET", `/${a.sitekey}`)).body.result as Widget).sitekey, a.sitekey);
  });

  it("bad_items: a list page whose first widget has no modified_on and second no sitekey", async () => {
    const [a, b, c] = [await createTestWidget(running), await createTestWidget(running), await createTestWidget(running)];
    await addFault({ route: "widgets.list", kind: "commit_garble", body: "bad_items" });
    const page = (await api(running, "GET", "?order=created_on")).body.result as Array<Partial<Widget>>;
    assert.deepEqual(page.map((w) => [w.sitekey, w.modified_on === null]), [[a.sitekey, true], [undefined, false], [c.sitekey, false]]);
    assert.equal(page[1].name, b.name);
  });

  it("not_a_list: the real envelope with its result wrapped in an object", async () => {
    const w = await createTestWidget(running);
    await addFault({ route: "widgets.list", kind: "commit_garble", body: "not_a_list" });
    const body = (await api(running, "GET", "")).body as { success: boolean; result: { widgets: Widget[] } };
    assert.deepEqual([body.success, body.result.widgets[0].sitekey], [true, w.sitekey]);
  });
});
