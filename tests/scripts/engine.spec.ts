/**
 * scripts/engine.sh's decisions, run for real: a Pulumi CLI on PATH is used as it is, the built
 * engine is reused from its cache, and a machine with neither Pulumi nor Go is told what to do.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../../scripts/lib/engine";

const SCRIPT = path.join(REPO_ROOT, "scripts", "engine.sh");

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
    const result = engine({ ...process.env, PATH: "/usr/bin:/bin", HOME: scratch, PULUMI_TURNSTILE_ENGINE_HOME: scratch });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /neither the Pulumi CLI nor Go was found/);
    assert.match(result.stderr, /https:\/\/www\.pulumi\.com\/docs\/install\//);
  });

  it("uses a Pulumi CLI that is on PATH with its language host, and prints its directory last", () => {
    for (const name of ["pulumi", "pulumi-language-nodejs"]) {
      fs.writeFileSync(path.join(scratch, name), "#!/bin/sh\necho v3.999.0\n", { mode: 0o755 });
    }
    const result = engine({ ...process.env, PATH: `${scratch}:/usr/bin:/bin` });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.lines[result.lines.length - 1], scratch);
    assert.match(result.stderr, /using the Pulumi CLI on PATH/);
  });

  it("is idempotent: a second run reuses the cached build and prints the same directory", () => {
    const env = { ...process.env, PULUMI_TURNSTILE_BUILD_ENGINE: "1" }; // ignore a pulumi on PATH
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
  });
});
