import assert from "node:assert/strict";
import Cloudflare from "cloudflare";
import type { Widget } from "cloudflare/resources/turnstile/widgets";
import { startEmulator, type RunningEmulator } from "../helpers/emulator";
import { call } from "./http-client";

describe("emulator: driven by the official cloudflare SDK", () => {
  let running: RunningEmulator;
  let client: Cloudflare;
  let account_id: string;
  beforeEach(async () => {
    running = await startEmulator();
    client = new Cloudflare({ apiToken: running.apiToken, baseURL: running.baseUrl, maxRetries: 0 });
    account_id = running.accountId;
  });
  afterEach(async () => { await running.stop(); });

  it("create / get / update / rotateSecret / delete return typed widgets", async () => {
    const created: Widget = await client.turnstile.widgets.create({
      account_id, name: "blog.example.com login form", domains: ["203.0.113.1", "blog.example.com"], mode: "invisible",
    });
    assert.equal(created.name, "blog.example.com login form");
    assert.equal(created.clearance_level, "no_clearance");
    assert.match(created.secret, /^0x4AAAAAAA/);

    const got = await client.turnstile.widgets.get(created.sitekey, { account_id });
    assert.deepEqual(got, created);

    running.advanceClock(5);
    const updated = await client.turnstile.widgets.update(created.sitekey, {
      account_id, name: "renamed", domains: ["blog.example.com"], mode: "managed", bot_fight_mode: true,
    });
    assert.deepEqual([updated.name, updated.mode, updated.bot_fight_mode], ["renamed", "managed", true]);
    assert.notEqual(updated.modified_on, created.modified_on);

    const rotated = await client.turnstile.widgets.rotateSecret(created.sitekey, { account_id, invalidate_immediately: false });
    assert.notEqual(rotated.secret, created.secret);
    assert.equal(rotated.sitekey, created.sitekey);

    const deleted = await client.turnstile.widgets.delete(created.sitekey, { account_id });
    assert.equal(deleted.secret, rotated.secret);
    await assert.rejects(client.turnstile.widgets.get(created.sitekey, { account_id }), Cloudflare.NotFoundError);
  });

  it("rotateSecret with no body params works (SDK sends {})", async () => {
    const w = await client.turnstile.widgets.create({ account_id, name: "n", domains: [], mode: "managed" });
    const rotated = await client.turnstile.widgets.rotateSecret(w.sitekey, { account_id });
    assert.notEqual(rotated.secret, w.secret);
  });

  it("list auto-paginates until the empty page, without secrets", async () => {
    for (let i = 0; i < 12; i++) {
      await client.turnstile.widgets.create({ account_id, name: `w${String(i).padStart(2, "0")}`, domains: [], mode: "managed" });
    }
    const names: string[] = [];
    for await (const item of client.turnstile.widgets.list({ account_id, per_page: 5, order: "name", direction: "asc" })) {
      names.push(item.name);
      assert.equal("secret" in item, false);
    }
    assert.deepEqual(names, Array.from({ length: 12 }, (_, i) => `w${String(i).padStart(2, "0")}`));
    const page = await client.turnstile.widgets.list({ account_id, per_page: 5, page: 3 });
    assert.equal(page.result.length, 2);
    assert.deepEqual(page.result_info, { page: 3, per_page: 5, count: 2, total_count: 12 });
  });

  it("errors surface as the SDK's typed errors with Cloudflare's error items", async () => {
    const w = await client.turnstile.widgets.create({ account_id, name: "n", domains: [], mode: "managed" });
    await client.turnstile.widgets.rotateSecret(w.sitekey, { account_id });
    await assert.rejects(client.turnstile.widgets.rotateSecret(w.sitekey, { account_id }), (err: unknown) => {
      assert.ok(err instanceof Cloudflare.BadRequestError);
      assert.equal(err.status, 400);
      assert.equal(err.errors[0].code, 10409);
      assert.match(err.message, /grace period.*try again after \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
      return true;
    });
    await assert.rejects(client.turnstile.widgets.get("0x4AAAAAAAnone", { account_id }), (err: unknown) => {
      assert.ok(err instanceof Cloudflare.NotFoundError);
      assert.equal(err.errors[0].code, 10404);
      return true;
    });
    const stranger = new Cloudflare({ apiToken: "wrong", baseURL: running.baseUrl, maxRetries: 0 });
    await assert.rejects(stranger.turnstile.widgets.get(w.sitekey, { account_id }), Cloudflare.PermissionDeniedError);
    await assert.rejects(
      client.turnstile.widgets.create({ account_id, name: "", domains: ["*.example.com"], mode: "managed" }),
      (err: unknown) => {
        assert.ok(err instanceof Cloudflare.BadRequestError);
        assert.deepEqual(err.errors.map((e) => e.source?.pointer), ["/name", "/domains/0"]);
        return true;
      });
  });

  it("rate limits and 5xx surface as RateLimitError / InternalServerError; the SDK retries 5xx when allowed", async () => {
    await call(running, "POST", "/emulator/faults", { route: "widgets.list", kind: "rate_limit", retryAfterSeconds: 3 });
    await assert.rejects(client.turnstile.widgets.list({ account_id }), Cloudflare.RateLimitError);
    await call(running, "POST", "/emulator/faults", { route: "widgets.list", kind: "status", status: 502 });
    await assert.rejects(client.turnstile.widgets.list({ account_id }), Cloudflare.InternalServerError);

    await call(running, "POST", "/emulator/faults", { route: "widgets.create", kind: "status", status: 503 });
    const retrying = new Cloudflare({ apiToken: running.apiToken, baseURL: running.baseUrl, maxRetries: 1 });
    const w = await retrying.turnstile.widgets.create({ account_id, name: "after retry", domains: [], mode: "managed" });
    assert.equal(w.name, "after retry");
    const counts = (await call(running, "GET", "/emulator/requests")).body;
    assert.equal(counts.byRoute["widgets.create"], 2, "one failed attempt + one retry");
  });

  it("a dropped connection surfaces as APIConnectionError, though the rotation was committed", async () => {
    const w = await client.turnstile.widgets.create({ account_id, name: "n", domains: [], mode: "managed" });
    await call(running, "POST", "/emulator/faults", { route: "widgets.rotate_secret", kind: "commit_drop" });
    await assert.rejects(client.turnstile.widgets.rotateSecret(w.sitekey, { account_id }), Cloudflare.APIConnectionError);
    const now = await client.turnstile.widgets.get(w.sitekey, { account_id });
    assert.notEqual(now.secret, w.secret);
  });
});
