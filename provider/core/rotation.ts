/**
 * The rotation protocol: one trigger change, at most one rotation at Cloudflare, and a state that
 * always ends holding a secret Cloudflare accepts (docs/reliability.md states the promises).
 *
 * 1. Read the widget first. Its secret is the baseline, and the answer's `Date` header is the
 *    fence: Cloudflare's clock before the rotate call, so no older secret can pass for ours. The
 *    account's widget list stands for that read when it shows the widget's `modified_on`
 *    unchanged since the state recorded its secret: the baseline is then the state's secret, the
 *    fence the page's `Date` (baseline.ts, widget-snapshots.ts).
 * 2. If Cloudflare's secret is not the one in state, or the state marks its secret as adopted
 *    (see `RotationState.adoptedAt`), a rotation this stack has not recorded exists: an
 *    interrupted run's, or someone else's, which nothing can tell apart. Take it as this trigger
 *    change's rotation and say so: rotating again would be a second rotation for one trigger.
 * 3. Otherwise rotate. Any failure is followed by a read: a new secret modified after the fence
 *    is ours (the answer was lost) and is recorded; anything else that changed is someone else's.
 *    The baseline secret proves only that nothing has happened YET: a request that may have
 *    reached Cloudflare can still commit later. In the default mode Cloudflare's grace period
 *    makes another try safe (of two rotate calls at most one commits); with
 *    `invalidateImmediately` it is not (each would kill the other's secret), so the run fails
 *    loudly and the next run's step 2 takes whatever committed.
 * 4. With `invalidateImmediately`, read once more after success: a secret changed since means a
 *    concurrent rotation already killed ours, which is reported instead of recorded.
 */
import {
  asApiError, AuthenticationError, NotFoundError,
  type CloudflareApiError, type SecretWidget, type TurnstileClient, type Widget,
} from "../cloudflare";
import type { RotationInputs } from "./inputs";
import { graceFrom, modifiedAt, NO_GRACE, PENDING_TRIGGER, stateFor, UNKNOWN_GRACE, type Grace, type RotationState, type TurnstileWidgetInfo } from "./state";
import { claimWarning, createRefusedWarning, graceEndsAfter, isRefusal, isTransient, lostAnswerWarning, mayHaveReachedCloudflare } from "./rotation-rules";
import { ConcurrentRotationError, RotationFailedError, RotationRefusedError, UnconfirmedRotationError, UnknownOutcomeError } from "./rotation-errors";
import { CLOCK_SLACK_MS, readBaseline } from "./baseline";
import type { WidgetSnapshots } from "./widget-snapshots";

export {
  ConcurrentRotationError, OpenOutcomeError, RotationFailedError, RotationRefusedError, UnconfirmedRotationError, UnknownOutcomeError,
} from "./rotation-errors";
export { isRefusal } from "./rotation-rules";

/** How many rotate calls one rotation may make, each after a read proved the previous one has done nothing so far. */
export const MAX_ROTATE_ATTEMPTS = 3;

/** What a rotation needs besides the inputs; time is injected so tests run instantly. */
export interface RotationEnv {
  readonly client: TurnstileClient;
  /** The local clock (ms). */
  readonly now: () => number;
  /** Shows a warning to the user running the command. */
  readonly warn: (message: string) => void;
  /** No rotate call starts later than this after the rotation began (a final read still may). */
  readonly deadlineMs: number;
  /** The provider process's batched read (widget-snapshots.ts). */
  readonly snapshots: WidgetSnapshots;
}

/** What the state knew before this rotation; absent on create. */
export interface KnownSecret {
  readonly secret: string;
  readonly adoptedAt?: string;
  readonly rotationTrigger?: string | number;
  readonly widget?: TurnstileWidgetInfo;
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
  // A create, or the completion of one whose outcome stayed open (see PENDING_TRIGGER).
  const creating = known === undefined || known.rotationTrigger === PENDING_TRIGGER;
  // The list may stand for the read only where the state's secret is this stack's own record.
  const listable = creating || known.adoptedAt !== undefined ? undefined : { accountId, sitekey, secret: known.secret, widget: known.widget };
  const { widget: start, fenceMs: fence } = await readBaseline(env, inputs, listable);
  const record = (widget: SecretWidget, grace: Grace) => stateFor(inputs, widget, { grace, previous: known?.widget });
  // A create whose outcome stays open is recorded with the widget as it was, for the next run to complete.
  const pending = creating ? stateFor({ ...inputs, rotationTrigger: PENDING_TRIGGER }, start, { grace: UNKNOWN_GRACE }) : undefined;

  if (known && (start.secret !== known.secret || known.adoptedAt !== undefined)) {
    env.warn(claimWarning(sitekey, start, known));
    return record(start, UNKNOWN_GRACE);
  }

  /** Rotate call number `attempt`; `inFlight`: an earlier call of this run may still commit (it may have reached Cloudflare). */
  const tryRotating = async (attempt: number, inFlight: boolean): Promise<RotationState> => {
    let error: CloudflareApiError;
    try {
      env.snapshots.rotating(accountId, sitekey);
      const rotated = await client.rotateSecret(accountId, sitekey, { invalidateImmediately });
      if (invalidateImmediately) await confirmStillCurrent(env, inputs, creating ? undefined : known, rotated);
      return record(rotated, invalidateImmediately ? NO_GRACE : graceFrom(rotated));
    } catch (caught) {
      error = asApiError(caught);
    }
    const after = await readBack(env, inputs, error, attempt, pending);
    // This call, or an earlier one of this run still in flight, may have reached Cloudflare; a call
    // that provably did nothing (a refusal, a 429, a connection that never carried it) did not.
    const mayCommit = inFlight || mayHaveReachedCloudflare(error);
    if (after.secret !== start.secret) {
      // Ours if a call of ours may have made it (this one's answer was lost, or an earlier call of
      // this run committed late) and it is not older than the fence; else someone else's.
      const ours = mayCommit && (fence === undefined || modifiedAt(after).getTime() >= fence);
      if (!ours) throw new ConcurrentRotationError(sitekey, after, concurrentState(env, inputs, creating ? undefined : known, after), creating);
      env.warn(lostAnswerWarning(sitekey, after));
      // Our rotation came after the fence, before this read: its grace period ends no earlier than
      // the fence's (no new rotation before), and no later than 2 hours after the widget's last
      // change (the preview warns between the two). With invalidateImmediately ours left none,
      // but a default rotation by someone else at that moment would have: unknown altogether.
      return record(after, invalidateImmediately || fence === undefined ? UNKNOWN_GRACE : { kind: "between", fromMs: fence + CLOCK_SLACK_MS });
    }
    // Once a call may still commit, no answer proves that nothing will change: only the next run's
    // read can tell, so every ending below says so.
    if (!mayCommit && (error instanceof AuthenticationError || error instanceof NotFoundError)) throw error;
    if (!mayCommit && isRefusal(error)) {
      if (creating && !invalidateImmediately) {
        // A create on a widget whose grace period is open: an interrupted create of this stack
        // made the current secret, or someone else did. Rotating is impossible: record it.
        env.warn(createRefusedWarning(sitekey, start));
        return record(start, UNKNOWN_GRACE);
      }
      const open = graceEndsAfter(start, client.cloudflareNow() ?? env.now());
      throw new RotationRefusedError(sitekey, error, open, { creating, invalidateImmediately });
    }
    const outOfTries = attempt >= MAX_ROTATE_ATTEMPTS || env.now() - began > env.deadlineMs;
    if (!isTransient(error) || outOfTries || (invalidateImmediately && mayCommit)) {
      throw new RotationFailedError(sitekey, error, attempt, { inFlight: mayCommit, invalidateImmediately, pending });
    }
    return tryRotating(attempt + 1, mayCommit);
  };
  return tryRotating(1, false);
}

/** Reads the widget after a failed rotate call; if even that fails, the outcome is unknown. */
async function readBack(env: RotationEnv, inputs: RotationInputs, cause: CloudflareApiError, attempts: number, pending: RotationState | undefined): Promise<SecretWidget> {
  try {
    return await env.client.getWidget(inputs.accountId, inputs.sitekey);
  } catch (readError) {
    throw new UnknownOutcomeError(inputs.sitekey, cause, asApiError(readError), attempts, pending, inputs.invalidateImmediately);
  }
}

/**
 * After an immediate rotation, reads once more: a different secret means someone rotated right
 * after us and ours is already dead. A failed read cannot tell: the run fails saying so, keeping
 * its new secret (a partial state) for the next run to confirm.
 */
async function confirmStillCurrent(env: RotationEnv, inputs: RotationInputs, known: KnownSecret | undefined, ours: SecretWidget): Promise<void> {
  let now: SecretWidget;
  try {
    now = await env.client.getWidget(inputs.accountId, inputs.sitekey);
  } catch (readError) {
    throw new UnconfirmedRotationError(inputs.sitekey, asApiError(readError), stateFor(inputs, ours, { grace: NO_GRACE, previous: known?.widget }));
  }
  if (now.secret !== ours.secret) throw new ConcurrentRotationError(inputs.sitekey, now, concurrentState(env, inputs, known, now), known === undefined);
}

/**
 * The state to keep when a concurrent rotation is reported: Cloudflare's current secret, so the
 * state never holds a dead one. On update (`known`) it answers the trigger as it was, marked
 * adopted, so the next `pulumi up` takes it as this trigger change's rotation without rotating
 * again. On create it answers the program's trigger and is not adopted: it is this stack's first
 * record, and the next trigger change rotates.
 */
function concurrentState(env: RotationEnv, inputs: RotationInputs, known: KnownSecret | undefined, current: Widget & { secret: string }): RotationState {
  if (known === undefined) return stateFor(inputs, current, { grace: UNKNOWN_GRACE });
  const adoptedAt = new Date(env.client.cloudflareNow() ?? env.now()).toISOString();
  return stateFor({ ...inputs, rotationTrigger: known.rotationTrigger }, current, { grace: UNKNOWN_GRACE, previous: known.widget, adoptedAt });
}
