/**
 * `turnstileSecretFrom` through the real engine, in examples/consumer: a consumer that can decrypt
 * the producer's secrets gets the secret, still secret; one with another passphrase, which the
 * engine hands an empty placeholder instead of the secret (with only an info message), fails at
 * preview with the helper's message and deploys nothing; so does a consumer of a producer stack
 * that was never deployed. No failure prints the secret.
 */
import assert from "node:assert/strict";
import { findEngine } from "../../scripts/lib/engine";
import { PulumiCli, type CliResult } from "../../scripts/lib/pulumi-cli";
import { liveSecret } from "../helpers/control";
import { CONSUMER, E2E_TIMEOUT_MS, PRODUCER, assertNothingLeaked, type E2eWorld, createDeployedWorld } from "./harness";

/** Everything a CLI run printed. */
const printed = (result: CliResult): string => `${result.stdout}\n${result.stderr}`;

describe("e2e: turnstileSecretFrom in a consumer stack", function () {
  this.timeout(E2E_TIMEOUT_MS);
  let world: E2eWorld;
  let secret: string;

  before(async () => {
    world = await createDeployedWorld();
    secret = liveSecret(world.emulator, world.sitekey);
  });
  after(async () => world?.dispose());

  /** A CLI on the same backend whose stacks use another passphrase than the producer's. */
  async function strangerCli(): Promise<PulumiCli> {
    return new PulumiCli({ engineBin: await findEngine(), workDir: world.workDir, passphrase: "not-the-producer-passphrase" });
  }

  /** Asserts a run failed with `message`, printed no secret and no JavaScript stack trace. */
  function assertFailedClearly(result: CliResult, message: RegExp): void {
    const output = printed(result);
    assert.notEqual(result.code, 0, `expected a failure, got:\n${output}`);
    assert.match(output, message);
    assert.ok(!output.includes(secret), "the failure printed the secret");
    assert.doesNotMatch(output, /^\s+at .*\.(js|ts):\d+/m, "a RunError should be reported without a stack trace");
  }

  it("with the producer's passphrase, the consumer gets the producer's secret and keeps it secret", async () => {
    await world.cli.run(["up", "--yes", "--stack", CONSUMER], world.consumer);
    const shown = await world.cli.outputs(world.consumer, CONSUMER, true);
    assert.ok(shown.turnstileSecret === secret, "the consumer's turnstileSecret differs from Cloudflare's current secret");
    const masked = await world.cli.outputs(world.consumer, CONSUMER);
    assert.equal(masked.turnstileSecret, "[secret]");
    assert.equal(masked.secretFingerprint, "[secret]");
    assertNothingLeaked(world, [secret]);
  });

  it("with another passphrase, preview and up fail with the output's name and the fix, and deploy nothing", async () => {
    const stranger = await strangerCli();
    const stack = "organization/consumer/stranger";
    await stranger.initStack(world.consumer, stack, { producerStack: PRODUCER });

    const preview = await stranger.run(["preview", "--stack", stack], world.consumer, { allowFailure: true });
    // The engine's own signal is only this info line; the helper turns it into a failure.
    assert.match(printed(preview), /eliding undecryptable secrets for stack reference 'organization\/producer\/dev'/);
    const message = /cannot decrypt output 'turnstileSecret' of stack 'organization\/producer\/dev': this stack cannot decrypt the producer's\s+secrets.*PULUMI_CONFIG_PASSPHRASE/s;
    assertFailedClearly(preview, message);

    const up = await stranger.run(["up", "--yes", "--stack", stack], world.consumer, { allowFailure: true });
    assertFailedClearly(up, message);
    assert.deepEqual(await stranger.outputs(world.consumer, stack, true), {}, "the failed up exported something");
  });

  it("with a producer stack that was never deployed, preview fails saying to run pulumi up on it", async () => {
    const producerStack = "organization/producer/not-yet";
    await world.cli.initStack(world.producer, producerStack, {});
    const stack = "organization/consumer/early";
    await world.cli.initStack(world.consumer, stack, { producerStack });
    const preview = await world.cli.run(["preview", "--stack", stack], world.consumer, { allowFailure: true });
    assertFailedClearly(preview, /stack 'organization\/producer\/not-yet' has no output 'turnstileSecret': run `pulumi up` on that stack first/);
  });
});
