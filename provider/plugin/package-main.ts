/**
 * The package's `main`. Requiring the package by name resolves through `exports` to the library
 * (`TurnstileSecretRotation` for TypeScript programs); `main` is read only when a directory path is
 * required, which is what Pulumi's Node.js plugin runner (`@pulumi/pulumi/cmd/run-plugin`) does for
 * a plugin declared by `PulumiPlugin.yaml` (`pulumi package add <path or git url>`). So: started by
 * that runner, this serves the provider plugin; required any other way (a tool that ignores
 * `exports`), it is the library, exactly as `exports` would give.
 */
import * as path from "node:path";

/** True when Pulumi's Node.js plugin runner is this process's entry point. */
function startedByPluginRunner(entry: string | undefined = require.main?.filename): boolean {
  if (entry === undefined) return false;
  const parts = entry.split(path.sep);
  const at = parts.lastIndexOf("run-plugin");
  return at >= 3 && parts[at - 1] === "cmd" && parts[at - 2] === "pulumi" && parts[at - 3] === "@pulumi";
}

// Exporting nothing under the runner matters: it would serve exported component classes (such as
// TurnstileSecretRotations) as a component provider instead of running this plugin.
module.exports = startedByPluginRunner() ? (require("./main"), {}) : require("../index");
