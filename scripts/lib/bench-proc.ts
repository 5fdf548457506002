/**
 * Peak memory of the dynamic-provider processes of a benchmark run, read from Linux's /proc:
 * every `intervalMs` the sampler looks for `node …/@pulumi/pulumi/cmd/dynamic-provider`
 * processes whose working directory is inside the benchmark's own work directory (so other
 * Pulumi runs on the machine are never counted), and keeps the largest `VmHWM` (the kernel's
 * high-water mark of the process's resident set) it saw for each. Because VmHWM is a peak kept
 * by the kernel, sampling only has to see the process once near its end, not at its peak.
 * On a system without /proc the sampler reports nothing (`undefined`).
 */
import * as fs from "node:fs";
import * as path from "node:path";

const MARKER = `${path.sep}cmd${path.sep}dynamic-provider`;

function read(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined; // the process ended between listing and reading
  }
}

/** VmHWM of a process in bytes, or undefined. */
function peakRss(pid: string): number | undefined {
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(read(`/proc/${pid}/status`) ?? "");
  return match ? Number(match[1]) * 1024 : undefined;
}

/** Samples the dynamic-provider processes started under `rootDir` until stopped. */
export class PeakRssSampler {
  readonly #rootDir: string;
  readonly #peaks = new Map<string, number>();
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
    this.#peaks.clear();
    this.#ignored.clear(); // pids may have been reused since the last run
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), this.intervalMs);
  }

  /** Stops sampling; returns the largest peak RSS (bytes) of any matching process, or undefined. */
  stop(): number | undefined {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#sample();
    return this.#peaks.size === 0 ? undefined : Math.max(...this.#peaks.values());
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
      if (!this.#peaks.has(pid)) {
        const cmdline = read(`/proc/${pid}/cmdline`);
        if (cmdline === undefined) continue;
        if (!cmdline.includes(MARKER)) {
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
          this.#ignored.set(pid, 0); // a dynamic provider, but not ours: settled
          continue;
        }
      }
      const peak = peakRss(pid);
      if (peak !== undefined) this.#peaks.set(pid, Math.max(peak, this.#peaks.get(pid) ?? 0));
    }
  }
}
