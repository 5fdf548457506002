/**
 * The provider plugin as one object: the `Provider` that `@pulumi/pulumi/provider` serves, over a
 * set of core hooks, and the sink for the engine's Configure calls (see config.ts, which hands them
 * over). main.ts serves one over the process's hooks; tests serve one in-process over hooks of
 * their own (tests/helpers/plugin-grpc.ts), so both drive exactly what the engine drives.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as provider from "@pulumi/pulumi/provider";
import type { RotationHooks } from "../core/hooks";
import { hooks as processHooks } from "../hooks";
import { withBaseUrlHint } from "./base-url-hint";
import { coreConfigSource, type PluginConfig } from "./config";
import { rotationPlugin } from "./provider";
import { loadSchema, type PluginSchema } from "./schema";

/** A provider plugin ready to serve. */
export interface RotationPlugin {
  /** What the gRPC server answers the engine's resource calls with. */
  readonly provider: provider.Provider;
  /** Hands the configuration of a Configure call to the core; resource calls wait for it. */
  configure(config: PluginConfig): void;
}

/** The resource calls of a provider, each made to add the base-URL hint to its failures. */
function hinting(door: provider.Provider, hint: (error: unknown) => unknown): provider.Provider {
  const calls = ["check", "diff", "create", "read", "update", "delete"] as const;
  const wrapped: Record<string, unknown> = { ...door };
  for (const name of calls) {
    // rotationPlugin serves every one of them.
    const call = door[name] as (...args: unknown[]) => Promise<unknown>;
    wrapped[name] = (...args: unknown[]) => call.apply(door, args).catch((error: unknown) => Promise.reject(hint(error)));
  }
  return wrapped as unknown as provider.Provider;
}

/**
 * The plugin over `hooks` (the process's by default), `schema` (the package's by default) and
 * `env` (the environment the hooks read, for the base-URL hint).
 */
export function createPlugin(
  hooks: RotationHooks = processHooks, schema: PluginSchema = loadSchema(),
  env: Readonly<Record<string, string | undefined>> = process.env,
): RotationPlugin {
  let configured: Promise<void> = Promise.resolve();
  let current: PluginConfig = {};
  return {
    provider: hinting(rotationPlugin(hooks, { schema, configured: () => configured }), (error) => withBaseUrlHint(error, current, env)),
    configure(config) {
      current = config;
      // The core reads only `get`; a whole pulumi.Config is not needed to hand it its settings.
      const request = { config: coreConfigSource(config) } as unknown as pulumi.dynamic.ConfigureRequest;
      configured = hooks.configure(request);
    },
  };
}
