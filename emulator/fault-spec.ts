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
 * Late: commit_late holds the request, commits it after `latencyMs` whether the client
 * is still waiting or not, and never answers. Another actor: rival acts on the widget
 * (per `action`) just before the request runs, which then runs normally; on the widget list it
 * acts on the page's first widget right after the page was taken, so the page is older than that
 * change (a stale page). no_date: the real answer, without its Date header (a proxy stripped it).
 */
export const FAULT_KINDS = ["latency", "status", "rate_limit", "reset", "commit_drop",
  "commit_status", "commit_garble", "commit_hang", "hang", "foreign_404", "commit_late", "rival", "no_date"] as const;
/** One of FAULT_KINDS. */
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * The unusable 200 bodies `commit_garble` can send (`missing_item`: a list page without its first
 * widget; `bad_items`: a list page whose first widget has no `modified_on` and second no `sitekey`;
 * `not_a_list`: a success envelope whose `result` is an object).
 */
export const GARBLED_BODIES = ["truncated", "html", "success_false", "null_fields", "oversized", "missing_item", "bad_items", "not_a_list"] as const;
/** One of GARBLED_BODIES. */
export type GarbledBody = (typeof GARBLED_BODIES)[number];

/** What a `rival` fault does to the widget, as someone outside this client would. */
export const RIVAL_ACTIONS = ["rotate", "rotate_immediately", "edit", "delete"] as const;
/** One of RIVAL_ACTIONS. */
export type RivalAction = (typeof RIVAL_ACTIONS)[number];

/** Kinds that may carry `shouldRetry` and `code` (they answer with a chosen status). */
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
  /** For `status` and `commit_status`: the envelope error's code (default 10001); `null` sends an error without a code. */
  code?: number | null;
  /** For `rival`: what the other actor does (default `rotate`). */
  action?: RivalAction;
  /** For `commit_garble`: which unusable body to send (default "truncated"). */
  body?: GarbledBody;
  /** For `latency`: delay before handling normally; for `commit_late`: delay before committing (default 100 ms). */
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
  /** Envelope error code of a status fault; `null`: none. */
  code: number | null;
  action: RivalAction;
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

/** `code` of a status or commit_status fault. */
function errorCode(body: Record<string, unknown>, kind: FaultKind): number | null {
  const value = body.code;
  if (value === undefined) return 10001;
  if (!STATUS_KINDS.includes(kind)) throw new FaultSpecError("code applies to status and commit_status faults only");
  if (value === null) return null;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 9_999_999) {
    throw new FaultSpecError("code must be null or an integer between 0 and 9999999");
  }
  return value;
}

/** `action` of a rival fault. */
function rivalAction(body: Record<string, unknown>, kind: FaultKind): RivalAction {
  const value = body.action;
  if (value === undefined) return "rotate";
  if (kind !== "rival") throw new FaultSpecError("action applies to rival faults only");
  if (typeof value !== "string" || !(RIVAL_ACTIONS as readonly string[]).includes(value)) {
    throw new FaultSpecError(`action must be one of ${RIVAL_ACTIONS.join(", ")}`);
  }
  return value as RivalAction;
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
    code: errorCode(body, faultKind),
    action: rivalAction(body, faultKind),
    body: garbledBody(body, faultKind),
    latencyMs: optionalInt(body, "latencyMs", 0, 60_000, 100),
    retryAfterSeconds: optionalInt(body, "retryAfterSeconds", 0, 86_400, 1),
    remaining: optionalInt(body, "times", 1, 1_000_000, 1),
  };
}
