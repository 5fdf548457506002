/**
 * The provider plugin `pulumi-resource-turnstile-rotation`: serves `TurnstileSecretRotation` to
 * Pulumi programs in every language (YAML, Python, Go, .NET, Java) through the engine's provider
 * protocol, with the same hooks as the Node dynamic resource. Started by the engine, through the
 * launcher `bin/pulumi-resource-turnstile-rotation` or, for `PulumiPlugin.yaml`, by Pulumi's Node.js
 * plugin runner; it prints its port and serves until the engine stops it.
 */
import * as provider from "@pulumi/pulumi/provider";
import { hooks } from "../hooks";
import { coreConfigSource, onProviderConfigure } from "./config";
import { rotationPlugin } from "./provider";
import { loadSchema } from "./schema";

let configured: Promise<void> = Promise.resolve();
onProviderConfigure((config) => {
  // The core reads only `get`; a whole pulumi.Config is not needed to hand it its settings.
  const request = { config: coreConfigSource(config) } as unknown as Parameters<NonNullable<typeof hooks.configure>>[0];
  configured = hooks.configure ? hooks.configure(request) : Promise.resolve();
});

void provider.main(rotationPlugin(hooks, { schema: loadSchema(), configured: () => configured }), process.argv.slice(2));
