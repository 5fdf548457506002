/**
 * Finds the Pulumi engine for the demo, the tests and the benchmark: runs `scripts/engine.sh`
 * (cached after its first build; or the engine PULUMI_TURNSTILE_ENGINE_BIN names, see
 * docs/engine.md) and returns the directory to put on PATH. Fails with the script's own
 * explanation when no engine can be had: callers must never skip silently.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";

/** The repository root (this file lives in scripts/lib). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

let cached: Promise<string> | undefined;

function runEngineScript(showProgress: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [path.join(REPO_ROOT, "scripts", "engine.sh")], { cwd: REPO_ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (showProgress) process.stderr.write(chunk);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const lines = stdout.trim().split("\n");
      if (code === 0 && lines[lines.length - 1]) return resolve(lines[lines.length - 1]);
      reject(new Error(`the Pulumi engine is not available, so nothing can run through it (engine.sh exit ${code}):\n${stderr.trim()}\nRun \`npm run engine\` to see why.`));
    });
  });
}

/** The directory holding `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs`. */
export function findEngine(options: { showProgress?: boolean } = {}): Promise<string> {
  cached ??= runEngineScript(options.showProgress ?? false);
  return cached;
}
