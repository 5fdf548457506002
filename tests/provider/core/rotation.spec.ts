/**
 * The rotation protocol against the emulator's faults, one case per way a rotation can
 * half-happen (docs/reliability.md states the promises). Time never sleeps: the
 * client's retries use an instant sleep, and Cloudflare's clock is the emulator's frozen one.
 */
import assert from "node:assert/strict";
import { TurnstileClient } from "../../../provider/cloudflare";
import type { RotationInputs } from "../../../provider/core/inputs";
import {
  ConcurrentRotationError, MAX_ROTATE_ATTEMPTS, RotationFailedError, RotationRefusedError, rotate, type KnownSecret, type RotationEnv,
} from "../../../provider/core/rotation";
import { WidgetSnapshots } from "../../../provider/core/widget-snapshots";
import { createTestWidget, startEmulator, type RunningEmulator } from "../../helpers/emulator";
import { accepts, inject, liveSecret, previousSecret, rotateCalls, rotateOutside } from "../../helpers/control";
import { waitFor } from "../../helpers/processes";

describe("rotation protocol under faults", () => {
  let emulator: RunningEmulator;
  let client: TurnstileClient;
  let inputs: RotationInputs;
  let original: string;
  let known: KnownSecret;
  let warnings: string[];
  let env: RotationEnv;

  beforeEach(async () => {
    emulator = await startEmulator();
    const widget = await createTestWidget(emulator);
    original = widget.secret;
    inputs = { accountId: emulator.accountId, sitekey: widget.sitekey, rotationTrigger: "2", invalidateImmediately: false };
    known = { secret: original, rotationTrigger: "1" };
    warnings = [];
    client = new TurnstileClient({ apiToken: emulator.apiToken, baseUrl: emulator.baseUrl, sleep: async () => {}, timeoutMs: 2000 });
    env = { client, now: Date.now, warn: (message) => warnings.push(message), deadlineMs: 60_000, snapshots: new WidgetSnapshots(Date.now) };
  });
  afterEach(async () => {
    client.close();
    await emulator.stop();
  });

  const live = () => liveSecret(emulator, inputs.sitekey);

  it("rotates once with one read before: two calls in the default mode", async () => {
    const state = await rotate(env, inputs, known);
    assert.equal(state.secret, live());
    assert.equal(previousSecret(emulator, inputs.sitekey), original);
    assert.equal(await rotateCalls(emulator), 1);
    assert.equal(state.rotationTrigger, "2");
    assert.deepEqual(warnings, []);
  });

  for (const mode of [false, true]) {
    it(`records the real secret when the answer is lost after Cloudflare rotated (invalidateImmediately: ${mode})`, async () => {
      await inject(emulator, { route: "widgets.rotate_secret", kind: "commit_drop" });
      const state = await rotate(env, { ...inputs, invalidateImmediately: mode }, known);
      assert.equal(state.secret, live());
      assert.equal(await rotateCalls(emulator), 1, "never repeated");
      assert.equal(state.previousSecretExpiresAt === null, mode);
    });
  }

  for (const fault of [{ kind: "status", status: 502 }, { kind: "reset" }] as const) {
    it(`reads back after a ${fault.kind} that did not rotate, then tries again: one rotation`, async () => {
      await inject(emulator, { route: "widgets.rotate_secret", ...fault });
      const state = await rotate(env, inputs, known);
      assert.equal(state.secret, live());
      assert.equal(await rotateCalls(emulator), 2);
      assert.equal(previousSecret(emulator, inputs.sitekey), original, "rotated exactly once");
    });
  }

  it("gives up after repeated failures that provably changed nothing (429s), and says so", async () => {
    await inject(emulator, { route: "widgets.rotate_secret", kind: "rate_limit", times: 100 });
    await assert.rejects(rotate(env, inputs, known), (error: Error) => {
      assert.ok(error instanceof RotationFailedError);
      assert.match(error.message, /failed \(3 attempts\).*secret is unchanged: nothing was changed/);
      return true;
    });
    assert.equal(live(), original);
  });

  it("gives up after repeated 5xx answers, saying a request may still rotate and that the next pulumi up resolves it", async () => {
    await inject(emulator, { route: "widgets.rotate_secret", kind: "status", status: 503, times: 10 });
    await assert.rejects(rotate(env, inputs, known), (error: Error) => {
      assert.ok(error instanceof RotationFailedError);
      assert.match(error.message, /failed \(3 attempts\).*unchanged so far, but a rotate request of this run may still reach Cloudflare.*Run `pulumi up` again/);
      return true;
    });
    assert.equal(await rotateCalls(emulator), MAX_ROTATE_ATTEMPTS, "the default mode tries again: its grace period lets at most one of them commit");
    assert.equal(live(), original);
  });

  it("with invalidateImmediately, never tries again after an answer that does not prove the call did nothing", async () => {
    await inject(emulator, { route: "widgets.rotate_secret", kind: "status", status: 502 });
    await assert.rejects(rotate(env, { ...inputs, invalidateImmediately: true }, known), (error: Error) => {
      assert.ok(error instanceof RotationFailedError);
      assert.match(error.message, /failed \(1 attempt\).*may still reach Cloudflare.*invalidate at once.*Run `pulumi up` again in a minute/);
      return true;
    });
    assert.equal(await rotateCalls(emulator), 1, "a second call could kill the secret a late first one made");
  });

  it("takes a rotation no completed run recorded (an interrupted run's) instead of rotating twice", async () => {
    const made = rotateOutside(emulator, inputs.sitekey, true); // as a killed immediate-mode run would have
    const state = await rotate(env, { ...inputs, invalidateImmediately: true }, known);
    assert.equal(state.secret, made);
    assert.equal(await rotateCalls(emulator), 0);
    assert.match(warnings.join("\n"), /never recorded.*taken as this trigger change's rotation/);
  });

  it("takes a secret a refresh adopted, without a call to rotate_secret", async () => {
    const made = rotateOutside(emulator, inputs.sitekey);
    const state = await rotate(env, inputs, { ...known, secret: made, adoptedAt: new Date().toISOString() });
    assert.equal(state.secret, made);
    assert.equal(state.adoptedAt, undefined, "the claim clears the mark");
    assert.equal(await rotateCalls(emulator), 0);
  });

  it("explains a refusal inside the grace period and changes nothing", async () => {
    rotateOutside(emulator, inputs.sitekey);
    await assert.rejects(rotate(env, inputs, { ...known, secret: live() }), (error: Error) => {
      assert.ok(error instanceof RotationRefusedError);
      assert.match(error.message, /locks rotations until \S+Z at the latest.*Nothing was changed at Cloudflare and the state keeps the secret it had/);
      return true;
    });
  });

  it("a create inside a grace period records the current secret with a warning (an interrupted create converges)", async () => {
    const made = rotateOutside(emulator, inputs.sitekey);
    const state = await rotate(env, inputs, undefined);
    assert.equal(state.secret, made);
    assert.equal(await rotateCalls(emulator), 1, "one refused call");
    assert.match(warnings.join("\n"), /refuses to rotate it now.*That secret is recorded instead/);
  });

  it("reports a rotation made by someone else during this run, keeping Cloudflare's current secret", async () => {
    await inject(emulator, { route: "widgets.rotate_secret", kind: "latency", latencyMs: 300 });
    const running = rotate(env, inputs, known);
    await waitFor(async () => (await rotateCalls(emulator)) === 1, "the rotate call", 5000, 5);
    const theirs = rotateOutside(emulator, inputs.sitekey); // lands first: ours is refused by the grace period
    await assert.rejects(running, (error: Error) => {
      assert.ok(error instanceof ConcurrentRotationError);
      assert.equal(error.state.secret, theirs);
      assert.equal(error.state.rotationTrigger, "1", "the trigger stays, so the next run takes this secret without rotating");
      assert.ok(error.state.adoptedAt);
      assert.ok(!error.message.includes(theirs));
      return true;
    });
  });

  it("with invalidateImmediately, detects a rotation right after ours that killed our secret", async () => {
    await inject(emulator, { route: "widgets.get", kind: "latency", latencyMs: 1 });
    await inject(emulator, { route: "widgets.get", kind: "latency", latencyMs: 400 });
    const running = rotate(env, { ...inputs, invalidateImmediately: true }, known);
    await waitFor(async () => (await rotateCalls(emulator)) === 1, "the rotate call", 5000, 5);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const theirs = rotateOutside(emulator, inputs.sitekey, true);
    await assert.rejects(running, (error: Error) => error instanceof ConcurrentRotationError && error.state.secret === theirs);
    assert.ok(accepts(emulator, inputs.sitekey, theirs));
  });
});

