/**
 * The resource's outputs as stored in Pulumi state, and how the hooks build and read them.
 * Everything here is plain JSON: the engine rejects anything else from a dynamic provider.
 */
import type { Widget } from "../cloudflare";
import { UnreadableStateError } from "./errors";
import type { RotationInputs } from "./inputs";

/** Hours Cloudflare keeps the previous secret valid after a default rotation (and refuses new ones). */
const GRACE_PERIOD_HOURS = 2;
/** The grace period Cloudflare keeps the previous secret valid after a default rotation. */
export const GRACE_PERIOD_MS = GRACE_PERIOD_HOURS * 60 * 60 * 1000;
/** {@link GRACE_PERIOD_MS} as messages spell it: "2 hours". */
export const GRACE_PERIOD_TEXT = `${GRACE_PERIOD_HOURS} hours`;

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
export interface RotationState extends Omit<RotationInputs, "rotationTrigger"> {
  /** The trigger the secret answers; absent after an import, until the program gives one. */
  readonly rotationTrigger?: string | number;
  readonly secret: string;
  readonly widget: TurnstileWidgetInfo;
  /** When Cloudflare made the secret in state (its `modified_on`, Cloudflare's clock). */
  readonly rotatedAt: string;
  readonly previousSecretExpiresAt: string | null;
  /**
   * Set when the secret in state was recorded although no completed run of this resource made it
   * for its trigger: `pulumi refresh` found it, or a run failed after Cloudflare rotated. The next
   * trigger change takes this secret as its rotation instead of rotating again, since it may be
   * the work of an interrupted `pulumi up` (RFC 3339, Cloudflare's clock, when it was recorded).
   */
  readonly adoptedAt?: string;
}

const DEFAULT_WIDGET: TurnstileWidgetInfo = {
  name: "", domains: [], mode: "", region: "", clearanceLevel: "", botFightMode: false, ephemeralId: false,
  offlabel: false, createdOn: "", modifiedOn: "",
};

/**
 * Maps Cloudflare's widget fields to the `widget` output. A field Cloudflare left out (or sent
 * with an unexpected type) keeps its previous value, so a sloppy answer never blanks the output.
 */
export function widgetFields(widget: Widget, previous: TurnstileWidgetInfo = DEFAULT_WIDGET): TurnstileWidgetInfo {
  return {
    name: widget.name ?? previous.name,
    domains: widget.domains ? [...widget.domains] : [...previous.domains],
    mode: widget.mode ?? previous.mode,
    region: widget.region ?? previous.region,
    clearanceLevel: widget.clearance_level ?? previous.clearanceLevel,
    botFightMode: widget.bot_fight_mode ?? previous.botFightMode,
    ephemeralId: widget.ephemeral_id ?? previous.ephemeralId,
    offlabel: widget.offlabel ?? previous.offlabel,
    createdOn: widget.created_on ?? previous.createdOn,
    modifiedOn: widget.modified_on,
  };
}

/** Cloudflare's own time of the widget's last change: the rotation's time for a rotate answer. */
export function modifiedAt(widget: Widget): Date {
  return new Date(Date.parse(widget.modified_on));
}

/**
 * The state holding `widget`'s secret, answering `inputs.rotationTrigger`. `grace`: the previous
 * secret is known to stay valid for Cloudflare's grace period from the widget's `modified_on`;
 * false after an immediate invalidation, or when the secret was made outside this stack and how
 * is unknown (then no rotation is refused at preview on a guess: Cloudflare's answer decides).
 */
export function stateFor(
  inputs: Omit<RotationInputs, "rotationTrigger"> & { readonly rotationTrigger?: string | number },
  widget: Widget & { readonly secret: string },
  options: { readonly grace: boolean; readonly previous?: TurnstileWidgetInfo; readonly adoptedAt?: string },
): RotationState {
  const rotatedAt = modifiedAt(widget);
  const expires = options.grace ? new Date(rotatedAt.getTime() + GRACE_PERIOD_MS).toISOString() : null;
  return {
    accountId: inputs.accountId,
    sitekey: inputs.sitekey,
    ...(inputs.rotationTrigger === undefined ? {} : { rotationTrigger: inputs.rotationTrigger }),
    invalidateImmediately: inputs.invalidateImmediately,
    ...(inputs.apiToken === undefined ? {} : { apiToken: inputs.apiToken }),
    secret: widget.secret,
    rotatedAt: rotatedAt.toISOString(),
    previousSecretExpiresAt: expires,
    widget: widgetFields(widget, options.previous),
    ...(options.adoptedAt === undefined ? {} : { adoptedAt: options.adoptedAt }),
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
  if (!isRecord(value)) throw new UnreadableStateError("the resource's state is not an object; run `pulumi refresh`");
  const { accountId, sitekey, secret, rotationTrigger } = value;
  if (typeof accountId !== "string" || typeof sitekey !== "string" || typeof secret !== "string") {
    throw new UnreadableStateError("the resource's state lacks accountId, sitekey or secret; run `pulumi refresh`");
  }
  if (rotationTrigger !== undefined && typeof rotationTrigger !== "string" && typeof rotationTrigger !== "number") {
    throw new UnreadableStateError("the resource's state has an unreadable rotationTrigger; run `pulumi refresh`");
  }
  return value as unknown as RotationState;
}

/**
 * True when the engine hands a hook no properties of this resource, only the serialized provider:
 * `check` of a create (no old inputs) and `read` of an import (no old state).
 */
export function holdsNothingButProvider(props: unknown): boolean {
  return props === undefined || props === null || (typeof props === "object" && Object.keys(props).every((key) => key === "__provider"));
}

/** Two triggers are the same when they print the same: `1` and `"1"` do not rotate. */
export function sameTrigger(a: unknown, b: unknown): boolean {
  return String(a) === String(b);
}
