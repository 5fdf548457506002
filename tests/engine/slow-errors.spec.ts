/**
 * Why some program errors are reported 20-75 s late (docs/engine.md, "Errors are reported
 * late"): not the language host, but Node's util.inspect looping on a stack frame that
 * @pulumi/pulumi's source maps produce, inside cmd/run. The reproduction in fixtures/inspect-loop
 * must still loop on the Node the tests run programs with; when it stops looping (a Node with
 * nodejs/node#64022), this test fails so that the docs row is updated.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "../../scripts/lib/engine";

const REPRO = path.join(__dirname, "fixtures", "inspect-loop", "repro.js");
const NODE = path.join(REPO_ROOT, "node_modules", ".bin", "node"); // the Node programs run with

/**
 * Runs the reproduction for at most `ms` (or until its first line, with `firstLineOnly`); returns
 * that line and whether the process was still busy when it was stopped.
 */
function runRepro(mode: string, ms: number, firstLineOnly = false): Promise<{ firstLine: string; stillRunning: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [REPRO, mode], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (firstLineOnly && out.includes("\n")) child.kill("SIGKILL");
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), ms);
    child.on("error", reject);
    child.on("close", (_code, signal) => {
      clearTimeout(timer);
      resolve({ firstLine: out.split("\n")[0], stillRunning: signal === "SIGKILL" });
    });
  });
}

describe("engine: slow error reports come from Node and @pulumi/pulumi, not the host", function () {
  this.timeout(30_000);

  it("@pulumi/pulumi's source maps name a frame node_modules/@pulumi/<file> (no package directory)", async () => {
    const { firstLine } = await runRepro("pulumi", 10_000, true);
    assert.match(firstLine, /node_modules\/@pulumi\/config\.ts:\d+/);
  });

  it("Node's colored util.inspect of such a stack is still busy after 3 s (it should take milliseconds)", async () => {
    const { firstLine, stillRunning } = await runRepro("node", 3_000);
    assert.match(firstLine, /node_modules\/@scope\/config\.ts/);
    assert.ok(stillRunning, "util.inspect finished: this Node is fixed, update docs/engine.md's row on late errors");
  });
});
