/**
 * How a rotation can end without a new secret, one class per outcome. Each message says what
 * happened at Cloudflare, what the state holds, and what to do; none quotes a secret or token.
 */
import type { CloudflareApiError, Widget } from "../cloudflare";
import { nameErrors, TurnstileRotationError } from "./errors";
import { GRACE_PERIOD_TEXT, type RotationState } from "./state";

/** A refusal as Cloudflare worded it (a refusal always carries Cloudflare's messages and status). */
function cloudflareSaid(error: CloudflareApiError): string {
  return `${error.errors.map((e) => e.message).join("; ")} (${error.status} ${error.method} ${error.path})`;
}

function attemptsText(attempts: number): string {
  return `${attempts} attempt${attempts === 1 ? "" : "s"}`;
}

/** What the next `pulumi up` does after a run that cannot know whether its rotation will still happen. */
const NEXT_UP_RESOLVES = "Run `pulumi up` again: it reads the widget first, records a rotation this run made, and never rotates twice.";
/** The same, when the secret kept may already be dead: soon, once a request in flight has settled (seconds). */
const NEXT_UP_SOON = "Run `pulumi up` again in a minute, once that request has settled: it reads the widget first, records a " +
  "rotation this run made, and never rotates twice.";

/** Cloudflare refused the rotation and nothing changed (typically its grace period after the last one). */
export class RotationRefusedError extends TurnstileRotationError {
  /**
   * @param possibleAfter When the grace period of the widget's last change would end, if it was a
   *   rotation and the end is still ahead (the latest the lock can last: a settings edit after the
   *   rotation moves the widget's last change later).
   * @param at `creating`: no state exists yet; `invalidateImmediately`: this resource's mode.
   */
  constructor(sitekey: string, cause: CloudflareApiError, possibleAfter: string | undefined,
    at: { readonly creating: boolean; readonly invalidateImmediately: boolean }) {
    const when = possibleAfter === undefined ? "" : ` If the widget's last change was a rotation, its grace period of ` +
      `${GRACE_PERIOD_TEXT} locks rotations until ${possibleAfter} at the latest.`;
    const state = at.creating ? "nothing was recorded" : "the state keeps the secret it had";
    const mode = at.invalidateImmediately
      ? "invalidateImmediately does not lift a grace period another rotation opened"
      : "rotations made with invalidateImmediately: true leave no grace period behind them";
    super(
      `Cloudflare refused to rotate the secret of widget ${sitekey}: ${cloudflareSaid(cause)}.${when} Nothing was changed at ` +
        `Cloudflare and ${state}. Run \`pulumi up\` again after that time (a scheduled trigger ` +
        `simply rotates at the next run after it); ${mode}.`,
      { cause },
    );
  }
}

/**
 * A rotation whose outcome is not settled. It may carry a state to keep: on create, the widget's
 * secret from before with the pending trigger, so the next run completes it instead of rotating a
 * second time; after an immediate rotation nobody could confirm, the new secret. Otherwise the
 * state keeps what it had.
 */
export abstract class OpenOutcomeError extends TurnstileRotationError {
  /** The partial state to record, if any. */
  readonly state?: RotationState;
  constructor(message: string, options: { cause?: unknown }, pending: RotationState | undefined) {
    super(message, options);
    if (pending !== undefined) this.state = pending;
  }
}

/** What the state holds after an unsettled rotation: on update, what it had; on create, the pending record. */
function stateKept(pending: RotationState | undefined): string {
  return pending === undefined ? "The state keeps the secret it had" : "The resource is recorded with the secret the widget had before this run";
}

/**
 * Every rotate call failed and a read after each showed the secret unchanged. When a call may
 * still reach Cloudflare (`inFlight`), that proves nothing will change: the message says so.
 */
export class RotationFailedError extends OpenOutcomeError {
  constructor(sitekey: string, cause: CloudflareApiError, attempts: number,
    at: { readonly inFlight: boolean; readonly invalidateImmediately: boolean; readonly pending?: RotationState }) {
    const outcome = !at.inFlight
      ? "The widget was read back after each failure and its secret is unchanged: nothing was changed. Run `pulumi up` again when Cloudflare answers normally."
      : "The widget was read back and its secret is unchanged so far, but a rotate request of this run may still reach Cloudflare " +
        `and rotate it. ${stateKept(at.pending)}, ${at.invalidateImmediately
          ? `which such a late rotation would invalidate at once (invalidateImmediately). ${NEXT_UP_SOON}`
          : `which stays valid for ${GRACE_PERIOD_TEXT} after such a late rotation. ${NEXT_UP_RESOLVES}`}`;
    super(`rotating the secret of widget ${sitekey} failed (${attemptsText(attempts)}), last with: ${cause.message}. ${outcome}`,
      { cause }, at.inFlight ? at.pending : undefined);
  }
}

/** A rotate call failed ambiguously and the read that would tell what happened failed too. */
export class UnknownOutcomeError extends OpenOutcomeError {
  constructor(sitekey: string, cause: CloudflareApiError, readError: CloudflareApiError, attempts: number, pending: RotationState | undefined,
    immediately: boolean) {
    super(
      `rotating the secret of widget ${sitekey} failed (${attemptsText(attempts)}), last with: ${cause.message}; reading the ` +
        `widget to learn whether it rotated failed too: ${readError.message}. Whether Cloudflare rotated it is unknown, and a ` +
        `request of this run may still reach it. ${stateKept(pending)}${immediately
          ? `, which a rotation with invalidateImmediately would already have invalidated. ${NEXT_UP_SOON}` : `. ${NEXT_UP_RESOLVES}`}`,
      { cause }, pending,
    );
  }
}

/**
 * An immediate rotation this run made, whose confirming read failed: whether another rotation
 * killed it right after cannot be told. The state keeps the new secret for the next run to check.
 */
export class UnconfirmedRotationError extends OpenOutcomeError {
  constructor(sitekey: string, readError: CloudflareApiError, ours: RotationState) {
    super(
      `the secret of widget ${sitekey} was rotated (invalidateImmediately), but reading the widget to confirm that no other ` +
        `rotation followed failed: ${readError.message}. The state records the new secret. Run \`pulumi up\` again: it reads ` +
        "the widget and records Cloudflare's current secret if another rotation replaced this one.",
      { cause: readError }, ours,
    );
  }
}

/**
 * Someone else (another stack, a person) rotated the widget while this run did. The state to keep
 * holds Cloudflare's current secret, so no stack is left with a dead one.
 */
export class ConcurrentRotationError extends TurnstileRotationError {
  /** The state to record although the operation failed (Cloudflare's current secret). */
  readonly state: RotationState;
  /** @param creating True on create: the state then answers the program's trigger, and the next trigger change rotates. */
  constructor(sitekey: string, current: Widget, state: RotationState, creating: boolean) {
    const next = creating
      ? "The next `pulumi up` keeps it for this trigger without rotating; change rotationTrigger for a fresh one."
      : "The next `pulumi up` takes that secret as this trigger change's rotation without rotating again; change " +
        "rotationTrigger again for a fresh one.";
    super(
      `the secret of widget ${sitekey} was rotated by someone else (another stack or a person) while this run rotated it ` +
        `(the widget last changed at ${current.modified_on}): a widget must be rotated by one stack only. The state now holds ` +
        `Cloudflare's current secret, so nothing breaks; find out who else rotates this widget. ${next}`,
    );
    this.state = state;
  }
}

nameErrors({ RotationRefusedError, OpenOutcomeError, RotationFailedError, UnknownOutcomeError, UnconfirmedRotationError, ConcurrentRotationError });
