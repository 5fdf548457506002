/**
 * The provider plugin `pulumi-resource-turnstile-rotation`: serves `TurnstileSecretRotation` to
 * Pulumi programs in every language (YAML, Python, Go, .NET, Java) through the engine's provider
 * protocol, with the same hooks as the Node dynamic resource. The engine starts it through the
 * launcher of a release archive or of the npm package (bin/), never by requiring the package; it
 * prints its port and serves until the engine stops it.
 */
import * as provider from "@pulumi/pulumi/provider";
import { onProviderConfigure } from "./config";
import { createPlugin } from "./plugin";

const plugin = createPlugin();
onProviderConfigure((config) => plugin.configure(config));
void provider.main(plugin.provider, process.argv.slice(2));
