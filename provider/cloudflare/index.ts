/**
 * The Cloudflare Turnstile API client as the rest of the library uses it. The package exports
 * none of it (provider/index.ts is the public API): this is an internal room's front.
 */
export {
  TurnstileClient,
  DEFAULT_TIMEOUT_MS,
  MAX_ANSWER_BYTES,
  type ClientTransport,
  type TurnstileClientOptions,
  type RotateSecretOptions,
} from "./turnstile-client";
export {
  CloudflareApiError,
  asApiError,
  BadRequestError,
  AuthenticationError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ConnectionError,
  type CloudflareApiErrorInit,
  type ErrorCause,
  type RequestContext,
} from "./errors";
export {
  toCloudflareError,
  type FailureSource,
  type ResponseSummary,
  type ErrorFactoryOptions,
} from "./error-factory";
export {
  DEFAULT_RETRY,
  resolveRetryPolicy,
  backoffDelay,
  isRetryable,
  withRetry,
  realSleep,
  parseRetryAfter,
  parseShouldRetry,
  headerValue,
  type RetryPolicy,
  type RetryEvent,
  type WithRetryOptions,
  type ResponseHeaders,
} from "./retry";
export {
  parseWidget,
  parseSecretWidget,
  unwrapEnvelope,
  type Widget,
  type SecretWidget,
  type WidgetMode,
  type ClearanceLevel,
  type WidgetRegion,
  type CloudflareMessage,
  type UnwrappedEnvelope,
} from "./widget";
export {
  DEFAULT_BASE_URL,
  API_TOKEN_FORM,
  encodePathSegment,
  widgetsPath,
  parseBaseUrl,
  validateApiToken,
} from "./request-parts";
export { RateLimiter, type RequestLimiter, type RateLimit } from "./rate-limiter";
export { sharedRateLimiter } from "./shared-limiter";
export { LIST_PAGE_SIZE, parseWidgetPage, widgetListPath, type WidgetPage } from "./widget-list";
