/**
 * Validation and encoding of what goes into a request: the base URL, the path and the token of
 * the Authorization header. Kept pure and separate so the rules that stop a hostile sitekey or a
 * mistyped base URL are easy to read and test; credentials.ts applies the same rules to config.
 */
import { InvalidSettingError } from "../core/errors";

/**
 * Percent-encodes one path segment. Empty, `.` and `..` are refused outright:
 * URL parsers resolve dot segments (even as `%2e%2e`), and an empty sitekey
 * would turn "get widget" into "list widgets", so encoding alone is not enough.
 */
export function encodePathSegment(name: string, value: string): string {
  if (typeof value !== "string" || value === "" || value === "." || value === "..") {
    throw new TypeError(`${name} must be a non-empty string other than "." or ".."`);
  }
  return encodeURIComponent(value);
}

/** `/accounts/{accountId}/challenges/widgets[/{sitekey}]`, each segment encoded. */
export function widgetsPath(accountId: string, sitekey?: string): string {
  const base = `/accounts/${encodePathSegment("accountId", accountId)}/challenges/widgets`;
  return sitekey === undefined ? base : `${base}/${encodePathSegment("sitekey", sitekey)}`;
}

/** Cloudflare's public API endpoint: the base URL when none is configured. */
export const DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4";

/**
 * What a token must look like to be sent as `Bearer <token>`: printable ASCII, no spaces. Checked
 * locally so a token pasted with quotes or a line break fails with a clear message instead of
 * Cloudflare's cryptic 400/6003. The one rule for every token: inputs, config and environment.
 */
export const API_TOKEN_FORM = /^[\x21-\x7e]+$/;

/**
 * Checks a base URL and returns it normalised without a trailing slash. Only http(s); no
 * credentials, query or fragment (they would either leak into logs or silently change every
 * request). Messages never echo the URL, since a URL with credentials in it is itself a secret.
 *
 * @param setting How the message names the value (e.g. where it is configured).
 * @throws InvalidSettingError naming `setting` and the problem.
 */
export function parseBaseUrl(raw: string, setting = "baseUrl"): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InvalidSettingError(`${setting} is not a valid URL: give an absolute http(s) URL such as ${DEFAULT_BASE_URL}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new InvalidSettingError(`${setting} must use http or https`);
  if (url.username !== "" || url.password !== "") throw new InvalidSettingError(`${setting} must not contain credentials`);
  if (url.search !== "" || url.hash !== "") throw new InvalidSettingError(`${setting} must not have a query string or fragment`);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/**
 * Returns the token if it can be sent (see {@link API_TOKEN_FORM}). Never quotes the token.
 *
 * @param setting How the message names the token (e.g. where it is configured).
 * @throws InvalidSettingError naming `setting` and the problem.
 */
export function validateApiToken(token: string, setting = "apiToken"): string {
  if (typeof token !== "string" || token === "") throw new InvalidSettingError(`${setting} is empty: pass a Cloudflare API token`);
  if (!API_TOKEN_FORM.test(token)) {
    throw new InvalidSettingError(`${setting} contains spaces, line breaks or non-ASCII characters; check how it was copied`);
  }
  return token;
}
