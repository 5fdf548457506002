/**
 * The provider plugin's whole lifecycle in-process over gRPC, in the order the engine drives it
 * (tests/helpers/plugin-grpc.ts): Configure with a secret token, Check, Create, Read as a refresh
 * and as an import, Diff, Update, Delete, against the emulator. What a user relies on: one rotation
 * per create and per trigger change, none for a refresh, an import or a delete; the secret always
 * leaves the plugin wrapped as a secret; the token comes only from Configure and never comes back.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { createHooks } from "../../../provider/hooks";
import { ManualClock } from "../../../emulator";
import { liveSecret, rotateCalls } from "../../helpers/control";
import { createTestWidget, startEmulator, type RunningEmulator } from "../../helpers/emulator";
import { rotationUrn, secret, startPlugin, unwrapSecrets, type InProcessPlugin, type WireProperties } from "../../helpers/plugin-grpc";

const VERSION = (JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "..", "package.json"), "utf8")) as { version: string }).version;
const URN = rotationUrn("login-form");

describe("plugin lifecycle over gRPC, as the engine drives it", function () {
  this.timeout(30_000);
  let emulator: RunningEmulator;
  let plugin: InProcessPlugin;
  let sitekey: string;
  let id: string;
  let state: WireProperties;
  const answers: unknown[] = [];
  const inputs = (trigger: string): WireProperties => ({ accountId: emulator.accountId, sitekey, rotationTrigger: trigger });
  const record = <T>(answer: T): T => (answers.push(answer), answer);

  before(async () => {
    const clock = new ManualClock(Math.floor(Date.now() / 1000) * 1000);
    emulator = await startEmulator({ clock });
    sitekey = (await createTestWidget(emulator)).sitekey;
    // No token or URL in the environment: whatever the plugin knows, Configure told it.
    plugin = await startPlugin(createHooks({ env: {}, now: () => clock.now(), warn: async () => {}, rateLimiterFor: () => undefined }));
  });
  after(async () => {
    plugin?.close();
    await emulator?.stop();
  });

  it("reports the package's version and serves its schema", async () => {
    assert.equal(await plugin.getPluginInfo(), VERSION);
    assert.equal((JSON.parse(await plugin.getSchema()) as { name: string }).name, "turnstile-rotation");
  });

  it("before Configure, a create fails asking for a token and calls nothing", async () => {
    await assert.rejects(plugin.create(URN, inputs("1")), /no Cloudflare API token: set it with `pulumi config set --secret turnstile-rotation:apiToken <token>`/);
    assert.equal(await rotateCalls(emulator), 0);
  });

  it("Check types a numeric trigger as text and names every invalid field", async () => {
    await plugin.configure({ apiToken: emulator.apiToken, baseUrl: emulator.baseUrl });
    const checked = record(await plugin.check(URN, {}, { ...inputs("1"), rotationTrigger: 1 }));
    assert.deepEqual(checked.failures, []);
    assert.equal(checked.inputs.rotationTrigger, "1");
    await assert.rejects(plugin.check(URN, {}, { accountId: "nope", sitekey: "", rotationTrigger: "1" }), (error: Error) =>
      /nothing was changed/.test(error.message) && /- accountId must be 32 hexadecimal/.test(error.message) && /- sitekey is required/.test(error.message));
  });

  it("Create rotates once and returns Cloudflare's new secret, wrapped as a secret", async () => {
    const created = record(await plugin.create(URN, inputs("1")));
    id = created.id;
    state = created.properties;
    assert.equal(id, `${emulator.accountId}/${sitekey}`);
    assert.equal(await rotateCalls(emulator), 1);
    const { plain, secretKeys } = unwrapSecrets(state);
    assert.deepEqual(secretKeys, ["secret"]);
    assert.equal(plain.secret, liveSecret(emulator, sitekey));
  });

  it("Read as a refresh returns the same state and rotates nothing", async () => {
    const read = record(await plugin.read(id, URN, state));
    assert.equal(read.id, id);
    assert.deepEqual(unwrapSecrets(read.properties), unwrapSecrets(state));
    assert.equal(read.inputs, undefined);
    assert.equal(await rotateCalls(emulator), 1);
  });

  it("Read as an import adopts the live secret, with inputs the engine can check", async () => {
    const imported = record(await plugin.read(id, URN, {}));
    assert.equal(imported.id, id);
    assert.equal(unwrapSecrets(imported.properties).plain.secret, liveSecret(emulator, sitekey));
    assert.deepEqual(unwrapSecrets(imported.properties).secretKeys, ["secret"]);
    assert.deepEqual(imported.inputs, { accountId: emulator.accountId, sitekey, invalidateImmediately: false, rotationTrigger: "imported" });
    assert.deepEqual((await plugin.check(URN, {}, imported.inputs!)).failures, []);
    await assert.rejects(plugin.read(`${emulator.accountId}/0x4AAAAAAAnowidget`, URN, {}), /cannot import .*: no such Turnstile widget/);
    assert.equal(await rotateCalls(emulator), 1);
  });

  it("Diff: nothing for the same trigger; a new one inside the grace period fails, naming when it can rotate", async () => {
    assert.equal(record(await plugin.diff(id, URN, state, inputs("1"))).changes, "none");
    await assert.rejects(plugin.diff(id, URN, state, inputs("2")), /Cloudflare refuses to rotate the secret of widget \S+ until \d{4}-.*Nothing was changed/s);
  });

  it("Diff past the grace period: an update for a new trigger, a replacement for another widget", async () => {
    emulator.advanceClock(2 * 3600 + 1);
    assert.deepEqual(record(await plugin.diff(id, URN, state, inputs("2"))), { changes: "some", replaces: [], deleteBeforeReplace: false });
    assert.deepEqual((await plugin.diff(id, URN, state, { ...inputs("1"), sitekey: "0x4AAAAAAAother" })).replaces, ["sitekey"]);
  });

  it("Update with a new trigger, past the grace period, rotates once more", async () => {
    const before = liveSecret(emulator, sitekey);
    const updated = record(await plugin.update(id, URN, state, inputs("2")));
    state = updated.properties;
    const { plain, secretKeys } = unwrapSecrets(state);
    assert.deepEqual(secretKeys, ["secret"]);
    assert.equal(plain.secret, liveSecret(emulator, sitekey));
    assert.notEqual(plain.secret, before);
    assert.equal(plain.rotationTrigger, "2");
    assert.equal(await rotateCalls(emulator), 2);
  });

  it("a per-resource token given as a secret input comes back only as a secret", async () => {
    const checked = record(await plugin.check(URN, state, { ...inputs("2"), apiToken: secret(emulator.apiToken) }));
    assert.deepEqual(unwrapSecrets(checked.inputs).secretKeys, ["apiToken"]);
  });

  it("Delete leaves the widget and its secret at Cloudflare", async () => {
    const live = liveSecret(emulator, sitekey);
    await plugin.delete(id, URN, state);
    assert.equal(liveSecret(emulator, sitekey), live);
    assert.equal(await rotateCalls(emulator), 2);
  });

  it("no answer held the token or a secret outside a secret wrapper", () => {
    const text = JSON.stringify(answers, (_key, value: unknown) => (unwrapSecrets({ value }).secretKeys.length ? "[secret]" : value));
    assert.ok(answers.length >= 8, "the answers were recorded");
    assert.equal(text.includes(emulator.apiToken), false, "an answer holds the token in plain text");
    assert.equal(text.includes(liveSecret(emulator, sitekey)), false, "an answer holds the secret in plain text");
  });
});
