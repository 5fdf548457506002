/**
 * One rotation, made safe against the two ways it can half-happen:
 *
 * - an ambiguous failure (timeout, dropped connection, 5xx): the rotation may or may not have
 *   happened at Cloudflare. The widget is read back: a secret different from the one before means
 *   it happened and that secret is recorded; the same secret means it did not, and it is tried
 *   once more. The state never holds a secret Cloudflare does not have, and nothing rotates twice.
 * - a refusal (Cloudflare's grace period): if the widget's secret already differs from the one
 *   in state and was made before this `pulumi up` began, an interrupted earlier run did rotate, so
 *   that secret is adopted and the update converges. A secret made meanwhile by someone else (a
 *   concurrent stack) is not taken as ours: the refusal is explained and nothing changes.
 */
import {
  AuthenticationError, CloudflareApiError, ConnectionError, NotFoundError, RateLimitError, ServerError,
  type TurnstileClient, type Widget,
} from "./client";
import { TurnstileRotationError } from "./errors";
import type { RotationInputs } from "./inputs";
import { GRACE_PERIOD_MS, rotatedState, type RotationState } from "./state";

/** How many rotate calls one rotation may make when answers get lost. */
export const MAX_ROTATE_ATTEMPTS = 3;

/** What is known before rotating: the secret in state (absent on create) and when it was rotated. */
export interface BeforeRotation {
  readonly secret?: string;
  readonly rotatedAt?: string;
}

/** A rotation Cloudflare refused; says when it becomes possible and what to do. */
export class RotationRefusedError extends TurnstileRotationError {
  override readonly name = "RotationRefusedError";
  constructor(message: string, override readonly cause: CloudflareApiError) {
    super(message);
  }
}

/** True when a failed rotate call may still have rotated the secret at Cloudflare. */
export function isAmbiguous(error: unknown): boolean {
  return (error instanceof ConnectionError && error.ambiguous) || error instanceof ServerError;
}

/** True when Cloudflare answered that it will not rotate (any 4xx but auth, not-found and rate limit). */
export function isRefusal(error: unknown): error is CloudflareApiError {
  return error instanceof CloudflareApiError && error.status !== undefined && error.status >= 400 && error.status < 500 &&
    !(error instanceof AuthenticationError || error instanceof NotFoundError || error instanceof RateLimitError);
}

/** Cloudflare's own time of the rotation, so grace periods follow Cloudflare's clock. */
export function rotationTime(widget: Widget): Date {
  const modified = Date.parse(widget.modified_on);
  return Number.isNaN(modified) ? new Date() : new Date(modified);
}

function refusal(error: CloudflareApiError, sitekey: string, before: BeforeRotation, rotatedBySomeoneElse?: Widget): RotationRefusedError {
  const cloudflare = error.errors.map((e) => e.message).join("; ") || `HTTP ${error.status}`;
  const head = `Cloudflare refused to rotate the secret of widget ${sitekey}: ${cloudflare} (${error.status} ${error.method} ${error.path}).`;
  if (rotatedBySomeoneElse) {
    return new RotationRefusedError(
      `${head} The widget's secret was rotated at ${rotatedBySomeoneElse.modified_on} by someone else (another stack or a ` +
        "person) while this update ran. Nothing was changed here: run `pulumi refresh` to record Cloudflare's current " +
        "secret, and rotate again after its 2-hour grace period if you still need to.",
      error,
    );
  }
  const last = before.rotatedAt ? Date.parse(before.rotatedAt) : Number.NaN;
  const when = Number.isNaN(last) ? "" : ` The last rotation in state was at ${before.rotatedAt}, so the next is possible after ${new Date(last + GRACE_PERIOD_MS).toISOString()}.`;
  return new RotationRefusedError(
    `${head}${when} Nothing was changed: the secret in state is still Cloudflare's current one. Wait for the previous ` +
      "rotation's 2-hour grace period to end and run `pulumi up` again (rotations made with invalidateImmediately: true " +
      "have no grace period).",
    error,
  );
}

function unchangedAfterFailures(error: CloudflareApiError, sitekey: string, checked: boolean): Error {
  const state = checked
    ? "The widget was read back after each failure and its secret is unchanged: nothing was changed."
    : "If one of the attempts did rotate the secret, the next `pulumi up` adopts it (the grace period refuses a second rotation).";
  return new TurnstileRotationError(
    `rotating the secret of widget ${sitekey} failed ${MAX_ROTATE_ATTEMPTS} times, last with: ${error.message}. ${state} ` +
      "Run `pulumi up` again when Cloudflare answers normally.",
    { cause: error },
  );
}

/** When this rotation's session began, to tell an interrupted earlier run from a concurrent one. */
export interface RotationSession {
  /** Local time (ms) the session (the provider process, i.e. this `pulumi up`) started. */
  readonly startedAtMs: number;
}

/**
 * True when the widget's current secret was made before this session started (by Cloudflare's
 * clock, via the offset the client learned from Date headers): an interrupted earlier run, not a
 * concurrent one. A second of slack covers the Date header's resolution.
 */
function rotatedBeforeSession(widget: Widget, client: TurnstileClient, session: RotationSession): boolean {
  const offset = (client.serverNow() ?? Date.now()) - Date.now();
  return rotationTime(widget).getTime() < session.startedAtMs + offset - 1000;
}

/**
 * Rotates the widget's secret exactly once as far as Cloudflare is concerned and returns the state
 * holding Cloudflare's resulting secret.
 */
export async function rotateSafely(
  client: TurnstileClient, inputs: RotationInputs, before: BeforeRotation, session: RotationSession,
): Promise<RotationState> {
  const { accountId, sitekey, invalidateImmediately } = inputs;
  const adopt = (widget: Widget) => rotatedState(inputs, widget, rotationTime(widget));
  // Without a known secret, a repeat after a lost answer could rotate twice when there is no grace
  // period to refuse it: learn the secret first in that one case.
  const known = before.secret ?? (invalidateImmediately ? (await client.getWidget(accountId, sitekey)).secret : undefined);
  for (let attempt = 1; ; attempt++) {
    try {
      return adopt(await client.rotateSecret(accountId, sitekey, { invalidateImmediately }));
    } catch (error) {
      if (isRefusal(error)) {
        const current = await client.getWidget(accountId, sitekey);
        // A lost answer earlier in this call, or a run that was interrupted before it saved state.
        if (attempt > 1 && (known === undefined || current.secret !== known)) return adopt(current);
        const changed = known !== undefined && current.secret !== known;
        if (changed && rotatedBeforeSession(current, client, session)) return adopt(current);
        throw refusal(error, sitekey, before, changed ? current : undefined);
      }
      if (!isAmbiguous(error)) throw error;
      const current = await client.getWidget(accountId, sitekey);
      if (known !== undefined && current.secret !== known) return adopt(current);
      if (attempt >= MAX_ROTATE_ATTEMPTS) throw unchangedAfterFailures(error as CloudflareApiError, sitekey, known !== undefined);
      // The secret is unchanged (or unknown, and the grace period will refuse a repeat): try again.
    }
  }
}
