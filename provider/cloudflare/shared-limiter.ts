/**
 * The provider process's limiters: one per API base URL and token, shared by every resource (and
 * every client) using that token, with the limit read from the process's environment.
 */
import { createHash } from "node:crypto";
import { InvalidSettingError } from "../core/errors";
import { DEFAULT_RATE_LIMIT, RATE_LIMIT_ENV, RateLimiter, type RateLimit } from "./rate-limiter";

/**
 * Reads a limit written as `<requests>/<seconds>` (`1000/300`, `20/1`, `20/1s`, `2.5` seconds
 * allowed); `off`, `none` or `0` mean no client-side limiting (`undefined`). Anything else throws,
 * so a typo never silently turns the limiter off.
 */
export function parseRateLimit(text: string): RateLimit | undefined {
  const value = text.trim().toLowerCase();
  if (value === "off" || value === "none" || value === "0") return undefined;
  const match = /^(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*s?$/.exec(value);
  const limit = match ? { requests: Number(match[1]), windowMs: Number(match[2]) * 1000 } : undefined;
  if (!limit || limit.requests < 1 || limit.windowMs <= 0) {
    throw new InvalidSettingError(`${RATE_LIMIT_ENV} must be <requests>/<seconds> (e.g. 1000/300) or off, not ${JSON.stringify(text)}`);
  }
  return limit;
}

/** The provider process's limiters, one per API base URL and token. `null`: limiting is off. */
const shared = new Map<string, RateLimiter | null>();

/**
 * The limiter every client of this process uses for `baseUrl` with `apiToken`, created on first
 * use with the limit from {@link RATE_LIMIT_ENV} (default {@link DEFAULT_RATE_LIMIT}); `undefined`
 * when off. Cloudflare counts requests per user token, so each token has a budget of its own;
 * the map is keyed by a hash, never the token itself.
 */
export function sharedRateLimiter(
  baseUrl: string, apiToken: string, env: Readonly<Record<string, string | undefined>> = process.env,
): RateLimiter | undefined {
  const key = `${baseUrl}\n${createHash("sha256").update(apiToken).digest("hex")}`;
  let limiter = shared.get(key);
  if (limiter === undefined) {
    const configured = env[RATE_LIMIT_ENV];
    const limit = configured === undefined || configured.trim() === "" ? DEFAULT_RATE_LIMIT : parseRateLimit(configured);
    limiter = limit ? new RateLimiter({ limit }) : null;
    shared.set(key, limiter);
  }
  return limiter ?? undefined;
}
