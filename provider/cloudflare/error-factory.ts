/**
 * `toCloudflareError`: the single place where failures become
 * {@link CloudflareApiError}s. It picks the class from the HTTP status, writes
 * the message and the fix, and sanitises: an axios error is reduced to
 * `{name, code, message}` and every string from outside goes through the
 * redaction list (the API token), so nothing secret reaches the error.
 */
import { STATUS_CODES } from "node:http";
import { isAxiosError } from "axios";
import {
  AuthenticationError, BadRequestError, CloudflareApiError, ConnectionError, NotFoundError, RateLimitError, ServerError,
  type ErrorCause, type RequestContext,
} from "./errors";
import { parseRetryAfter, parseShouldRetry, type ResponseHeaders } from "./retry-headers";
import { unwrapEnvelope, type CloudflareMessage } from "./widget";

/** The parts of an HTTP answer the factory needs. */
export interface ResponseSummary {
  readonly status: number;
  readonly headers?: ResponseHeaders;
  readonly body: unknown;
}

/**
 * What went wrong: an answer that is not a success (non-2xx, `success:false`,
 * or a 2xx whose content is unusable, described by `detail`), or a thrown
 * error such as an axios error without a response.
 */
export type FailureSource =
  | { readonly response: ResponseSummary; readonly detail?: string }
  | { readonly error: unknown };

/** Knobs for {@link toCloudflareError}. */
export interface ErrorFactoryOptions {
  /** Clock for HTTP-date `retry-after` values. */
  readonly nowMs?: number;
  /** Strings (the API token) to replace by `[REDACTED]` anywhere they appear. */
  readonly redact?: readonly string[];
}

/** Failures that happen before any byte is sent, so retrying cannot repeat an effect. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL",
  "ERR_INVALID_URL", "ERR_INVALID_CHAR", "ERR_BAD_OPTION", "ERR_BAD_OPTION_VALUE",
]);

const TOKEN_FIX =
  "check that CLOUDFLARE_API_TOKEN (or the cloudflare:apiToken config) is a valid API token " +
  "with the Account > Turnstile > Edit permission for this account";
/**
 * The one answer that proves a widget does not exist: HTTP 404 in Cloudflare's own envelope with
 * its "widget not found" code. An allowlist, not a blocklist: every other 404 (Cloudflare's "no
 * route" 7000 or "invalid object identifier" 7003, an authentication error, an error without a
 * code, a proxy's page) proves nothing about the widget, and state must never be dropped on it.
 */
export const WIDGET_NOT_FOUND_CODE = 10404;
/** Cloudflare's "No route for that URI" code: the path reached no API (a base URL without /client/v4). */
const NO_ROUTE_CODE = 7000;
const NOT_CLOUDFLARE_FIX =
  "this answer did not come from Cloudflare's widgets API: check that baseUrl ends in /client/v4 and that no proxy answers in its place";
const NOT_WIDGET_404_FIX =
  "Cloudflare answered 404 without saying the widget does not exist: check the accountId, the token's permissions and baseUrl";
const MAY_HAVE_HAPPENED = "the change may still have been applied, so read the widget before trying again";

function redactor(secrets: readonly string[]): (text: string) => string {
  const needles = secrets.filter((secret) => secret.length > 0);
  return (text) => needles.reduce((out, needle) => out.split(needle).join("[REDACTED]"), text);
}

/** Keeps only `name`, `code` and `message` of whatever was thrown. */
function summarise(error: unknown, redact: (text: string) => string): ErrorCause {
  if (!(error instanceof Error)) return { name: "Error", message: redact(String(error)) };
  const code: unknown = (error as { code?: unknown }).code;
  return {
    name: error.name,
    ...(typeof code === "string" ? { code } : {}),
    message: redact(error.message),
  };
}

function formatMessages(errors: readonly CloudflareMessage[]): string {
  return errors.map((e) => `${e.message} (code ${e.code})`).join("; ");
}

function fromThrown(error: unknown, request: RequestContext, redact: (text: string) => string): CloudflareApiError {
  const cause = summarise(error, redact);
  const ambiguous = cause.code === undefined || !NOT_SENT_CODES.has(cause.code);
  const what = cause.code === undefined ? cause.message : `${cause.code}: ${cause.message}`;
  const fix = !ambiguous
    ? "the request never reached Cloudflare: check network access to the API (DNS, proxy, firewall) and baseUrl"
    : request.idempotent
      ? "the connection failed mid-request: check network access to the API, then try again"
      : `the request may have reached Cloudflare before the connection failed; ${MAY_HAVE_HAPPENED}`;
  return new ConnectionError({ errors: [], summary: `no answer from Cloudflare (${what})`, fix, request, cause }, ambiguous);
}

function fromResponse(
  response: ResponseSummary,
  detail: string | undefined,
  request: RequestContext,
  options: ErrorFactoryOptions,
  redact: (text: string) => string,
): CloudflareApiError {
  const { status } = response;
  const envelope = unwrapEnvelope(response.body);
  const errors = (envelope && !envelope.success ? envelope.errors : []).map((e) => ({ code: e.code, message: redact(e.message) }));
  const summary = detail !== undefined ? redact(detail)
    : errors.length > 0 ? formatMessages(errors)
    : `${STATUS_CODES[status] ?? "Unexpected status"} (no Cloudflare error message)`;
  const retryAfterMs = parseRetryAfter(response.headers, options.nowMs ?? Date.now());
  const init = { status, errors, summary, request, retryAfterMs, shouldRetry: parseShouldRetry(response.headers) };

  if (status === 400) {
    const headerProblem = errors.some((e) => e.code === 6003);
    return new BadRequestError({ ...init, fix: headerProblem ? TOKEN_FIX : "check the arguments named in Cloudflare's message" });
  }
  if (status === 401 || status === 403) return new AuthenticationError({ ...init, fix: TOKEN_FIX });
  if (status === 404) {
    if (envelope && !envelope.success && errors.some((e) => e.code === WIDGET_NOT_FOUND_CODE)) {
      return new NotFoundError({ ...init, fix: "check the accountId (32 hex characters) and the widget's sitekey; the widget may have been deleted" });
    }
    const reachedTheApi = errors.length > 0 && !errors.some((e) => e.code === NO_ROUTE_CODE);
    return new CloudflareApiError({ ...init, fix: reachedTheApi ? NOT_WIDGET_404_FIX : NOT_CLOUDFLARE_FIX });
  }
  if (status === 429) {
    const wait = retryAfterMs === undefined ? "a few minutes" : `${Math.ceil(retryAfterMs / 1000)} s`;
    return new RateLimitError({
      ...init,
      fix: `Cloudflare allows 1200 API requests per 5 minutes per user, shared by every tool using the token; wait ${wait} before trying again`,
    });
  }
  if (status >= 500) {
    const fix = request.idempotent ? "Cloudflare had a temporary problem; try again later" : `Cloudflare had a problem; ${MAY_HAVE_HAPPENED}`;
    return new ServerError({ ...init, fix });
  }
  if (detail !== undefined) {
    const base = "check that baseUrl points at Cloudflare's v4 API";
    return new CloudflareApiError({ ...init, fix: request.idempotent ? base : `${base}; ${MAY_HAVE_HAPPENED}` });
  }
  return new CloudflareApiError(init);
}

/**
 * Builds the error for a failed call: picks the class from the HTTP status
 * (or {@link ConnectionError} when no answer arrived), formats the message as
 * `<status> <Cloudflare messages>: <METHOD> <path> — <fix>`, and keeps only a
 * sanitised `cause`. Strings in `options.redact` never survive into the error.
 */
export function toCloudflareError(source: FailureSource, request: RequestContext, options: ErrorFactoryOptions = {}): CloudflareApiError {
  const redact = redactor(options.redact ?? []);
  if ("response" in source) return fromResponse(source.response, source.detail, request, options, redact);
  const { error } = source;
  // An axios error that did carry an answer (e.g. a custom validateStatus) is a response failure.
  if (isAxiosError(error) && error.response) {
    const { status, headers, data } = error.response;
    return fromResponse({ status, headers: { ...headers }, body: data }, undefined, request, options, redact);
  }
  return fromThrown(error, request, redact);
}
