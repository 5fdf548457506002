/**
 * The client's single retry policy and the loop that applies it. Time, sleep
 * and randomness are injected so tests run instantly and deterministically.
 *
 * The rule that matters most: a non-idempotent call (rotate_secret, create)
 * is only repeated when the first attempt certainly had no effect — a 429
 * (rejected by the rate limiter) or a connection that never carried the
 * request (refused, DNS). A 5xx, a reset or a timeout may mean the rotation
 * already happened, and rotating twice would lock the widget into a new
 * two-hour grace period with a secret nobody saved.
 */
import { CloudflareApiError, ConnectionError } from "./errors";

export { parseRetryAfter, parseShouldRetry, headerValue, type ResponseHeaders } from "./retry-headers";

/** How persistently to retry. All durations are in milliseconds. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly retries: number;
  /** Backoff before the first retry; doubles for each further retry. */
  readonly baseDelayMs: number;
  /** Cap of a single computed backoff (a server's `retry-after` is honoured as given). */
  readonly maxDelayMs: number;
  /** No retry is started if its wait would end later than this after the first attempt began. */
  readonly deadlineMs: number;
  /** Statuses worth retrying. Only 429 of these is retried for non-idempotent calls. */
  readonly statuses: readonly number[];
  /** Share of a backoff that jitter may remove (0.25: each wait is 75–100% of the cap). */
  readonly jitterRatio: number;
}

/**
 * Defaults. 4 retries with 0.5 s doubling to an 8 s cap (the official SDK's
 * curve) wait about 7.5 s in total, enough to ride out a brief 5xx blip. The
 * 60 s deadline matches the SDK's request timeout: it still honours a short
 * `retry-after`, but a 429 asking for minutes (Cloudflare's lockout is 5 min)
 * fails at once with that wait in the message instead of hanging a deploy.
 * 409 is left out: our calls take no locks, so a conflict is a refusal to act
 * on (Cloudflare's refusal to rotate inside the grace period, for one), never
 * a transient state worth repeating the call for. 501/505 are permanent. Jitter removes up to 25%, as in the SDK, so
 * parallel resources do not retry in lock-step.
 */
export const DEFAULT_RETRY: RetryPolicy = Object.freeze({
  retries: 4,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  deadlineMs: 60_000,
  statuses: Object.freeze([408, 429, 500, 502, 503, 504]),
  jitterRatio: 0.25,
});

function requireNonNegative(name: string, value: number, integer = false): void {
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new RangeError(`retry.${name} must be a non-negative ${integer ? "integer" : "number"}`);
  }
}

/** {@link DEFAULT_RETRY} with `overrides` applied and checked (throws `RangeError` on nonsense). */
export function resolveRetryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...overrides };
  requireNonNegative("retries", policy.retries, true);
  requireNonNegative("baseDelayMs", policy.baseDelayMs);
  requireNonNegative("maxDelayMs", policy.maxDelayMs);
  requireNonNegative("deadlineMs", policy.deadlineMs);
  if (!(policy.jitterRatio >= 0 && policy.jitterRatio <= 1)) throw new RangeError("retry.jitterRatio must be between 0 and 1");
  return Object.freeze({ ...policy, statuses: Object.freeze([...policy.statuses]) });
}

/**
 * Wait before retry number `attempt + 1` (attempt 0 is the first retry):
 * `min(maxDelayMs, baseDelayMs * 2^attempt)`, reduced by up to `jitterRatio`
 * of itself according to `jitter01` in [0, 1] (clamped).
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, jitter01: number): number {
  const capped = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt));
  const jitter = Math.min(1, Math.max(0, Number.isNaN(jitter01) ? 0 : jitter01));
  return capped * (1 - policy.jitterRatio * jitter);
}

/**
 * Whether a failure is worth another attempt. The server's `x-should-retry:
 * false` always wins, its `true` only for an idempotent call; otherwise
 * connection errors (only unambiguous ones unless `idempotent`) and the
 * policy's statuses (only 429 unless `idempotent`). Anything that is not a {@link CloudflareApiError} is a bug or
 * a local problem and is never retried.
 */
export function isRetryable(error: unknown, idempotent: boolean, policy: RetryPolicy): boolean {
  if (!(error instanceof CloudflareApiError)) return false;
  // A server's "do not retry" is always honoured; its "retry" only where a repeat cannot repeat an
  // effect: a 5xx after a committed rotate_secret may carry `x-should-retry: true`, and a repeat
  // would rotate a second time.
  if (error.shouldRetry === false) return false;
  if (error.shouldRetry === true && idempotent) return true;
  if (error instanceof ConnectionError) return idempotent || !error.ambiguous;
  if (error.status === undefined || !policy.statuses.includes(error.status)) return false;
  return idempotent || error.status === 429;
}

/** Information passed to {@link WithRetryOptions.onRetry} before each wait. */
export interface RetryEvent {
  /** Number of the attempt about to be made (1 = first retry). */
  readonly retry: number;
  readonly delayMs: number;
  readonly error: CloudflareApiError;
}

/** Options of {@link withRetry}; everything but `idempotent` has a real-world default. */
export interface WithRetryOptions {
  /** Whether repeating the call after it took effect is harmless (GET, DELETE: yes; rotate, create: no). */
  readonly idempotent: boolean;
  readonly policy?: RetryPolicy;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  /** Uniform random number in [0, 1) for jitter. */
  readonly random?: () => number;
  readonly onRetry?: (event: RetryEvent) => void;
}

/** Real-time sleep, the default of {@link WithRetryOptions.sleep}. */
export function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs `attemptFn(attempt)` (attempt 0, 1, …) until it succeeds, the failure
 * is not retryable, the retries are used up, or the next wait would pass the
 * deadline; then rethrows the last failure unchanged. A server-requested
 * wait (`retry-after`) is used as is; otherwise {@link backoffDelay}.
 */
export async function withRetry<T>(attemptFn: (attempt: number) => Promise<T>, options: WithRetryOptions): Promise<T> {
  const { idempotent, policy = DEFAULT_RETRY, sleep = realSleep, now = Date.now, random = Math.random } = options;
  const start = now();
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await attemptFn(attempt);
    } catch (error) {
      if (!(error instanceof CloudflareApiError) || attempt >= policy.retries || !isRetryable(error, idempotent, policy)) {
        throw error;
      }
      const delayMs = error.retryAfterMs ?? backoffDelay(attempt, policy, random());
      if (now() + delayMs - start > policy.deadlineMs) throw error;
      options.onRetry?.({ retry: attempt + 1, delayMs, error });
      await sleep(delayMs);
    }
  }
}
