/**
 * Every provider hook called directly against the emulator over real HTTP. The same behaviour is
 * proven through the engine in tests/e2e; these pin each hook's contract on its own.
 */
import assert from "node:assert/strict";
import { createHooks, hooks } from "../../../provider/hooks";
import { deleteOutside, inject, liveSecret, requestCounts, rotateOutside } from "../../helpers/control";
import type { RotationState } from "../../../provider/core/state";
import { createTestWidget, startEmulator, type RunningEmulator } from "../../helpers/emulator";

describe("provider hooks against the emulator", () => {
  let emulator: RunningEmulator;
  let sitekey: string;
  let news: Record<string, unknown>;

  beforeEach(async () => {
    emulator = await startEmulator();
    sitekey = (await createTestWidget(emulator, { name: "hooks", domains: ["a.example"] })).sitekey;
    news = { accountId: emulator.accountId, sitekey, rotationTrigger: "1", invalidateImmediately: false };
    const values: Record<string, string> = { "cloudflare:apiToken": emulator.apiToken, "cloudflare:baseUrl": emulator.baseUrl };
    await hooks.configure?.({ config: { get: (key) => values[key], require: (key) => values[key] } });
  });
  afterEach(async () => emulator.stop());

  async function create(): Promise<RotationState> {
    const result = await hooks.create(news);
    return result.outs as RotationState;
  }

  it("check validates without calling Cloudflare", async () => {
    const before = (await requestCounts(emulator)).byRoute;
    await assert.rejects(hooks.check!({}, { ...news, accountId: "bad", rotationTrigger: {} }), (error: Error) => {
      assert.match(error.message, /^invalid TurnstileSecretRotation inputs \(nothing was changed\):\n  - accountId must be 32 hexadecimal characters, got 3 characters.*\n  - rotationTrigger must be a string or a number/);
      assert.ok(!error.message.includes("bad"));
      return true;
    });
    assert.deepEqual(Object.keys(await hooks.check({}, news)), ["inputs"], "valid inputs come back, no failures");
    assert.deepEqual((await requestCounts(emulator)).byRoute, before);
  });

  it("create rotates once and returns the new secret with the widget's fields", async () => {
    const before = liveSecret(emulator, sitekey);
    const result = await hooks.create(news);
    const outs = result.outs as RotationState;
    assert.equal(result.id, `${emulator.accountId}/${sitekey}`);
    assert.equal((await requestCounts(emulator)).byRoute["widgets.rotate_secret"], 1);
    assert.notEqual(outs.secret, before);
    assert.equal(outs.secret, liveSecret(emulator, sitekey));
    assert.equal(outs.widget.name, "hooks");
    assert.deepEqual(outs.widget.domains, ["a.example"]);
    assert.equal(outs.widget.mode, "managed");
    assert.equal(Date.parse(outs.previousSecretExpiresAt ?? "") - Date.parse(outs.rotatedAt), 2 * 3600 * 1000);
  });

  it("create with invalidateImmediately records no grace period", async () => {
    news = { ...news, invalidateImmediately: true };
    assert.equal((await create()).previousSecretExpiresAt, null);
  });

  it("diff of unchanged inputs reports no change and makes no call", async () => {
    const olds = await create();
    const before = (await requestCounts(emulator)).byRoute;
    assert.equal((await hooks.diff!("id", olds, news)).changes, false);
    assert.deepEqual((await requestCounts(emulator)).byRoute, before);
  });

  it("update with a new trigger rotates exactly once", async () => {
    const olds = await create();
    emulator.advanceClock(2 * 3600 + 1);
    const { outs } = await hooks.update!("id", olds, { ...news, rotationTrigger: "2" });
    assert.equal((await requestCounts(emulator)).byRoute["widgets.rotate_secret"], 2);
    assert.notEqual(outs.secret, olds.secret);
    assert.equal(outs.rotationTrigger, "2");
    assert.equal(outs.secret, liveSecret(emulator, sitekey));
  });

  it("diff refuses a trigger change inside the grace period by Cloudflare's clock, before any rotation", async () => {
    const olds = await create();
    await assert.rejects(hooks.diff!("id", olds, { ...news, rotationTrigger: "2" }), /refuses to rotate the secret of widget .* until/);
    assert.equal((await requestCounts(emulator)).byRoute["widgets.rotate_secret"], 1);
    emulator.advanceClock(2 * 3600);
    assert.equal((await hooks.diff!("id", olds, { ...news, rotationTrigger: "2" })).changes, true);
  });

  it("update of invalidateImmediately alone records it without rotating", async () => {
    const olds = await create();
    const { outs } = await hooks.update!("id", olds, { ...news, invalidateImmediately: true });
    assert.equal((await requestCounts(emulator)).byRoute["widgets.rotate_secret"], 1);
    assert.equal(outs.secret, olds.secret);
    assert.equal(outs.invalidateImmediately, true);
  });

  it("update inside the grace period fails with Cloudflare's refusal and nothing changes", async () => {
    const olds = await create();
    await assert.rejects(hooks.update!("id", olds, { ...news, rotationTrigger: "2" }), /grace period/);
    assert.equal(liveSecret(emulator, sitekey), olds.secret);
  });

  it("read adopts a secret rotated outside Pulumi", async () => {
    const olds = await create();
    emulator.advanceClock(2 * 3600 + 1);
    rotateOutside(emulator, sitekey);
    const result = await hooks.read!("id", olds);
    assert.equal(result.props!.secret, liveSecret(emulator, sitekey));
    assert.notEqual(result.props!.secret, olds.secret);
    // The widget's last change at Cloudflare: the outside rotation, 2 h 1 s after the create's.
    assert.equal(Date.parse(result.props!.rotatedAt), emulator.emulator.store.findBySitekey(sitekey)?.modifiedMs);
    assert.ok(Date.parse(result.props!.rotatedAt) >= Date.parse(olds.rotatedAt) + 2 * 3600 * 1000);
    assert.equal(result.props!.previousSecretExpiresAt, null, "how an outside rotation treated the old secret is unknown: no guess");
    assert.ok(result.props!.adoptedAt);
    assert.equal(result.props!.rotationTrigger, olds.rotationTrigger);
  });

  it("read without an outside rotation keeps the state as it is", async () => {
    const olds = await create();
    const result = await hooks.read!("id", olds);
    assert.deepEqual(result.props, olds);
  });

  it("read drops the resource when the widget was deleted", async () => {
    const olds = await create();
    deleteOutside(emulator, sitekey);
    assert.equal((await hooks.read!("id", olds)).id, undefined);
  });

  for (const [what, path] of [["a proxy's 404 page (base URL without /client/v4)", ""], ["Cloudflare's \"no route\" 404", "/client/v4/wrong"]] as const) {
    it(`read keeps the resource and fails on ${what}: only a widget-not-found answer drops it`, async () => {
      const olds = await create();
      const values: Record<string, string> = { "cloudflare:apiToken": emulator.apiToken, "cloudflare:baseUrl": emulator.origin + path };
      await hooks.configure?.({ config: { get: (key) => values[key], require: (key) => values[key] } });
      await assert.rejects(hooks.read!("id", olds), (error: Error) => {
        assert.match(error.message, /^404 .*did not come from Cloudflare's widgets API: check that baseUrl ends in \/client\/v4/);
        return true;
      });
    });
  }

  it("read marks a secret rotated outside the stack as adopted and warns, and the next trigger change takes it", async () => {
    const warnings: string[] = [];
    const own = createHooks({ env: { CLOUDFLARE_API_TOKEN: emulator.apiToken, CLOUDFLARE_BASE_URL: emulator.baseUrl }, now: Date.now,
      warn: async (message) => void warnings.push(message), rateLimiterFor: () => undefined });
    const olds = (await own.create(news)).outs as RotationState;
    emulator.advanceClock(2 * 3600 + 60);
    const outside = rotateOutside(emulator, sitekey);
    const refreshed = (await own.read!("id", olds)).props as RotationState;
    assert.equal(refreshed.secret, outside);
    assert.ok(refreshed.adoptedAt);
    assert.match(warnings.join("\n"), /changed outside this stack's completed runs .*Run `pulumi up` to publish it/);
    assert.ok(!warnings.join("\n").includes(outside));
    const diff = await own.diff!("id", refreshed, { ...news, rotationTrigger: "2" });
    assert.equal(diff.changes, true, "no grace refusal at preview: the adopted secret is taken, not rotated");
    const before = (await requestCounts(emulator)).byRoute["widgets.rotate_secret"];
    const updated = (await own.update!("id", refreshed, { ...news, rotationTrigger: "2" })).outs as RotationState;
    assert.equal(updated.secret, outside);
    assert.equal(updated.rotationTrigger, "2");
    assert.equal(updated.adoptedAt, undefined);
    assert.equal((await requestCounts(emulator)).byRoute["widgets.rotate_secret"], before);
  });

  it("read with no prior state imports the widget's live secret with zero rotate calls and no trigger", async () => {
    const live = liveSecret(emulator, sitekey);
    const result = await hooks.read!(`${emulator.accountId}/${sitekey}`, {});
    assert.equal(result.props!.secret, live);
    assert.equal(result.props!.rotationTrigger, undefined);
    assert.equal((await requestCounts(emulator)).byRoute["widgets.rotate_secret"], undefined);
    const diff = await hooks.diff!("id", result.props, news);
    assert.equal(diff.changes, true);
    const recorded = (await hooks.update!("id", result.props, news)).outs as RotationState;
    assert.equal(recorded.rotationTrigger, "1");
    assert.equal(recorded.secret, live, "the program's first trigger is recorded, not rotated");
    assert.equal((await requestCounts(emulator)).byRoute["widgets.rotate_secret"], undefined);
    await assert.rejects(hooks.read!("not-an-import-id", {}), /import id must be <accountId>\/<sitekey>/);
  });

  it("create with rotateOnCreate: false records the live secret with zero rotate calls; the next trigger change rotates", async () => {
    const live = liveSecret(emulator, sitekey);
    const outs = (await hooks.create({ ...news, rotateOnCreate: false })).outs as RotationState;
    assert.equal(outs.secret, live);
    assert.equal((await requestCounts(emulator)).byRoute["widgets.rotate_secret"], undefined);
    assert.equal(outs.previousSecretExpiresAt, null);
    const updated = (await hooks.update!("id", outs, { ...news, rotationTrigger: "2" })).outs as RotationState;
    assert.notEqual(updated.secret, live);
    assert.equal((await requestCounts(emulator)).byRoute["widgets.rotate_secret"], 1);
  });

  it("check warns before a create rotates a live widget's secret, unless rotateOnCreate is false", async () => {
    const warnings: string[] = [];
    const own = createHooks({ env: {}, now: Date.now, warn: async (message) => void warnings.push(message), rateLimiterFor: () => undefined });
    const values: Record<string, string> = { "cloudflare:apiToken": emulator.apiToken, "cloudflare:baseUrl": emulator.baseUrl };
    await own.configure?.({ config: { get: (key) => values[key], require: (key) => values[key] } });
    await own.check!({}, news);
    assert.match(warnings.join("\n"), new RegExp(`widget ${sitekey}: creating this resource rotates the widget's live secret.*rotateOnCreate: false`));
    warnings.length = 0;
    await own.check!({}, { ...news, rotateOnCreate: false });
    await own.check!(news, { ...news, rotationTrigger: "2" });
    assert.deepEqual(warnings, [], "no warning when adopting, nor for an existing resource");
  });

  it("a retried Cloudflare call warns why the command waits, quoting neither token nor secret", async () => {
    const warnings: string[] = [];
    const own = createHooks({
      env: {}, now: Date.now, warn: async (message) => void warnings.push(message), rateLimiterFor: () => undefined,
      sleep: async () => {}, random: () => 0,
    });
    const values: Record<string, string> = { "cloudflare:apiToken": emulator.apiToken, "cloudflare:baseUrl": emulator.baseUrl };
    await own.configure?.({ config: { get: (key) => values[key], require: (key) => values[key] } });
    await inject(emulator, { route: "widgets.rotate_secret", kind: "rate_limit", retryAfterSeconds: 3 });
    await inject(emulator, { route: "widgets.get", kind: "status", status: 503 });
    const outs = (await own.create(news)).outs as RotationState;
    assert.deepEqual(warnings.filter((warning) => /retrying/.test(warning)), [
      `503 from Cloudflare on "read widget ${sitekey}", retrying in 0.5 s`,
      `429 from Cloudflare on "rotate the secret of widget ${sitekey}", retrying in 3 s`,
    ]);
    for (const warning of warnings) {
      assert.ok(!warning.includes(emulator.apiToken) && !warning.includes(outs.secret), warning);
    }
  });

  it("a token is needed only when a call would be made: a create at preview, a rotation at preview, not a no-op", async () => {
    const own = createHooks({ env: {}, now: Date.now, warn: async () => {}, rateLimiterFor: () => undefined });
    const olds = await create();
    await own.check!(news, news);
    assert.equal((await own.diff!("id", olds, news)).changes, false);
    await assert.rejects(own.check!({}, news), /no Cloudflare API token/);
    emulator.advanceClock(2 * 3600 + 1);
    await assert.rejects(own.diff!("id", olds, { ...news, rotationTrigger: "2" }), /no Cloudflare API token/);
  });

  it("check refuses an upper-case account id at preview, naming the fix", async () => {
    await assert.rejects(hooks.check!({}, { ...news, accountId: emulator.accountId.toUpperCase() }), /accountId must be lower-case/);
  });

  it("import of a widget that does not exist fails naming it", async () => {
    await assert.rejects(hooks.read!(`${emulator.accountId}/0x4AAAAAAAnothere`, {}), /cannot import .*0x4AAAAAAAnothere: no such Turnstile widget/);
  });

  it("delete calls nothing at Cloudflare", async () => {
    const olds = await create();
    const before = (await requestCounts(emulator)).byRoute;
    await hooks.delete!("id", olds);
    assert.deepEqual((await requestCounts(emulator)).byRoute, before);
  });

  it("an explicit apiToken input wins over config, is kept in state and changing it rotates nothing", async () => {
    const values: Record<string, string> = { "cloudflare:apiToken": "config-token-of-another-account", "cloudflare:baseUrl": emulator.baseUrl };
    await hooks.configure?.({ config: { get: (key) => values[key], require: (key) => values[key] } });
    const olds = (await hooks.create({ ...news, apiToken: emulator.apiToken })).outs as RotationState;
    assert.equal(olds.apiToken, emulator.apiToken);
    const changed = { ...news, apiToken: `${emulator.apiToken}-renewed` };
    assert.equal((await hooks.diff!("id", olds, changed)).changes, true);
    const { outs } = await hooks.update!("id", olds, changed);
    assert.equal(outs.apiToken, `${emulator.apiToken}-renewed`);
    assert.equal(outs.secret, olds.secret);
    assert.equal((await requestCounts(emulator)).byRoute["widgets.rotate_secret"], 1);
  });

  it("check rejects a malformed apiToken without quoting it", async () => {
    await assert.rejects(hooks.check!({}, { ...news, apiToken: "has space inside" }), (error: Error) => {
      assert.match(error.message, /apiToken must contain only printable ASCII/);
      assert.ok(!error.message.includes("has space inside"));
      return true;
    });
  });

  it("a wrong token fails create with an authentication error that never quotes the token", async () => {
    const values: Record<string, string> = { "cloudflare:apiToken": "wrong-token-value", "cloudflare:baseUrl": emulator.baseUrl };
    await hooks.configure?.({ config: { get: (key) => values[key], require: (key) => values[key] } });
    await assert.rejects(hooks.create(news), (error: Error) => {
      assert.match(error.message, /^403 /);
      assert.ok(!error.message.includes("wrong-token-value"));
      return true;
    });
  });

  describe("what a hook learns and records when it cannot see everything", () => {
    const warnings: string[] = [];
    const own = () => createHooks({ env: { CLOUDFLARE_API_TOKEN: emulator.apiToken, CLOUDFLARE_BASE_URL: emulator.baseUrl }, now: () => emulator.emulator.clock.now(),
      warn: async (message) => void warnings.push(message), rateLimiterFor: () => undefined, sleep: async () => {} });
    const calls = async () => (await requestCounts(emulator)).total;
    beforeEach(() => void (warnings.length = 0));

    it("invalidateImmediately: a no-change diff reads once, and a secret Cloudflare replaced becomes an update that records it", async () => {
      const hooks = own();
      const immediate = { ...news, invalidateImmediately: true };
      const olds = (await hooks.create(immediate)).outs;
      const before = await calls();
      assert.equal((await hooks.diff("id", olds, immediate)).changes, false);
      assert.equal(await calls(), before + 1, "one read, no more");
      const replaced = rotateOutside(emulator, sitekey, true); // an interrupted run's immediate rotation
      assert.equal((await hooks.diff("id", olds, immediate)).changes, true);
      const { outs } = await hooks.update("id", olds, immediate);
      assert.equal(outs.secret, replaced);
      assert.equal(outs.rotationTrigger, "1");
      assert.equal(outs.adoptedAt, undefined, "the next trigger change rotates afresh");
      assert.match(warnings.join("\n"), /no longer accepts the secret in state/);
    });

    it("a create whose rotate call may still commit keeps a pending record; the next up takes the late rotation instead of rotating again", async () => {
      const hooks = own();
      const immediate = { ...news, invalidateImmediately: true };
      await inject(emulator, { route: "widgets.rotate_secret", kind: "status", status: 502 });
      const failed = await hooks.create(immediate).catch((error: Error & { properties?: RotationState }) => error);
      assert.ok(failed instanceof Error);
      assert.match(failed.message, /may still reach Cloudflare/);
      const pending = failed.properties as RotationState;
      assert.equal(pending.rotationTrigger, "", "no program gives an empty trigger: the next up completes the rotation");
      const late = rotateOutside(emulator, sitekey, true); // the late commit
      const rotations = (await requestCounts(emulator)).rotations;
      assert.equal((await hooks.diff("id", pending, immediate)).changes, true);
      const { outs } = await hooks.update("id", pending, immediate);
      assert.equal(outs.secret, late);
      assert.equal((await requestCounts(emulator)).rotations, rotations, "taken, not rotated again");
    });

    it("a trigger change on a secret this stack did not make warns that Cloudflare may refuse, instead of guessing", async () => {
      const hooks = own();
      const olds = (await hooks.create({ ...news, rotateOnCreate: false })).outs;
      assert.equal(olds.graceUnknown, true);
      assert.equal(olds.previousSecretExpiresAt, null);
      const diff = await hooks.diff("id", olds, { ...news, rotationTrigger: "2" });
      assert.equal(diff.changes, true, "no refusal on a guess");
      assert.match(warnings.join("\n"), /may refuse this rotation until .*cannot know when the secret in state was made/);
    });

    it("after an import, the update that records the program's first trigger says it rotates nothing", async () => {
      const hooks = own();
      const imported = (await hooks.read(`${emulator.accountId}/${sitekey}`, {})).props as RotationState;
      const before = await calls();
      assert.equal((await hooks.diff("id", imported, news)).changes, true);
      assert.match(warnings.join("\n"), /records rotationTrigger for the first time .*no rotation/);
      assert.equal(await calls(), before, "nothing called at preview");
    });
  });
});
