/**
 * API-token authentication for /client/v4. One `apiToken` may touch every
 * account; `tokens` maps further tokens to the accounts they may touch, so a
 * test can prove that a token for account A is refused on account B.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { ApiError, ErrorCodes } from "./types";

/** Which tokens are valid and where. */
export interface AuthConfig {
  apiToken?: string;
  tokens?: Record<string, string[]>;
}

/** Compares two strings without leaking their common prefix length through timing. */
function sameToken(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a).digest();
  const hb = createHash("sha256").update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** Cloudflare's answer to a malformed Authorization header: 400, 6003 with an error chain. */
function malformedHeader(): ApiError {
  return new ApiError(400, [{
    code: ErrorCodes.invalidHeaders,
    message: "Invalid request headers",
    error_chain: [{ code: ErrorCodes.invalidAuthorizationFormat, message: "Invalid format for Authorization header" }],
  }]);
}

/** 403 / 10000, for missing, unknown or out-of-scope tokens alike (no oracle for which). */
export function authenticationError(): ApiError {
  return ApiError.of(403, ErrorCodes.authentication, "Authentication error");
}

/**
 * Extracts the bearer token. Returns undefined when no Authorization header was
 * sent; throws 400/6003 when one was sent but is not `Bearer <token>`.
 */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer ([^\s]+)$/.exec(header.trim());
  if (!match) throw malformedHeader();
  return match[1];
}

/** Throws 403/10000 unless `token` may act on `accountId`. */
export function authorize(config: AuthConfig, token: string | undefined, accountId: string): void {
  if (token === undefined) throw authenticationError();
  if (config.apiToken !== undefined && sameToken(config.apiToken, token)) return;
  for (const [candidate, accounts] of Object.entries(config.tokens ?? {})) {
    if (sameToken(candidate, token)) {
      if (accounts.includes(accountId)) return;
      throw authenticationError();
    }
  }
  throw authenticationError();
}

/** True when `token` is known at all (used to decide whether account-id errors may be revealed). */
export function isKnownToken(config: AuthConfig, token: string | undefined): boolean {
  if (token === undefined) return false;
  if (config.apiToken !== undefined && sameToken(config.apiToken, token)) return true;
  return Object.keys(config.tokens ?? {}).some((candidate) => sameToken(candidate, token));
}
