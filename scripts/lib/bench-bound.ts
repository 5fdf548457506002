/**
 * The physical bound of a fleet rotation (issue 14): N rotations at latency L with `--parallel` P
 * against Cloudflare's per-token limit cannot take less than the largest of
 * - the engine's floor: the same operation on N do-nothing dynamic resources, measured in the run;
 * - the network: a rotation is c calls made one after the other (each needs the previous answer),
 *   and at most P rotations are in flight, so ceil(N / P) rounds of c x L, after the calls every
 *   rotation waits for (the batched read's first page of the widget list);
 * - the rate limit: a sliding window lets at most R requests through in any W seconds, so the
 *   k-th request of a token cannot go out before W x floor((k - 1) / R) after its first.
 * A create makes c = 2 (read, rotate); a trigger change of a recorded secret c = 1 (rotate) after
 * a page of the list shared by every rotation of the process (issue 21), see `CALLS_PER_ROTATION`.
 */

/** Cloudflare's limit: 1200 requests per 5 minutes per user token. */
export const CLOUDFLARE_LIMIT = Object.freeze({ requests: 1200, windowSeconds: 300 });

/** API calls of one rotation that Cloudflare answers at once (provider/core/rotation.ts). */
export const CALLS_PER_ROTATION = Object.freeze({
  /** A create: GET (the baseline and Cloudflare's clock), POST rotate_secret. */
  create: 2,
  /**
   * A create with invalidateImmediately: the preview's GET (may Cloudflare refuse it?), then GET,
   * POST rotate_secret, GET (a concurrent rotation would already have killed ours).
   */
  createImmediately: 4,
  /** A trigger change: POST rotate_secret, its baseline from the list (see `LIST_PAGE_WIDGETS`). */
  default: 1,
  /** A trigger change with invalidateImmediately: POST rotate_secret, GET. */
  invalidateImmediately: 2,
});

/** Widgets per page of the list that the batched read shares among a process's rotations. */
export const LIST_PAGE_WIDGETS = 1000;

/** Pages of the list N rotations of one account need at least. */
export function listPages(n: number): number {
  return Math.ceil(n / LIST_PAGE_WIDGETS);
}

/** At most `requests` in any `windowSeconds`. */
export interface WindowLimit {
  readonly requests: number;
  readonly windowSeconds: number;
}

/** What limits a run. */
export type BoundBy = "engine" | "latency" | "rate limit";

/** The bound of one run and its three terms, in seconds. */
export interface Bound {
  readonly seconds: number;
  readonly engineSeconds: number;
  readonly latencySeconds: number;
  readonly rateLimitSeconds: number;
  readonly boundBy: BoundBy;
}

/** What the bound depends on. */
export interface BoundInput {
  /** Rotations. */
  readonly n: number;
  /** The engine's floor for the same operation at the same N (seconds, measured). */
  readonly engineSeconds: number;
  readonly latencyMs: number;
  readonly parallel: number;
  readonly callsPerRotation: number;
  /** Calls every rotation waits for before its own, and that count against the budget once (default 0). */
  readonly sharedCalls?: number;
  /** Tokens sharing the rotations evenly, each with a budget of its own (default 1). */
  readonly tokens?: number;
  readonly limit?: WindowLimit;
}

/** Earliest time (s) the last of `calls` requests can go out after the first under `limit`. */
export function rateLimitSeconds(calls: number, limit: WindowLimit = CLOUDFLARE_LIMIT): number {
  if (calls <= limit.requests) return 0;
  return limit.windowSeconds * Math.floor((calls - 1) / limit.requests);
}

/** The bound of a run: max(engine floor, network, rate limit). */
export function fleetBound(input: BoundInput): Bound {
  const tokens = input.tokens ?? 1;
  const shared = input.sharedCalls ?? 0;
  const latencySeconds = ((Math.ceil(input.n / input.parallel) * input.callsPerRotation + Math.min(shared, 1)) * input.latencyMs) / 1000;
  const callsPerToken = Math.ceil((input.n * input.callsPerRotation) / tokens) + shared;
  const rateLimit = rateLimitSeconds(callsPerToken, input.limit);
  const terms: Array<[BoundBy, number]> = [["engine", input.engineSeconds], ["latency", latencySeconds], ["rate limit", rateLimit]];
  const [boundBy, seconds] = terms.reduce((a, b) => (b[1] > a[1] ? b : a));
  return { seconds, engineSeconds: input.engineSeconds, latencySeconds, rateLimitSeconds: rateLimit, boundBy };
}
