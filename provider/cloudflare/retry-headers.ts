/**
 * Pure readers for the response headers that steer retries. They live apart
 * from `retry.ts` so `error-factory.ts` can record a response's retry hints
 * in the error without importing the retry loop, which itself depends on the
 * error classes the factory builds.
 */

/**
 * Response headers as HTTP clients expose them: a plain object whose values
 * may be strings, repeated-header arrays or numbers. Names are matched
 * case-insensitively.
 */
export type ResponseHeaders = Readonly<Record<string, unknown>>;

/** First value of header `name` as a string, or `undefined` when absent. */
export function headerValue(headers: ResponseHeaders | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, raw] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    const value: unknown = Array.isArray(raw) ? raw[0] : raw;
    if (typeof value === "string") return value;
    if (typeof value === "number") return String(value);
  }
  return undefined;
}

/** A plain non-negative decimal number, e.g. `120` or `1.5` (no units, no sign, no hex). */
const DECIMAL = /^\s*\d+(?:\.\d+)?\s*$/;

/**
 * How long the server asks us to wait before retrying, in milliseconds, or
 * `undefined` when it does not say (or says something unreadable).
 *
 * Order follows the official SDK: `retry-after-ms` (non-standard, precise)
 * first, then `retry-after` as delta-seconds or an HTTP date. A date in the
 * past means "now" (0). `nowMs` is injected so the function stays pure.
 */
export function parseRetryAfter(headers: ResponseHeaders | undefined, nowMs: number): number | undefined {
  const millis = headerValue(headers, "retry-after-ms");
  if (millis !== undefined && DECIMAL.test(millis)) return Number(millis);

  const after = headerValue(headers, "retry-after");
  if (after === undefined || after.trim() === "") return undefined;
  if (DECIMAL.test(after)) return Number(after) * 1000;
  // Only accept things that look like an HTTP date: Date.parse also accepts
  // bare numbers such as "-5" or "2024", which are garbage here.
  if (!/[a-z]/i.test(after)) return undefined;
  const at = Date.parse(after);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * The server's explicit verdict from `x-should-retry: true|false`, or
 * `undefined` when absent or any other value. When present it overrides the
 * status-based rules (as in the official SDK).
 */
export function parseShouldRetry(headers: ResponseHeaders | undefined): boolean | undefined {
  const value = headerValue(headers, "x-should-retry")?.trim().toLowerCase();
  if (value === "true") return true;
  if (value === "false") return false;
  return undefined;
}
