/**
 * I4 through the real engine: `pulumi up` SIGKILLed at the moment Cloudflare commits the rotation,
 * then each recovery a user may reach for (`pulumi up`, `pulumi refresh` then `pulumi up`,
 * `pulumi up --refresh`), in both modes. Each converges at once, records the secret the killed run
 * made, rotates nothing a second time (counted as committed rotations at the emulator), and the
 * next preview shows no change. Also: a refresh meeting a 404 that is not Cloudflare's keeps the state.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { dynamicProvidersUnder, killAll, waitFor } from "../helpers/processes";
import { inject, liveSecret, requestCounts, assertSameSecret } from "../helpers/control";
import { E2E_TIMEOUT_MS, PRODUCER, assertNothingLeaked, createWorld, type E2eWorld, createDeployedWorld } from "./harness";

const committed = async (world: E2eWorld) => (await requestCounts(world.emulator)).rotations;

/**
 * Runs `pulumi up` and SIGKILLs it (CLI and plugins) once its rotate call reached Cloudflare,
 * which takes 3 s to commit it: the rotation happens, the run saves nothing. Returns the secret
 * Cloudflare made and how many rotations it had committed before.
 */
async function upKilledAsCloudflareCommits(world: E2eWorld): Promise<{ made: string; rotationsBefore: number }> {
  await inject(world.emulator, { route: "widgets.rotate_secret", kind: "latency", latencyMs: 3000 });
  const rotationsBefore = await committed(world);
  const calls = async () => (await requestCounts(world.emulator)).byRoute["widgets.rotate_secret"] ?? 0;
  const callsBefore = await calls();
  const up = world.cli.spawn(["up", "--yes", "--stack", PRODUCER], world.producer);
  await waitFor(async () => (await calls()) > callsBefore, "the rotate call");
  process.kill(-(up.pid as number), "SIGKILL");
  await once(up, "exit");
  await waitFor(async () => (await committed(world)) === rotationsBefore + 1, "Cloudflare to commit the rotation");
  return { made: liveSecret(world.emulator, world.sitekey), rotationsBefore };
}

const RECOVERIES: ReadonlyArray<readonly [string, ReadonlyArray<readonly string[]>]> = [
  ["pulumi up", [["up", "--yes"]]],
  ["pulumi refresh, then pulumi up", [["refresh", "--yes"], ["up", "--yes"]]],
  ["pulumi up --refresh", [["up", "--yes", "--refresh"]]],
];

for (const immediately of [false, true]) {
  describe(`e2e: recovery after a pulumi up killed as Cloudflare rotates (invalidateImmediately: ${immediately})`, function () {
    this.timeout(E2E_TIMEOUT_MS);
    let world: E2eWorld;
    let trigger = 1;
    const seen: string[] = [];

    before(async () => {
      world = await createWorld();
      await world.cli.run(["config", "set", "--stack", PRODUCER, "invalidateImmediately", String(immediately)], world.producer);
      await world.cli.run(["up", "--yes", "--stack", PRODUCER], world.producer);
    });
    after(async () => {
      if (world) killAll(dynamicProvidersUnder(world.workDir));
      await world?.dispose();
    });

    for (const [name, commands] of RECOVERIES) {
      it(`${name} records the killed run's secret without rotating again`, async () => {
        world.emulator.advanceClock(2 * 3600 + 1);
        const before = liveSecret(world.emulator, world.sitekey);
        seen.push(before);
        trigger += 1;
        await world.cli.run(["config", "set", "--stack", PRODUCER, "rotationTrigger", String(trigger)], world.producer);
        const { made, rotationsBefore: rotations } = await upKilledAsCloudflareCommits(world);
        seen.push(made);

        world.emulator.advanceClock(60);
        await world.cli.run(["cancel", "--yes", "--stack", PRODUCER], world.producer);
        for (const command of commands) {
          const result = await world.cli.run([...command, "--stack", PRODUCER], world.producer, { allowFailure: true });
          assert.equal(result.code, 0, `${command.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
        }
        assert.equal((await world.cli.outputs(world.producer, PRODUCER, true)).turnstileSecret, made);
        assert.equal(await committed(world), rotations + 1, "no second rotation");
        const { stdout } = await world.cli.run(["preview", "--stack", PRODUCER], world.producer);
        assert.doesNotMatch(stdout, /to update|to replace|to create/);
      });
    }

    it("nothing the CLI printed holds a secret or the token", () => assertNothingLeaked(world, seen));
  });
}

describe("e2e: a refresh meeting a 404 that is not Cloudflare's", function () {
  this.timeout(E2E_TIMEOUT_MS);
  let world: E2eWorld;
  before(async () => {
    world = await createDeployedWorld();
  });
  after(async () => world?.dispose());

  it("fails, names the base URL as the likely cause, and keeps the resource and its output", async () => {
    const secret = (await world.cli.outputs(world.producer, PRODUCER, true)).turnstileSecret;
    await inject(world.emulator, { route: "widgets.get", kind: "foreign_404" });
    const result = await world.cli.run(["refresh", "--yes", "--stack", PRODUCER], world.producer, { allowFailure: true });
    assert.notEqual(result.code, 0);
    assert.match(result.stdout + result.stderr, /did not come from Cloudflare's widgets API: check that baseUrl ends in \/client\/v4/);
    await world.cli.run(["refresh", "--yes", "--stack", PRODUCER], world.producer);
    assert.equal((await world.cli.outputs(world.producer, PRODUCER, true)).turnstileSecret, secret, "still there, unchanged");
  });
});

describe("e2e: invalidateImmediately, a pulumi up killed as Cloudflare rotates, then the trigger reverted", function () {
  this.timeout(E2E_TIMEOUT_MS);
  let world: E2eWorld;
  const seen: string[] = [];
  before(async () => {
    world = await createWorld();
    await world.cli.run(["config", "set", "--stack", PRODUCER, "invalidateImmediately", "true"], world.producer);
    await world.cli.run(["up", "--yes", "--stack", PRODUCER], world.producer);
  });
  after(async () => {
    if (world) killAll(dynamicProvidersUnder(world.workDir));
    await world?.dispose();
  });

  it("the next pulumi up does not succeed holding the secret Cloudflare killed", async () => {
    const old = liveSecret(world.emulator, world.sitekey);
    seen.push(old);
    await world.cli.run(["config", "set", "--stack", PRODUCER, "rotationTrigger", "2"], world.producer);
    const { made, rotationsBefore: rotations } = await upKilledAsCloudflareCommits(world);
    seen.push(made);
    assertSameSecret((await world.cli.outputs(world.producer, PRODUCER, true)).turnstileSecret, old, "the killed run saved nothing");

    // The operator gives up on the change: back to the trigger the state records.
    await world.cli.run(["config", "set", "--stack", PRODUCER, "rotationTrigger", "1"], world.producer);
    await world.cli.run(["cancel", "--yes", "--stack", PRODUCER], world.producer);
    const result = await world.cli.run(["up", "--yes", "--stack", PRODUCER], world.producer, { allowFailure: true });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assertSameSecret((await world.cli.outputs(world.producer, PRODUCER, true)).turnstileSecret, made, "it converges on the secret Cloudflare accepts");
    assert.equal(await committed(world), rotations + 1, "no second rotation");
    const { stdout } = await world.cli.run(["preview", "--stack", PRODUCER], world.producer);
    assert.doesNotMatch(stdout, /to update|to replace|to create/);
  });

  it("nothing the CLI printed holds a secret or the token", () => assertNothingLeaked(world, seen));
});

describe("e2e: a refresh meeting Cloudflare 404 answers that do not say the widget is gone", function () {
  this.timeout(E2E_TIMEOUT_MS);
  let world: E2eWorld;
  before(async () => {
    world = await createDeployedWorld();
  });
  after(async () => world?.dispose());

  const ANSWERS = [
    ["code 7003 (could not route: perhaps your object identifier is invalid?)", { code: 7003 }],
    ["code 10000 (authentication error)", { code: 10000 }],
    ["an envelope whose error has no code", { code: null }],
  ] as const;
  for (const [name, answer] of ANSWERS) {
    it(`${name}: refresh fails and keeps the resource and its output`, async () => {
      const secret = (await world.cli.outputs(world.producer, PRODUCER, true)).turnstileSecret;
      await inject(world.emulator, { route: "widgets.get", kind: "status", status: 404, ...answer });
      const result = await world.cli.run(["refresh", "--yes", "--stack", PRODUCER], world.producer, { allowFailure: true });
      assert.notEqual(result.code, 0, "a 404 that does not say the widget is gone proves nothing");
      await world.cli.run(["refresh", "--yes", "--stack", PRODUCER], world.producer);
      assertSameSecret((await world.cli.outputs(world.producer, PRODUCER, true)).turnstileSecret, String(secret), "still there, unchanged");
    });
  }
});
