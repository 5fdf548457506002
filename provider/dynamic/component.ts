/**
 * `TurnstileSecretRotations`: one trigger for many widgets. Creates a `TurnstileSecretRotation`
 * per widget under one component and exports a map of their secrets.
 */
import * as pulumi from "@pulumi/pulumi";
import { InvalidArgumentError } from "../core/errors";
import { TurnstileSecretRotation } from "./resource";

/**
 * The component's type token. A contract with every deployed stack: its children's URNs derive
 * from it, so another token (without aliases) would replace every child, and a replacement rotates.
 */
const COMPONENT_TYPE = "pulumi-turnstile-rotation:index:TurnstileSecretRotations";

/**
 * The inputs of a {@link TurnstileSecretRotations}.
 *
 * @typeParam K The names of the widgets (the keys of `sitekeys`), inferred from the object given.
 */
export interface TurnstileSecretRotationsArgs<K extends string = string> {
  /** The Cloudflare account that owns every widget. */
  readonly accountId: pulumi.Input<string>;
  /**
   * The widgets to rotate, by a stable name of your choice (used in the resource names and as the
   * keys of `secrets`). Renaming a key replaces that widget's rotation, which rotates it again.
   * Given as an object literal, its keys type `rotations`, `secrets` and `previousSecretExpiresAt`,
   * so a misspelt key does not compile.
   */
  readonly sitekeys: Readonly<Record<K, pulumi.Input<string>>>;
  /** Rotates every widget on create and whenever it changes. */
  readonly rotationTrigger: pulumi.Input<string | number>;
  /** Applies to every widget; see `TurnstileSecretRotationArgs.invalidateImmediately`. */
  readonly invalidateImmediately?: pulumi.Input<boolean>;
  /** A token for this account only; see `TurnstileSecretRotationArgs.apiToken`. */
  readonly apiToken?: pulumi.Input<string>;
  /** Applies to every widget; see `TurnstileSecretRotationArgs.rotateOnCreate`. */
  readonly rotateOnCreate?: pulumi.Input<boolean>;
}

/**
 * Rotates the secrets of many Turnstile widgets under one trigger.
 *
 * @typeParam K The names of the widgets, inferred from `sitekeys`: `forms.rotations.login` compiles
 * only if `login` is one of them. With keys only known at run time (e.g. from config) it is `string`.
 * The default, `any`, is for annotations without a type argument (`forms: TurnstileSecretRotations`),
 * written before keys were typed: they keep accepting every component, whatever its keys.
 */
export class TurnstileSecretRotations<K extends string = any> extends pulumi.ComponentResource {
  /** The per-widget rotation resources, by the names given in `sitekeys`. */
  public readonly rotations: Readonly<Record<K, TurnstileSecretRotation>>;
  /** Every widget's current secret, by name. A Pulumi secret. */
  public readonly secrets: pulumi.Output<Record<K, string>>;
  /** When each widget's previous secret stops working, by name (`null` after an immediate invalidation). */
  public readonly previousSecretExpiresAt: pulumi.Output<Record<K, string | null>>;

  /**
   * @param name The component's name; each rotation is named `<name>-<key>`.
   * @param args The account, the widgets and the shared trigger.
   * @param opts Component options; the rotations are its children.
   */
  constructor(name: string, args: TurnstileSecretRotationsArgs<K>, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENT_TYPE, name, {}, opts);
    // Object.entries widens keys to string; they are exactly K, the keys of `sitekeys`.
    const entries = Object.entries(args.sitekeys) as Array<[K, pulumi.Input<string>]>;
    if (entries.length === 0) throw new InvalidArgumentError(`TurnstileSecretRotations ${name}: sitekeys is empty; list at least one widget`);
    const rotations = {} as Record<K, TurnstileSecretRotation>;
    for (const [key, sitekey] of entries) {
      rotations[key] = new TurnstileSecretRotation(`${name}-${key}`, {
        accountId: args.accountId,
        sitekey,
        rotationTrigger: args.rotationTrigger,
        invalidateImmediately: args.invalidateImmediately,
        apiToken: args.apiToken,
        rotateOnCreate: args.rotateOnCreate,
      }, { parent: this });
    }
    this.rotations = rotations;
    const byName = <T>(pick: (r: TurnstileSecretRotation) => pulumi.Output<T>) =>
      pulumi.all(Object.fromEntries(entries.map(([key]) => [key, pick(rotations[key])]))) as pulumi.Output<Record<K, T>>;
    // pulumi.secret returns Output<Unwrap<T>>, which TypeScript cannot simplify for a generic K.
    this.secrets = pulumi.secret(byName((r) => r.secret)) as pulumi.Output<Record<K, string>>;
    this.previousSecretExpiresAt = byName((r) => r.previousSecretExpiresAt);
    this.registerOutputs({ secrets: this.secrets, previousSecretExpiresAt: this.previousSecretExpiresAt });
  }
}
