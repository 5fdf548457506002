/**
 * Sliding-window request limiter for /client/v4, keyed by API token (Cloudflare
 * limits per user). Default: Cloudflare's 1200 requests per 300 s. Reads the
 * injected clock, so a test can fill the window and then advance past it.
 */
import type { Clock } from "./clock";

/** Limit configuration. */
export interface RateLimitConfig {
  requests: number;
  windowSeconds: number;
}

/** Cloudflare's global API limit. */
export const DEFAULT_RATE_LIMIT: RateLimitConfig = { requests: 1200, windowSeconds: 300 };

/** Outcome of one check. */
export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** True for a usable limit (positive integer requests, positive window). */
export function isValidRateLimit(config: RateLimitConfig): boolean {
  return Number.isInteger(config.requests) && config.requests > 0 &&
    Number.isFinite(config.windowSeconds) && config.windowSeconds > 0;
}

/** Keeps the timestamps of accepted requests per key within the window. */
export class RateLimiter {
  private hits = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private config: RateLimitConfig = DEFAULT_RATE_LIMIT,
  ) {
    if (!isValidRateLimit(config)) throw new RangeError("rate limit needs requests >= 1 and windowSeconds > 0");
  }

  /** The active limit. */
  get limit(): RateLimitConfig {
    return { ...this.config };
  }

  /** Replaces the limit and forgets past requests. */
  configure(config: RateLimitConfig): void {
    if (!isValidRateLimit(config)) throw new RangeError("rate limit needs requests >= 1 and windowSeconds > 0");
    this.config = { ...config };
    this.hits.clear();
  }

  /** Forgets past requests. */
  reset(): void {
    this.hits.clear();
  }

  /** Records a request for `key` if it fits; otherwise says how long to wait. */
  check(key: string): RateLimitDecision {
    const now = this.clock.now();
    const windowMs = this.config.windowSeconds * 1000;
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - windowMs);
    if (recent.length >= this.config.requests) {
      this.hits.set(key, recent);
      const retryAfterSeconds = Math.max(1, Math.ceil((recent[0] + windowMs - now) / 1000));
      return { allowed: false, retryAfterSeconds };
    }
    recent.push(now);
    this.hits.set(key, recent);
    return { allowed: true };
  }
}
