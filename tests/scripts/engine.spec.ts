/**
 * scripts/engine.sh's decisions, run for real: PULUMI_TURNSTILE_ENGINE_BIN names the engine, a
 * Pulumi CLI on PATH is used as it is, the built engine is reused from its cache (with upstream's
 * own dynamic-provider launchers), and a machine with neither Pulumi nor Go is told what to do.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../../scripts/lib/engine";

const SCRIPT = path.join(REPO_ROOT, "scripts", "engine.sh");
/** This process's environment without an engine named for the other suites. */
const { PULUMI_TURNSTILE_ENGINE_BIN: _named, ...ENV } = process.env;

function engine(env: NodeJS.ProcessEnv): { code: number; lines: string[]; stderr: string } {
  const result = spawnSync("bash", [SCRIPT], { env, encoding: "utf8", timeout: 15 * 60 * 1000 });
  return { code: result.status ?? 1, lines: result.stdout.trim().split("\n"), stderr: result.stderr };
}

describe("scripts/engine.sh", function () {
  this.timeout(15 * 60 * 1000);
  let scratch: string;
  beforeEach(() => (scratch = fs.mkdtempSync(path.join(os.tmpdir(), "engine-sh-"))));
  afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it("with neither Pulumi nor Go on PATH, fails and says how to install Pulumi", () => {
    const result = engine({ ...ENV, PATH: "/usr/bin:/bin", HOME: scratch, PULUMI_TURNSTILE_ENGINE_HOME: scratch });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /neither the Pulumi CLI nor Go was found/);
    assert.match(result.stderr, /https:\/\/www\.pulumi\.com\/docs\/install\//);
  });

  it("uses the engine PULUMI_TURNSTILE_ENGINE_BIN names, before any pulumi on PATH", () => {
    for (const name of ["pulumi", "pulumi-language-nodejs"]) {
      fs.writeFileSync(path.join(scratch, name), "#!/bin/sh\necho v3.999.0\n", { mode: 0o755 });
    }
    const result = engine({ ...ENV, PULUMI_TURNSTILE_ENGINE_BIN: scratch });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.lines[result.lines.length - 1], scratch);
    assert.match(result.stderr, /using the engine in PULUMI_TURNSTILE_ENGINE_BIN: v3\.999\.0/);
  });

  it("fails, naming what is missing, when PULUMI_TURNSTILE_ENGINE_BIN has no language host", () => {
    fs.writeFileSync(path.join(scratch, "pulumi"), "#!/bin/sh\necho v3.999.0\n", { mode: 0o755 });
    const result = engine({ ...ENV, PULUMI_TURNSTILE_ENGINE_BIN: scratch });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /has no executable pulumi-language-nodejs/);
  });

  it("uses a Pulumi CLI that is on PATH with its language host, and prints its directory last", () => {
    for (const name of ["pulumi", "pulumi-language-nodejs"]) {
      fs.writeFileSync(path.join(scratch, name), "#!/bin/sh\necho v3.999.0\n", { mode: 0o755 });
    }
    const result = engine({ ...ENV, PATH: `${scratch}:/usr/bin:/bin` });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.lines[result.lines.length - 1], scratch);
    assert.match(result.stderr, /using the Pulumi CLI on PATH/);
  });

  it("is idempotent: a second run reuses the cached build and prints the same directory", () => {
    const env = { ...ENV, PULUMI_TURNSTILE_BUILD_ENGINE: "1" }; // ignore a pulumi on PATH
    const first = engine(env);
    assert.equal(first.code, 0, first.stderr);
    const second = engine(env);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /cached engine v3\.274\.1 found/);
    const dir = second.lines[second.lines.length - 1];
    assert.equal(dir, first.lines[first.lines.length - 1]);
    for (const binary of ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs", "pulumi-language-python"]) {
      assert.ok(fs.statSync(path.join(dir, binary)).mode & 0o100, `${binary} is executable`);
    }
    // The dynamic-provider launchers are upstream's, from the sdk/v3 module the CLI is built with.
    const sdk = execFileSync("go", ["list", "-m", "-f", "{{.Dir}}", "github.com/pulumi/pulumi/sdk/v3"], { cwd: path.join(REPO_ROOT, "engine"), encoding: "utf8" }).trim();
    for (const [launcher, from] of [["pulumi-resource-pulumi-nodejs", "nodejs"], ["pulumi-resource-pulumi-python", "python"]]) {
      assert.equal(fs.readFileSync(path.join(dir, launcher), "utf8"), fs.readFileSync(path.join(sdk, from, "dist", launcher), "utf8"), launcher);
    }
  });
});
