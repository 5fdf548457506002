/**
 * The rules that decide what a change of inputs does. Pure, so every rule is tested directly.
 *
 * - `accountId` or `sitekey` changed: a different widget, so the resource is replaced.
 * - `rotationTrigger` changed: rotate in place (an update).
 * - `invalidateImmediately` or `apiToken` alone changed: an update that only records the new value.
 * - Anything else, in particular a new serialized provider (`__provider`, a new package
 *   version): no change at all, so upgrading this package never rotates a secret.
 */
import type { RotationState } from "./state";
import { GRACE_PERIOD_TEXT, sameTrigger } from "./state";
import { isUnknown } from "./inputs";

/** The engine-facing result of `diff` (a plain object, as the engine expects). */
export interface RotationDiff {
  readonly changes: boolean;
  readonly replaces: string[];
  readonly deleteBeforeReplace: boolean;
}

/** The properties whose change makes a different widget, hence a replacement. */
export const REPLACE_PROPERTIES = ["accountId", "sitekey"] as const;

/** True when `news` asks for a rotation compared with the stored state. */
export function triggerChanged(olds: RotationState, news: Readonly<Record<string, unknown>>): boolean {
  const trigger = news.rotationTrigger;
  return isUnknown(trigger) || !sameTrigger(olds.rotationTrigger, trigger);
}

/** Computes the diff between stored outputs and new inputs. */
export function diffRotation(olds: RotationState, news: Readonly<Record<string, unknown>>): RotationDiff {
  const replaces = REPLACE_PROPERTIES.filter((property) => {
    const value = news[property];
    return isUnknown(value) || value !== olds[property];
  });
  const invalidateChanged = Boolean(news.invalidateImmediately) !== Boolean(olds.invalidateImmediately);
  const tokenChanged = news.apiToken !== olds.apiToken;
  const changes = replaces.length > 0 || triggerChanged(olds, news) || invalidateChanged || tokenChanged;
  return { changes, replaces: [...replaces], deleteBeforeReplace: false };
}

/**
 * When a trigger change asks for a rotation that Cloudflare would refuse because the previous
 * rotation's grace period is still open at `nowMs` (Cloudflare's clock), the message saying so
 * and what to do; otherwise `undefined`.
 */
export function graceBlocksRotation(olds: RotationState, nowMs: number): string | undefined {
  const expires = olds.previousSecretExpiresAt ? Date.parse(olds.previousSecretExpiresAt) : Number.NaN;
  if (Number.isNaN(expires) || nowMs >= expires) return undefined;
  return (
    `rotationTrigger changed, but Cloudflare refuses to rotate the secret of widget ${olds.sitekey} until ` +
    `${new Date(expires).toISOString()}: the previous rotation (at ${olds.rotatedAt}) keeps the old secret valid ` +
    `for ${GRACE_PERIOD_TEXT} and blocks new rotations meanwhile. Nothing was changed. The first \`pulumi up\` after that ` +
    "time rotates, whether the new trigger was set by hand or computed by scheduledTrigger. To deploy this stack's other " +
    "changes before then, leave the rotations out: `pulumi up --exclude '**TurnstileSecretRotation**'`. (Rotations made " +
    "with invalidateImmediately: true have no grace period.)"
  );
}
