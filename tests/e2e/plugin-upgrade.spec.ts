/**
 * Upgrading from the release before the provider plugin: a TypeScript stack written by release
 * 0.1.0 (tests/fixtures/release-0.1.0) previews with no changes and no API call once the program
 * installs the current package (packed as users get it). The dynamic resource keeps its type
 * token and state; the plugin is a second front door beside it, not a replacement.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT, findEngine } from "../../scripts/lib/engine";
import { installPackedProgram } from "../../scripts/lib/packed-install";
import { PulumiCli } from "../../scripts/lib/pulumi-cli";
import { startEmulator, type RunningEmulator } from "../helpers/emulator";
import { E2E_TIMEOUT_MS, requestCounts } from "./harness";

const FIXTURE = path.join(REPO_ROOT, "tests", "fixtures", "release-0.1.0");
const STACK = "organization/producer/dev";

describe("e2e: a stack from release 0.1.0 after upgrading to this package", function () {
  this.timeout(E2E_TIMEOUT_MS);
  let emulator: RunningEmulator;
  let workDir: string;

  before(async () => {
    emulator = await startEmulator();
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "turnstile-upgrade-"));
  });
  after(async () => {
    await emulator?.stop();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("previews with no changes and makes no API call", async () => {
    const app = installPackedProgram({ workDir, example: "producer" });
    const cli = new PulumiCli({
      engineBin: await findEngine(), workDir, passphrase: "release-fixture",
      env: { CLOUDFLARE_API_TOKEN: emulator.apiToken, CLOUDFLARE_BASE_URL: emulator.baseUrl },
    });
    await cli.run(["stack", "init", STACK], app);
    // The fixture's config carries the salt its secrets were encrypted with.
    fs.copyFileSync(path.join(FIXTURE, "Pulumi.dev.yaml"), path.join(app, "Pulumi.dev.yaml"));
    await cli.run(["stack", "import", "--file", path.join(FIXTURE, "state.json"), "--stack", STACK], app);
    const preview = await cli.run(["preview", "--expect-no-changes", "--diff", "--stack", STACK], app);
    // --expect-no-changes already fails on any change; the stack and the rotation are both there.
    assert.match(preview.stdout, /2 unchanged/);
    assert.equal((await requestCounts(emulator)).total, 0, "the preview must not call Cloudflare");
  });
});
