/**
 * The consumer side: reading the secret a producer stack rotated through a `StackReference`, and
 * failing loudly when this stack cannot have it.
 *
 * Why a helper: when a consumer cannot decrypt the producer's secrets (another passphrase or
 * secrets provider), the engine does not fail. It logs "eliding undecryptable secrets for stack
 * reference '<stack>'" as an info message and hands the program an empty object instead of the
 * secret. A hash or an app setting computed from that object deploys fine and breaks every
 * siteverify call later. The check below turns that into a failed preview that says what to fix.
 */
import * as pulumi from "@pulumi/pulumi";
import { nameErrors, ProgramError } from "./core/errors";

/** Where a secret is read from, for the messages. */
export interface SecretLocation {
  /** The producer stack, as the StackReference names it. */
  readonly stack: string;
  /** The producer's stack output. */
  readonly outputName: string;
  /** The name inside that output, for outputs that hold several secrets. */
  readonly key?: string;
}

/** At most this many output or key names are listed in a message: enough to spot a typo. */
const MAX_NAMES = 12;

function nameList(names: readonly string[]): string {
  if (names.length === 0) return "none";
  const shown = names.slice(0, MAX_NAMES).join(", ");
  return names.length > MAX_NAMES ? `${shown}, ... (${names.length} in all)` : shown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** What a value is, without ever quoting it. */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "a list";
  if (value === "") return "an empty string";
  return `a ${typeof value}`;
}

/**
 * The producer's output cannot serve as the secret (undecryptable, missing, of the wrong shape).
 * A {@link ProgramError}: `pulumi preview` reports it like a `pulumi.RunError`, message alone.
 */
export class ProducerOutputError extends ProgramError {}
nameErrors({ ProducerOutputError });

function undecryptable(where: SecretLocation): ProducerOutputError {
  return new ProducerOutputError(
    `cannot decrypt output '${where.outputName}' of stack '${where.stack}': this stack cannot decrypt the producer's ` +
      `secrets, so the engine handed over an empty placeholder instead of the secret (it logged "eliding undecryptable ` +
      `secrets for stack reference '${where.stack}'"). Run this stack with the producer's passphrase ` +
      "(PULUMI_CONFIG_PASSPHRASE) or give it access to the producer's secrets provider (e.g. decrypt permission on its " +
      "KMS key), then run it again.",
  );
}

/**
 * The secret at `where` in a producer stack's outputs, as the engine handed them to this program;
 * throws a {@link ProducerOutputError} naming the output and the fix when it is not there. Pure, so each
 * case is unit-tested; {@link turnstileSecretFrom} applies it to a `StackReference`.
 *
 * @param outputs The producer's stack outputs (`stackReference.outputs`).
 * @param where The stack, output and optional key, for the messages.
 */
export function checkedTurnstileSecret(outputs: Readonly<Record<string, unknown>>, where: SecretLocation): string {
  const { stack, outputName, key } = where;
  if (!Object.prototype.hasOwnProperty.call(outputs, outputName)) {
    throw new ProducerOutputError(
      `stack '${stack}' has no output '${outputName}': run \`pulumi up\` on that stack first, or use the name it ` +
        `exports the secret under (its outputs: ${nameList(Object.keys(outputs))})`,
    );
  }
  let value = outputs[outputName];
  // The engine's placeholder for a secret it could not decrypt is an empty object, whatever the
  // secret was (a string, or the map of a TurnstileSecretRotations). No rotation output is ever an
  // empty object, so this is never a real value.
  if (isPlainObject(value) && Object.keys(value).length === 0) throw undecryptable(where);
  if (key !== undefined) {
    if (!isPlainObject(value)) {
      throw new ProducerOutputError(
        `output '${outputName}' of stack '${stack}' is ${describe(value)}, not secrets by name: drop the key ` +
          `'${key}' to read it as one secret`,
      );
    }
    if (!Object.prototype.hasOwnProperty.call(value, key)) {
      throw new ProducerOutputError(
        `output '${outputName}' of stack '${stack}' has no key '${key}' (its keys: ${nameList(Object.keys(value))})`,
      );
    }
    value = value[key];
  }
  const path = key === undefined ? `output '${outputName}'` : `key '${key}' of output '${outputName}'`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    const example = `turnstileSecretFrom(producer, "${outputName}", "${keys[0] ?? "name"}")`;
    throw new ProducerOutputError(
      `${path} of stack '${stack}' holds several values by name (keys: ${nameList(keys)}), not one secret: ` +
        `pass the name of the one to read, e.g. ${example}`,
    );
  }
  if (typeof value !== "string" || value === "") {
    throw new ProducerOutputError(
      `${path} of stack '${stack}' is ${describe(value)}, not a Turnstile secret: read the output the producer ` +
        "exports `rotation.secret` under",
    );
  }
  return value;
}

/**
 * The Turnstile secret a producer stack exports, read through a `StackReference`, as a Pulumi
 * secret. Use it instead of `stackReference.requireOutput(...)`: that one hands over an empty
 * placeholder object when this stack cannot decrypt the producer's secrets, which deploys silently.
 *
 * The returned output fails the preview (and the update) with a message naming the output and the
 * fix when this stack cannot decrypt the producer's secrets (use the producer's passphrase or
 * secrets provider), when the producer has no such output (not deployed yet, or another name), or
 * when the output is not a secret string. Messages never quote a value.
 *
 * ```ts
 * const producer = new pulumi.StackReference("organization/producer/dev");
 * const secret = turnstileSecretFrom(producer, "turnstileSecret");
 * // A TurnstileSecretRotations producer that exports `secrets = forms.secrets`:
 * const loginSecret = turnstileSecretFrom(producer, "secrets", "login");
 * ```
 *
 * @param stackReference The producer stack.
 * @param outputName The producer's stack output holding the secret, e.g. `"turnstileSecret"` for
 *   `export const turnstileSecret = rotation.secret`.
 * @param key For an output holding several secrets by name (the `secrets` of a
 *   `TurnstileSecretRotations`), the name of the one to read.
 * @returns The secret, always marked as a Pulumi secret.
 */
export function turnstileSecretFrom(
  stackReference: pulumi.StackReference,
  outputName: string,
  key?: string,
): pulumi.Output<string> {
  const secret = pulumi
    .all([stackReference.name, stackReference.outputs])
    .apply(([stack, outputs]) => checkedTurnstileSecret(outputs, { stack, outputName, key }));
  // The producer marks it secret, but a producer that exported it in plain text must not make
  // every consumer store it in plain text too.
  return pulumi.secret(secret);
}
