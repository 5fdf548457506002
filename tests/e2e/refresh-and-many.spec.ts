/**
 * Refresh and many widgets through the real engine: a secret rotated outside Pulumi is adopted
 * by `pulumi refresh`, a deleted widget leaves the state, and one trigger rotates every widget
 * of a TurnstileSecretRotations component with an explicit, encrypted apiToken.
 */
import assert from "node:assert/strict";
import { deleteOutside, requestCounts, rotateOutside } from "../helpers/control";
import { E2E_TIMEOUT_MS, PRODUCER, createWorld, type E2eWorld, createDeployedWorld } from "./harness";
import { createTestWidget } from "../helpers/emulator";

describe("e2e: refresh adopts outside rotations and drops deleted widgets", function () {
  this.timeout(E2E_TIMEOUT_MS);
  let world: E2eWorld;
  before(async () => {
    world = await createDeployedWorld();
  });
  after(async () => world?.dispose());

  it("pulumi refresh adopts a secret rotated outside Pulumi, and the next up rotates nothing", async () => {
    world.emulator.advanceClock(2 * 3600 + 1);
    const { emulator, sitekey } = world;
    const outside = rotateOutside(emulator, sitekey);
    await world.cli.run(["refresh", "--yes", "--stack", PRODUCER], world.producer);
    const { stdout } = await world.cli.run(["stack", "export", "--show-secrets", "--stack", PRODUCER], world.producer);
    type Exported = { deployment: { resources: Array<{ type: string; outputs?: { secret?: { plaintext: string } } }> } };
    const resources = (JSON.parse(stdout) as Exported).deployment.resources;
    const secret = resources.find((r) => r.type.endsWith(":TurnstileSecretRotation"))?.outputs?.secret;
    assert.equal(JSON.parse(secret?.plaintext ?? "null"), outside);
    // The stack's own outputs follow at the next `pulumi up`, which rotates nothing.
    const before = await requestCounts(emulator);
    await world.cli.run(["up", "--yes", "--stack", PRODUCER], world.producer);
    assert.equal((await requestCounts(emulator)).byRoute["widgets.rotate_secret"], before.byRoute["widgets.rotate_secret"]);
    assert.equal((await world.cli.outputs(world.producer, PRODUCER, true)).turnstileSecret, outside);
  });

  it("pulumi refresh drops the resource when the widget was deleted", async () => {
    const { emulator, sitekey } = world;
    deleteOutside(emulator, sitekey);
    await world.cli.run(["refresh", "--yes", "--stack", PRODUCER], world.producer);
    const { stdout } = await world.cli.run(["stack", "export", "--stack", PRODUCER], world.producer);
    assert.doesNotMatch(stdout, /TurnstileSecretRotation/);
  });
});

describe("e2e: many widgets under one trigger, with an explicit apiToken", function () {
  this.timeout(E2E_TIMEOUT_MS);
  const STACK = "organization/many-widgets/dev";
  let world: E2eWorld;
  let project: string;
  const names = ["login", "signup", "contact"];
  const sitekeys: Record<string, string> = {};

  before(async () => {
    world = await createWorld({ tokenInEnvironment: false });
    project = world.cli.prepareProject("many-widgets");
    for (const name of names) sitekeys[name] = (await createTestWidget(world.emulator, { name })).sitekey;
    await world.cli.initStack(project, STACK, { accountId: world.emulator.accountId, rotationTrigger: "q1" });
    for (const name of names) await world.cli.run(["config", "set", "--stack", STACK, "--path", `sitekeys.${name}`, sitekeys[name]], project);
    await world.cli.setSecret(project, STACK, "apiToken", world.emulator.apiToken);
  });
  after(async () => world?.dispose());

  it("rotates every widget once and exports a map of their secrets, all encrypted at rest", async () => {
    await world.cli.run(["up", "--yes", "--stack", STACK], project);
    assert.equal((await requestCounts(world.emulator)).byRoute["widgets.rotate_secret"], names.length);
    const secrets = (await world.cli.outputs(project, STACK, true)).secrets as Record<string, string>;
    assert.deepEqual(Object.keys(secrets).sort(), [...names].sort());
    for (const name of names) {
      assert.equal(secrets[name], world.emulator.emulator.store.findBySitekey(sitekeys[name])?.secret, name);
    }
    assert.equal((await world.cli.outputs(project, STACK)).secrets, "[secret]");
    const { stdout } = await world.cli.run(["stack", "export", "--stack", STACK], project);
    assert.ok(!stdout.includes(world.emulator.apiToken), "the explicit apiToken is stored encrypted");
    for (const secret of Object.values(secrets)) assert.ok(!stdout.includes(secret));
  });

  it("one trigger change rotates each widget exactly once more", async () => {
    world.emulator.advanceClock(2 * 3600 + 1);
    await world.cli.run(["config", "set", "--stack", STACK, "rotationTrigger", "q2"], project);
    await world.cli.run(["up", "--yes", "--stack", STACK], project);
    assert.equal((await requestCounts(world.emulator)).byRoute["widgets.rotate_secret"], 2 * names.length);
  });
});
