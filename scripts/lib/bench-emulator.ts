/**
 * The benchmark's Cloudflare: the in-process emulator on 127.0.0.1 with a real-time clock (its
 * rate limit must see real seconds), widgets created straight in its store (so setting up N
 * widgets costs neither API calls nor rate-limit budget), and a log of every API request with
 * its arrival time, answer time and status, from which throughput and 429s are measured.
 */
import { SystemClock } from "../../emulator";
import { startEmulator, type RunningEmulator } from "../../tests/helpers/emulator";

/** One API request as the emulator served it. */
export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
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
  createWidgets(count: number): string[];
  /** Sets the emulator's per-token limit (sliding window). */
  setRateLimit(requests: number, windowSeconds: number): void;
  /** API requests logged since `since` (an index into `log`), by route-ish key `METHOD suffix`. */
  callsSince(since: number): { total: number; byKind: Record<string, number> };
  stop(): Promise<void>;
}

/** `rotate_secret`, `widget` (one widget), `widgets` (the collection): what a request was about. */
export function requestKind(method: string, path: string): string {
  if (path.endsWith("/rotate_secret")) return `${method} rotate_secret`;
  if (/\/challenges\/widgets\/[^/]+$/.test(path)) return `${method} widget`;
  if (path.endsWith("/challenges/widgets")) return `${method} widgets`;
  return `${method} other`;
}

export async function startBenchEmulator(): Promise<BenchEmulator> {
  const running = await startEmulator({ clock: new SystemClock() });
  const log: LoggedRequest[] = [];
  running.emulator.server.on("request", (req, res) => {
    const arrivedMs = Date.now();
    const path = new URL(req.url ?? "/", "http://emulator.invalid").pathname;
    if (!path.startsWith("/client/v4/")) return;
    res.on("finish", () => {
      log.push({ method: req.method ?? "GET", path, arrivedMs, answeredMs: Date.now(), status: res.statusCode });
    });
  });
  return {
    running,
    log,
    createWidgets(count) {
      const sitekeys: string[] = [];
      for (let i = 0; i < count; i += 1) {
        const widget = running.emulator.store.create(running.accountId, { name: `bench ${i}`, domains: ["example.com"], mode: "managed" });
        sitekeys.push(widget.sitekey);
      }
      return sitekeys;
    },
    setRateLimit(requests, windowSeconds) {
      running.emulator.rateLimiter.configure({ requests, windowSeconds });
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
