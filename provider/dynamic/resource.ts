/**
 * The `TurnstileSecretRotation` resource: rotates a Cloudflare Turnstile widget's secret when its
 * `rotationTrigger` changes, and publishes the new secret as a Pulumi secret output.
 */
import * as pulumi from "@pulumi/pulumi";
import { rotationProvider } from "./serialized-provider";
import type { TurnstileWidgetInfo } from "../core/state";

/** The inputs of a {@link TurnstileSecretRotation}. */
export interface TurnstileSecretRotationArgs {
  /** The Cloudflare account that owns the widget: 32 hexadecimal characters. Changing it replaces the resource. */
  readonly accountId: pulumi.Input<string>;
  /**
   * The widget's sitekey, e.g. `widget.sitekey` of a `cloudflare.TurnstileWidget`.
   * Changing it replaces the resource (a different widget gets its own first rotation).
   */
  readonly sitekey: pulumi.Input<string>;
  /**
   * Any string or number. The secret is rotated when the resource is created and every time this
   * value changes; nothing else rotates it. `1` and `"1"` count as the same value.
   */
  readonly rotationTrigger: pulumi.Input<string | number>;
  /**
   * `false` (the default) keeps the previous secret valid for 2 hours, so sites keep working while
   * the new secret is deployed; Cloudflare refuses another rotation during that time.
   * `true` rejects the previous secret at once: every site still using it breaks immediately.
   * Changing only this value rotates nothing; it applies to the next rotation.
   */
  readonly invalidateImmediately?: pulumi.Input<boolean>;
  /**
   * A Cloudflare API token for this resource only, for programs that rotate widgets of several
   * accounts. Stored encrypted in state (it is always made a secret) and never logged. Without
   * it, the token comes from `cloudflare:apiToken` or `CLOUDFLARE_API_TOKEN`. Changing it rotates
   * nothing.
   */
  readonly apiToken?: pulumi.Input<string>;
  /**
   * `true` (the default): creating the resource rotates the secret. `false`: creating it records
   * the widget's current secret instead (zero rotate calls), to put a widget already in use under
   * management and wire its consumers before the first rotation; the first `rotationTrigger`
   * change after that rotates. Only creates (and replacements) read it.
   */
  readonly rotateOnCreate?: pulumi.Input<boolean>;
}

/**
 * The module and name of the resource's type token,
 * `pulumi-nodejs:dynamic/turnstile:TurnstileSecretRotation`. A contract with every deployed stack:
 * the token is part of each resource's URN, so another one would make the engine replace every
 * rotation, and a replacement rotates. (The provider plugin's resource has its own token.)
 */
const TOKEN_MODULE = "turnstile";
const TOKEN_NAME = "TurnstileSecretRotation";

let warnedPlainToken = false;

/**
 * Warns once per program when the token comes from `cloudflare:apiToken` set without `--secret`:
 * such a value is stored in plain text in the stack config and in the state.
 */
function warnIfPlainConfigToken(args: TurnstileSecretRotationArgs): void {
  if (warnedPlainToken || args.apiToken !== undefined) return;
  const key = "cloudflare:apiToken";
  // The SDK marks this @internal but exports it; the language host lists secret keys in the
  // environment. Without that list nothing can be told, so nothing is said.
  const isConfigSecret = (pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
  if (!isConfigSecret || process.env.PULUMI_CONFIG_SECRET_KEYS === undefined) return;
  if (pulumi.runtime.getConfig(key) === undefined || isConfigSecret(key)) return;
  warnedPlainToken = true;
  pulumi.log.warn(`${key} is a plain config value: it is stored in plain text in the stack config and the state. ` +
    `Set it again with \`pulumi config set --secret ${key}\`, then revoke the old token at Cloudflare and issue a new one.`);
}

/** Rotates a Cloudflare Turnstile widget's secret with zero downtime. */
export class TurnstileSecretRotation extends pulumi.dynamic.Resource {
  /** The widget's current secret, as returned by the last rotation. Always a Pulumi secret. */
  declare public readonly secret: pulumi.Output<string>;
  /** The account that owns the widget. */
  declare public readonly accountId: pulumi.Output<string>;
  /** The widget's sitekey. */
  declare public readonly sitekey: pulumi.Output<string>;
  /** The trigger value of the last rotation. */
  declare public readonly rotationTrigger: pulumi.Output<string | number>;
  /** Whether the next rotation invalidates the previous secret at once. */
  declare public readonly invalidateImmediately: pulumi.Output<boolean>;
  /** When Cloudflare performed the last rotation (RFC 3339, Cloudflare's clock). */
  declare public readonly rotatedAt: pulumi.Output<string>;
  /**
   * Until when the secret before the last rotation stays valid (RFC 3339), or `null` when the last
   * rotation invalidated it at once. No new rotation is possible before this time.
   */
  declare public readonly previousSecretExpiresAt: pulumi.Output<string | null>;
  /** The widget's configuration as Cloudflare last reported it (name, domains, mode, region, ...). */
  declare public readonly widget: pulumi.Output<TurnstileWidgetInfo>;

  /**
   * @param name The unique name of the resource in the stack.
   * @param args The widget to rotate and the trigger that rotates it.
   * @param opts Resource options; `additionalSecretOutputs` always includes `secret`.
   */
  constructor(name: string, args: TurnstileSecretRotationArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { secret: undefined, rotatedAt: undefined, previousSecretExpiresAt: undefined, widget: undefined };
    // apiToken only when given: the list is stored in every resource's state.
    const secretOutputs = [...(opts?.additionalSecretOutputs ?? []), "secret", ...(args.apiToken === undefined ? [] : ["apiToken"])];
    warnIfPlainConfigToken(args);
    const token = args.apiToken === undefined ? {} : { apiToken: pulumi.secret(args.apiToken) };
    super(
      rotationProvider,
      name,
      { ...outputs, ...args, ...token },
      { ...opts, additionalSecretOutputs: secretOutputs },
      TOKEN_MODULE,
      TOKEN_NAME,
    );
  }
}
