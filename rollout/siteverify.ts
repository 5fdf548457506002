/**
 * Asks Cloudflare whether it accepts a secret right now, without a visitor: siteverify with a
 * token that cannot be valid. Cloudflare documents `invalid-input-secret` (the secret is invalid
 * or does not exist) and `invalid-input-response` (the token is invalid), so an accepted secret
 * gets past the secret check and fails on the token, and a rejected one fails on the secret. That
 * is an inference from the documented codes: any other answer is reported as unknown, never as
 * accepted. The secret goes in the request body only; no error or verdict ever carries it.
 */
import axios from "axios";

/** Cloudflare's siteverify endpoint. */
export const DEFAULT_SITEVERIFY_URL = "https://challenges.cloudflare.com/turnstile/v0/siteverify";

/** The environment variable that points siteverify elsewhere (an emulator, a proxy). */
export const SITEVERIFY_URL_ENV = "TURNSTILE_SITEVERIFY_URL";

/**
 * The token sent with every probe: Cloudflare's published dummy token, which only its testing
 * secrets accept (a testing secret that passes it is then reported as unknown, not accepted).
 */
export const PROBE_TOKEN = "XXXX.DUMMY.TOKEN.XXXX";

/** Cloudflare's verdict on a secret. */
export type Verdict =
  | { readonly kind: "accepted" }
  | { readonly kind: "rejected" }
  | { readonly kind: "unknown"; readonly why: string };

/** Asks about one secret. */
export type Probe = (secret: string) => Promise<Verdict>;

/** Where and how patiently to probe. */
export interface SiteverifyOptions {
  /** Default: `TURNSTILE_SITEVERIFY_URL`, else Cloudflare's. */
  readonly url?: string;
  /** Deadline of one request (default 10 s). */
  readonly timeoutMs?: number;
}

/** Reads the verdict out of a siteverify answer. */
export function verdictOf(status: number, body: unknown): Verdict {
  if (status !== 200) return { kind: "unknown", why: `siteverify answered HTTP ${status}` };
  const record = body !== null && typeof body === "object" ? (body as Record<string, unknown>) : {};
  const codes = Array.isArray(record["error-codes"]) ? record["error-codes"].filter((c): c is string => typeof c === "string") : [];
  if (record.success === false && codes.length === 1 && codes[0] === "invalid-input-response") return { kind: "accepted" };
  if (record.success === false && codes.includes("invalid-input-secret")) return { kind: "rejected" };
  const said = record.success === true ? "success for a token that cannot be valid" : `error codes [${codes.join(", ")}]`;
  return { kind: "unknown", why: `siteverify answered ${said}` };
}

/** A {@link Probe} that posts to siteverify; network failures and odd answers are `unknown`. */
export function siteverifyProbe(options: SiteverifyOptions = {}): Probe {
  const url = options.url ?? process.env[SITEVERIFY_URL_ENV] ?? DEFAULT_SITEVERIFY_URL;
  const http = axios.create({ timeout: options.timeoutMs ?? 10_000, validateStatus: () => true });
  return async (secret) => {
    try {
      const body = new URLSearchParams({ secret, response: PROBE_TOKEN }).toString();
      const response = await http.post(url, body, { headers: { "content-type": "application/x-www-form-urlencoded" } });
      return verdictOf(response.status, response.data);
    } catch (error) {
      // Never the axios error itself: its config holds the request body, that is the secret.
      const code = (error as { code?: unknown }).code;
      return { kind: "unknown", why: `siteverify could not be reached at ${url} (${typeof code === "string" ? code : "no answer"})` };
    }
  };
}
