/**
 * A small client for Cloudflare's Turnstile widgets API on axios: one
 * keep-alive connection pool, the retry policy of `retry.ts`, and every
 * failure turned into a `CloudflareApiError` by `toCloudflareError`.
 */
import * as http from "node:http";
import * as https from "node:https";
import axios, { type AxiosInstance, type AxiosResponse, type Method } from "axios";
import { toCloudflareError, type FailureSource } from "./error-factory";
import type { RequestContext } from "./errors";
import { resolveRetryPolicy, withRetry, type RetryEvent, type RetryPolicy } from "./retry";
import { sendLimited, type RequestLimiter } from "./rate-limiter";
import { parseSecretWidget, unwrapEnvelope, type SecretWidget } from "./widget";
import { LIST_PAGE_SIZE, parseWidgetPage, widgetListPath, type WidgetPage } from "./widget-list";
import { DEFAULT_BASE_URL, parseBaseUrl, validateApiToken, widgetsPath } from "./request-parts";
import { DEFAULT_TIMEOUT_MS, MAX_ANSWER_BYTES, timedOut, tooLarge, type ClientTransport } from "./transport";

export { DEFAULT_TIMEOUT_MS, MAX_ANSWER_BYTES, type ClientTransport } from "./transport";

/** How to reach and authenticate to the API; time, sleep and randomness are injectable for tests. */
export interface TurnstileClientOptions {
  readonly apiToken: string;
  readonly baseUrl?: string;
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  readonly random?: () => number;
  readonly userAgent?: string;
  /** How requests travel (see {@link ClientTransport}); the real network by default. */
  readonly transport?: ClientTransport;
  /** Shared by every client of the process (see `sharedRateLimiter`); none: requests are sent at once. */
  readonly rateLimiter?: RequestLimiter;
  /**
   * Called before each wait for a retry, so a caller can say why a command is waiting. The event's
   * error is sanitised like every error of this client: it never holds the token.
   */
  readonly onRetry?: (event: RetryEvent) => void;
}

/** Options of {@link TurnstileClient.rotateSecret}. */
export interface RotateSecretOptions {
  /** Reject the old secret at once instead of after Cloudflare's grace period (default false). */
  readonly invalidateImmediately?: boolean;
}

interface CallSpec<T> {
  readonly request: RequestContext;
  readonly body?: Readonly<Record<string, unknown>>;
  /** Turns the envelope's result (and the answer's `Date`, ms) into the method's answer; throws TypeError on bad shape. */
  readonly parse: (result: unknown, dateMs: number | undefined) => T;
}

/** Client for `/accounts/{account_id}/challenges/widgets`. The token is kept in a private field. */
export class TurnstileClient {
  /** API base URL, validated and without a trailing slash. */
  readonly baseUrl: string;
  readonly #apiToken: string;
  readonly #http: AxiosInstance;
  readonly #agents: readonly [http.Agent, https.Agent];
  readonly #policy: RetryPolicy;
  readonly #sleep: ((ms: number) => Promise<void>) | undefined;
  readonly #now: () => number;
  readonly #random: (() => number) | undefined;
  readonly #limiter: RequestLimiter | undefined;
  readonly #onRetry: ((event: RetryEvent) => void) | undefined;
  readonly #timeoutMs: number;
  readonly #deadline: (ms: number) => AbortSignal;
  /** Cloudflare's clock minus ours, from the latest answer's Date header. */
  #serverOffsetMs: number | undefined;

  /** Validates the options (`InvalidSettingError` for the token and base URL, never quoting them; `RangeError` for the rest). */
  constructor(options: TurnstileClientOptions) {
    this.#apiToken = validateApiToken(options.apiToken);
    this.baseUrl = parseBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL);
    const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeout) || timeout <= 0) throw new RangeError("timeoutMs must be a positive number");
    this.#policy = resolveRetryPolicy(options.retry);
    this.#sleep = options.sleep;
    this.#now = options.now ?? Date.now;
    this.#random = options.random;
    this.#limiter = options.rateLimiter;
    this.#onRetry = options.onRetry;
    this.#timeoutMs = timeout;
    this.#deadline = options.transport?.deadline ?? ((ms) => AbortSignal.timeout(ms));
    this.#agents = [new http.Agent({ keepAlive: true }), new https.Agent({ keepAlive: true })];
    this.#http = axios.create({
      baseURL: this.baseUrl,
      ...(options.transport?.adapter ? { adapter: options.transport.adapter } : {}),
      maxContentLength: MAX_ANSWER_BYTES,
      httpAgent: this.#agents[0],
      httpsAgent: this.#agents[1],
      // Every status comes back as a response: the envelope decides, and toCloudflareError explains.
      validateStatus: () => true,
      // The API never redirects; following one could carry the token to another host.
      maxRedirects: 0,
      responseType: "json",
      headers: { Accept: "application/json", "User-Agent": options.userAgent ?? "pulumi-turnstile-rotation" },
    });
  }

  /** Reads a widget, including its current secret. */
  async getWidget(accountId: string, sitekey: string): Promise<SecretWidget> {
    const path = widgetsPath(accountId, sitekey);
    const request = { method: "GET", path, operation: `read widget ${sitekey}`, idempotent: true };
    return this.#call({ request, parse: parseSecretWidget });
  }

  /** Reads page `page` (1-based) of the account's widget list: no secrets, each `modified_on`, the answer's `Date`. */
  async listWidgets(accountId: string, page: number, perPage = LIST_PAGE_SIZE): Promise<WidgetPage> {
    const request = { method: "GET", path: widgetListPath(accountId, page, perPage), operation: "list widgets", idempotent: true };
    return this.#call({ request, parse: parseWidgetPage });
  }

  /**
   * Generates a new secret; the answer carries it. NOT idempotent: only a 429
   * or a connection that never reached Cloudflare is retried, since a repeat
   * after a lost answer would rotate twice.
   */
  async rotateSecret(accountId: string, sitekey: string, options: RotateSecretOptions = {}): Promise<SecretWidget> {
    const path = `${widgetsPath(accountId, sitekey)}/rotate_secret`;
    const request = { method: "POST", path, operation: `rotate the secret of widget ${sitekey}`, idempotent: false };
    return this.#call({ request, body: { invalidate_immediately: options.invalidateImmediately ?? false }, parse: parseSecretWidget });
  }

  /**
   * Cloudflare's current time, read now: one read of the widget (its secret is dropped) for the
   * answer's `Date` header. `undefined` when Cloudflare sent no usable date. Grace periods run on
   * Cloudflare's clock, so a decision that needs it asks here.
   */
  async readCloudflareNow(accountId: string, sitekey: string): Promise<number | undefined> {
    await this.getWidget(accountId, sitekey);
    return this.cloudflareNow();
  }

  /**
   * Cloudflare's current time as its latest answer's `Date` header told it (advanced by the local
   * clock since), or `undefined` before any answer. Grace periods run on Cloudflare's clock.
   */
  cloudflareNow(): number | undefined {
    return this.#serverOffsetMs === undefined ? undefined : this.#now() + this.#serverOffsetMs;
  }

  /** Closes idle keep-alive connections; the client must not be used afterwards. */
  close(): void {
    for (const agent of this.#agents) agent.destroy();
  }

  async #call<T>(spec: CallSpec<T>): Promise<T> {
    const { request } = spec;
    const fail = (source: FailureSource) => toCloudflareError(source, request, { nowMs: this.#now(), redact: [this.#apiToken] });
    const attempt = async (): Promise<T> => {
      let response: AxiosResponse<unknown>;
      let deadline: AbortSignal | undefined;
      try {
        response = await sendLimited(this.#limiter, this.#now, () => {
          // The deadline starts when the request is sent, not when it queued for a slot: a fleet's
          // requests past the limiter's budget wait minutes for the window, and never left.
          deadline = this.#deadline(this.#timeoutMs);
          return this.#http.request<unknown>({
            method: request.method as Method,
            url: request.path,
            data: spec.body,
            signal: deadline,
            // Per request rather than in the instance defaults, so the token lives in one private field only.
            headers: { Authorization: `Bearer ${this.#apiToken}` },
          });
        });
      } catch (error) {
        // Never rethrow the axios error: its config holds the token.
        throw fail({ error: deadline?.aborted ? timedOut(this.#timeoutMs) : (tooLarge(error) ?? error) });
      }
      const answer = { status: response.status, headers: { ...response.headers }, body: response.data };
      const parsedDate = Date.parse(String(response.headers["date"] ?? ""));
      const serverDate = Number.isNaN(parsedDate) ? undefined : parsedDate;
      if (serverDate !== undefined) this.#serverOffsetMs = serverDate - this.#now();
      const envelope = unwrapEnvelope(response.data);
      const ok = response.status >= 200 && response.status < 300;
      if (!ok || !envelope || !envelope.success) {
        throw fail({ response: answer, ...(ok && !envelope ? { detail: "the answer is not a Cloudflare v4 envelope" } : {}) });
      }
      try {
        return spec.parse(envelope.result, serverDate);
      } catch (error) {
        if (error instanceof TypeError) throw fail({ response: answer, detail: `unexpected answer: ${error.message}` });
        throw error;
      }
    };
    return withRetry(attempt, {
      idempotent: request.idempotent,
      policy: this.#policy,
      now: this.#now,
      ...(this.#sleep ? { sleep: this.#sleep } : {}),
      ...(this.#random ? { random: this.#random } : {}),
      ...(this.#onRetry ? { onRetry: this.#onRetry } : {}),
    });
  }
}
