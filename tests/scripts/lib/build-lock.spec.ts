/**
 * scripts/lib/build-lock.sh, the lock engine.sh and yaml-host.sh take around a build: two builds
 * of one cache directory never overlap, a failed build releases the lock, and a lock left by a
 * killed build is taken over instead of blocking every later build.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../../../scripts/lib/engine";

const LIB = path.join(REPO_ROOT, "scripts", "lib", "build-lock.sh");

/** Runs `body` in bash under the lock; resolves with the exit code and stderr. */
function locked(lock: string, body: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", `set -euo pipefail; source "${LIB}"; acquire_build_lock "${lock}" test; ${body}`]);
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stderr }));
  });
}

describe("scripts/lib/build-lock.sh", function () {
  this.timeout(30_000);
  let scratch: string;
  let lock: string;
  beforeEach(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "build-lock-"));
    lock = path.join(scratch, "cache", "engine.lock");
  });
  afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it("two builds at once run one after the other, and the lock is gone afterwards", async () => {
    const log = path.join(scratch, "log");
    const body = (name: string) => `echo "start ${name}" >> "${log}"; sleep 1; echo "end ${name}" >> "${log}"`;
    const results = await Promise.all([locked(lock, body("a")), locked(lock, body("b"))]);
    assert.deepEqual(results.map((r) => r.code), [0, 0]);
    const lines = fs.readFileSync(log, "utf8").trim().split("\n");
    assert.equal(lines.length, 4);
    for (let i = 0; i < 4; i += 2) {
      assert.equal(lines[i + 1], lines[i].replace("start", "end"), `interleaved: ${lines.join(", ")}`);
    }
    assert.match(results.map((r) => r.stderr).join(""), /waiting for another build \(process \d+\) to finish/);
    assert.equal(fs.existsSync(lock), false);
  });

  it("a build that fails releases the lock", async () => {
    assert.equal((await locked(lock, "exit 3")).code, 3);
    assert.equal(fs.existsSync(lock), false);
  });

  it("a lock whose process is gone is taken over at once", async () => {
    const gone = spawnSync("bash", ["-c", "echo $$"], { encoding: "utf8" }).stdout.trim();
    fs.mkdirSync(lock, { recursive: true });
    fs.writeFileSync(path.join(lock, "pid"), `${gone}\n`);
    const started = Date.now();
    const result = await locked(lock, "true");
    assert.equal(result.code, 0);
    assert.ok(Date.now() - started < 5000, "the stale lock should not be waited for");
    assert.match(result.stderr, new RegExp(`taking over the lock of process ${gone}, which is gone`));
  });
});
