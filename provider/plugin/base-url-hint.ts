/**
 * Where the plugin's base URL comes from, said when it matters. The TypeScript resource reads
 * `cloudflare:baseUrl`; the engine never hands that key to a provider plugin, so a YAML or Python
 * stack that sets only it calls Cloudflare's own API, and a machine that cannot reach it (an
 * emulator setup, a closed network) sees `ENOTFOUND api.cloudflare.com` with no word of why.
 */
import { ENV_KEYS } from "../core/credentials";
import type { PluginConfig } from "./config";
import { PLUGIN_CONFIG_KEYS } from "./config";

/** The sentence added to a failure to reach the API when no base URL was set. */
export const BASE_URL_HINT =
  `No base URL was set, so the plugin called Cloudflare's own API: it reads ${PLUGIN_CONFIG_KEYS.baseUrl} ` +
  `(or an explicit provider's baseUrl, or ${ENV_KEYS.baseUrl}), never cloudflare:baseUrl, which the engine ` +
  "hands only to programs, not to provider plugins.";

/** True for the client's error of a request that certainly never reached the API (DNS, refused). */
function isNeverReached(error: unknown): boolean {
  return error instanceof Error && error.name === "ConnectionError" && (error as { ambiguous?: unknown }).ambiguous === false;
}

/** True when `error`, or the client error a hook reported it with (its cause), never reached the API. */
function neverReached(error: unknown): error is Error {
  return error instanceof Error && (isNeverReached(error) || isNeverReached(error.cause));
}

/** `error`, with {@link BASE_URL_HINT} added when the request never got out and no base URL was set. */
export function withBaseUrlHint(error: unknown, config: PluginConfig, env: Readonly<Record<string, string | undefined>>): unknown {
  if (!neverReached(error) || config.baseUrl !== undefined || (env[ENV_KEYS.baseUrl] ?? "") !== "") return error;
  if (!error.message.includes(BASE_URL_HINT)) error.message = `${error.message}. ${BASE_URL_HINT}`;
  return error;
}
