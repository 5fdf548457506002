/**
 * Where the provider finds its Cloudflare credentials and API address. Resolved each time a hook
 * runs, from the stack config handed to `configure` and the provider process's environment, so
 * the token is never captured into the serialized provider or the state.
 */

import { DEFAULT_BASE_URL, parseBaseUrl, validateApiToken } from "../cloudflare";
import { nameErrors, TurnstileRotationError } from "./errors";

/** The stack config as the dynamic provider's `configure` hook receives it. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

/** What a hook needs to call Cloudflare. */
export interface Connection {
  readonly apiToken: string;
  readonly baseUrl: string;
}

/** The config keys, shared with `@pulumi/cloudflare` so one stack config serves both. */
export const CONFIG_KEYS = { apiToken: "cloudflare:apiToken", baseUrl: "cloudflare:baseUrl" } as const;
/** The environment variables, the same the official Cloudflare SDKs read. */
export const ENV_KEYS = { apiToken: "CLOUDFLARE_API_TOKEN", baseUrl: "CLOUDFLARE_BASE_URL" } as const;

/** Raised when no token is configured; names both places a token can come from. */
export class MissingCredentialsError extends TurnstileRotationError {
  constructor() {
    super(
      `no Cloudflare API token: set it with \`pulumi config set --secret ${CONFIG_KEYS.apiToken} <token>\` ` +
        `or export ${ENV_KEYS.apiToken}; the token needs "Account > Turnstile > Edit" permission`,
    );
  }
}

nameErrors({ MissingCredentialsError });

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== "" ? value.trim() : undefined;
}

/**
 * Picks the token and base URL: an explicit token first, then stack config, then environment, and
 * checks both with the client's own rules. Throws {@link MissingCredentialsError} when there is no
 * token, `InvalidSettingError` when a value cannot be used (its message names where it is set).
 */
export function resolveConnection(
  config: ConfigSource | undefined,
  env: Readonly<Record<string, string | undefined>>,
  explicitToken?: string,
): Connection {
  const apiToken = nonEmpty(explicitToken) ?? nonEmpty(config?.get(CONFIG_KEYS.apiToken)) ?? nonEmpty(env[ENV_KEYS.apiToken]);
  if (!apiToken) throw new MissingCredentialsError();
  const baseUrl = nonEmpty(config?.get(CONFIG_KEYS.baseUrl)) ?? nonEmpty(env[ENV_KEYS.baseUrl]) ?? DEFAULT_BASE_URL;
  return {
    apiToken: validateApiToken(apiToken, "the Cloudflare API token"),
    baseUrl: parseBaseUrl(baseUrl, `the Cloudflare base URL (${CONFIG_KEYS.baseUrl} or ${ENV_KEYS.baseUrl})`),
  };
}
