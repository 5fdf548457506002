/**
 * `pulumi-turnstile-rotation/hooks`: the hooks of a provider process, as the engine calls them.
 *
 * CONTRACT WITH EVERY DEPLOYED STACK. Installed from npm, the dynamic provider that the engine
 * stores in the state of every `TurnstileSecretRotation` is nothing but
 * `require("pulumi-turnstile-rotation/hooks")` (see dynamic/serialized-provider.ts), and later runs
 * call this module's exports by name. So:
 * - this file stays at `provider/hooks.ts`, built to `dist/provider/hooks.js` and exported as the
 *   package subpath `./hooks`: the serializer derives the stored path from the file's place in
 *   `node_modules`, so moving or renaming it writes a new path into every new state and breaks
 *   every old one;
 * - the names `configure`, `check`, `diff`, `create`, `read`, `update`, `delete` and `hooks` stay
 *   exported with these signatures.
 * Everything else (the rules, the protocol) lives in `core/` and may change freely: the state
 * holds no implementation. tests/e2e/plugin-upgrade.spec.ts previews stacks written by release
 * 0.1.0 against this module and fails on any change.
 *
 * The provider plugin (plugin/main.ts) runs the same `hooks` instance.
 */
import { sharedRateLimiter } from "./cloudflare/shared-limiter";
import { warnUser } from "./core/engine-log";
import { createHooks, type RotationHooks } from "./core/hooks";

export { createHooks, rotationId, type HookDeps, type RotationHooks } from "./core/hooks";

/** The hooks of this provider process: the real clock, environment, engine log and rate limiter. */
export const hooks: RotationHooks = createHooks({
  env: process.env,
  now: Date.now,
  warn: warnUser,
  rateLimiterFor: (baseUrl, apiToken) => sharedRateLimiter(baseUrl, apiToken),
});

// The hooks again as module-level exports, so that the serialized provider of an installed package
// can be this module itself (see the contract above).
export const { configure, check, diff, create, read, update } = hooks;
const deleteHook = hooks.delete;
export { deleteHook as delete };
