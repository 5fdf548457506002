/**
 * The dynamic provider handed to the engine. The engine serializes this object into the state of
 * every resource, so it is kept tiny: each hook loads the implementation from the installed package
 * when it runs. Two consequences the design relies on:
 * - state stays small and holds no credentials, only these few lines of code;
 * - a new version of this package changes behaviour without changing state, and `diff` ignores the
 *   serialized provider, so an upgrade never rotates a secret.
 */
import type * as pulumi from "@pulumi/pulumi";

/** The provider whose hooks forward to `pulumi-turnstile-rotation/hooks` at run time. */
export const rotationProvider: pulumi.dynamic.ResourceProvider = {
  configure: (req) => require("pulumi-turnstile-rotation/hooks").hooks.configure(req),
  check: (olds, news) => require("pulumi-turnstile-rotation/hooks").hooks.check(olds, news),
  diff: (id, olds, news) => require("pulumi-turnstile-rotation/hooks").hooks.diff(id, olds, news),
  create: (inputs) => require("pulumi-turnstile-rotation/hooks").hooks.create(inputs),
  read: (id, props) => require("pulumi-turnstile-rotation/hooks").hooks.read(id, props),
  update: (id, olds, news) => require("pulumi-turnstile-rotation/hooks").hooks.update(id, olds, news),
  delete: (id, props) => require("pulumi-turnstile-rotation/hooks").hooks.delete(id, props),
};
