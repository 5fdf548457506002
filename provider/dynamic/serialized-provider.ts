/**
 * The dynamic provider handed to the engine. The engine serializes this object into the state of
 * every resource (twice: inputs and outputs), so it is kept tiny and holds no implementation:
 * - installed in a `node_modules` directory (how users get the package), it is the module
 *   `pulumi-turnstile-rotation/hooks` itself, which the serializer stores as nothing but
 *   `require("pulumi-turnstile-rotation/hooks")` (about 270 bytes);
 * - anywhere else (a source checkout, `npm link`), the serializer would copy a module by value, so
 *   it is a set of one-line hooks that load that module when they run (about 2.2 KB).
 * Either way state holds no credentials, a new version of this package changes behaviour without
 * changing state, and `diff` ignores the serialized provider, so an upgrade never rotates a secret.
 */
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";

/** Hooks that forward to `pulumi-turnstile-rotation/hooks` at run time. */
const forwardingProvider: pulumi.dynamic.ResourceProvider = {
  configure: (req) => require("pulumi-turnstile-rotation/hooks").hooks.configure(req),
  check: (olds, news) => require("pulumi-turnstile-rotation/hooks").hooks.check(olds, news),
  diff: (id, olds, news) => require("pulumi-turnstile-rotation/hooks").hooks.diff(id, olds, news),
  create: (inputs) => require("pulumi-turnstile-rotation/hooks").hooks.create(inputs),
  read: (id, props) => require("pulumi-turnstile-rotation/hooks").hooks.read(id, props),
  update: (id, olds, news) => require("pulumi-turnstile-rotation/hooks").hooks.update(id, olds, news),
  delete: (id, props) => require("pulumi-turnstile-rotation/hooks").hooks.delete(id, props),
};

/**
 * Whether the serializer will store the hooks module by reference: it does so exactly when the
 * module's real path runs through a `node_modules` directory (npm, yarn and pnpm installs).
 */
const installed = __filename.split(path.sep).includes("node_modules");

/** The provider of every `TurnstileSecretRotation`. */
export const rotationProvider: pulumi.dynamic.ResourceProvider = installed
  ? (require("../hooks") as typeof import("../hooks"))
  : forwardingProvider;
