/**
 * rotateSafely against the emulator's fault injection: a lost answer, a 5xx, a reset or a
 * refusal never leaves the state with a secret Cloudflare does not have, and never rotates twice.
 */
import assert from "node:assert/strict";
import { TurnstileClient } from "../../provider/client";
import type { RotationInputs } from "../../provider/inputs";
import { MAX_ROTATE_ATTEMPTS, RotationRefusedError, rotateSafely } from "../../provider/rotation";
import { createTestWidget, startEmulator, type RunningEmulator } from "../helpers/emulator";

describe("rotateSafely under faults", () => {
  let emulator: RunningEmulator;
  let client: TurnstileClient;
  let inputs: RotationInputs;
  let original: string;
  let session: { startedAtMs: number };

  const inject = (fault: Record<string, unknown>) =>
    fetch(`${emulator.origin}/emulator/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(fault) });
  const record = () => emulator.emulator.store.findBySitekey(inputs.sitekey);
  const rotateCalls = async () =>
    ((await (await fetch(`${emulator.origin}/emulator/requests`)).json()) as { byRoute: Record<string, number> }).byRoute["widgets.rotate_secret"] ?? 0;

  beforeEach(async () => {
    emulator = await startEmulator();
    const widget = await createTestWidget(emulator);
    original = widget.secret;
    inputs = { accountId: emulator.accountId, sitekey: widget.sitekey, rotationTrigger: "1", invalidateImmediately: false };
    session = { startedAtMs: Date.now() };
    client = new TurnstileClient({ apiToken: emulator.apiToken, baseUrl: emulator.baseUrl, sleep: async () => {} });
  });
  afterEach(async () => {
    client.close();
    await emulator.stop();
  });

  it("records the real secret when an update's answer is lost after the commit", async () => {
    await inject({ route: "widgets.rotate_secret", kind: "commit_drop" });
    const state = await rotateSafely(client, inputs, { secret: original }, session);
    assert.equal(state.secret, record()?.secret);
    assert.notEqual(state.secret, original);
    assert.equal(record()?.previousSecret, original, "rotated exactly once");
    assert.equal(await rotateCalls(), 1);
  });

  it("records the real secret when a create's answer is lost (the grace period refuses the repeat)", async () => {
    await inject({ route: "widgets.rotate_secret", kind: "commit_drop" });
    const state = await rotateSafely(client, inputs, {}, session);
    assert.equal(state.secret, record()?.secret);
    assert.equal(record()?.previousSecret, original, "rotated exactly once");
  });

  it("with invalidateImmediately learns the secret first, so a lost answer is not repeated", async () => {
    await inject({ route: "widgets.rotate_secret", kind: "commit_drop" });
    const state = await rotateSafely(client, { ...inputs, invalidateImmediately: true }, {}, session);
    assert.equal(state.secret, record()?.secret);
    assert.notEqual(state.secret, original);
    assert.equal(await rotateCalls(), 1);
    assert.equal(state.previousSecretExpiresAt, null);
  });

  for (const fault of [{ kind: "status", status: 502 }, { kind: "reset" }]) {
    it(`tries again after a ${fault.kind} that did not rotate, and rotates once`, async () => {
      await inject({ route: "widgets.rotate_secret", ...fault });
      const state = await rotateSafely(client, inputs, { secret: original }, session);
      assert.equal(state.secret, record()?.secret);
      assert.equal(record()?.previousSecret, original);
      assert.equal(await rotateCalls(), 2);
    });
  }

  it("gives up after repeated ambiguous failures, with Cloudflare's secret unchanged", async () => {
    await inject({ route: "widgets.rotate_secret", kind: "status", status: 503, times: MAX_ROTATE_ATTEMPTS });
    await assert.rejects(rotateSafely(client, inputs, { secret: original }, session), /failed 3 times, last with: 503 .*secret is unchanged: nothing was changed/);
    assert.equal(record()?.secret, original);
    assert.equal(await rotateCalls(), MAX_ROTATE_ATTEMPTS);
  });

  it("adopts a rotation an interrupted earlier run already made instead of failing on the refusal", async () => {
    await client.rotateSecret(inputs.accountId, inputs.sitekey); // the run that was killed before saving state
    emulator.advanceClock(60); // this run starts a minute later
    session = { startedAtMs: Date.now() };
    const state = await rotateSafely(client, inputs, { secret: original }, session);
    assert.equal(state.secret, record()?.secret);
    assert.notEqual(state.secret, original);
  });

  it("refuses, and adopts nothing, when another stack rotates the widget during this run", async () => {
    const theirs = await client.rotateSecret(inputs.accountId, inputs.sitekey); // a concurrent stack wins
    await assert.rejects(rotateSafely(client, inputs, { secret: original }, session), (error: Error) => {
      assert.ok(error instanceof RotationRefusedError);
      assert.match(error.message, /rotated at .* by someone else/);
      assert.match(error.message, /pulumi refresh/);
      return true;
    });
    assert.equal(record()?.secret, theirs.secret);
  });

  it("explains a refusal inside the grace period and changes nothing", async () => {
    const first = await rotateSafely(client, inputs, { secret: original }, session);
    await assert.rejects(rotateSafely(client, inputs, first, session), (error: Error) => {
      assert.ok(error instanceof RotationRefusedError);
      assert.match(error.message, /refused to rotate the secret of widget/);
      assert.match(error.message, /next is possible after \d{4}-\d\d-\d\dT/);
      assert.match(error.message, /Nothing was changed/);
      assert.ok(!error.message.includes(first.secret) && !error.message.includes(emulator.apiToken));
      return true;
    });
    assert.equal(record()?.secret, first.secret);
  });
});
