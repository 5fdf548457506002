/**
 * The one way tests find, wait for and stop the processes of their Pulumi runs, read from Linux's
 * /proc: every process whose working directory is inside the test's work directory (the CLI, the
 * language host, the program and the dynamic providers all run there), so other Pulumi runs on
 * the machine are never counted.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface RunProcess {
  readonly pid: number;
  /** The command line, arguments joined with spaces. */
  readonly command: string;
}

function cwdOf(pid: string): string | undefined {
  try {
    return fs.readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined; // gone, or not ours to read
  }
}

/** The live processes working inside `workDir`. */
export function processesUnder(workDir: string): RunProcess[] {
  const root = fs.realpathSync(workDir);
  const found: RunProcess[] = [];
  for (const pid of fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    const cwd = cwdOf(pid);
    if (!cwd || (cwd !== root && !cwd.startsWith(root + path.sep))) continue;
    let command: string;
    try {
      command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
    } catch {
      continue;
    }
    if (isRunning(Number(pid))) found.push({ pid: Number(pid), command });
  }
  return found;
}

/** The dynamic-provider processes working inside `workDir`, e.g. those a killed `pulumi up` left behind. */
export function dynamicProvidersUnder(workDir: string): RunProcess[] {
  return processesUnder(workDir).filter((p) => p.command.includes(`${path.sep}cmd${path.sep}dynamic-provider`));
}

/**
 * Polls `condition` every `intervalMs`; rejects naming `what` when it is still false after
 * `timeoutMs`.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000, intervalMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Whether a process is still running (a zombie is not). */
export function isRunning(pid: number): boolean {
  try {
    return !/\bState:\s+Z/.test(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}

/** SIGKILLs what a test left behind; the processes are the test's own (see processesUnder). */
export function killAll(processes: readonly RunProcess[]): void {
  for (const { pid } of processes) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}
