/**
 * What a stack's exported state (`pulumi stack export --show-secrets`) says about the secret: the
 * producer's outputs and its rotation's dates, and the value a consumer's StackReference read at
 * its last `pulumi up`. Pure functions over the export; the secrets they return stay in memory.
 */

/** A resource of an exported deployment, as far as this module reads it. */
export interface ExportedResource {
  /** The type token, e.g. `pulumi:pulumi:StackReference`. */
  readonly type: string;
  /** Its inputs as last deployed. */
  readonly inputs?: Readonly<Record<string, unknown>>;
  /** Its outputs as last deployed; secrets as `{sig, plaintext}` with `--show-secrets`. */
  readonly outputs?: Readonly<Record<string, unknown>>;
}

/** An export's `deployment` part. */
export interface ExportedDeployment {
  /** Every resource of the stack; absent or empty before its first `pulumi up`. */
  readonly resources?: readonly ExportedResource[];
}

/** The signature key that marks a secret value in an export. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** A value of an export with its secrets decrypted in place (they arrive as `{sig, plaintext}`). */
export function revealed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revealed);
  if (!isRecord(value)) return value;
  if (SECRET_SIG in value) return typeof value.plaintext === "string" ? revealed(JSON.parse(value.plaintext)) : undefined;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, revealed(item)]));
}

/** The stack's own resource: present once a `pulumi up` has run. */
function stackResource(deployment: ExportedDeployment): ExportedResource | undefined {
  return deployment.resources?.find((resource) => resource.type === "pulumi:pulumi:Stack");
}

/** Whether the stack has been deployed (a `pulumi up` completed at least once). */
export function isDeployed(deployment: ExportedDeployment): boolean {
  return stackResource(deployment) !== undefined;
}

/** The stack's outputs, secrets revealed. */
export function stackOutputs(deployment: ExportedDeployment): Record<string, unknown> {
  const outputs = revealed(stackResource(deployment)?.outputs ?? {});
  return isRecord(outputs) ? outputs : {};
}

/** The dates of the rotation that made a secret, as its resource recorded them. */
export interface RotationDates {
  /** When Cloudflare made the secret (RFC 3339), or null when no rotation resource holds it. */
  readonly rotatedAt: string | null;
  /** Until when the secret before it keeps working (RFC 3339), or null. */
  readonly previousSecretExpiresAt: string | null;
}

const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

/**
 * The dates of the rotation resource whose secret is `secret`: the dynamic resource or the
 * plugin's, found by value so any wiring of the output works.
 */
export function rotationDates(deployment: ExportedDeployment, secret: string): RotationDates {
  for (const resource of deployment.resources ?? []) {
    if (!resource.type.endsWith(":TurnstileSecretRotation")) continue;
    const outputs = revealed(resource.outputs ?? {});
    if (isRecord(outputs) && outputs.secret === secret) {
      return { rotatedAt: text(outputs.rotatedAt), previousSecretExpiresAt: text(outputs.previousSecretExpiresAt) };
    }
  }
  return { rotatedAt: null, previousSecretExpiresAt: null };
}

/**
 * Whether a StackReference's name points at `stack`: the full name, or `<project>/<stack>` (the
 * organization left to the backend's default).
 */
export function namesStack(reference: string, stack: string): boolean {
  return reference === stack || (reference.split("/").length === 2 && stack.endsWith(`/${reference}`));
}

/** What a consumer's state holds of the producer's output. */
export type Held =
  | { readonly kind: "secret"; readonly secret: string }
  | { readonly kind: "none"; readonly why: string };

/** The value of `output` that the consumer's StackReference to `producer` read at its last update. */
export function heldSecret(deployment: ExportedDeployment, producer: string, output: string): Held {
  if (!isDeployed(deployment)) return { kind: "none", why: "not deployed" };
  const references = (deployment.resources ?? []).filter((resource) => {
    if (resource.type !== "pulumi:pulumi:StackReference") return false;
    const name = resource.outputs?.name ?? resource.inputs?.name;
    return typeof name === "string" && namesStack(name, producer);
  });
  if (references.length === 0) return { kind: "none", why: `no StackReference to ${producer}` };
  for (const reference of references) {
    const outputs = revealed(reference.outputs?.outputs ?? {});
    const value = isRecord(outputs) ? outputs[output] : undefined;
    if (typeof value === "string") return { kind: "secret", secret: value };
  }
  return { kind: "none", why: `its StackReference to ${producer} holds no output ${output}` };
}
