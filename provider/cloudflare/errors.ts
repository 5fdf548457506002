/**
 * The one error hierarchy the client throws, under the package's error base (a failed Cloudflare
 * call is something the user can act on). Every instance is built by `toCloudflareError`
 * (error-factory.ts) so messages, fixes and sanitising are uniform; the classes only hold the
 * result.
 *
 * Safety rule: no field ever holds an axios error (its `config` carries the Authorization
 * header); `cause` is a `{name, code, message}` summary.
 */
import { nameErrors, TurnstileRotationError } from "../core/errors";
import type { CloudflareMessage } from "./widget";

/** What was being attempted, for the message and the fix. */
export interface RequestContext {
  /** HTTP method, e.g. `POST`. */
  readonly method: string;
  /** Path below the API base URL, without query string, e.g. `/accounts/…/rotate_secret`. */
  readonly path: string;
  /** Human description, e.g. `rotate the secret of widget 0x4AA…`. */
  readonly operation: string;
  /** False when repeating the call could repeat its effect (rotate, create): changes the advice. */
  readonly idempotent: boolean;
}

/** A sanitised summary of a low-level failure, kept as `cause` instead of the original object. */
export interface ErrorCause {
  readonly name: string;
  readonly code?: string;
  readonly message: string;
}

/** Everything an error is built from; produced by `toCloudflareError`. */
export interface CloudflareApiErrorInit {
  readonly status?: number;
  readonly errors: readonly CloudflareMessage[];
  readonly summary: string;
  readonly fix?: string;
  readonly request: RequestContext;
  readonly cause?: ErrorCause;
  readonly retryAfterMs?: number;
  readonly shouldRetry?: boolean;
}

/** Base class: a Cloudflare API call failed. Message: `<status> <messages>: <METHOD> <path> — <fix>`. */
export class CloudflareApiError extends TurnstileRotationError {
  /** HTTP status, absent when no answer arrived. */
  readonly status?: number;
  /** Cloudflare's `errors[]` (code and message only). */
  readonly errors: readonly CloudflareMessage[];
  readonly method: string;
  /** URL path below the API base; never a query string, host or credentials. */
  readonly path: string;
  readonly operation: string;
  /** What the user can do about it, also appended to the message. */
  readonly fix?: string;
  /** Wait the server asked for (`retry-after-ms` / `retry-after`), if any. */
  readonly retryAfterMs?: number;
  /** The server's `x-should-retry` verdict, if it gave one; overrides status-based retry rules. */
  readonly shouldRetry?: boolean;
  /** Sanitised summary of the low-level failure (never the raw axios error). */
  declare readonly cause?: ErrorCause;

  /** Use `toCloudflareError` instead; the constructor is for the factory. */
  constructor(init: CloudflareApiErrorInit) {
    const { method, path } = init.request;
    const head = init.status === undefined ? init.summary : `${init.status} ${init.summary}`;
    const tail = init.fix === undefined ? "" : ` — ${init.fix}`;
    super(`${head}: ${method} ${path}${tail}`, init.cause ? { cause: init.cause } : undefined);
    this.status = init.status;
    this.errors = init.errors;
    this.method = method;
    this.path = path;
    this.operation = init.request.operation;
    this.fix = init.fix;
    this.retryAfterMs = init.retryAfterMs;
    this.shouldRetry = init.shouldRetry;
  }
}

/** HTTP 400: Cloudflare rejected the request's content or headers. */
export class BadRequestError extends CloudflareApiError {}

/** HTTP 401/403: the token is invalid or lacks permission. */
export class AuthenticationError extends CloudflareApiError {}

/**
 * HTTP 404 inside Cloudflare's own v4 error envelope with its "widget not found" code: the widget
 * does not exist (for this token). Any other 404 (a proxy, a base URL missing `/client/v4`,
 * Cloudflare's "no route" or "invalid identifier" errors, an error without a code) is a plain
 * {@link CloudflareApiError}: it proves nothing about the widget.
 */
export class NotFoundError extends CloudflareApiError {}

/** HTTP 429: rate limited; `retryAfterMs` says how long Cloudflare wants us to wait. */
export class RateLimitError extends CloudflareApiError {}

/** HTTP 5xx: Cloudflare failed; for a non-idempotent call the change may still have happened. */
export class ServerError extends CloudflareApiError {}

/** No answer arrived: refused, reset, timed out, DNS failure. */
export class ConnectionError extends CloudflareApiError {
  /**
   * True when the request may have reached Cloudflare (a reset or timeout
   * after sending); false when it certainly did not (refused, DNS failure).
   */
  readonly ambiguous: boolean;

  /** Use `toCloudflareError` instead. */
  constructor(init: CloudflareApiErrorInit, ambiguous: boolean) {
    super(init);
    this.ambiguous = ambiguous;
  }
}

/**
 * `caught` as the client's error. The client fails only with a {@link CloudflareApiError}; anything
 * else is a bug in this package, rethrown as it is so it shows instead of passing for an answer.
 */
export function asApiError(caught: unknown): CloudflareApiError {
  if (caught instanceof CloudflareApiError) return caught;
  throw caught;
}

nameErrors({ CloudflareApiError, BadRequestError, AuthenticationError, NotFoundError, RateLimitError, ServerError, ConnectionError });
