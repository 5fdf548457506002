/**
 * The producer/consumer story end to end, through the real Pulumi engine against the emulator: create
 * rotates once, nothing else rotates, a trigger change rotates in place, the consumer follows,
 * the state holds no plain secret or token, and destroy leaves Cloudflare alone.
 */
import assert from "node:assert/strict";
import { editOutside, liveSecret, requestCounts, rotateOutside } from "../helpers/control";
import { CONSUMER, PRODUCER, E2E_TIMEOUT_MS, createWorld, upRotatesOnceInPlace, type E2eWorld } from "./harness";

describe("e2e: rotate with pulumi up, consume from another stack", function () {
  this.timeout(E2E_TIMEOUT_MS);
  let world: E2eWorld;
  let firstSecret: string;

  before(async () => {
    world = await createWorld();
  });
  after(async () => world?.dispose());

  it("create rotates exactly once and exports Cloudflare's new secret as a secret", async () => {
    const before = liveSecret(world.emulator, world.sitekey);
    await world.cli.run(["up", "--yes", "--stack", PRODUCER], world.producer);
    const counts = await requestCounts(world.emulator);
    assert.equal(counts.byRoute["widgets.rotate_secret"], 1);
    firstSecret = liveSecret(world.emulator, world.sitekey);
    assert.notEqual(firstSecret, before);
    const shown = await world.cli.outputs(world.producer, PRODUCER, true);
    assert.equal(shown.turnstileSecret, firstSecret);
    const masked = await world.cli.outputs(world.producer, PRODUCER, false);
    assert.equal(masked.turnstileSecret, "[secret]");
  });

  it("pulumi up and preview with an unchanged trigger make no API call", async () => {
    const before = await requestCounts(world.emulator);
    await world.cli.run(["preview", "--stack", PRODUCER], world.producer);
    await world.cli.run(["up", "--yes", "--stack", PRODUCER], world.producer);
    const after = await requestCounts(world.emulator);
    assert.deepEqual(after, before);
  });

  it("the consumer stack reads the secret through a StackReference and keeps it secret", async () => {
    await world.cli.run(["up", "--yes", "--stack", CONSUMER], world.consumer);
    const shown = await world.cli.outputs(world.consumer, CONSUMER, true);
    assert.equal(shown.turnstileSecret, firstSecret);
    const masked = await world.cli.outputs(world.consumer, CONSUMER, false);
    assert.equal(masked.turnstileSecret, "[secret]");
    assert.equal(masked.secretFingerprint, "[secret]");
  });

  it("a trigger change inside the grace period fails at preview, with the time it becomes possible, and changes nothing", async () => {
    await world.cli.run(["config", "set", "--stack", PRODUCER, "rotationTrigger", "2"], world.producer);
    const rotationsBefore = (await requestCounts(world.emulator)).byRoute["widgets.rotate_secret"];
    const preview = await world.cli.run(["preview", "--stack", PRODUCER], world.producer, { allowFailure: true });
    assert.notEqual(preview.code, 0);
    const expires = String((await world.cli.outputs(world.producer, PRODUCER)).previousSecretExpiresAt);
    assert.match(preview.stdout + preview.stderr, new RegExp(`refuses to rotate the secret of widget ${world.sitekey} until ${expires.replace(/[.]/g, "[.]")}`));
    const up = await world.cli.run(["up", "--yes", "--stack", PRODUCER], world.producer, { allowFailure: true });
    assert.notEqual(up.code, 0);
    assert.match(up.stdout + up.stderr, /grace period/);
    assert.equal((await requestCounts(world.emulator)).byRoute["widgets.rotate_secret"], rotationsBefore);
    assert.equal(liveSecret(world.emulator, world.sitekey), firstSecret);
    assert.equal((await world.cli.outputs(world.producer, PRODUCER, true)).turnstileSecret, firstSecret);
  });

  it("a changed trigger rotates exactly once, in place, and the consumer then reads the new secret", async () => {
    world.emulator.advanceClock(2 * 3600 + 60);
    const secondSecret = await upRotatesOnceInPlace(world, PRODUCER);
    assert.notEqual(secondSecret, firstSecret);
    assert.equal((await world.cli.outputs(world.producer, PRODUCER, true)).turnstileSecret, secondSecret);

    await world.cli.run(["up", "--yes", "--stack", CONSUMER], world.consumer);
    assert.equal((await world.cli.outputs(world.consumer, CONSUMER, true)).turnstileSecret, secondSecret);
  });

  it("pulumi stack export holds neither the secret nor the token in plain text", async () => {
    const secret = liveSecret(world.emulator, world.sitekey);
    for (const [cwd, stack] of [[world.producer, PRODUCER], [world.consumer, CONSUMER]] as const) {
      const { stdout } = await world.cli.run(["stack", "export", "--stack", stack], cwd);
      assert.ok(stdout.includes("ciphertext"), `${stack}'s state should hold the secret encrypted`);
      assert.ok(!stdout.includes(secret), `${stack}'s state holds the secret in plain text`);
      assert.ok(!stdout.includes(firstSecret), `${stack}'s state holds the previous secret in plain text`);
      assert.ok(!stdout.includes(world.emulator.apiToken), `${stack}'s state holds the API token`);
    }
  });

  it("pulumi destroy succeeds without calling Cloudflare and leaves the secret in place", async () => {
    const secret = liveSecret(world.emulator, world.sitekey);
    const before = await requestCounts(world.emulator);
    await world.cli.run(["destroy", "--yes", "--stack", CONSUMER], world.consumer);
    await world.cli.run(["destroy", "--yes", "--stack", PRODUCER], world.producer);
    const after = await requestCounts(world.emulator);
    assert.deepEqual(after.byRoute, before.byRoute);
    assert.equal(liveSecret(world.emulator, world.sitekey), secret);
  });
});

describe("e2e: the grace period of a rotation this stack did not make", function () {
  this.timeout(E2E_TIMEOUT_MS);
  let world: E2eWorld;
  before(async () => {
    world = await createWorld();
  });
  after(async () => world?.dispose());

  it("a settings edit after it never makes preview refuse a rotation Cloudflare accepts", async () => {
    rotateOutside(world.emulator, world.sitekey); // someone else rotates at t0: rotations locked until t0 + 2 h
    world.emulator.advanceClock(3600);
    editOutside(world.emulator, world.sitekey); // a settings change at t0 + 1 h moves modified_on
    world.emulator.advanceClock(1800);
    // The create meets Cloudflare's refusal (t0 + 1.5 h) and records the current secret instead.
    await world.cli.run(["up", "--yes", "--stack", PRODUCER], world.producer);
    world.emulator.advanceClock(3600); // t0 + 2.5 h: Cloudflare accepts a rotation again
    await world.cli.run(["config", "set", "--stack", PRODUCER, "rotationTrigger", "2"], world.producer);
    const preview = await world.cli.run(["preview", "--stack", PRODUCER], world.producer, { allowFailure: true });
    assert.equal(preview.code, 0, `preview refused a rotation Cloudflare accepts:\n${preview.stdout}`);
    await upRotatesOnceInPlace(world, PRODUCER);
  });
});
