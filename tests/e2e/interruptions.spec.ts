/**
 * Interrupted and concurrent runs through the real engine: a `pulumi up` killed with SIGKILL in
 * the middle of a rotation converges at the next run, and two stacks rotating one widget at once
 * end with one winner, a clear error for the other, and no wrong secret anywhere.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { dynamicProvidersUnder, killAll, waitFor } from "../helpers/processes";
import { inject, liveSecret, requestCounts, assertSameSecret } from "../helpers/control";
import { E2E_TIMEOUT_MS, PRODUCER, assertNothingLeaked, createWorld, stateSecret, type E2eWorld, createDeployedWorld } from "./harness";

describe("e2e: pulumi up killed (SIGKILL) in the middle of a rotation", function () {
  this.timeout(E2E_TIMEOUT_MS);
  let world: E2eWorld;
  const seen: string[] = [];
  before(async () => {
    world = await createDeployedWorld();
  });
  after(async () => {
    // The killed run's dynamic provider outlives it (plugins get their own process group).
    if (world) killAll(dynamicProvidersUnder(world.workDir));
    await world?.dispose();
  });

  it("the next pulumi up records the secret the killed run made, without rotating again", async () => {
    world.emulator.advanceClock(2 * 3600 + 1);
    const before = liveSecret(world.emulator, world.sitekey);
    seen.push(before);
    await world.cli.run(["config", "set", "--stack", PRODUCER, "rotationTrigger", "2"], world.producer);
    // Cloudflare takes 3 s to answer: the CLI is killed after the call reached it, before the answer.
    await inject(world.emulator, { route: "widgets.rotate_secret", kind: "latency", latencyMs: 3000 });
    const calls = (await requestCounts(world.emulator)).byRoute["widgets.rotate_secret"] ?? 0;
    const up = world.cli.spawn(["up", "--yes", "--stack", PRODUCER], world.producer);
    await waitFor(async () => ((await requestCounts(world.emulator)).byRoute["widgets.rotate_secret"] ?? 0) > calls, "the rotate call");
    process.kill(-(up.pid as number), "SIGKILL"); // the CLI and its plugins
    await once(up, "exit");
    await waitFor(async () => liveSecret(world.emulator, world.sitekey) !== before, "Cloudflare to commit the rotation");
    const made = liveSecret(world.emulator, world.sitekey);
    seen.push(made);
    assert.equal((await world.cli.outputs(world.producer, PRODUCER, true)).turnstileSecret, before, "the killed run saved nothing");

    world.emulator.advanceClock(60); // the next run starts later
    // A killed CLI leaves the backend's lock behind; `pulumi cancel` removes it (docs/reliability.md).
    const locked = await world.cli.run(["up", "--yes", "--stack", PRODUCER], world.producer, { allowFailure: true });
    assert.match(locked.stdout + locked.stderr, /currently locked/);
    await world.cli.run(["cancel", "--yes", "--stack", PRODUCER], world.producer);
    const result = await world.cli.run(["up", "--yes", "--stack", PRODUCER], world.producer, { allowFailure: true });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.equal((await world.cli.outputs(world.producer, PRODUCER, true)).turnstileSecret, made);
    assert.equal(liveSecret(world.emulator, world.sitekey), made, "no second rotation");
    assert.equal(world.emulator.emulator.store.findBySitekey(world.sitekey)?.previousSecret, before);
    const { stdout } = await world.cli.run(["preview", "--stack", PRODUCER], world.producer);
    assert.doesNotMatch(stdout, /to update|to replace|to create/);
  });

  it("nothing the CLI printed holds a secret or the token", () => assertNothingLeaked(world, seen));
});

describe("e2e: two stacks rotating the same widget at once", function () {
  this.timeout(E2E_TIMEOUT_MS);
  const A = "organization/producer/a";
  const B = "organization/producer/b";
  let world: E2eWorld;

  before(async () => {
    world = await createWorld();
    const config = { accountId: world.emulator.accountId, sitekey: world.sitekey, rotationTrigger: "1" };
    await world.cli.initStack(world.producer, A, config);
    // B takes A's secret as its own (no rotation), so both hold it as the answer to trigger 1 and
    // the race below is one of two real rotations.
    await world.cli.initStack(world.producer, B, { ...config, rotateOnCreate: "false" });
    await world.cli.run(["up", "--yes", "--stack", A], world.producer);
    await world.cli.run(["up", "--yes", "--stack", B], world.producer);
    world.emulator.advanceClock(2 * 3600 + 1);
  });
  after(async () => world?.dispose());

  it("one rotation; the other stack takes it or fails loudly keeping Cloudflare's current secret; nobody rotates again", async () => {
    const before = liveSecret(world.emulator, world.sitekey);
    for (const stack of [A, B]) await world.cli.run(["config", "set", "--stack", stack, "rotationTrigger", "2"], world.producer);
    const committed = async () => (await requestCounts(world.emulator) as unknown as { rotations: number }).rotations;
    const rotations = await committed();
    const [a, b] = await Promise.all([A, B].map((stack) => world.cli.run(["up", "--yes", "--stack", stack], world.producer, { allowFailure: true })));
    const live = liveSecret(world.emulator, world.sitekey);
    assert.notEqual(live, before);
    assert.equal(await committed(), rotations + 1, "one rotation");
    // Which one the engine's timing gives: the slower stack either reads the winner's secret first
    // and takes it with a warning (limit E2), or meets Cloudflare's refusal and fails loudly.
    const failed = [a, b].filter((r) => r.code !== 0);
    assert.ok(failed.length <= 1, "at most one stack fails");
    if (failed.length === 1) {
      assert.match(failed[0].stdout, /rotated by someone else \(another stack or a person\) while this run rotated it .*a widget must be rotated by one stack only/);
    } else {
      assert.match(a.stdout + b.stdout, /taken as this trigger change's rotation/);
    }
    const held = await Promise.all([A, B].map((stack) => stateSecret(world, stack)));
    assert.deepEqual(held, [live, live], "both stacks' states hold Cloudflare's current secret: nobody holds a dead one");
    for (const stack of [A, B]) {
      await world.cli.run(["up", "--yes", "--stack", stack], world.producer);
      assert.equal((await world.cli.outputs(world.producer, stack, true)).turnstileSecret, live);
    }
    assert.equal(await committed(), rotations + 1, "the next ups rotate nothing");
  });

  it("nothing the CLI printed holds a secret or the token", () => assertNothingLeaked(world));
});

describe("e2e: a create that meets another actor's rotation", function () {
  this.timeout(E2E_TIMEOUT_MS);
  let world: E2eWorld;
  const seen: string[] = [];
  const rotations = async () => (await requestCounts(world.emulator)).rotations;

  before(async () => {
    world = await createWorld();
  });
  after(async () => world?.dispose());

  it("fails saying so and keeps Cloudflare's secret; the next up converges without rotating; the next trigger change rotates once", async () => {
    // Someone else rotates just before the create's rotate call, which Cloudflare then refuses.
    await inject(world.emulator, { route: "widgets.rotate_secret", kind: "rival" });
    const create = await world.cli.run(["up", "--yes", "--stack", PRODUCER], world.producer, { allowFailure: true });
    assert.notEqual(create.code, 0);
    assert.match(create.stdout, /rotated by someone else \(another stack or a person\)/);
    const theirs = liveSecret(world.emulator, world.sitekey);
    seen.push(theirs);
    assertSameSecret(await stateSecret(world, PRODUCER), theirs, "the partial state holds Cloudflare's current secret");
    const { stdout: exported } = await world.cli.run(["stack", "export", "--stack", PRODUCER], world.producer);
    assert.ok(!exported.includes(theirs), "the partial state is stored encrypted");

    const before = await rotations();
    await world.cli.run(["up", "--yes", "--stack", PRODUCER], world.producer);
    assert.equal(await rotations(), before, "the next up rotates nothing");
    assertSameSecret((await world.cli.outputs(world.producer, PRODUCER, true)).turnstileSecret, theirs, "the output publishes it");

    world.emulator.advanceClock(2 * 3600 + 1); // past the other actor's grace period
    await world.cli.run(["config", "set", "--stack", PRODUCER, "rotationTrigger", "2"], world.producer);
    await world.cli.run(["up", "--yes", "--stack", PRODUCER], world.producer);
    const fresh = liveSecret(world.emulator, world.sitekey);
    seen.push(fresh);
    assert.equal(await rotations(), before + 1, "a trigger change after that rotates, once");
    assert.ok(fresh !== theirs, "a fresh secret");
    assertSameSecret((await world.cli.outputs(world.producer, PRODUCER, true)).turnstileSecret, fresh, "the output publishes it");
  });

  it("nothing the CLI printed holds a secret or the token", () => assertNothingLeaked(world, seen));
});
