/**
 * Interrupted and concurrent runs through the real engine: a `pulumi up` killed with SIGKILL in
 * the middle of a rotation converges at the next run, and two stacks rotating one widget at once
 * end with one winner, a clear error for the other, and no wrong secret anywhere.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { dynamicProvidersUnder } from "../../scripts/lib/bench-proc";
import { E2E_TIMEOUT_MS, PRODUCER, assertNothingLeaked, createWorld, liveSecret, requestCounts, type E2eWorld } from "./harness";

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("e2e: pulumi up killed (SIGKILL) in the middle of a rotation", function () {
  this.timeout(E2E_TIMEOUT_MS);
  let world: E2eWorld;
  const seen: string[] = [];
  before(async () => {
    world = await createWorld();
    await world.cli.run(["up", "--yes", "--stack", PRODUCER], world.producer);
  });
  after(async () => {
    // The killed run's dynamic provider outlives it (plugins get their own process group).
    if (world) for (const pid of dynamicProvidersUnder(world.workDir)) process.kill(pid, "SIGKILL");
    await world?.dispose();
  });

  it("the next pulumi up records the secret the killed run made, without rotating again", async () => {
    world.emulator.advanceClock(2 * 3600 + 1);
    const before = await liveSecret(world);
    seen.push(before);
    await world.cli.run(["config", "set", "--stack", PRODUCER, "rotationTrigger", "2"], world.producer);
    // Cloudflare takes 3 s to answer: the CLI is killed after the call reached it, before the answer.
    await fetch(`${world.emulator.origin}/emulator/faults`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ route: "widgets.rotate_secret", kind: "latency", latencyMs: 3000 }),
    });
    const calls = (await requestCounts(world.emulator)).byRoute["widgets.rotate_secret"] ?? 0;
    const up = world.cli.spawn(["up", "--yes", "--stack", PRODUCER], world.producer);
    await waitFor(async () => ((await requestCounts(world.emulator)).byRoute["widgets.rotate_secret"] ?? 0) > calls, "the rotate call");
    process.kill(-(up.pid as number), "SIGKILL"); // the CLI and its plugins
    await once(up, "exit");
    await waitFor(async () => (await liveSecret(world)) !== before, "Cloudflare to commit the rotation");
    const made = await liveSecret(world);
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
    assert.equal(await liveSecret(world), made, "no second rotation");
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
    await world.cli.initStack(world.producer, B, config);
    await world.cli.run(["up", "--yes", "--stack", A], world.producer);
    world.emulator.advanceClock(2 * 3600 + 1);
    await world.cli.run(["up", "--yes", "--stack", B], world.producer);
    await world.cli.run(["refresh", "--yes", "--stack", A], world.producer); // both hold the current secret
    await world.cli.run(["up", "--yes", "--stack", A], world.producer);
    world.emulator.advanceClock(2 * 3600 + 1);
  });
  after(async () => world?.dispose());

  it("one wins, the other fails with a clear grace-period error, neither records a wrong secret", async () => {
    const before = await liveSecret(world);
    for (const stack of [A, B]) await world.cli.run(["config", "set", "--stack", stack, "rotationTrigger", "2"], world.producer);
    const calls = (await requestCounts(world.emulator)).byRoute["widgets.rotate_secret"];
    const [a, b] = await Promise.all([A, B].map((stack) => world.cli.run(["up", "--yes", "--stack", stack], world.producer, { allowFailure: true })));
    assert.equal([a, b].filter((r) => r.code === 0).length, 1, "exactly one stack rotates");
    const loser = a.code === 0 ? b : a;
    assert.match(loser.stdout, /refused to rotate the secret of widget .* rotated at .* by someone else/);
    const live = await liveSecret(world);
    assert.notEqual(live, before);
    assert.equal(world.emulator.emulator.store.findBySitekey(world.sitekey)?.previousSecret, before, "one rotation");
    assert.ok((await requestCounts(world.emulator)).byRoute["widgets.rotate_secret"] >= calls + 2);
    const held = await Promise.all([A, B].map(async (stack) => String((await world.cli.outputs(world.producer, stack, true)).turnstileSecret)));
    const [winner, other] = a.code === 0 ? held : [held[1], held[0]];
    assert.equal(winner, live, "the winner holds Cloudflare's new secret");
    assert.equal(other, before, "the loser keeps its secret, still valid for the grace period");

    const loserStack = a.code === 0 ? B : A;
    await world.cli.run(["refresh", "--yes", "--stack", loserStack], world.producer);
    await world.cli.run(["config", "set", "--stack", loserStack, "rotationTrigger", "1"], world.producer);
    await world.cli.run(["up", "--yes", "--stack", loserStack], world.producer);
    assert.equal((await world.cli.outputs(world.producer, loserStack, true)).turnstileSecret, live, "refresh converges the loser");
  });
});
