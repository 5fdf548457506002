/**
 * Runs a command to its end and collects what it printed, for tests that check exit codes and
 * output of a command other than `pulumi` (which scripts/lib/pulumi-cli.ts drives).
 */
import { spawn, type SpawnOptions } from "node:child_process";

/** How a command ended and what it printed. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command` with no input; resolves with its exit code (1 when killed), never rejects on a failure exit. */
export function runCommand(command: string, args: readonly string[], options: SpawnOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
