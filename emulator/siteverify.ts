/**
 * Siteverify rules: which (secret, token) pairs pass, and which error code each
 * failure gets. Pure logic over the store; the route only parses the body.
 */
import { rfc3339, type Clock } from "./clock";
import type { WidgetStore } from "./store";
import { TOKEN_LIFETIME_MS } from "./visitor-tokens";

/** Published testing secrets and the one token they accept. */
export const TESTING = {
  dummyToken: "XXXX.DUMMY.TOKEN.XXXX",
  passSecret: "1x0000000000000000000000000000000AA",
  failSecret: "2x0000000000000000000000000000000AA",
  spentSecret: "3x0000000000000000000000000000000AA",
  passSitekey: "1x00000000000000000000AA",
  failSitekey: "2x00000000000000000000AB",
  interactiveSitekey: "3x00000000000000000000FF",
} as const;

/** Longest token siteverify accepts. */
export const MAX_RESPONSE_LENGTH = 2048;

/** Documented siteverify error codes. */
export type SiteverifyErrorCode =
  | "missing-input-secret" | "invalid-input-secret" | "missing-input-response" | "invalid-input-response"
  | "bad-request" | "timeout-or-duplicate" | "internal-error";

/** Parsed siteverify input (fields absent when not sent). */
export interface SiteverifyInput {
  secret?: string;
  response?: string;
  remoteip?: string;
  idempotency_key?: string;
}

/** Siteverify answer body. */
export type SiteverifyResult =
  | { success: true; "error-codes": []; challenge_ts: string; hostname: string; action: string; cdata: string;
      metadata: Record<string, unknown>; messages: [] }
  | { success: false; "error-codes": SiteverifyErrorCode[]; messages: [] };

/** A failed answer. */
export function siteverifyFailure(...codes: SiteverifyErrorCode[]): SiteverifyResult {
  return { success: false, "error-codes": codes, messages: [] };
}

/** Decides one siteverify call. Redeems the token on success (single use). */
export function verify(store: WidgetStore, clock: Clock, input: SiteverifyInput): SiteverifyResult {
  const missing: SiteverifyErrorCode[] = [];
  if (!input.secret) missing.push("missing-input-secret");
  if (!input.response) missing.push("missing-input-response");
  if (missing.length > 0 || !input.secret || !input.response) return siteverifyFailure(...missing);
  const { secret, response } = input;
  if (response.length > MAX_RESPONSE_LENGTH) return siteverifyFailure("invalid-input-response");

  // Testing secrets accept only the dummy token, with a fixed outcome each.
  if (secret === TESTING.passSecret || secret === TESTING.failSecret || secret === TESTING.spentSecret) {
    if (response !== TESTING.dummyToken) return siteverifyFailure("invalid-input-response");
    if (secret === TESTING.failSecret) return siteverifyFailure("invalid-input-response");
    if (secret === TESTING.spentSecret) return siteverifyFailure("timeout-or-duplicate");
    return { success: true, "error-codes": [], challenge_ts: rfc3339(clock.now()), hostname: "example.com",
      action: "", cdata: "", metadata: { interactive: false }, messages: [] };
  }

  const match = store.findBySecret(secret);
  if (!match) return siteverifyFailure("invalid-input-secret");
  const token = store.visitorTokens.find(response);
  if (!token || token.sitekey !== match.widget.sitekey) return siteverifyFailure("invalid-input-response");
  if (clock.now() >= token.issuedMs + TOKEN_LIFETIME_MS) return siteverifyFailure("timeout-or-duplicate");
  if (token.redeemed) {
    const sameKey = input.idempotency_key !== undefined && token.redeemed.idempotencyKey === input.idempotency_key;
    if (!sameKey) return siteverifyFailure("timeout-or-duplicate");
  } else {
    store.visitorTokens.redeem(token, input.idempotency_key);
  }
  const metadata: Record<string, unknown> = {};
  if (match.widget.ephemeral_id) metadata.ephemeral_id = `x:${token.token.slice(-20)}`;
  return { success: true, "error-codes": [], challenge_ts: rfc3339(token.issuedMs), hostname: token.hostname,
    action: token.action, cdata: token.cdata, metadata, messages: [] };
}
