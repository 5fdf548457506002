/**
 * What a test may ask the fault queue for, and the parser that turns a control
 * route body (or an in-process object) into a queued fault with its defaults.
 */
import { isRecord } from "./validation";
import { isRouteKey, ROUTE_KEYS, type RouteKey } from "./types";

/**
 * What a fault does. Before the operation (nothing committed): latency, status,
 * rate_limit, reset, hang, foreign_404. After it (the change is applied, the
 * answer is not the real one): commit_drop, commit_status, commit_garble, commit_hang.
 */
export const FAULT_KINDS = ["latency", "status", "rate_limit", "reset", "commit_drop",
  "commit_status", "commit_garble", "commit_hang", "hang", "foreign_404"] as const;
/** One of FAULT_KINDS. */
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The unusable 200 bodies `commit_garble` can send. */
export const GARBLED_BODIES = ["truncated", "html", "success_false", "null_fields"] as const;
/** One of GARBLED_BODIES. */
export type GarbledBody = (typeof GARBLED_BODIES)[number];

/** Kinds that may carry `shouldRetry` (they answer with a chosen status). */
const STATUS_KINDS: readonly FaultKind[] = ["status", "commit_status"];

/** A fault as requested by a test (`POST /emulator/faults` body). */
export interface FaultSpec {
  /** Route key to match, or "*" for every Cloudflare route. */
  route: RouteKey | "*";
  /** Optional HTTP method to match (upper-case). */
  method?: string;
  kind: FaultKind;
  /** For `status` (default 500) and `commit_status` (default 503): the HTTP status to answer with. */
  status?: number;
  /** For `status` and `commit_status`: send `x-should-retry: true|false`; no header when left out. */
  shouldRetry?: boolean;
  /** For `commit_garble`: which unusable body to send (default "truncated"). */
  body?: GarbledBody;
  /** For `latency`: delay before handling normally (default 100 ms). */
  latencyMs?: number;
  /** For `rate_limit`: the `retry-after` value in seconds (default 1). */
  retryAfterSeconds?: number;
  /** How many matching requests the fault applies to (default 1). */
  times?: number;
}

/** A queued fault with its defaults filled in and its remaining uses. */
export interface QueuedFault extends Required<Pick<FaultSpec, "route" | "kind">> {
  method?: string;
  status: number;
  shouldRetry?: boolean;
  body: GarbledBody;
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

/** `body` of a commit_garble fault; refused on other kinds, where it would silently do nothing. */
function garbledBody(body: Record<string, unknown>, kind: FaultKind): GarbledBody {
  const value = body.body;
  if (value === undefined) return "truncated";
  if (kind !== "commit_garble") throw new FaultSpecError("body applies to commit_garble faults only");
  if (typeof value !== "string" || !(GARBLED_BODIES as readonly string[]).includes(value)) {
    throw new FaultSpecError(`body must be one of ${GARBLED_BODIES.join(", ")}`);
  }
  return value as GarbledBody;
}

/** `shouldRetry` of a status or commit_status fault; refused on other kinds for the same reason. */
function shouldRetry(body: Record<string, unknown>, kind: FaultKind): { shouldRetry?: boolean } {
  const value = body.shouldRetry;
  if (value === undefined) return {};
  if (!STATUS_KINDS.includes(kind)) throw new FaultSpecError("shouldRetry applies to status and commit_status faults only");
  if (typeof value !== "boolean") throw new FaultSpecError("shouldRetry must be true or false");
  return { shouldRetry: value };
}

/** Narrows a control-route body (or an in-process object) into a queued fault. */
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
  const faultKind = kind as FaultKind;
  return {
    route,
    kind: faultKind,
    method: method?.toUpperCase(),
    status: optionalInt(body, "status", 400, 599, faultKind === "commit_status" ? 503 : 500),
    ...shouldRetry(body, faultKind),
    body: garbledBody(body, faultKind),
    latencyMs: optionalInt(body, "latencyMs", 0, 60_000, 100),
    retryAfterSeconds: optionalInt(body, "retryAfterSeconds", 0, 86_400, 1),
    remaining: optionalInt(body, "times", 1, 1_000_000, 1),
  };
}
