/**
 * The package as users get it: `npm pack`, installed into a program's own node_modules, run
 * through the real engine. Also proves that a new version of the package (new serialized
 * provider code) rotates nothing.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findEngine, REPO_ROOT } from "../../scripts/lib/engine";
import { PulumiCli } from "../../scripts/lib/pulumi-cli";
import { createTestWidget, startEmulator, type RunningEmulator } from "../helpers/emulator";
import { E2E_TIMEOUT_MS, requestCounts } from "./harness";

const STACK = "organization/producer/dev";

function versionOf(pkg: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string };
  return manifest.version;
}

/** Packs the repository and installs the tarball into a fresh program directory. */
function installPackedProgram(workDir: string): string {
  const npm = (args: string[], cwd: string) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const tarball = npm(["pack", "--silent", "--pack-destination", workDir], REPO_ROOT).trim().split("\n").pop() ?? "";
  const app = path.join(workDir, "app");
  fs.mkdirSync(app);
  for (const file of ["index.ts", "Pulumi.yaml", "tsconfig.json"]) {
    fs.copyFileSync(path.join(REPO_ROOT, "examples", "producer", file), path.join(app, file));
  }
  const manifest = {
    name: "packed-install-app", private: true, main: "index.ts",
    dependencies: {
      "pulumi-turnstile-rotation": `file:${path.join(workDir, tarball)}`,
      "@pulumi/pulumi": versionOf("@pulumi/pulumi"),
    },
    devDependencies: { typescript: versionOf("typescript"), "ts-node": versionOf("ts-node"), "@types/node": versionOf("@types/node") },
  };
  fs.writeFileSync(path.join(app, "package.json"), JSON.stringify(manifest, null, 2));
  npm(["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], app);
  return app;
}

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
    app = installPackedProgram(workDir);
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

  it("rotates once from the installed package, whose serialized provider only requires it", async () => {
    assert.ok(fs.realpathSync(path.join(app, "node_modules", "pulumi-turnstile-rotation")).startsWith(app), "the package must be a real install, not a link to the repository");
    await cli.run(["up", "--yes", "--stack", STACK], app);
    assert.equal((await requestCounts(emulator)).byRoute["widgets.rotate_secret"], 1);

    const { stdout } = await cli.run(["stack", "export", "--stack", STACK], app);
    const deployment = JSON.parse(stdout) as { deployment: { resources: Array<{ type: string; outputs?: Record<string, unknown> }> } };
    const rotation = deployment.deployment.resources.find((r) => r.type.endsWith(":TurnstileSecretRotation"));
    const provider = String(rotation?.outputs?.__provider ?? "");
    assert.match(provider, /require\("pulumi-turnstile-rotation\/hooks"\)/);
    assert.ok(!provider.includes(REPO_ROOT), "the serialized provider must not point into the source tree");
  });

  it("a new version of the package (changed provider code) rotates nothing", async () => {
    const installed = path.join(app, "node_modules", "pulumi-turnstile-rotation", "dist", "provider");
    const providerFile = path.join(installed, "provider.js");
    const original = fs.readFileSync(providerFile, "utf8");
    const upgraded = original.replace("configure: (req) =>", "configure: (req) => void \"v2\" ||");
    assert.notEqual(upgraded, original, "the simulated upgrade must change the serialized provider");
    fs.writeFileSync(providerFile, upgraded);
    fs.appendFileSync(path.join(installed, "hooks.js"), "\n// simulated new release\n");

    const before = await requestCounts(emulator);
    const preview = await cli.run(["preview", "--diff", "--stack", STACK], app);
    assert.doesNotMatch(preview.stdout, /~ .*TurnstileSecretRotation|to update|to replace/);
    const up = await cli.run(["up", "--yes", "--stack", STACK], app);
    assert.doesNotMatch(up.stdout, /updated|replaced|created/);
    assert.deepEqual((await requestCounts(emulator)).byRoute, before.byRoute);
  });
});
