/**
 * `TurnstileSecretRotations`: one trigger for many widgets. Creates a `TurnstileSecretRotation`
 * per widget under one component and exports a map of their secrets.
 */
import * as pulumi from "@pulumi/pulumi";
import { TurnstileSecretRotation } from "./resource";

/** The inputs of a {@link TurnstileSecretRotations}. */
export interface TurnstileSecretRotationsArgs {
  /** The Cloudflare account that owns every widget. */
  readonly accountId: pulumi.Input<string>;
  /**
   * The widgets to rotate, by a stable name of your choice (used in the resource names and as the
   * keys of `secrets`). Renaming a key replaces that widget's rotation, which rotates it again.
   */
  readonly sitekeys: Readonly<Record<string, pulumi.Input<string>>>;
  /** Rotates every widget on create and whenever it changes. */
  readonly rotationTrigger: pulumi.Input<string | number>;
  /** Applies to every widget; see `TurnstileSecretRotationArgs.invalidateImmediately`. */
  readonly invalidateImmediately?: pulumi.Input<boolean>;
  /** A token for this account only; see `TurnstileSecretRotationArgs.apiToken`. */
  readonly apiToken?: pulumi.Input<string>;
}

/** Rotates the secrets of many Turnstile widgets under one trigger. */
export class TurnstileSecretRotations extends pulumi.ComponentResource {
  /** The per-widget rotation resources, by the names given in `sitekeys`. */
  public readonly rotations: Readonly<Record<string, TurnstileSecretRotation>>;
  /** Every widget's current secret, by name. A Pulumi secret. */
  public readonly secrets: pulumi.Output<Record<string, string>>;
  /** When each widget's previous secret stops working, by name (`null` after an immediate invalidation). */
  public readonly previousSecretExpiresAt: pulumi.Output<Record<string, string | null>>;

  /**
   * @param name The component's name; each rotation is named `<name>-<key>`.
   * @param args The account, the widgets and the shared trigger.
   * @param opts Component options; the rotations are its children.
   */
  constructor(name: string, args: TurnstileSecretRotationsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pulumi-turnstile-rotation:index:TurnstileSecretRotations", name, {}, opts);
    const entries = Object.entries(args.sitekeys);
    if (entries.length === 0) throw new Error(`TurnstileSecretRotations ${name}: sitekeys is empty; list at least one widget`);
    const rotations: Record<string, TurnstileSecretRotation> = {};
    for (const [key, sitekey] of entries) {
      rotations[key] = new TurnstileSecretRotation(`${name}-${key}`, {
        accountId: args.accountId,
        sitekey,
        rotationTrigger: args.rotationTrigger,
        invalidateImmediately: args.invalidateImmediately,
        apiToken: args.apiToken,
      }, { parent: this });
    }
    this.rotations = rotations;
    const byName = <T>(pick: (r: TurnstileSecretRotation) => pulumi.Output<T>) =>
      pulumi.all(Object.fromEntries(entries.map(([key]) => [key, pick(rotations[key])]))) as pulumi.Output<Record<string, T>>;
    this.secrets = pulumi.secret(byName((r) => r.secret));
    this.previousSecretExpiresAt = byName((r) => r.previousSecretExpiresAt);
    this.registerOutputs({ secrets: this.secrets, previousSecretExpiresAt: this.previousSecretExpiresAt });
  }
}
