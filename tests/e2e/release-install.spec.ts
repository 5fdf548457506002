/**
 * The release installed the way Pulumi users install providers, offline: a local HTTP server over
 * the directory `npm run release` writes stands in for the project's GitHub releases; every
 * program runs with a fresh PULUMI_HOME and a PATH holding the engine, the machine's own Node.js
 * and Python, and nothing of this clone.
 *
 * - YAML: `pulumi plugin install resource turnstile-rotation v<version> --server <url>`, then
 *   `pulumi up` rotates, with the token in the plugin's own config namespace.
 * - Python: the SDK installed from the release's wheel; the plugin is missing, and the engine
 *   fetches it by itself during `pulumi up`, from the SDK's pluginDownloadURL redirected to the
 *   local server by PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES (as a mirror would be configured).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { findEngine } from "../../scripts/lib/engine";
import { PulumiCli } from "../../scripts/lib/pulumi-cli";
import { liveSecret, rotateCalls } from "../helpers/control";
import { createTestWidget, startEmulator, type RunningEmulator } from "../helpers/emulator";
import { E2E_TIMEOUT_MS } from "./harness";
import { yamlHostBin } from "./plugin-harness";
import { sha256, useCachedVenv } from "./python-venv";
import { VERSION, releaseDir, serveRelease, userPath, type ReleaseServer } from "./release-assets";

const ARCH = ({ x64: "amd64", arm64: "arm64" } as Record<string, string>)[process.arch] ?? process.arch;
const ASSET = `/pulumi-resource-turnstile-rotation-v${VERSION}-linux-${ARCH}.tar.gz`;
const stackOf = (example: string) => `organization/${example}/dev`;

describe("e2e: the release, installed offline as users install providers", function () {
  this.timeout(E2E_TIMEOUT_MS);
  let emulator: RunningEmulator;
  let server: ReleaseServer;
  let release: string;
  let workRoot: string;
  const clis: PulumiCli[] = [];
  const seen: string[] = [];

  /** A CLI with its own PULUMI_HOME and backend, and a user's PATH. */
  async function userCli(name: string, env: Record<string, string>): Promise<{ cli: PulumiCli; workDir: string }> {
    const workDir = path.join(workRoot, name);
    fs.mkdirSync(workDir);
    const cli = new PulumiCli({
      engineBin: await findEngine(), workDir, passphrase: "release-e2e",
      extraBins: [yamlHostBin()], path: userPath(workDir), env: { CLOUDFLARE_API_TOKEN: "", CLOUDFLARE_BASE_URL: "", ...env },
    });
    clis.push(cli);
    return { cli, workDir };
  }

  /** Copies an example (no node_modules, no link to this clone) and creates its stack. */
  async function project(cli: PulumiCli, workDir: string, example: string, sitekey: string): Promise<string> {
    const dir = path.join(workDir, example);
    fs.cpSync(path.join(__dirname, "..", "..", "examples", example), dir, { recursive: true });
    await cli.run(["stack", "init", stackOf(example)], dir);
    for (const [key, value] of Object.entries({ accountId: emulator.accountId, sitekey, rotationTrigger: "1" })) {
      await cli.run(["config", "set", "--stack", stackOf(example), key, value], dir);
    }
    return dir;
  }

  before(async () => {
    release = releaseDir();
    server = await serveRelease(release);
    emulator = await startEmulator();
    workRoot = fs.mkdtempSync(path.join(path.dirname(release), "turnstile-release-install-"));
  });
  after(async () => {
    await server?.close();
    await emulator?.stop();
    if (workRoot) fs.rmSync(workRoot, { recursive: true, force: true });
  });

  it("every platform's archive holds its launcher and the same bundle, schema and version; checksums match", () => {
    const bundles = new Set<string>();
    for (const os of ["linux", "darwin", "windows"]) {
      for (const arch of ["amd64", "arm64"]) {
        const name = `pulumi-resource-turnstile-rotation-v${VERSION}-${os}-${arch}.tar.gz`;
        const dir = path.join(workRoot, "archives", `${os}-${arch}`);
        fs.mkdirSync(dir, { recursive: true });
        execFileSync("tar", ["-xzf", path.join(release, name), "-C", dir]);
        const launcher = os === "windows" ? "pulumi-resource-turnstile-rotation.cmd" : "pulumi-resource-turnstile-rotation";
        assert.deepEqual(fs.readdirSync(dir).sort(), ["LICENSE", "package.json", "plugin.js", launcher, "schema.json"].sort(), name);
        const text = fs.readFileSync(path.join(dir, launcher), "utf8");
        if (os === "windows") {
          assert.match(text, /^@echo off\r\n/);
          assert.match(text, /\r\nnode "%~dp0plugin\.js" %\*\r\n$/, `${name}: the .cmd runs plugin.js next to it with every argument`);
        } else {
          assert.ok((fs.statSync(path.join(dir, launcher)).mode & 0o111) !== 0, `${name}: the launcher is executable`);
          assert.match(text, /^#!\/bin\/sh\n[\s\S]*exec node "\$\(dirname "\$0"\)\/plugin\.js" "\$@"\n$/);
        }
        assert.equal((JSON.parse(fs.readFileSync(path.join(dir, "schema.json"), "utf8")) as { version: string }).version, VERSION, name);
        assert.equal((JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version, VERSION, name);
        bundles.add(sha256(fs.readFileSync(path.join(dir, "plugin.js")).toString("base64")));
      }
    }
    assert.equal(bundles.size, 1, "one bundle for every platform");
    execFileSync("sha256sum", ["--check", "--quiet", "checksums.txt"], { cwd: release });
  });

  it("nothing of the clone is on the programs' PATH, and no plugin either", async () => {
    const { cli } = await userCli("path-check", {});
    const env = cli.environment();
    const repo = fs.realpathSync(path.join(__dirname, "..", ".."));
    for (const dir of (env.PATH ?? "").split(path.delimiter)) {
      assert.ok(!fs.realpathSync(dir).startsWith(repo), `${dir} is inside the clone`);
      assert.equal(fs.existsSync(path.join(dir, "pulumi-resource-turnstile-rotation")), false, `${dir} holds a plugin`);
    }
  });

  it("YAML: `pulumi plugin install --server` from the release, then `pulumi up` rotates once", async () => {
    const widget = await createTestWidget(emulator, { name: "yaml form" });
    const { cli, workDir } = await userCli("yaml", {});
    await cli.run(["plugin", "install", "resource", "turnstile-rotation", `v${VERSION}`, "--server", server.url], workDir);
    assert.ok(server.requested.includes(ASSET), `the CLI fetched ${server.requested.join(", ")}`);
    const dir = await project(cli, workDir, "producer-yaml", widget.sitekey);
    const STACK = stackOf("producer-yaml");
    await cli.setSecret(dir, STACK, "turnstile-rotation:apiToken", emulator.apiToken);
    await cli.run(["config", "set", "--stack", STACK, "turnstile-rotation:baseUrl", emulator.baseUrl], dir);
    const up = await cli.run(["up", "--yes", "--stack", STACK], dir);
    assert.match(up.stdout, /turnstile-rotation:index:TurnstileSecretRotation +login-form +created/);
    assert.doesNotMatch(up.stdout + up.stderr, /pulumi-resource-turnstile-rotation from \$PATH/, "an installed plugin is not an ambient one: no warning");
    assert.equal(await rotateCalls(emulator), 1);
    const secret = liveSecret(emulator, widget.sitekey);
    seen.push(secret);
    assert.equal((await cli.outputs(dir, STACK, true)).turnstileSecret, secret);
    assert.equal((await cli.outputs(dir, STACK)).turnstileSecret, "[secret]");
    await cli.run(["preview", "--expect-no-changes", "--stack", STACK], dir);
  });

  it("Python: the SDK from the release's wheel; the engine downloads the missing plugin during `pulumi up`", async () => {
    const widget = await createTestWidget(emulator, { name: "python form" });
    const override = `^github://api.github.com/pulumi-turnstile-rotation(/.*)?$=${server.url}`;
    const { cli, workDir } = await userCli("python", {
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "false", PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES: override,
      CLOUDFLARE_API_TOKEN: emulator.apiToken, CLOUDFLARE_BASE_URL: emulator.baseUrl,
    });
    const dir = await project(cli, workDir, "producer-python", widget.sitekey);
    const STACK = stackOf("producer-python");
    const wheel = fs.readdirSync(release).find((file) => file.endsWith(".whl"));
    assert.ok(wheel, "the release has a wheel");
    const file = path.join(dir, "requirements.txt");
    const requirements = fs.readFileSync(file, "utf8").replace(/^\.\.\/\.\.\/sdk\/python$/m, path.join(release, wheel));
    assert.ok(requirements.includes(wheel), "examples/producer-python/requirements.txt should name ../../sdk/python");
    fs.writeFileSync(file, requirements);
    useCachedVenv(dir, requirements.replace(path.join(release, wheel), wheel), sha256(fs.readFileSync(path.join(release, wheel)).toString("base64")));
    await cli.run(["install"], dir);
    const fetched = server.requested.length;
    const before = await rotateCalls(emulator);
    const up = await cli.run(["up", "--yes", "--stack", STACK], dir);
    assert.ok(server.requested.slice(fetched).includes(ASSET), `the engine should have fetched ${ASSET}: ${server.requested.slice(fetched).join(", ") || "nothing"}`);
    assert.match(up.stdout, /turnstile-rotation:index:TurnstileSecretRotation +login-form +created/);
    assert.equal(await rotateCalls(emulator), before + 1);
    const secret = liveSecret(emulator, widget.sitekey);
    seen.push(secret);
    assert.equal((await cli.outputs(dir, STACK, true)).turnstileSecret, secret);
    const installed = fs.readdirSync(path.join(workDir, "pulumi-home", "plugins"));
    assert.ok(installed.includes(`resource-turnstile-rotation-v${VERSION}`), `installed plugins: ${installed.join(", ")}`);
  });

  it("nothing any program printed holds a secret or the token", () => {
    const values = [emulator.apiToken, ...seen];
    for (const entry of clis.flatMap((cli) => cli.transcript)) {
      for (const value of values) assert.equal(entry.includes(value), false, `\`${entry.split("\n")[0]}\` printed a secret or the token`);
    }
  });
});
