/**
 * The rotation protocol: one trigger change, at most one rotation at Cloudflare, and a state that
 * always ends holding a secret Cloudflare accepts (docs/reliability.md states the promises).
 *
 * 1. Read the widget first. Its secret is the baseline, and the answer's `Date` header is the
 *    fence: Cloudflare's clock before the rotate call, so no older secret can pass for ours.
 * 2. If Cloudflare's secret is not the one in state, or the state marks its secret as adopted
 *    (see `RotationState.adoptedAt`), a rotation this stack has not recorded exists: an
 *    interrupted run's, or someone else's, which nothing can tell apart. Take it as this trigger
 *    change's rotation and say so: rotating again would be a second rotation for one trigger.
 * 3. Otherwise rotate. Any failure is followed by a read: a new secret modified after the fence
 *    is ours (the answer was lost) and is recorded; the baseline secret means nothing happened, so
 *    a transient failure is tried again, never blindly; anything else fails loudly.
 * 4. With `invalidateImmediately`, read once more after success: a secret changed since means a
 *    concurrent rotation already killed ours, which is reported instead of recorded.
 */
import {
  AuthenticationError, CloudflareApiError, ConnectionError, NotFoundError, RateLimitError, ServerError,
  type SecretWidget, type TurnstileClient, type Widget,
} from "../cloudflare";
import type { RotationInputs } from "./inputs";
import { GRACE_PERIOD_MS, modifiedAt, stateFor, type RotationState, type TurnstileWidgetInfo } from "./state";
import { ConcurrentRotationError, RotationFailedError, RotationRefusedError, UnknownOutcomeError } from "./rotation-errors";

export { ConcurrentRotationError, RotationFailedError, RotationRefusedError, UnknownOutcomeError } from "./rotation-errors";

/** How many rotate calls one rotation may make, each after a read proved the previous did nothing. */
export const MAX_ROTATE_ATTEMPTS = 3;
/** Slack for the Date header's one-second resolution when comparing it with `modified_on`. */
const CLOCK_SLACK_MS = 1000;

/** What a rotation needs besides the inputs; time is injected so tests run instantly. */
export interface RotationEnv {
  readonly client: TurnstileClient;
  /** The local clock (ms). */
  readonly now: () => number;
  /** Shows a warning to the user running the command. */
  readonly warn: (message: string) => void;
  /** No rotate call starts later than this after the rotation began (a final read still may). */
  readonly deadlineMs: number;
}

/** What the state knew before this rotation; absent on create. */
export interface KnownSecret {
  readonly secret: string;
  readonly adoptedAt?: string;
  readonly rotationTrigger?: string | number;
  readonly widget?: TurnstileWidgetInfo;
}

/** True when Cloudflare answered, in its own envelope, that it will not do it (any 4xx but 429). */
export function isRefusal(error: unknown): error is CloudflareApiError {
  return error instanceof CloudflareApiError && error.status !== undefined && error.status >= 400 && error.status < 500 &&
    error.errors.length > 0 && !(error instanceof RateLimitError);
}

/** True for failures worth another rotate call once a read proved the last one did nothing. */
function isTransient(error: CloudflareApiError): boolean {
  return error instanceof ServerError || error instanceof ConnectionError || error instanceof RateLimitError ||
    error.status === undefined || (error.status >= 200 && error.status < 300);
}

/** Cloudflare refused the rotation although the widget did not change: when it becomes possible. */
function graceEnds(widget: Widget): string {
  return new Date(modifiedAt(widget).getTime() + GRACE_PERIOD_MS).toISOString();
}

/**
 * Rotates the widget's secret for `inputs.rotationTrigger` (see the module comment) and returns
 * the state holding Cloudflare's resulting secret. `known` is the state's view before (absent on
 * create). Throws a `TurnstileRotationError` subclass when the outcome is a refusal, a failure, a
 * concurrent rotation or unknown; its message says what happened at Cloudflare and what to do.
 */
export async function rotate(env: RotationEnv, inputs: RotationInputs, known: KnownSecret | undefined): Promise<RotationState> {
  const { client } = env;
  const { accountId, sitekey, invalidateImmediately } = inputs;
  const began = env.now();
  const start = await client.getWidget(accountId, sitekey);
  const fence = (client.cloudflareNow() ?? env.now()) - CLOCK_SLACK_MS;
  const record = (widget: SecretWidget, grace: boolean) => stateFor(inputs, widget, { grace, previous: known?.widget });

  if (known && (start.secret !== known.secret || known.adoptedAt !== undefined)) {
    env.warn(`widget ${sitekey}: Cloudflare holds a secret made at ${start.modified_on} that no completed run of this stack ` +
      "recorded (an interrupted `pulumi up`, or a rotation outside this stack). It is taken as this trigger change's rotation " +
      "instead of rotating a second time; change rotationTrigger again for a fresh secret.");
    return record(start, false); // how that rotation treated the old secret is unknown
  }

  let lastError: CloudflareApiError | undefined;
  for (let attempt = 1; attempt <= MAX_ROTATE_ATTEMPTS; attempt++) {
    if (attempt > 1 && env.now() - began > env.deadlineMs) break;
    let error: CloudflareApiError;
    try {
      const rotated = await client.rotateSecret(accountId, sitekey, { invalidateImmediately });
      if (invalidateImmediately) await confirmStillCurrent(env, inputs, known, rotated);
      return record(rotated, !invalidateImmediately);
    } catch (caught) {
      if (!(caught instanceof CloudflareApiError)) throw caught;
      error = caught;
    }
    const after = await readBack(env, inputs, error);
    if (after.secret !== start.secret) {
      // A refused call changed nothing, and a change older than the fence predates our call.
      if (isRefusal(error) || modifiedAt(after).getTime() < fence) throw new ConcurrentRotationError(sitekey, after, adoptedState(env, inputs, known, after));
      return record(after, !invalidateImmediately); // ours: the answer was lost after Cloudflare rotated
    }
    if (error instanceof AuthenticationError || error instanceof NotFoundError) throw error;
    if (isRefusal(error)) {
      if (!known && !invalidateImmediately) {
        // A create on a widget whose grace period is open: an interrupted create of this stack made
        // the current secret, or someone else did within the grace period. Rotating is impossible.
        env.warn(`widget ${sitekey}: Cloudflare refuses to rotate until ${graceEnds(start)} (its secret was made at ` +
          `${start.modified_on}, by an interrupted \`pulumi up\` or someone else). That secret is recorded instead; ` +
          "change rotationTrigger after that time for a fresh one.");
        return record(start, true); // Cloudflare's refusal proves the grace period
      }
      // Name the grace period only when it can be the reason: it ends in the future on Cloudflare's clock.
      const ends = graceEnds(start);
      const open = Date.parse(ends) > (client.cloudflareNow() ?? env.now());
      throw new RotationRefusedError(sitekey, error, open ? ends : undefined, known === undefined);
    }
    if (!isTransient(error)) throw new RotationFailedError(sitekey, error, attempt, "unchanged");
    lastError = error;
  }
  throw new RotationFailedError(sitekey, lastError as CloudflareApiError, MAX_ROTATE_ATTEMPTS, "unchanged");
}

/** Reads the widget after a failed rotate call; if even that fails, the outcome is unknown. */
async function readBack(env: RotationEnv, inputs: RotationInputs, cause: CloudflareApiError): Promise<SecretWidget> {
  try {
    return await env.client.getWidget(inputs.accountId, inputs.sitekey);
  } catch (readError) {
    throw new UnknownOutcomeError(inputs.sitekey, cause, readError);
  }
}

/**
 * After an immediate rotation, reads once more: a different secret means someone rotated right
 * after us and ours is already dead. A failed read proves nothing either way and is let pass.
 */
async function confirmStillCurrent(env: RotationEnv, inputs: RotationInputs, known: KnownSecret | undefined, ours: SecretWidget): Promise<void> {
  let now: SecretWidget;
  try {
    now = await env.client.getWidget(inputs.accountId, inputs.sitekey);
  } catch {
    return;
  }
  if (now.secret !== ours.secret) throw new ConcurrentRotationError(inputs.sitekey, now, adoptedState(env, inputs, known, now));
}

/**
 * The state to keep when a concurrent rotation is reported: Cloudflare's current secret (so the
 * state never holds a dead one), the trigger as it was (so the next `pulumi up` takes that secret
 * as this change's rotation without rotating again), marked adopted.
 */
function adoptedState(env: RotationEnv, inputs: RotationInputs, known: KnownSecret | undefined, current: SecretWidget): RotationState {
  const adoptedAt = new Date(env.client.cloudflareNow() ?? env.now()).toISOString();
  const trigger = known === undefined ? inputs.rotationTrigger : known.rotationTrigger;
  return stateFor({ ...inputs, rotationTrigger: trigger }, current, { grace: false, previous: known?.widget, adoptedAt });
}
