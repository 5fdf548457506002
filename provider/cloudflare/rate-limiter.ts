/**
 * The client-side rate limiter: one per API base URL and token per provider process (see
 * shared-limiter.ts), shared by every resource using that token, so a stack rotating hundreds of
 * widgets stays inside Cloudflare's limit of 1200 requests per 5 minutes per user instead of
 * learning it from 429s.
 *
 * It is a sliding window like Cloudflare's own: at most `requests` requests in any `windowMs`.
 * A request holds its slot from the moment it is sent until `windowMs` after its answer came
 * back, so however long a request travels, the server can never see more than `requests` in its
 * window because of us. Within that, bursts go out at once (a stack of 300 widgets rotates
 * without waiting). Requests are admitted in arrival order.
 *
 * It cooperates with the retry policy of `retry.ts`: a 429 that says how long to wait
 * (`retry-after`) pauses every request of the process until then, so the other resources stop
 * hitting a limit the server says is reached, and the retry of the rejected request is admitted
 * when the pause ends. A pause longer than `maxPauseMs` (the retry deadline; Cloudflare's lockout
 * is 5 minutes) is not imposed on everyone: the retry policy fails such a request at once with
 * the wait in its message rather than hang a deploy, and the others meet the same answer.
 *
 * Time and sleep are injected, so tests run instantly and deterministically.
 */
import { parseRetryAfter, type ResponseHeaders } from "./retry-headers";
import { DEFAULT_RETRY, realSleep } from "./retry";

/** At most `requests` requests in any window of `windowMs` milliseconds. */
export interface RateLimit {
  readonly requests: number;
  readonly windowMs: number;
}

/**
 * Default: 1150 requests per 5 minutes, 50 below Cloudflare's 1200 per 5 minutes per user. A fleet
 * rotation costs about one request per widget (the batched read), so 1000 widgets fit in one
 * window with room to spare, and a few calls of the dashboard or another tool at the same time
 * still pass. A token that Terraform or another stack also uses at the same time needs more
 * headroom: lower the limit with {@link RATE_LIMIT_ENV} (e.g. `900/300`).
 */
export const DEFAULT_RATE_LIMIT: RateLimit = Object.freeze({ requests: 1150, windowMs: 300_000 });

/**
 * The environment variable that sets the limit of the provider process: `<requests>/<seconds>`
 * (e.g. `1000/300`, `20/1`), or `off` to send without client-side limiting.
 */
export const RATE_LIMIT_ENV = "TURNSTILE_ROTATION_RATE_LIMIT";

/** Options of a {@link RateLimiter}; time and sleep are injectable for tests. */
export interface RateLimiterOptions {
  readonly limit?: RateLimit;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Longest 429 pause imposed on every request (default: the retry deadline, 60 s). */
  readonly maxPauseMs?: number;
}

/** Gives back a request's slot; call it when the answer (or the failure) arrived. Idempotent. */
export type ReleaseSlot = () => void;

/** What the client needs from a limiter: a slot per request, and a pause after a 429. */
export interface RequestLimiter {
  /** Resolves when the request may be sent. */
  acquire(): Promise<ReleaseSlot>;
  /** Holds every request back for `ms` (a 429's retry-after). */
  pause(ms: number): void;
}

function checkLimit(limit: RateLimit): RateLimit {
  if (!Number.isInteger(limit.requests) || limit.requests < 1) throw new RangeError("rate limit: requests must be an integer >= 1");
  if (!Number.isFinite(limit.windowMs) || limit.windowMs <= 0) throw new RangeError("rate limit: the window must be a positive number");
  return Object.freeze({ requests: limit.requests, windowMs: limit.windowMs });
}

/** A sliding-window limiter (see the module comment). */
export class RateLimiter implements RequestLimiter {
  readonly limit: RateLimit;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #maxPauseMs: number;
  /** When each released slot was given back, ascending; only those still inside the window. */
  readonly #released: number[] = [];
  #inFlight = 0;
  #pausedUntil = -Infinity;
  /** Admissions are chained so requests go out in arrival order. */
  #queue: Promise<unknown> = Promise.resolve();
  /** Woken when a slot is released, for requests waiting while every slot is in flight. */
  #onRelease: Array<() => void> = [];

  constructor(options: RateLimiterOptions = {}) {
    this.limit = checkLimit(options.limit ?? DEFAULT_RATE_LIMIT);
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? realSleep;
    this.#maxPauseMs = options.maxPauseMs ?? DEFAULT_RETRY.deadlineMs;
  }

  /** Requests sent and not yet answered. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Waits for a free slot (and the end of any pause), in arrival order. */
  acquire(): Promise<ReleaseSlot> {
    const admitted = this.#queue.then(() => this.#admit());
    this.#queue = admitted.catch(() => undefined);
    return admitted;
  }

  /** Pauses every request for `ms` after a 429; pauses longer than `maxPauseMs` are not imposed. */
  pause(ms: number): void {
    if (!Number.isFinite(ms) || ms <= 0 || ms > this.#maxPauseMs) return;
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + ms);
  }

  async #admit(): Promise<ReleaseSlot> {
    for (;;) {
      const now = this.#now();
      this.#forget(now);
      if (now < this.#pausedUntil) {
        await this.#sleep(this.#pausedUntil - now);
      } else if (this.#inFlight + this.#released.length < this.limit.requests) {
        this.#inFlight += 1;
        return this.#releaser();
      } else if (this.#released.length > 0) {
        // A release only adds a later expiry, so the oldest released slot frees up first.
        await this.#sleep(this.#released[0] + this.limit.windowMs - now);
      } else {
        await new Promise<void>((resolve) => this.#onRelease.push(resolve));
      }
    }
  }

  #releaser(): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight -= 1;
      const at = this.#now();
      let index = this.#released.length;
      while (index > 0 && this.#released[index - 1] > at) index -= 1;
      this.#released.splice(index, 0, at);
      for (const wake of this.#onRelease.splice(0)) wake();
    };
  }

  #forget(now: number): void {
    let expired = 0;
    while (expired < this.#released.length && this.#released[expired] + this.limit.windowMs <= now) expired += 1;
    if (expired > 0) this.#released.splice(0, expired);
  }
}

/** A response as far as the limiter cares. */
export interface LimitedResponse {
  readonly status: number;
  readonly headers: ResponseHeaders;
}

/**
 * Sends one request through `limiter` (or directly without one): waits for a slot, gives it back
 * when the answer or failure arrives, and turns a 429's retry-after into a pause for everyone.
 */
export async function sendLimited<R extends LimitedResponse>(
  limiter: RequestLimiter | undefined,
  now: () => number,
  send: () => Promise<R>,
): Promise<R> {
  if (!limiter) return send();
  const release = await limiter.acquire();
  let response: R;
  try {
    response = await send();
  } finally {
    release();
  }
  if (response.status === 429) {
    const wait = parseRetryAfter(response.headers, now());
    if (wait !== undefined) limiter.pause(wait);
  }
  return response;
}
