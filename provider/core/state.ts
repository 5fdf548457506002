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
  /**
   * When Cloudflare made the secret in state (RFC 3339, Cloudflare's clock): exactly, for a
   * rotation this stack made; for a secret it took over (import, refresh, a rotation it did not
   * make), the widget's last change when it was recorded, which is at or after the rotation.
   */
  readonly rotatedAt: string;
  /**
   * Until when Cloudflare keeps accepting the secret before this one (and refuses new rotations),
   * at the earliest; null when it does not (an immediate rotation) or when it is unknown.
   */
  readonly previousSecretExpiresAt: string | null;
  /**
   * Set when this stack cannot know until when Cloudflare refuses a new rotation: the secret came
   * from a rotation it did not make (then `previousSecretExpiresAt` is null), or its rotate answer
   * was lost (then that is the earliest end). The latest end is 2 hours after `rotatedAt`; the
   * preview of a trigger change asks Cloudflare in between instead of deciding on a guess.
   */
  readonly graceUnknown?: true;
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
 * The trigger a failed create records when its rotation may still happen (a request in flight,
 * an unreadable outcome): the engine keeps that partial state, and since no program can give an
 * empty trigger (check refuses it), the next `pulumi up` completes the create's rotation through
 * the protocol, reading first, so a late commit is taken instead of rotated again.
 */
export const PENDING_TRIGGER = "";

/** What this stack knows of the grace period the recorded secret's rotation opened. */
export type Grace =
  /** An immediate rotation: the previous secret died with it and nothing is locked. */
  | { readonly kind: "none" }
  /** A default rotation this stack made at `fromMs` (Cloudflare's clock). */
  | { readonly kind: "since"; readonly fromMs: number }
  /**
   * A default rotation this stack made, whose answer was lost: at `fromMs` or later, and no later
   * than the widget's last change. The grace end is known to be no earlier than `fromMs` + 2 h,
   * and unknown up to the widget's `modified_on` + 2 h.
   */
  | { readonly kind: "between"; readonly fromMs: number }
  /** A rotation this stack did not make: whether it left a grace period, and when, is unknown. */
  | { readonly kind: "unknown" };

/** No grace period: see {@link Grace}. */
export const NO_GRACE: Grace = { kind: "none" };
/** An unknown grace period: see {@link Grace}. */
export const UNKNOWN_GRACE: Grace = { kind: "unknown" };

/** The grace period of a default rotation that Cloudflare made at `widget`'s `modified_on`. */
export function graceFrom(widget: Widget): Grace {
  return { kind: "since", fromMs: modifiedAt(widget).getTime() };
}

/**
 * The state holding `widget`'s secret, answering `inputs.rotationTrigger`, with what is known of
 * the grace period its rotation opened (see {@link Grace}).
 */
export function stateFor(
  inputs: Omit<RotationInputs, "rotationTrigger"> & { readonly rotationTrigger?: string | number },
  widget: Widget & { readonly secret: string },
  options: { readonly grace: Grace; readonly previous?: TurnstileWidgetInfo; readonly adoptedAt?: string },
): RotationState {
  const rotatedAt = modifiedAt(widget);
  const { grace } = options;
  const expires = grace.kind === "since" || grace.kind === "between" ? new Date(grace.fromMs + GRACE_PERIOD_MS).toISOString() : null;
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
    ...(grace.kind === "unknown" || grace.kind === "between" ? { graceUnknown: true } : {}),
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
  // Every state the engine hands back was written by a version of this package: these guards
  // stop a hand-edited one (tests/provider/core/state.spec.ts), never a path of the protocol.
  /* c8 ignore start */
  if (!isRecord(value)) throw new UnreadableStateError("the resource's state is not an object; run `pulumi refresh`");
  const { accountId, sitekey, secret, rotationTrigger } = value;
  if (typeof accountId !== "string" || typeof sitekey !== "string" || typeof secret !== "string") {
    throw new UnreadableStateError("the resource's state lacks accountId, sitekey or secret; run `pulumi refresh`");
  }
  if (rotationTrigger !== undefined && typeof rotationTrigger !== "string" && typeof rotationTrigger !== "number") {
    throw new UnreadableStateError("the resource's state has an unreadable rotationTrigger; run `pulumi refresh`");
  }
  /* c8 ignore stop */
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
