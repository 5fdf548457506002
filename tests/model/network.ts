/**
 * The network between provider processes and Cloudflare (the in-process emulator), played by
 * fast-check's scheduler. Every request is two events the scheduler orders among all others
 * (other requests, another stack's, an outside actor's): it reaches Cloudflare (where it
 * commits), then its answer reaches the client. A request given the `late` fate meets its
 * client's deadline instead of its answer, and may reach Cloudflare before or long after the
 * client gave up; one given the `lost` fate never arrives. A killed process sends nothing more
 * and receives nothing, but what it already sent still arrives.
 *
 * Determinism: real I/O (the emulator over loopback, the doors' gRPC) runs between events, so the
 * driver waits until every running operation is blocked on an event before the scheduler picks the
 * next one, and hands new events to the scheduler in a fixed order. A seed replays a run exactly.
 */
import axios, { AxiosError, type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from "axios";
import type { Scheduler } from "fast-check";
import type { ClientTransport } from "../../provider/cloudflare";

/**
 * What happens to one request besides the emulator's own faults: `late`, its client's deadline
 * comes before its answer; `lost`, it never arrives and the deadline comes; `gateway`, a gateway
 * answers 504 while the request still goes on to Cloudflare, before or after that answer;
 * `refused`, the connection is refused (the request certainly never left); `dateless`, its answer
 * comes without Cloudflare's Date header.
 */
export type Fate = "late" | "lost" | "gateway" | "refused" | "dateless";

/** A provider process as the network sees it. */
export class Process {
  killed = false;
  /** Requests of this process waiting for an event. */
  waiting = 0;
  /** Every request it sent, as `route` (`widgets.get`), in order. */
  readonly sent: string[] = [];
  /** When Cloudflare handled the latest read whose answer reached it (World's order of events). */
  lastRead = 0;
  /** When Cloudflare handled its latest rotate call (World's order of events; 0: none). */
  lastRotate = 0;
  /** The HTTP status the client received for each request it sent (undefined: no answer reached it; REFUSED: never left). */
  readonly received: Array<number | undefined> = [];
  /**
   * Batched-read lookups of its resource under way: one may wait for a page another resource of
   * the same provider process asked for, so it waits for a network event without a request of its own.
   */
  lookups = 0;
  private killers: Array<() => void> = [];
  /**
   * @param tag Who its rotations are attributed to (`stack:change`).
   * @param fates The fate of its n-th request (1-based), if any.
   */
  constructor(readonly name: string, readonly tag: string, private readonly fates: ReadonlyMap<number, Fate> = new Map(),
    /** A proxy on its way strips the `Date` header: the client never learns Cloudflare's clock. */
    readonly dateless = false) {}

  fateOf(n: number): Fate | undefined {
    return this.fates.get(n);
  }

  /** Resolves when the process is killed. */
  whenKilled(): Promise<void> {
    return new Promise((resolve) => (this.killed ? resolve() : this.killers.push(resolve)));
  }

  kill(): void {
    this.killed = true;
    for (const resolve of this.killers) resolve();
    this.killers = [];
  }
}

interface Pending {
  readonly order: string;
  readonly label: string;
  readonly release: () => void;
}

const realHttp = axios.getAdapter("http");

/** The route key of a request, as the emulator counts it. */
export function routeOf(config: InternalAxiosRequestConfig): string {
  const url = String(config.url ?? "").split("?")[0];
  if (url.endsWith("/rotate_secret")) return "widgets.rotate_secret";
  if ((config.method ?? "get").toUpperCase() !== "GET") return `widgets.${config.method}`;
  return url.endsWith("/widgets") ? "widgets.list" : "widgets.get";
}

/** True for an answer that shows the client the widget's secret (a garbled or failed one shows nothing). */
function readsTheWidget(response: AxiosResponse): boolean {
  let body: { success?: unknown; result?: { secret?: unknown } } | undefined;
  try {
    // The adapter answers before axios parses: the body is still text.
    body = typeof response.data === "string" ? JSON.parse(response.data) : response.data;
  } catch {
    return false;
  }
  return response.status === 200 && body?.success === true && typeof body.result?.secret === "string";
}

/** What `Process.received` holds for a request whose connection was refused: it never left. */
export const REFUSED = 0;

function canceled(config: InternalAxiosRequestConfig): AxiosError {
  return new AxiosError("canceled", AxiosError.ERR_CANCELED, config);
}

function refused(config: InternalAxiosRequestConfig): Error {
  return Object.assign(new AxiosError("connect ECONNREFUSED 127.0.0.1", "ECONNREFUSED", config), { code: "ECONNREFUSED" });
}

/** The scheduled network of one generated sequence. */
export class ScheduledNetwork {
  private fresh: Pending[] = [];
  /** Deliveries to the emulator in progress (real I/O). */
  private busy = 0;
  /** When Cloudflare handled each delivered request (World's order of events). */
  private readonly handled = new WeakMap<InternalAxiosRequestConfig, number>();
  /** Controllers of the deadlines the clients created, by signal. */
  private readonly deadlines = new WeakMap<AbortSignal, AbortController>();
  /** Events released so far. */
  released = 0;

  /**
   * @param world.onDeadline Called when a client's deadline fires (the model's clock moves by the attempt's length).
   * @param world.delivering Told whose request Cloudflare is handling (undefined: nobody's).
   */
  constructor(private readonly scheduler: Scheduler, private readonly world: { onDeadline(): void; delivering(tag: string | undefined): number }) {}

  /** An outside actor's action, released by the scheduler among the requests. */
  scheduleOutside(label: string, act: () => void): void {
    this.fresh.push({ order: `~${label}`, label, release: act });
  }

  /** The transport of `process`'s clients; a function picks, per request, the resource's process it serves. */
  transportFor(process: Process | (() => Process)): ClientTransport {
    return {
      deadline: () => {
        const controller = new AbortController();
        this.deadlines.set(controller.signal, controller);
        return controller.signal;
      },
      adapter: this.adapterFor(process),
    };
  }

  /** An event the scheduler will release; resolves then. */
  private event(process: Process, n: number, what: string): Promise<void> {
    const order = `${process.name}#${String(n).padStart(3, "0")}:${what}`;
    return new Promise((release) => this.fresh.push({ order, label: `${process.name} request ${n} ${what}`, release }));
  }

  /** Sends the request to the emulator for real (it commits there), whoever still waits for it. */
  private async deliver(process: Process, config: InternalAxiosRequestConfig): Promise<AxiosResponse> {
    this.busy++;
    const tick = this.world.delivering(process.tag);
    this.handled.set(config, tick);
    if (routeOf(config) === "widgets.rotate_secret") process.lastRotate = tick;
    try {
      return await realHttp({ ...config, signal: undefined } as InternalAxiosRequestConfig);
    } finally {
      this.world.delivering(undefined);
      this.busy--;
    }
  }

  private adapterFor(serving: Process | (() => Process)): AxiosAdapter {
    return async (config) => {
      const process = typeof serving === "function" ? serving() : serving;
      if (process.killed) throw refused(config);
      process.sent.push(routeOf(config));
      const n = process.sent.length;
      const fate = process.fateOf(n);
      const killed = process.whenKilled().then(() => Promise.reject(refused(config)));
      killed.catch(() => {});
      process.waiting++;
      if (fate === "refused") {
        try {
          await Promise.race([this.event(process, n, "refused"), killed]);
        } finally {
          process.waiting--;
        }
        process.received[n - 1] = REFUSED;
        throw refused(config);
      }
      // A lost request never arrives; any other does, even after its client gave up or died.
      const arrival = fate === "lost" ? undefined : this.event(process, n, `${routeOf(config)} reaches Cloudflare`);
      try {
        if (fate === "gateway") {
          void arrival?.then(() => this.deliver(process, config).catch(() => undefined));
          await Promise.race([this.event(process, n, "gateway answer"), killed]);
          process.received[n - 1] = 504;
          return { status: 504, statusText: "Gateway Timeout", headers: {}, config, data: "<html><h1>504 Gateway Time-out</h1></html>" };
        }
        if (fate === "late" || fate === "lost") {
          const controller = config.signal instanceof AbortSignal ? this.deadlines.get(config.signal) : undefined;
          // Late: in flight whatever the client does now, it commits when it arrives.
          void arrival?.then(() => this.deliver(process, config).catch(() => undefined));
          await Promise.race([this.event(process, n, "deadline"), killed]);
          this.world.onDeadline();
          controller?.abort();
          throw canceled(config);
        }
        await Promise.race([arrival as Promise<void>, killed]);
        process.waiting--;
        let response: AxiosResponse;
        try {
          response = await this.deliver(process, config);
        } finally {
          process.waiting++;
        }
        await Promise.race([this.event(process, n, "answer"), killed]);
        process.received[n - 1] = response.status;
        if (routeOf(config) === "widgets.get" && readsTheWidget(response)) process.lastRead = this.handled.get(config) ?? process.lastRead;
        if (process.dateless || fate === "dateless") delete response.headers.date;
        return response;
      } finally {
        process.waiting--;
      }
    };
  }

  /** True when no delivery is in progress and each of `processes` is waiting for an event or done. */
  quiet(running: ReadonlyArray<{ readonly process: Process; readonly done: boolean }>): boolean {
    return this.busy === 0 && running.every((run) => run.done || (!run.process.killed && (run.process.waiting > 0 || run.process.lookups > 0)));
  }

  /** Hands the events created since the last call to the scheduler, in a fixed order. */
  private register(): void {
    const fresh = this.fresh.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
    this.fresh = [];
    for (const pending of fresh) void this.scheduler.schedule(Promise.resolve(), pending.label).then(pending.release);
  }

  /** Events the scheduler still holds or has not been given yet. */
  pending(): number {
    return this.fresh.length + this.scheduler.count();
  }

  /** Releases one event chosen by the scheduler; false when none is left. */
  async releaseOne(): Promise<boolean> {
    this.register();
    if (this.scheduler.count() === 0) return false;
    await this.scheduler.waitNext(1);
    this.released++;
    return true;
  }
}
