/**
 * `pulumi import` through the provider plugin adopts a live widget's current secret without
 * rotating it: the import reads only, the next `pulumi up` records the program's trigger (still
 * no rotation), and the trigger change after that rotates once. The adopted secret is encrypted
 * in state and never printed.
 */
import assert from "node:assert/strict";
import { liveSecret, requestCounts } from "../helpers/control";
import { E2E_TIMEOUT_MS, assertNothingLeaked, upRotatesOnceInPlace } from "./harness";
import { createPluginWorld, type PluginWorld } from "./plugin-harness";

const TYPE = "turnstile-rotation:index:TurnstileSecretRotation";

describe("e2e: pulumi import adopts a live widget without rotating it", function () {
  this.timeout(E2E_TIMEOUT_MS);
  let world: PluginWorld;
  let adopted: string;

  const rotateCalls = async () => (await requestCounts(world.emulator)).byRoute["widgets.rotate_secret"] ?? 0;

  before(async () => {
    world = await createPluginWorld("producer-yaml", "producer-yaml");
    adopted = liveSecret(world.emulator, world.sitekey);
  });
  after(async () => world?.dispose());

  it("pulumi import reads the widget, rotates nothing and stores its secret encrypted", async () => {
    const id = `${world.emulator.accountId}/${world.sitekey}`;
    const result = await world.cli.run(["import", TYPE, "login-form", id, "--yes", "--protect=false", "--stack", world.producerStack], world.producer);
    assert.match(result.stdout, /login-form +imported/);
    assert.match(result.stdout, /type: turnstile-rotation:TurnstileSecretRotation[\s\S]*rotationTrigger: imported/, "the generated YAML is complete");
    assert.equal(await rotateCalls(), 0);
    assert.equal(liveSecret(world.emulator, world.sitekey), adopted);

    const { stdout } = await world.cli.run(["stack", "export", "--stack", world.producerStack], world.producer);
    assert.match(stdout, /"secret": \{\s*"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",\s*"ciphertext"/);
    type Exported = { deployment: { resources: Array<{ type: string; outputs?: Record<string, unknown> }> } };
    const shown = JSON.parse((await world.cli.run(["stack", "export", "--show-secrets", "--stack", world.producerStack], world.producer)).stdout) as Exported;
    const outputs = shown.deployment.resources.find((r) => r.type === TYPE)?.outputs ?? {};
    assert.equal(JSON.parse(String((outputs.secret as { plaintext?: string } | undefined)?.plaintext)), adopted);
    assert.ok(!("rotationTrigger" in outputs), "an imported state records no trigger until the program gives one");
  });

  it("the next pulumi up records the program's trigger without rotating", async () => {
    const result = await world.cli.run(["up", "--yes", "--stack", world.producerStack], world.producer);
    assert.match(result.stdout, /1 updated/);
    assert.equal(await rotateCalls(), 0);
    const outputs = await world.cli.outputs(world.producer, world.producerStack, true);
    assert.equal(outputs.turnstileSecret, adopted);
    assert.equal(outputs.rotationTrigger, "1");
  });

  it("the trigger change after that rotates once, in place", async () => {
    await world.cli.run(["config", "set", "--stack", world.producerStack, "rotationTrigger", "2"], world.producer);
    const secret = await upRotatesOnceInPlace(world, world.producerStack);
    assert.notEqual(secret, adopted);
    assert.equal((await world.cli.outputs(world.producer, world.producerStack, true)).turnstileSecret, secret);
  });

  it("importing a widget that does not exist fails, naming it, and changes nothing", async () => {
    const id = `${world.emulator.accountId}/0x4AAAAAAAdoesNotExist`;
    const result = await world.cli.run(["import", TYPE, "ghost", id, "--yes", "--stack", world.producerStack], world.producer, { allowFailure: true });
    assert.notEqual(result.code, 0);
    assert.match(result.stdout + result.stderr, /cannot import .*0x4AAAAAAAdoesNotExist: no such Turnstile widget/);
  });

  it("nothing the CLI printed holds a secret or the token", () => {
    assertNothingLeaked(world, [adopted]);
  });
});
