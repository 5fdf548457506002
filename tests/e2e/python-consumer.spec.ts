/**
 * Cross-language: a Python stack (examples/consumer-python, run by our Python language host with the
 * `pulumi` SDK from PyPI) reads the secret the TypeScript producer rotated, through a
 * StackReference, and exports it and its sha256. The value must arrive intact and stay secret on the
 * Python side. The virtualenv is created by `pulumi install` through the language host (the SDK's
 * own pip toolchain) and cached across runs; without Python the suite fails with the reason.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT, findEngine } from "../../scripts/lib/engine";
import { PulumiCli } from "../../scripts/lib/pulumi-cli";
import { assertSameSecret, liveSecret } from "../helpers/control";
import { PRODUCER, E2E_TIMEOUT_MS, createWorld, type E2eWorld } from "./harness";
import { sha256, useCachedVenv } from "./python-venv";

/** The Python consumer's stack, as a StackReference would name it. */
const PY_CONSUMER = "organization/consumer-python/dev";

describe("e2e: a Python stack consumes the secret a TypeScript stack rotated", function () {
  this.timeout(E2E_TIMEOUT_MS);
  let world: E2eWorld;
  let pyConsumer: string;

  before(async () => {
    world = await createWorld();
    pyConsumer = world.cli.prepareProject("consumer-python");
    useCachedVenv(pyConsumer, fs.readFileSync(path.join(REPO_ROOT, "examples", "consumer-python", "requirements.txt"), "utf8"));
    const started = Date.now();
    await world.cli.run(["install"], pyConsumer);
    console.log(`      (pulumi install for Python: ${Date.now() - started} ms)`);
    await world.cli.initStack(pyConsumer, PY_CONSUMER, { producerStack: PRODUCER });
  });
  after(async () => world?.dispose());

  it("the Python stack runs through the Python language host and the PyPI SDK", async () => {
    const { stdout } = await world.cli.run(["about", "--json", "--stack", PY_CONSUMER], pyConsumer);
    const about = JSON.parse(stdout) as { runtime?: { language?: string; version?: string }; dependencies?: { name: string; version: string }[] };
    assert.equal(about.runtime?.language, "python");
    const requirements = fs.readFileSync(path.join(REPO_ROOT, "examples", "consumer-python", "requirements.txt"), "utf8");
    const pinned = /^pulumi==(\S+)$/m.exec(requirements)?.[1];
    assert.ok(pinned, "examples/consumer-python/requirements.txt should pin pulumi==<version>");
    const sdk = about.dependencies?.find((d) => d.name === "pulumi");
    assert.equal(sdk?.version, pinned, `the venv should hold the SDK pinned in requirements.txt: ${JSON.stringify(about.dependencies)}`);
  });

  it("reads the producer's secret and exports it with its sha256, both still secret", async () => {
    await world.cli.run(["up", "--yes", "--stack", PRODUCER], world.producer);
    const secret = liveSecret(world.emulator, world.sitekey);
    await world.cli.run(["up", "--yes", "--stack", PY_CONSUMER], pyConsumer);

    const shown = await world.cli.outputs(pyConsumer, PY_CONSUMER, true);
    assertSameSecret(shown.turnstileSecret, secret, "Python consumer's turnstileSecret");
    assert.equal(shown.secretSha256, sha256(secret), "the hash computed in Python differs from sha256 of the producer's secret");

    const masked = await world.cli.outputs(pyConsumer, PY_CONSUMER, false);
    assert.equal(masked.turnstileSecret, "[secret]");
    assert.equal(masked.secretSha256, "[secret]", "a value derived in Python from the secret must stay secret");
    assert.notEqual(masked.producerRotatedAt, "[secret]", "a plain output of the producer should stay plain");
    assert.ok(typeof masked.producerRotatedAt === "string" && masked.producerRotatedAt.length > 0, "producerRotatedAt is missing");
  });

  it("the Python stack's state holds neither the secret nor its hash in plain text", async () => {
    const secret = liveSecret(world.emulator, world.sitekey);
    const { stdout } = await world.cli.run(["stack", "export", "--stack", PY_CONSUMER], pyConsumer);
    assert.ok(stdout.includes("ciphertext"), "the Python stack's state should hold its outputs encrypted");
    assert.ok(!stdout.includes(secret), "the Python stack's state holds the secret in plain text");
    assert.ok(!stdout.includes(sha256(secret)), "the Python stack's state holds the hash in plain text");
  });

  it("after a rotation the Python stack follows on its next pulumi up", async () => {
    const before = liveSecret(world.emulator, world.sitekey);
    world.emulator.advanceClock(2 * 3600 + 60);
    await world.cli.run(["config", "set", "--stack", PRODUCER, "rotationTrigger", "2"], world.producer);
    await world.cli.run(["up", "--yes", "--stack", PRODUCER], world.producer);
    const after = liveSecret(world.emulator, world.sitekey);
    assert.notEqual(after, before, "the producer did not rotate");

    const preview = await world.cli.run(["preview", "--diff", "--stack", PY_CONSUMER], pyConsumer);
    assert.ok(!preview.stdout.includes(after) && !preview.stdout.includes(sha256(after)), "preview printed the secret");
    await world.cli.run(["up", "--yes", "--stack", PY_CONSUMER], pyConsumer);
    const shown = await world.cli.outputs(pyConsumer, PY_CONSUMER, true);
    assertSameSecret(shown.turnstileSecret, after, "Python consumer's turnstileSecret after the rotation");
    assert.equal(shown.secretSha256, sha256(after));
  });

  it("a stack without the producer's passphrase cannot read the secret and fails clearly", async () => {
    // Same backend and project, another stack whose secrets provider uses a different passphrase.
    const stranger = new PulumiCli({
      engineBin: await findEngine(), workDir: world.workDir, passphrase: "not-the-producer-passphrase",
    });
    const stack = "organization/consumer-python/stranger";
    await stranger.initStack(pyConsumer, stack, { producerStack: PRODUCER });
    const result = await stranger.run(["up", "--yes", "--stack", stack], pyConsumer, { allowFailure: true });
    const output = result.stdout + result.stderr;
    assert.notEqual(result.code, 0, "a stack with another passphrase read the producer's secret");
    assert.match(output, /eliding undecryptable secrets for stack reference 'organization\/producer\/dev'/);
    assert.match(output, /cannot decrypt turnstileSecret of the producer stack/);
    assert.ok(!output.includes(liveSecret(world.emulator, world.sitekey)), "the failure printed the secret");
  });
});
