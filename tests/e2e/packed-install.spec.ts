/**
 * The package as users get it: `npm pack`, installed into a program's own node_modules, run
 * through the real engine. Also proves that a new version of the package (new serialized
 * provider code) rotates nothing.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findEngine, REPO_ROOT } from "../../scripts/lib/engine";
import { installPackedProgram } from "../../scripts/lib/packed-install";
import { PulumiCli } from "../../scripts/lib/pulumi-cli";
import { createTestWidget, startEmulator, type RunningEmulator } from "../helpers/emulator";
import { requestCounts } from "../helpers/control";
import { runCommand } from "../helpers/command";
import { E2E_TIMEOUT_MS } from "./harness";

const STACK = "organization/producer/dev";

describe("e2e: installed with npm pack into a program's node_modules", function () {
  this.timeout(E2E_TIMEOUT_MS);
  let emulator: RunningEmulator;
  let workDir: string;
  let app: string;
  let cli: PulumiCli;

  before(async () => {
    const engineBin = await findEngine();
    emulator = await startEmulator();
    const widget = await createTestWidget(emulator);
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "turnstile-packed-"));
    app = installPackedProgram({ workDir, example: "producer" });
    cli = new PulumiCli({
      engineBin, workDir, passphrase: "packed",
      env: { CLOUDFLARE_API_TOKEN: emulator.apiToken, CLOUDFLARE_BASE_URL: emulator.baseUrl },
    });
    await cli.initStack(app, STACK, { accountId: emulator.accountId, sitekey: widget.sitekey, rotationTrigger: "2026-11" });
  });
  after(async () => {
    await emulator?.stop();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  type Deployment = { deployment: { resources: Array<{ type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }> } };
  async function exported(): Promise<Deployment> {
    return JSON.parse((await cli.run(["stack", "export", "--stack", STACK], app)).stdout) as Deployment;
  }
  const rotationOf = (d: Deployment) => d.deployment.resources.find((r) => r.type.endsWith(":TurnstileSecretRotation"));

  it("rotates once from the installed package, whose serialized provider is only a require of it", async () => {
    assert.ok(fs.realpathSync(path.join(app, "node_modules", "pulumi-turnstile-rotation")).startsWith(app), "the package must be a real install, not a link to the repository");
    await cli.run(["up", "--yes", "--stack", STACK], app);
    assert.equal((await requestCounts(emulator)).byRoute["widgets.rotate_secret"], 1);
    const provider = String(rotationOf(await exported())?.outputs?.__provider ?? "");
    assert.match(provider, /require\("pulumi-turnstile-rotation\/hooks"\)/);
    assert.ok(provider.length < 600, `the serialized provider should be tiny, got ${provider.length} bytes`);
    assert.ok(!provider.includes(REPO_ROOT), "the serialized provider must not point into the source tree");
  });

  it("the installed turnstile-rotation command reports the stack's status through the Automation API", async () => {
    const plan = path.join(workDir, "plan.yaml");
    fs.writeFileSync(plan, `producer: {dir: ./app, stack: ${STACK}}\nconsumers:\n  - {dir: ./app, stack: organization/producer/never-deployed}\n`);
    const command = path.join(app, "node_modules", ".bin", "turnstile-rotation");
    const env = { ...cli.env, TURNSTILE_SITEVERIFY_URL: `${emulator.origin}/turnstile/v0/siteverify` };
    const result = await runCommand(command, ["status", "--json", "--plan", plan], { cwd: workDir, env });
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as { producer: { accepted: boolean | null }; consumers: Array<{ holds: string }> };
    assert.equal(report.producer.accepted, true);
    assert.deepEqual(report.consumers.map((c) => c.holds), ["none"]);
  });

  it("a new release (changed hook code) rotates nothing and leaves the state as it is", async () => {
    const before = rotationOf(await exported());
    const hooksFile = path.join(app, "node_modules", "pulumi-turnstile-rotation", "dist", "provider", "hooks.js");
    // New code that announces itself when the engine's dynamic provider loads it: proof that the
    // new release is what runs, while nothing it stored changes.
    fs.appendFileSync(hooksFile, "\nprocess.stderr.write(\"hooks of the simulated new release loaded\\n\");\n");
    const calls = await requestCounts(emulator);
    const preview = await cli.run(["preview", "--diff", "--stack", STACK], app);
    assert.match(preview.stdout + preview.stderr, /hooks of the simulated new release loaded/);
    assert.doesNotMatch(preview.stdout, /to update|to replace|to create/);
    const up = await cli.run(["up", "--yes", "--stack", STACK], app);
    assert.doesNotMatch(up.stdout, /updated|replaced|created/);
    assert.deepEqual((await requestCounts(emulator)).byRoute, calls.byRoute);
    const after = rotationOf(await exported());
    assert.equal(after?.outputs?.__provider, before?.outputs?.__provider, "the serialized provider did not change");
    assert.equal(after?.inputs?.__provider, before?.inputs?.__provider);
    assert.equal(after?.outputs?.rotatedAt, before?.outputs?.rotatedAt);
  });

  it("a different serialized provider in state (an older release, a source install) rotates nothing", async () => {
    const deployment = await exported();
    const rotation = rotationOf(deployment);
    assert.ok(rotation?.inputs && rotation.outputs);
    const older = "exports.handler = () => require(\"pulumi-turnstile-rotation/hooks\"); // an older release";
    rotation.inputs.__provider = older;
    rotation.outputs.__provider = older;
    const file = path.join(workDir, "older-provider.json");
    fs.writeFileSync(file, JSON.stringify(deployment));
    await cli.run(["stack", "import", "--file", file, "--stack", STACK], app);
    const calls = await requestCounts(emulator);
    const up = await cli.run(["up", "--yes", "--stack", STACK], app);
    assert.doesNotMatch(up.stdout, /updated|replaced|created/);
    assert.deepEqual((await requestCounts(emulator)).byRoute, calls.byRoute);
  });
});
