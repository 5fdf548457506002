/**
 * The state contract: stacks written by release 0.1.0 (tests/fixtures/release-0.1.0*) preview with
 * no changes and no API call once the program installs the current package (packed as users get
 * it). What they pin: the serialized provider `require("pulumi-turnstile-rotation/hooks")` and the
 * hooks' export names (provider/hooks.ts), the dynamic resource's type token
 * `pulumi-nodejs:dynamic/turnstile:TurnstileSecretRotation`, and the component's
 * `pulumi-turnstile-rotation:index:TurnstileSecretRotations`, whose children's URNs derive from it.
 * A YAML stack written through the provider plugin of release 0.2.0 pins the plugin's contract the
 * same way: its type token `turnstile-rotation:index:TurnstileSecretRotation` and its state's fields.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT, findEngine } from "../../scripts/lib/engine";
import { installPackedProgram, packRepository } from "../../scripts/lib/packed-install";
import { PulumiCli } from "../../scripts/lib/pulumi-cli";
import { startEmulator, type RunningEmulator } from "../helpers/emulator";
import { requestCounts } from "../helpers/control";
import { E2E_TIMEOUT_MS } from "./harness";
import { PLUGIN_BIN, yamlHostBin } from "./plugin-harness";

const FIXTURES = path.join(REPO_ROOT, "tests", "fixtures");

/** A stack exported by release 0.1.0, and the example program that wrote it. */
interface ReleaseFixture {
  readonly dir: string;
  readonly example: string;
  readonly stack: string;
  /** What the preview must report unchanged (the stack resource included). */
  readonly unchanged: number;
}

const RELEASE_STACKS: readonly ReleaseFixture[] = [
  { dir: "release-0.1.0", example: "producer", stack: "organization/producer/dev", unchanged: 2 },
  { dir: "release-0.1.0-many-widgets", example: "many-widgets", stack: "organization/many-widgets/dev", unchanged: 4 },
];

describe("e2e: stacks written by earlier releases, after upgrading to this package", function () {
  this.timeout(E2E_TIMEOUT_MS);
  let emulator: RunningEmulator;
  let workDir: string;
  let tarball: string;

  before(async () => {
    emulator = await startEmulator();
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "turnstile-upgrade-"));
    tarball = packRepository(workDir);
  });
  after(async () => {
    await emulator?.stop();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("a YAML stack of the 0.2.0 plugin: previews with no changes and makes no API call", async () => {
    const source = path.join(FIXTURES, "release-0.2.0-plugin-yaml");
    const stack = "organization/producer-yaml/dev";
    const cli = new PulumiCli({
      engineBin: await findEngine(), workDir, passphrase: "release-fixture", extraBins: [yamlHostBin(), PLUGIN_BIN],
      env: { CLOUDFLARE_API_TOKEN: emulator.apiToken, CLOUDFLARE_BASE_URL: emulator.baseUrl },
    });
    const app = cli.prepareProject("producer-yaml");
    await cli.run(["stack", "init", stack], app);
    fs.copyFileSync(path.join(source, "Pulumi.dev.yaml"), path.join(app, "Pulumi.dev.yaml"));
    await cli.run(["stack", "import", "--file", path.join(source, "state.json"), "--stack", stack], app);
    const before = (await requestCounts(emulator)).total;
    const preview = await cli.run(["preview", "--expect-no-changes", "--diff", "--stack", stack], app);
    assert.match(preview.stdout, /2 unchanged/); // the stack and the rotation (providers are not counted)
    assert.equal((await requestCounts(emulator)).total, before, "the preview must not call Cloudflare");
  });

  for (const fixture of RELEASE_STACKS) {
    it(`${fixture.example}: previews with no changes and makes no API call`, async () => {
      const source = path.join(FIXTURES, fixture.dir);
      const app = installPackedProgram({ workDir, example: fixture.example, dirName: fixture.example, tarball });
      const cli = new PulumiCli({
        engineBin: await findEngine(), workDir, passphrase: "release-fixture",
        env: { CLOUDFLARE_API_TOKEN: emulator.apiToken, CLOUDFLARE_BASE_URL: emulator.baseUrl },
      });
      await cli.run(["stack", "init", fixture.stack], app);
      // The fixture's config carries the salt its secrets were encrypted with.
      fs.copyFileSync(path.join(source, "Pulumi.dev.yaml"), path.join(app, "Pulumi.dev.yaml"));
      await cli.run(["stack", "import", "--file", path.join(source, "state.json"), "--stack", fixture.stack], app);
      const before = (await requestCounts(emulator)).total;
      const preview = await cli.run(["preview", "--expect-no-changes", "--diff", "--stack", fixture.stack], app);
      // --expect-no-changes already fails on any change; every resource of the fixture is there.
      assert.match(preview.stdout, new RegExp(`${fixture.unchanged} unchanged`));
      assert.equal((await requestCounts(emulator)).total, before, "the preview must not call Cloudflare");
    });
  }
});
