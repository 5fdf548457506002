/**
 * The provider plugin as one object: the `Provider` that `@pulumi/pulumi/provider` serves, over a
 * set of core hooks, and the sink for the engine's Configure calls (see config.ts, which hands them
 * over). main.ts serves one over the process's hooks; tests serve one in-process over hooks of
 * their own (tests/helpers/plugin-grpc.ts), so both drive exactly what the engine drives.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as provider from "@pulumi/pulumi/provider";
import { hooks as processHooks } from "../hooks";
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

/** The plugin over `hooks` (the process's by default) and `schema` (the package's by default). */
export function createPlugin(
  hooks: pulumi.dynamic.ResourceProvider = processHooks, schema: PluginSchema = loadSchema(),
): RotationPlugin {
  let configured: Promise<void> = Promise.resolve();
  return {
    provider: rotationPlugin(hooks, { schema, configured: () => configured }),
    configure(config) {
      // The core reads only `get`; a whole pulumi.Config is not needed to hand it its settings.
      const request = { config: coreConfigSource(config) } as unknown as pulumi.dynamic.ConfigureRequest;
      configured = hooks.configure ? hooks.configure(request) : Promise.resolve();
    },
  };
}
