/**
 * Peak memory and CPU time of a benchmark run's processes, read from Linux's /proc: every
 * `intervalMs` the sampler looks for the `pulumi` CLI (the engine), the program
 * (`node …/@pulumi/pulumi/cmd/run`) and the dynamic provider (`node …/cmd/dynamic-provider`) whose
 * working directory is inside the benchmark's own work directory (so other Pulumi runs on the
 * machine are never counted), and keeps the largest `VmHWM` (the kernel's high-water mark of the
 * process's resident set) and the latest CPU time (user + system) it saw for each. VmHWM is a
 * peak kept by the kernel, so sampling only has to see the process once near its end; CPU time
 * misses at most the last interval of each process. CPU time, unlike wall time, barely moves when
 * other work shares the machine, so it says where a run's cost goes even on a busy machine.
 * On a system without /proc the sampler reports nothing (`undefined`).
 */
import * as fs from "node:fs";
import * as path from "node:path";

const MARKER = `${path.sep}cmd${path.sep}dynamic-provider`;
const PROGRAM_MARKER = `${path.sep}cmd${path.sep}run`;
/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ: 100 on every Linux port but Alpha). */
const TICKS_PER_SECOND = 100;

/** Which process of a run: the dynamic provider, the program, or the CLI (which runs the engine in-process). */
export type Role = "provider" | "program" | "cli";

/** The role of a process by its command line (NUL-separated), if it has one. */
function roleOf(cmdline: string): Role | undefined {
  if (cmdline.includes(MARKER)) return "provider";
  if (cmdline.includes(PROGRAM_MARKER)) return "program";
  return path.basename(cmdline.split("\0")[0] ?? "") === "pulumi" ? "cli" : undefined;
}

/** What a role's processes used: the largest peak RSS (bytes) and the sum of CPU times (s). */
export type Usage = Partial<Record<Role, { readonly peakRssBytes: number; readonly cpuSeconds: number }>>;

function read(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined; // the process ended between listing and reading
  }
}

/** User + system CPU time of a process in seconds, or undefined. */
function cpuSeconds(pid: string): number | undefined {
  const stat = read(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // Fields after the command name, which may hold spaces and ends at the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks / TICKS_PER_SECOND : undefined;
}

/** VmHWM of a process in bytes, or undefined. */
function peakRss(pid: string): number | undefined {
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(read(`/proc/${pid}/status`) ?? "");
  return match ? Number(match[1]) * 1024 : undefined;
}

/** Samples the CLI, program and dynamic-provider processes started under `rootDir` until stopped. */
export class PeakRssSampler {
  readonly #rootDir: string;
  readonly #seen = new Map<string, { role: Role; bytes: number; cpu: number }>();
  /**
   * Processes that are not our dynamic provider, with when they were first seen. A command line
   * changes only by exec, which follows a fork within milliseconds: a process is looked at again
   * until it is a second old, so a launcher caught between fork and exec is not missed.
   */
  readonly #ignored = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;

  constructor(rootDir: string, private readonly intervalMs = 150) {
    this.#rootDir = fs.realpathSync(rootDir);
  }

  /** Whether this system has /proc to read. */
  static get supported(): boolean {
    return fs.existsSync("/proc/self/status");
  }

  start(): void {
    if (!PeakRssSampler.supported) return;
    this.#seen.clear();
    this.#ignored.clear(); // pids may have been reused since the last run
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), this.intervalMs);
  }

  /** Stops sampling; returns each role's largest peak RSS and total CPU time. */
  stop(): Usage {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#sample();
    const usage: Usage = {};
    for (const { role, bytes, cpu } of this.#seen.values()) {
      const before = usage[role];
      usage[role] = { peakRssBytes: Math.max(bytes, before?.peakRssBytes ?? 0), cpuSeconds: cpu + (before?.cpuSeconds ?? 0) };
    }
    return usage;
  }

  #sample(): void {
    let pids: string[];
    try {
      pids = fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name));
    } catch {
      return;
    }
    const now = Date.now();
    const ignore = (pid: string) => {
      if (!this.#ignored.has(pid)) this.#ignored.set(pid, now);
    };
    for (const pid of pids) {
      const firstSeen = this.#ignored.get(pid);
      if (firstSeen !== undefined && now - firstSeen > 1000) continue;
      let role = this.#seen.get(pid)?.role;
      if (role === undefined) {
        const cmdline = read(`/proc/${pid}/cmdline`);
        if (cmdline === undefined) continue;
        role = roleOf(cmdline);
        if (role === undefined) {
          // The launcher script execs node: keep looking at it until it has.
          if (!cmdline.includes("pulumi-resource-pulumi-nodejs")) ignore(pid);
          continue;
        }
        let cwd: string;
        try {
          cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
        } catch {
          continue;
        }
        if (cwd !== this.#rootDir && !cwd.startsWith(this.#rootDir + path.sep)) {
          this.#ignored.set(pid, 0); // a CLI, program or dynamic provider, but not ours: settled
          continue;
        }
      }
      const [peak, cpu] = [peakRss(pid), cpuSeconds(pid)];
      const before = this.#seen.get(pid);
      if (peak !== undefined && cpu !== undefined) this.#seen.set(pid, { role, bytes: Math.max(peak, before?.bytes ?? 0), cpu: Math.max(cpu, before?.cpu ?? 0) });
    }
  }
}
