/**
 * The resource's outputs as stored in Pulumi state, and how the hooks build and read them.
 * Everything here is plain JSON: the engine rejects anything else from a dynamic provider.
 */
import type { Widget } from "./client";
import type { RotationInputs } from "./inputs";

/** The grace period Cloudflare keeps the previous secret valid after a default rotation. */
export const GRACE_PERIOD_MS = 2 * 60 * 60 * 1000;

/**
 * A Turnstile widget's configuration as Cloudflare last reported it, in camelCase: the `widget`
 * output. One output holds it all, since every top-level output costs the engine time per resource.
 */
export interface TurnstileWidgetInfo {
  /** The widget's name. */
  readonly name: string;
  /** The host names the widget accepts. */
  readonly domains: readonly string[];
  /** The widget mode: `managed`, `non-interactive` or `invisible`. */
  readonly mode: string;
  /** Where the widget can be used: `world` or `china`. */
  readonly region: string;
  /** The challenge clearance level the widget grants. */
  readonly clearanceLevel: string;
  /** Whether Bot Fight Mode challenges are on (Enterprise). */
  readonly botFightMode: boolean;
  /** Whether siteverify returns the Ephemeral ID (Enterprise). */
  readonly ephemeralId: boolean;
  /** Whether Cloudflare branding is hidden (Enterprise). */
  readonly offlabel: boolean;
  /** When the widget was created (RFC 3339). */
  readonly createdOn: string;
  /** When the widget was last modified (RFC 3339). */
  readonly modifiedOn: string;
}

/** The full state of one rotation resource. `secret` is marked secret by the resource class. */
export interface RotationState extends RotationInputs {
  readonly secret: string;
  readonly widget: TurnstileWidgetInfo;
  readonly rotatedAt: string;
  readonly previousSecretExpiresAt: string | null;
}

/** Maps Cloudflare's widget fields to the resource's outputs. */
export function widgetFields(widget: Widget): TurnstileWidgetInfo {
  return {
    name: widget.name,
    domains: [...widget.domains],
    mode: widget.mode,
    region: widget.region,
    clearanceLevel: widget.clearance_level,
    botFightMode: widget.bot_fight_mode,
    ephemeralId: widget.ephemeral_id,
    offlabel: widget.offlabel,
    createdOn: widget.created_on,
    modifiedOn: widget.modified_on,
  };
}

/** The state after a rotation that Cloudflare confirmed at `rotatedAt`. */
export function rotatedState(inputs: RotationInputs, widget: Widget, rotatedAt: Date): RotationState {
  if (!widget.secret) throw new Error(`Cloudflare's answer for widget ${widget.sitekey} has no secret`);
  const expires = inputs.invalidateImmediately ? null : new Date(rotatedAt.getTime() + GRACE_PERIOD_MS).toISOString();
  return {
    accountId: inputs.accountId,
    sitekey: inputs.sitekey,
    rotationTrigger: inputs.rotationTrigger,
    invalidateImmediately: inputs.invalidateImmediately,
    ...(inputs.apiToken === undefined ? {} : { apiToken: inputs.apiToken }),
    secret: widget.secret,
    rotatedAt: rotatedAt.toISOString(),
    previousSecretExpiresAt: expires,
    widget: widgetFields(widget),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Narrows old outputs handed back by the engine. Only the fields the hooks decide on are
 * required; anything else is carried over as it is.
 */
export function parseState(value: unknown): RotationState {
  if (!isRecord(value)) throw new Error("the resource's state is not an object; run `pulumi refresh`");
  const { accountId, sitekey, secret, rotationTrigger } = value;
  if (typeof accountId !== "string" || typeof sitekey !== "string" || typeof secret !== "string") {
    throw new Error("the resource's state lacks accountId, sitekey or secret; run `pulumi refresh`");
  }
  if (typeof rotationTrigger !== "string" && typeof rotationTrigger !== "number") {
    throw new Error("the resource's state lacks rotationTrigger; run `pulumi refresh`");
  }
  return value as unknown as RotationState;
}

/** Two triggers are the same when they print the same: `1` and `"1"` do not rotate. */
export function sameTrigger(a: unknown, b: unknown): boolean {
  return String(a) === String(b);
}
