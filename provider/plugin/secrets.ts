/**
 * Secret values on the provider protocol. The plugin tells the engine it accepts secrets, so
 * property maps arrive with secret values wrapped in the engine's secret signature, and the engine
 * treats a wrapped value in a result as secret. The core rules work on plain values: the plugin
 * door unwraps what comes in and wraps what goes out, so a secret stays encrypted in state whatever
 * language declared the resource. The wire format is the SDK's own (`pulumi.runtime`'s
 * `isRpcSecret`, `unwrapRpcSecret` and signature constants), never a copy of it.
 */
import * as runtime from "@pulumi/pulumi/runtime";

/** A secret value as it travels between the engine and a provider: `{ [specialSigKey]: specialSecretSig, value }`. */
export interface WireSecret {
  readonly value: unknown;
}

/** A property map as the engine sends it: string keys, JSON values. */
export type PropertyMap = Record<string, unknown>;

/** True for a value wrapped as a secret. */
export function isWireSecret(value: unknown): value is WireSecret {
  return runtime.isRpcSecret(value) === true;
}

/** Wraps a value as a secret (a value already wrapped is returned as it is). */
export function asSecret(value: unknown): unknown {
  return isWireSecret(value) ? value : { [runtime.specialSigKey]: runtime.specialSecretSig, value };
}

/** Removes every secret wrapper, however deep; reports whether there was one. */
function unwrap(value: unknown): { plain: unknown; secret: boolean } {
  if (isWireSecret(value)) return { plain: unwrap(runtime.unwrapRpcSecret(value)).plain, secret: true };
  if (Array.isArray(value)) {
    const items = value.map(unwrap);
    return { plain: items.map((i) => i.plain), secret: items.some((i) => i.secret) };
  }
  if (typeof value === "object" && value !== null) {
    let secret = false;
    const plain: PropertyMap = {};
    for (const [key, item] of Object.entries(value)) {
      const inner = unwrap(item);
      plain[key] = inner.plain;
      secret ||= inner.secret;
    }
    return { plain, secret };
  }
  return { plain: value, secret: false };
}

/**
 * The plain property map the core works on, and the top-level properties that held a secret
 * anywhere inside them (so they can be wrapped again on the way out).
 */
export function reveal(properties: PropertyMap): { plain: PropertyMap; secretKeys: Set<string> } {
  const plain: PropertyMap = {};
  const secretKeys = new Set<string>();
  for (const [key, value] of Object.entries(properties)) {
    const inner = unwrap(value);
    plain[key] = inner.plain;
    if (inner.secret) secretKeys.add(key);
  }
  return { plain, secretKeys };
}

/** A copy of `properties` with each of `keys` that is present wrapped as a secret. */
export function conceal(properties: PropertyMap, keys: Iterable<string>): PropertyMap {
  const result: PropertyMap = { ...properties };
  for (const key of keys) {
    if (result[key] !== undefined) result[key] = asSecret(result[key]);
  }
  return result;
}
