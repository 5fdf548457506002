/**
 * A Pulumi YAML program (examples/producer-yaml, run by upstream's YAML language host) declares
 * TurnstileSecretRotation through the provider plugin: it rotates on create and on a trigger
 * change only, exports the secret as `[secret]`, a TypeScript stack reads it through a
 * StackReference, faults behave as with the dynamic provider, the plugin reads its own config
 * namespace, and nothing secret is ever printed or stored in plain text.
 */
import assert from "node:assert/strict";
import { inject, liveSecret, requestCounts, assertSameSecret } from "../helpers/control";
import { CONSUMER, E2E_TIMEOUT_MS, assertNothingLeaked, stateSecret as resourceSecret, upRotatesOnceInPlace } from "./harness";
import { createPluginWorld, type PluginWorld } from "./plugin-harness";

describe("e2e: a YAML program rotates through the provider plugin", function () {
  this.timeout(E2E_TIMEOUT_MS);
  let world: PluginWorld;
  let trigger = 1;
  const seen: string[] = [];

  const up = (opts: { env?: Record<string, string>; allowFailure?: boolean; timeoutMs?: number } = {}) =>
    world.cli.run(["up", "--yes", "--stack", world.producerStack], world.producer, opts);
  const rotateCalls = async () => (await requestCounts(world.emulator)).byRoute["widgets.rotate_secret"] ?? 0;
  const stateSecret = async () => String((await world.cli.outputs(world.producer, world.producerStack, true)).turnstileSecret);
  /** Past the grace period, with the next trigger in the stack config. */
  const openNextRotation = async () => {
    world.emulator.advanceClock(2 * 3600 + 1);
    trigger += 1;
    await world.cli.run(["config", "set", "--stack", world.producerStack, "rotationTrigger", String(trigger)], world.producer);
    seen.push(liveSecret(world.emulator, world.sitekey));
  };

  before(async () => {
    world = await createPluginWorld("producer-yaml", "producer-yaml");
  });
  after(async () => world?.dispose());

  it("create rotates once; the output is [secret] and the state holds it encrypted", async () => {
    const result = await up();
    assert.match(result.stdout, /turnstile-rotation:index:TurnstileSecretRotation +login-form +created/);
    assert.equal(await rotateCalls(), 1);
    const secret = liveSecret(world.emulator, world.sitekey);
    seen.push(secret);
    assert.equal(await stateSecret(), secret);
    assert.equal((await world.cli.outputs(world.producer, world.producerStack)).turnstileSecret, "[secret]");
    const { stdout } = await world.cli.run(["stack", "export", "--stack", world.producerStack], world.producer);
    assert.match(stdout, /"secret": \{\s*"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",\s*"ciphertext"/);
  });

  it("preview and up with an unchanged trigger make no API call", async () => {
    const before = await requestCounts(world.emulator);
    await world.cli.run(["preview", "--stack", world.producerStack], world.producer);
    await up();
    assert.deepEqual(await requestCounts(world.emulator), before);
  });

  it("a trigger change rotates once in place, and the TypeScript consumer reads the new secret", async () => {
    await openNextRotation();
    const secret = await upRotatesOnceInPlace(world, world.producerStack);
    seen.push(secret);
    await world.cli.run(["up", "--yes", "--stack", CONSUMER], world.consumer);
    assert.equal((await world.cli.outputs(world.consumer, CONSUMER, true)).turnstileSecret, secret);
    assert.equal((await world.cli.outputs(world.consumer, CONSUMER)).turnstileSecret, "[secret]");
  });

  // The dynamic provider's fault table (docs/reliability.md), a representative subset: one fault
  // where Cloudflare did rotate, one where it did not.
  const faults = [
    ["answer lost after Cloudflare rotated: the real secret is recorded, no second rotation", { kind: "commit_drop" }, 1],
    ["a 502 without a rotation: read back, tried once more, rotated once", { kind: "status", status: 502 }, 2],
  ] as const;
  for (const [name, fault, rotateCallsMade] of faults) {
    it(name, async () => {
      await openNextRotation();
      const before = liveSecret(world.emulator, world.sitekey);
      await inject(world.emulator, { route: "widgets.rotate_secret", ...fault });
      const calls = await rotateCalls();
      await up();
      assert.equal(await rotateCalls(), calls + rotateCallsMade);
      const live = liveSecret(world.emulator, world.sitekey);
      seen.push(live);
      assert.equal(await stateSecret(), live, "the state holds Cloudflare's real secret");
      assert.equal(world.emulator.emulator.store.findBySitekey(world.sitekey)?.previousSecret, before, "rotated exactly once");
    });
  }

  it("the plugin takes its token from turnstile-rotation:apiToken; cloudflare:apiToken does not reach it", async () => {
    await openNextRotation();
    const noEnvToken = { env: { CLOUDFLARE_API_TOKEN: "" } };
    await world.cli.setSecret(world.producer, world.producerStack, "cloudflare:apiToken", world.emulator.apiToken);
    const refused = await up({ ...noEnvToken, allowFailure: true });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stdout + refused.stderr, /no Cloudflare API token: set it with `pulumi config set --secret turnstile-rotation:apiToken <token>`/);
    await world.cli.setSecret(world.producer, world.producerStack, "turnstile-rotation:apiToken", world.emulator.apiToken);
    const calls = await rotateCalls();
    const result = await up(noEnvToken);
    assert.doesNotMatch(result.stdout, /replace/, "a new provider token must not replace (and so rotate) anything");
    assert.equal(await rotateCalls(), calls + 1);
    seen.push(liveSecret(world.emulator, world.sitekey));
  });

  it("a rotation meeting another actor's rotation fails within a minute saying so, and keeps Cloudflare's secret encrypted", async () => {
    await openNextRotation();
    // Someone else rotates just before our rotate call: Cloudflare refuses ours (grace period).
    await inject(world.emulator, { route: "widgets.rotate_secret", kind: "rival" });
    const result = await up({ allowFailure: true, timeoutMs: 90_000 });
    assert.notEqual(result.code, 0);
    assert.match(result.stdout + result.stderr, /rotated by someone else \(another stack or a person\)/);
    const live = liveSecret(world.emulator, world.sitekey);
    seen.push(live);
    assertSameSecret(await resourceSecret(world, world.producerStack), live, "the partial state holds Cloudflare's current secret");
    const { stdout } = await world.cli.run(["stack", "export", "--stack", world.producerStack], world.producer);
    assert.ok(!stdout.includes(live), "the secret is stored encrypted");
    assert.match(stdout, /"secret": \{\s*"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",\s*"ciphertext"/);
    const calls = await rotateCalls();
    await up();
    assert.equal(await rotateCalls(), calls, "the next pulumi up takes that secret without rotating again");
  });

  it("nothing the CLI printed holds a secret or the token", () => {
    assertNothingLeaked(world, seen);
  });
});
