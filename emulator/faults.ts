/**
 * Fault injection: a queue of faults, each matched by route key (and optionally
 * HTTP method) and applied to the next `times` matching requests. Lets tests
 * reproduce the failures a rotation client must survive: slowness, 5xx, 429,
 * dropped connections, and — the nasty one — a committed change whose answer
 * never arrives (`commit_drop`).
 */
import { isRecord } from "./validation";
import { isRouteKey, ROUTE_KEYS, type RouteKey } from "./types";

/** What a fault does. */
export const FAULT_KINDS = ["latency", "status", "rate_limit", "reset", "commit_drop"] as const;
/** One of FAULT_KINDS. */
export type FaultKind = (typeof FAULT_KINDS)[number];

/** A fault as requested by a test (`POST /emulator/faults` body). */
export interface FaultSpec {
  /** Route key to match, or "*" for every Cloudflare route. */
  route: RouteKey | "*";
  /** Optional HTTP method to match (upper-case). */
  method?: string;
  kind: FaultKind;
  /** For `status`: the HTTP status to answer with (default 500). */
  status?: number;
  /** For `latency`: delay before handling normally (default 100 ms). */
  latencyMs?: number;
  /** For `rate_limit`: the `retry-after` value in seconds (default 1). */
  retryAfterSeconds?: number;
  /** How many matching requests the fault applies to (default 1). */
  times?: number;
}

/** A queued fault with its remaining uses. */
export interface QueuedFault extends Required<Pick<FaultSpec, "route" | "kind">> {
  method?: string;
  status: number;
  latencyMs: number;
  retryAfterSeconds: number;
  remaining: number;
}

/** Thrown for an unusable fault spec; the control route answers 400 with its message. */
export class FaultSpecError extends Error {}

function optionalInt(body: Record<string, unknown>, key: string, min: number, max: number, fallback: number): number {
  const value = body[key];
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new FaultSpecError(`${key} must be an integer between ${min} and ${max}`);
  }
  return value;
}

/** Narrows a control-route body into a queued fault. */
export function parseFaultSpec(body: unknown): QueuedFault {
  if (!isRecord(body)) throw new FaultSpecError("fault must be a JSON object");
  const { route, kind, method } = body;
  if (route !== "*" && !isRouteKey(route)) {
    throw new FaultSpecError(`route must be "*" or one of ${ROUTE_KEYS.join(", ")}`);
  }
  if (typeof kind !== "string" || !(FAULT_KINDS as readonly string[]).includes(kind)) {
    throw new FaultSpecError(`kind must be one of ${FAULT_KINDS.join(", ")}`);
  }
  if (method !== undefined && typeof method !== "string") throw new FaultSpecError("method must be a string");
  return {
    route,
    kind: kind as FaultKind,
    method: method?.toUpperCase(),
    status: optionalInt(body, "status", 400, 599, 500),
    latencyMs: optionalInt(body, "latencyMs", 0, 60_000, 100),
    retryAfterSeconds: optionalInt(body, "retryAfterSeconds", 0, 86_400, 1),
    remaining: optionalInt(body, "times", 1, 1_000_000, 1),
  };
}

/** FIFO of faults; the first one matching a request is consumed. */
export class FaultQueue {
  private faults: QueuedFault[] = [];

  /** Queues a fault (see parseFaultSpec for defaults). */
  add(fault: QueuedFault): void {
    this.faults.push(fault);
  }

  /** Removes every queued fault. */
  clear(): void {
    this.faults = [];
  }

  /** Faults still queued, in order. */
  list(): QueuedFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** Takes one use of the first fault matching this request, if any. */
  take(route: RouteKey, method: string): QueuedFault | undefined {
    const index = this.faults.findIndex(
      (f) => (f.route === "*" || f.route === route) && (f.method === undefined || f.method === method.toUpperCase()),
    );
    if (index < 0) return undefined;
    const fault = this.faults[index];
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return { ...fault };
  }
}
