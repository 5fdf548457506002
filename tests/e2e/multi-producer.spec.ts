/**
 * Two producer stacks of the producer project, each rotating its own widget, and one consumer stack
 * (examples/consumer-multi) reading both through StackReferences: each secret reaches the consumer
 * under its widget's sitekey, a rotation of one widget leaves the other alone, and a configuration
 * where two producers would rotate the same widget is refused.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findEngine } from "../../scripts/lib/engine";
import { PulumiCli } from "../../scripts/lib/pulumi-cli";
import { createTestWidget, startEmulator, type RunningEmulator } from "../helpers/emulator";
import { assertSameSecret, liveSecret, requestCounts } from "../helpers/control";
import { E2E_TIMEOUT_MS } from "./harness";

const PRODUCER_A = "organization/producer/a";
const PRODUCER_B = "organization/producer/b";
const CONSUMER = "organization/consumer-multi/dev";

describe("e2e: one consumer reads two producer stacks on two widgets", function () {
  this.timeout(E2E_TIMEOUT_MS);
  let emulator: RunningEmulator;
  let cli: PulumiCli;
  let workDir: string;
  let producer: string;
  let consumer: string;
  let sitekeyA: string;
  let sitekeyB: string;

  before(async () => {
    const engineBin = await findEngine();
    emulator = await startEmulator();
    sitekeyA = (await createTestWidget(emulator, { name: "login form" })).sitekey;
    sitekeyB = (await createTestWidget(emulator, { name: "signup form" })).sitekey;
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "turnstile-e2e-multi-"));
    cli = new PulumiCli({
      engineBin, workDir,
      passphrase: "e2e-passphrase",
      env: { CLOUDFLARE_API_TOKEN: emulator.apiToken, CLOUDFLARE_BASE_URL: emulator.baseUrl },
    });
    producer = cli.prepareProject("producer");
    consumer = cli.prepareProject("consumer-multi");
    await cli.initStack(producer, PRODUCER_A, { accountId: emulator.accountId, sitekey: sitekeyA, rotationTrigger: "1" });
    await cli.initStack(producer, PRODUCER_B, { accountId: emulator.accountId, sitekey: sitekeyB, rotationTrigger: "1" });
    await cli.initStack(consumer, CONSUMER, { producerStacks: JSON.stringify([PRODUCER_A, PRODUCER_B]) });
  });
  after(async () => {
    await emulator?.stop();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("each producer stack rotates its own widget once", async () => {
    const before = { a: liveSecret(emulator, sitekeyA), b: liveSecret(emulator, sitekeyB) };
    await cli.run(["up", "--yes", "--stack", PRODUCER_A], producer);
    await cli.run(["up", "--yes", "--stack", PRODUCER_B], producer);
    assert.equal((await requestCounts(emulator)).byRoute["widgets.rotate_secret"], 2);
    const after = { a: liveSecret(emulator, sitekeyA), b: liveSecret(emulator, sitekeyB) };
    assert.ok(after.a !== before.a && after.b !== before.b, "each widget's secret should have changed");
    assert.notEqual(after.a, after.b);
    assert.equal((await cli.outputs(producer, PRODUCER_A)).sitekey, sitekeyA);
    assert.equal((await cli.outputs(producer, PRODUCER_B)).sitekey, sitekeyB);
  });

  it("the consumer gets each widget's secret under its sitekey, as secrets", async () => {
    await cli.run(["up", "--yes", "--stack", CONSUMER], consumer);
    const shown = await cli.outputs(consumer, CONSUMER, true);
    assertSameSecret(shown.turnstileSecrets, {
      [sitekeyA]: liveSecret(emulator, sitekeyA),
      [sitekeyB]: liveSecret(emulator, sitekeyB),
    }, "consumer's turnstileSecrets");
    assert.deepEqual(shown.sitekeys, { [PRODUCER_A]: sitekeyA, [PRODUCER_B]: sitekeyB });

    const masked = await cli.outputs(consumer, CONSUMER, false);
    assert.equal(masked.turnstileSecrets, "[secret]");
    assert.equal(masked.secretFingerprints, "[secret]");
    assert.deepEqual(masked.sitekeys, { [PRODUCER_A]: sitekeyA, [PRODUCER_B]: sitekeyB }, "sitekeys are public and stay plain");
  });

  it("rotating one widget leaves the other alone, and the consumer follows", async () => {
    const before = { a: liveSecret(emulator, sitekeyA), b: liveSecret(emulator, sitekeyB) };
    const fingerprints = (await cli.outputs(consumer, CONSUMER, true)).secretFingerprints as Record<string, string>;
    emulator.advanceClock(2 * 3600 + 60);
    await cli.run(["config", "set", "--stack", PRODUCER_B, "rotationTrigger", "2"], producer);
    const counts = await requestCounts(emulator);

    // The untouched producer makes no call; the changed one rotates once.
    const upA = await cli.run(["up", "--yes", "--stack", PRODUCER_A], producer);
    assert.doesNotMatch(upA.stdout, /updated|created|replaced/);
    const upB = await cli.run(["up", "--yes", "--stack", PRODUCER_B], producer);
    assert.match(upB.stdout, /1 updated/);
    const after = await requestCounts(emulator);
    assert.equal(after.byRoute["widgets.rotate_secret"], (counts.byRoute["widgets.rotate_secret"] ?? 0) + 1);
    assert.ok(liveSecret(emulator, sitekeyA) === before.a, "widget A's secret changed");
    const newB = liveSecret(emulator, sitekeyB);
    assert.ok(newB !== before.b, "widget B's secret did not change");

    await cli.run(["up", "--yes", "--stack", CONSUMER], consumer);
    const shown = await cli.outputs(consumer, CONSUMER, true);
    assertSameSecret(shown.turnstileSecrets, { [sitekeyA]: before.a, [sitekeyB]: newB }, "consumer's turnstileSecrets after B rotated");
    const newFingerprints = shown.secretFingerprints as Record<string, string>;
    assert.equal(newFingerprints[PRODUCER_A], fingerprints[PRODUCER_A]);
    assert.notEqual(newFingerprints[PRODUCER_B], fingerprints[PRODUCER_B]);
  });

  it("the consumer's state holds none of the secrets in plain text", async () => {
    const secrets = [liveSecret(emulator, sitekeyA), liveSecret(emulator, sitekeyB)];
    const { stdout } = await cli.run(["stack", "export", "--stack", CONSUMER], consumer);
    assert.ok(stdout.includes("ciphertext"), "the consumer's state should hold the secrets encrypted");
    for (const secret of secrets) assert.ok(!stdout.includes(secret), "the consumer's state holds a secret in plain text");
    assert.ok(!stdout.includes(emulator.apiToken), "the consumer's state holds the API token");
  });

  it("two producer stacks on the same widget are refused by the consumer", async () => {
    const producerC = "organization/producer/c";
    emulator.advanceClock(2 * 3600 + 60);
    await cli.initStack(producer, producerC, { accountId: emulator.accountId, sitekey: sitekeyA, rotationTrigger: "1" });
    await cli.run(["up", "--yes", "--stack", producerC], producer);
    await cli.run(["config", "set", "--stack", CONSUMER, "producerStacks", JSON.stringify([PRODUCER_A, producerC])], consumer);
    const result = await cli.run(["up", "--yes", "--stack", CONSUMER], consumer, { allowFailure: true });
    assert.notEqual(result.code, 0, "the consumer accepted two producers of one widget");
    assert.match(result.stdout + result.stderr, new RegExp(`producer stacks ${PRODUCER_A} and ${producerC} rotate the same widget ${sitekeyA}`));
  });
});
