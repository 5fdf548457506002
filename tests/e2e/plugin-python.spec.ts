/**
 * A Python program (examples/producer-python, run by our Python language host) declares
 * TurnstileSecretRotation through the SDK generated from schema.json (sdk/python, installed into
 * the program's virtualenv) and the provider plugin: create and a trigger change each rotate once,
 * the secret is `[secret]`, a TypeScript stack reads it, and a per-resource token given as a
 * Python secret stays encrypted.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../scripts/lib/engine";
import { liveSecret, requestCounts } from "../helpers/control";
import { CONSUMER, E2E_TIMEOUT_MS, assertNothingLeaked, upRotatesOnceInPlace } from "./harness";
import { createPluginWorld, type PluginWorld } from "./plugin-harness";
import { treeText, useCachedVenv } from "./python-venv";

const SDK_DIR = path.join(REPO_ROOT, "sdk", "python");
const { version: VERSION } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
const CIPHERTEXT = /\{\s*"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",\s*"ciphertext"/;

describe("e2e: a Python program rotates through the generated SDK and the provider plugin", function () {
  this.timeout(E2E_TIMEOUT_MS);
  let world: PluginWorld;
  const seen: string[] = [];

  before(async () => {
    world = await createPluginWorld("producer-python", "producer-python", async (dir, { cli }) => {
      // The example installs the SDK by its path in this repository. pip builds it where it lies,
      // so the copy installs a copy of the SDK, leaving the repository clean.
      const sdkCopy = path.join(path.dirname(dir), "sdk-python");
      fs.cpSync(SDK_DIR, sdkCopy, { recursive: true });
      const file = path.join(dir, "requirements.txt");
      const requirements = fs.readFileSync(file, "utf8").replace(/^\.\.\/\.\.\/sdk\/python$/m, sdkCopy);
      assert.ok(requirements.includes(sdkCopy), "examples/producer-python/requirements.txt should install ../../sdk/python");
      fs.writeFileSync(file, requirements);
      useCachedVenv(dir, requirements.replace(sdkCopy, "sdk/python"), treeText(SDK_DIR));
      await cli.run(["install"], dir);
    });
  });
  after(async () => world?.dispose());

  it("the program runs on our Python host with the generated SDK installed", async () => {
    const { stdout } = await world.cli.run(["about", "--json", "--stack", world.producerStack], world.producer);
    const about = JSON.parse(stdout) as { runtime?: { language?: string }; dependencies?: { name: string; version: string }[] };
    assert.equal(about.runtime?.language, "python");
    const sdk = about.dependencies?.find((d) => /^pulumi[-_]turnstile[-_]rotation$/.test(d.name));
    assert.equal(sdk?.version, VERSION, `the venv should hold the generated SDK: ${JSON.stringify(about.dependencies)}`);
  });

  it("create rotates once; the output is [secret] and the state holds it encrypted", async () => {
    const result = await world.cli.run(["up", "--yes", "--stack", world.producerStack], world.producer);
    assert.match(result.stdout, /turnstile-rotation:index:TurnstileSecretRotation +login-form +created/);
    assert.equal((await requestCounts(world.emulator)).byRoute["widgets.rotate_secret"], 1);
    const secret = liveSecret(world.emulator, world.sitekey);
    seen.push(secret);
    assert.equal((await world.cli.outputs(world.producer, world.producerStack, true)).turnstileSecret, secret);
    assert.equal((await world.cli.outputs(world.producer, world.producerStack)).turnstileSecret, "[secret]");
  });

  it("a trigger change rotates once in place, and the TypeScript consumer reads the new secret", async () => {
    world.emulator.advanceClock(2 * 3600 + 1);
    await world.cli.run(["config", "set", "--stack", world.producerStack, "rotationTrigger", "2"], world.producer);
    const secret = await upRotatesOnceInPlace(world, world.producerStack);
    seen.push(secret);
    await world.cli.run(["up", "--yes", "--stack", CONSUMER], world.consumer);
    assert.equal((await world.cli.outputs(world.consumer, CONSUMER, true)).turnstileSecret, secret);
    assert.equal((await world.cli.outputs(world.consumer, CONSUMER)).turnstileSecret, "[secret]");
  });

  it("a per-resource apiToken from Python rotates without any other token and is stored encrypted", async () => {
    world.emulator.advanceClock(2 * 3600 + 1);
    await world.cli.setSecret(world.producer, world.producerStack, "apiToken", world.emulator.apiToken);
    await world.cli.run(["config", "set", "--stack", world.producerStack, "rotationTrigger", "3"], world.producer);
    const result = await world.cli.run(["up", "--yes", "--stack", world.producerStack], world.producer, { env: { CLOUDFLARE_API_TOKEN: "" } });
    assert.match(result.stdout, /1 updated/);
    seen.push(liveSecret(world.emulator, world.sitekey));
    type Exported = { deployment: { resources: Array<{ type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }> } };
    const { stdout } = await world.cli.run(["stack", "export", "--stack", world.producerStack], world.producer);
    const resource = (JSON.parse(stdout) as Exported).deployment.resources.find((r) => r.type.endsWith(":TurnstileSecretRotation"));
    assert.match(JSON.stringify(resource?.inputs?.apiToken, null, 1), CIPHERTEXT, "the token input is encrypted");
    assert.match(JSON.stringify(resource?.outputs?.apiToken, null, 1), CIPHERTEXT, "the token output is encrypted");
  });

  it("nothing the CLI printed holds a secret or the token", () => {
    assertNothingLeaked(world, seen);
  });
});
