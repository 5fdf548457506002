/**
 * The benchmark's Cloudflare: the in-process emulator on 127.0.0.1, widgets created straight in
 * its store (so setting up N widgets costs neither API calls nor rate-limit budget), latency
 * injected on every API request, and a log of every API request with its arrival time, answer
 * time, status and account, from which throughput, 429s and per-token budgets are measured.
 *
 * Its clock runs in real time (its rate limit must see real seconds) but may lag behind real time
 * (`lagMs`): moving it forward past a grace period then never puts it ahead of the provider's own
 * clock, so the provider sees what it would see in a real rotation two hours (or a month) later,
 * and makes no read that only a benchmark's jump in time would cause.
 */
import { parseFaultSpec, type Clock } from "../../emulator";
import { startEmulator, type RunningEmulator } from "../../tests/helpers/emulator";

/** One API request as the emulator served it. */
export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  /** The account in the path (each benchmark token has an account of its own). */
  readonly accountId: string;
  /** Arrival and answer, in ms since the epoch (real time). */
  readonly arrivedMs: number;
  readonly answeredMs: number;
  readonly status: number;
}

/** A running benchmark emulator. */
export interface BenchEmulator {
  readonly running: RunningEmulator;
  /** Every /client/v4 request so far. */
  readonly log: LoggedRequest[];
  /** Creates `count` widgets directly in the store; returns their sitekeys. */
  createWidgets(count: number, accountId?: string): string[];
  /** Sets the emulator's per-token limit (sliding window); forgets past requests. */
  setRateLimit(requests: number, windowSeconds: number): void;
  /** Forgets past requests, as if the next command ran after a quiet window. */
  resetRateWindow(): void;
  /** Delays every API request by `ms` before answering it (0: none). */
  setLatency(ms: number): void;
  /** API requests logged since `since` (an index into `log`), by kind `METHOD route`. */
  callsSince(since: number): { total: number; byKind: Record<string, number> };
  stop(): Promise<void>;
}

/** Options of {@link startBenchEmulator}. */
export interface BenchEmulatorOptions {
  /** How far the emulator's clock starts behind real time (ms, default 0). */
  readonly lagMs?: number;
  /** Extra tokens, each limited to its accounts (and counted on its own by the rate limit). */
  readonly tokens?: Record<string, string[]>;
}

/** Real time minus a lag that `advance` shrinks. */
class LaggingClock implements Clock {
  #offsetMs: number;

  constructor(lagMs: number) {
    this.#offsetMs = -lagMs;
  }

  now(): number {
    return Date.now() + this.#offsetMs;
  }

  advance(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError(`the clock only moves forward, not by ${seconds} s`);
    this.#offsetMs += seconds * 1000;
  }
}

/** `rotate_secret`, `widget` (one widget), `widgets` (the collection): what a request was about. */
export function requestKind(method: string, path: string): string {
  if (path.endsWith("/rotate_secret")) return `${method} rotate_secret`;
  if (/\/challenges\/widgets\/[^/]+$/.test(path)) return `${method} widget`;
  if (path.endsWith("/challenges/widgets")) return `${method} widgets`;
  return `${method} other`;
}

/** A latency fault for every API request; a million uses outlast any benchmark run. */
const EVERY_REQUEST = 1_000_000;

export async function startBenchEmulator(options: BenchEmulatorOptions = {}): Promise<BenchEmulator> {
  const running = await startEmulator({ clock: new LaggingClock(options.lagMs ?? 0), ...(options.tokens ? { tokens: options.tokens } : {}) });
  const { emulator } = running;
  const log: LoggedRequest[] = [];
  emulator.server.on("request", (req, res) => {
    const arrivedMs = Date.now();
    const path = new URL(req.url ?? "/", "http://emulator.invalid").pathname;
    if (!path.startsWith("/client/v4/")) return;
    const accountId = /\/accounts\/([^/]+)/.exec(path)?.[1] ?? "";
    res.on("finish", () => {
      log.push({ method: req.method ?? "GET", path, accountId, arrivedMs, answeredMs: Date.now(), status: res.statusCode });
    });
  });
  return {
    running,
    log,
    createWidgets(count, accountId = running.accountId) {
      const sitekeys: string[] = [];
      for (let i = 0; i < count; i += 1) {
        sitekeys.push(emulator.store.create(accountId, { name: `bench ${i}`, domains: ["example.com"], mode: "managed" }).sitekey);
      }
      return sitekeys;
    },
    setRateLimit: (requests, windowSeconds) => emulator.rateLimiter.configure({ requests, windowSeconds }),
    resetRateWindow: () => emulator.rateLimiter.reset(),
    setLatency(ms) {
      emulator.faults.clear();
      if (ms > 0) emulator.faults.add(parseFaultSpec({ route: "*", kind: "latency", latencyMs: ms, times: EVERY_REQUEST }));
    },
    callsSince(since) {
      const byKind: Record<string, number> = {};
      const calls = log.slice(since);
      for (const call of calls) {
        const kind = requestKind(call.method, call.path);
        byKind[kind] = (byKind[kind] ?? 0) + 1;
      }
      return { total: calls.length, byKind };
    },
    stop: () => running.stop(),
  };
}
