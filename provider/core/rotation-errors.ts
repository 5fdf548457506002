/**
 * How a rotation can end without a new secret, one class per outcome. Each message says what
 * happened at Cloudflare, what the state holds, and what to do; none quotes a secret or token.
 */
import type { CloudflareApiError, Widget } from "../cloudflare";
import { nameErrors, TurnstileRotationError } from "./errors";
import { GRACE_PERIOD_TEXT, type RotationState } from "./state";

function cloudflareSaid(error: CloudflareApiError): string {
  const messages = error.errors.map((e) => e.message).join("; ");
  return `${messages || `HTTP ${error.status ?? "(no answer)"}`} (${error.status ?? "no answer"} ${error.method} ${error.path})`;
}

/** Cloudflare refused the rotation and nothing changed (typically its grace period after the last one). */
export class RotationRefusedError extends TurnstileRotationError {
  /**
   * @param possibleAfter When the grace period of the widget's last rotation ends, if it has one.
   * @param creating True on create, where no state exists yet.
   */
  constructor(sitekey: string, cause: CloudflareApiError, possibleAfter: string | undefined, creating: boolean) {
    const when = possibleAfter === undefined ? "" : ` The widget's last rotation keeps rotations locked until ${possibleAfter} (its grace period of ${GRACE_PERIOD_TEXT}).`;
    const state = creating ? "nothing was recorded" : "the state keeps the secret it had";
    super(
      `Cloudflare refused to rotate the secret of widget ${sitekey}: ${cloudflareSaid(cause)}.${when} Nothing was changed at ` +
        `Cloudflare and ${state}. Run \`pulumi up\` again after that time (a scheduled trigger ` +
        "simply rotates at the next run after it); rotations made with invalidateImmediately: true leave no grace period.",
      { cause },
    );
  }
}

/** Every rotate call failed and a read after each proved the secret unchanged. */
export class RotationFailedError extends TurnstileRotationError {
  constructor(sitekey: string, cause: CloudflareApiError, attempts: number, _proof: "unchanged") {
    super(
      `rotating the secret of widget ${sitekey} failed (${attempts} attempt${attempts === 1 ? "" : "s"}), last with: ${cause.message}. ` +
        "The widget was read back after each failure and its secret is unchanged: nothing was changed. Run `pulumi up` " +
        "again when Cloudflare answers normally.",
      { cause },
    );
  }
}

/** A rotate call failed ambiguously and the read that would tell what happened failed too. */
export class UnknownOutcomeError extends TurnstileRotationError {
  constructor(sitekey: string, cause: CloudflareApiError, readError: unknown) {
    const read = readError instanceof Error ? readError.message : String(readError);
    super(
      `rotating the secret of widget ${sitekey} failed with: ${cause.message}; reading the widget to learn whether it ` +
        `rotated failed too: ${read}. The state keeps the secret it had. Run \`pulumi up\` again when Cloudflare answers: ` +
        "it reads the widget first and records a rotation this run made, never rotating twice.",
      { cause },
    );
  }
}

/**
 * Someone else (another stack, a person) rotated the widget while this run did. The state to keep
 * holds Cloudflare's current secret, so no stack is left with a dead one.
 */
export class ConcurrentRotationError extends TurnstileRotationError {
  /** The state to record although the operation failed (Cloudflare's current secret, adopted). */
  readonly state: RotationState;
  constructor(sitekey: string, current: Widget, state: RotationState) {
    super(
      `the secret of widget ${sitekey} was rotated by someone else (another stack or a person) at ${current.modified_on}, ` +
        "while this run rotated it: a widget must be rotated by one stack only. The state now holds Cloudflare's current " +
        "secret, so nothing breaks; find out who else rotates this widget. The next `pulumi up` takes that secret as this " +
        "trigger change's rotation; change rotationTrigger again for a fresh one.",
    );
    this.state = state;
  }
}

nameErrors({ RotationRefusedError, RotationFailedError, UnknownOutcomeError, ConcurrentRotationError });
