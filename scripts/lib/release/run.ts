/** Runs a build tool for the release, failing with its output (no credential ever reaches a release step). */
import { spawnSync } from "node:child_process";

/** Runs `command` in `cwd`; returns its stdout, or throws with everything it printed. */
export function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw new Error(`${command} could not be started: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status}) in ${cwd}:\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}
