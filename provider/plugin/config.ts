/**
 * The plugin's provider configuration: `turnstile-rotation:apiToken` / `turnstile-rotation:baseUrl`
 * in stack config, or the inputs of an explicit `pulumi:providers:turnstile-rotation` resource.
 *
 * The engine hands it over in the Configure call, but `@pulumi/pulumi/provider` answers that call
 * itself and passes nothing on to the `Provider` object. So the plugin reads each ConfigureRequest
 * as gRPC decodes it, by wrapping the decoder of the Configure method in the service definition the
 * SDK registers; the SDK's own answer to the call is unchanged.
 *
 * The engine gives a provider only its own namespace: `cloudflare:*` keys never reach the plugin
 * (the dynamic provider, which receives the whole stack config, keeps reading them).
 */
import { ResourceProviderService } from "@pulumi/pulumi/proto/provider_grpc_pb";
import type { ConfigureRequest } from "@pulumi/pulumi/proto/provider_pb";
import type { ConfigSource } from "../core/credentials";
import { CONFIG_KEYS } from "../core/credentials";
import { PACKAGE_NAME } from "./schema";
import { reveal } from "./secrets";

/** The provider configuration the plugin understands. */
export interface PluginConfig {
  readonly apiToken?: string;
  readonly baseUrl?: string;
}

/** The plugin's config keys as users set them (`pulumi config set --secret turnstile-rotation:apiToken`). */
export const PLUGIN_CONFIG_KEYS = { apiToken: `${PACKAGE_NAME}:apiToken`, baseUrl: `${PACKAGE_NAME}:baseUrl` } as const;

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * The configuration in a ConfigureRequest: its `args` (typed, secrets wrapped), else the older
 * `variables` map keyed `turnstile-rotation:config:<key>`, which engines still send.
 */
export function configFromRequest(request: Pick<ConfigureRequest, "getArgs" | "getVariablesMap">): PluginConfig {
  const args = reveal(request.getArgs()?.toJavaScript() ?? {}).plain;
  const variables = request.getVariablesMap();
  const pick = (key: keyof PluginConfig) => text(args[key]) ?? text(variables.get(`${PACKAGE_NAME}:config:${key}`));
  const apiToken = pick("apiToken");
  const baseUrl = pick("baseUrl");
  return { ...(apiToken === undefined ? {} : { apiToken }), ...(baseUrl === undefined ? {} : { baseUrl }) };
}

/**
 * The core reads its connection settings through the dynamic provider's config keys; here they
 * answer with the plugin's own configuration.
 */
export function coreConfigSource(config: PluginConfig): ConfigSource {
  return {
    get(key: string): string | undefined {
      if (key === CONFIG_KEYS.apiToken) return config.apiToken;
      if (key === CONFIG_KEYS.baseUrl) return config.baseUrl;
      return undefined;
    },
  };
}

/**
 * Calls `onConfigure` with the configuration of every Configure call this process serves. Must
 * run before `provider.main`, which registers the service definition with gRPC.
 */
export function onProviderConfigure(onConfigure: (config: PluginConfig) => void): void {
  const method = ResourceProviderService.configure;
  const decode = method.requestDeserialize;
  method.requestDeserialize = (bytes: Buffer): ConfigureRequest => {
    const request = decode(bytes);
    onConfigure(configFromRequest(request));
    return request;
  };
}
