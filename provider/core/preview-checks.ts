/**
 * What `diff` checks with Cloudflare before anything changes, so `pulumi preview` says it:
 * - a trigger change Cloudflare would refuse (the recorded grace period is still open), or may
 *   refuse (the secret came from a rotation this stack did not make, so its grace period is
 *   unknown);
 * - for `invalidateImmediately` resources, a secret in state that Cloudflare no longer holds: an
 *   immediate rotation by an interrupted run or someone else killed it at once, so a no-change
 *   run must not succeed keeping it. That costs a page of the widget list per 1000 such resources
 *   (widget-snapshots.ts), and one read for each the list does not vouch for.
 */
import type { TurnstileClient } from "../cloudflare";
import { graceBlocksRotation } from "./diff";
import { TurnstileRotationError } from "./errors";
import type { Warn } from "./hook-context";
import { GRACE_PERIOD_MS, GRACE_PERIOD_TEXT, type RotationState } from "./state";
import { listedUnchanged } from "./baseline";
import type { WidgetSnapshots } from "./widget-snapshots";

/**
 * Fails a trigger change Cloudflare would refuse, and warns of one it may refuse. Reads the
 * widget only when the local clock leaves the answer open, to ask Cloudflare's clock (its Date
 * header), which is the one that counts, and whether its secret is still the state's.
 */
export async function assertRotationPossible(state: RotationState, client: () => TurnstileClient, now: number, warn: Warn): Promise<void> {
  if (state.adoptedAt !== undefined) return; // an adopted secret is taken, not rotated
  if (state.graceUnknown) {
    const lockedAtMost = Date.parse(state.rotatedAt) + GRACE_PERIOD_MS;
    if (!(now < lockedAtMost)) return;
    const widget = await client().getWidget(state.accountId, state.sitekey);
    if (widget.secret !== state.secret || !((client().cloudflareNow() ?? now) < lockedAtMost)) return; // taken, or surely unlocked
    warn(`widget ${state.sitekey}: Cloudflare may refuse this rotation until ${new Date(lockedAtMost).toISOString()}: the secret in ` +
      `state came from a rotation this stack did not make (at or before ${state.rotatedAt}), and if that rotation kept the previous ` +
      `secret valid, Cloudflare refuses new rotations for ${GRACE_PERIOD_TEXT}. \`pulumi up\` tries; if Cloudflare refuses, nothing changes.`);
    return;
  }
  if (!graceBlocksRotation(state, now)) return;
  const cloudflareNow = await client().readCloudflareNow(state.accountId, state.sitekey);
  if (cloudflareNow === undefined) {
    // Without Cloudflare's clock (no Date header) the local one may be off: warn, and let Cloudflare decide.
    warn(`widget ${state.sitekey}: Cloudflare may refuse this rotation until ${state.previousSecretExpiresAt} (the grace period ` +
      "of the previous rotation); its answers carry no Date header to tell. `pulumi up` tries; if Cloudflare refuses, nothing changes.");
    return;
  }
  const blocked = graceBlocksRotation(state, cloudflareNow);
  if (blocked) throw new TurnstileRotationError(blocked);
}

/** True for a resource whose rotations kill the previous secret at once (as recorded, or as the program now asks). */
export function rotatesImmediately(state: RotationState, news: Readonly<Record<string, unknown>>): boolean {
  return state.invalidateImmediately === true || news.invalidateImmediately === true;
}

/**
 * True when Cloudflare's secret is no longer the one in state: false on the word of the account's
 * widget list when it shows the widget unchanged since the state recorded it, else one read.
 */
export async function secretReplaced(state: RotationState, client: TurnstileClient, snapshots: WidgetSnapshots): Promise<boolean> {
  if (await listedUnchanged(snapshots, client, state)) return false;
  return (await client.getWidget(state.accountId, state.sitekey)).secret !== state.secret;
}

/** The warning for recording a secret that replaced the state's without a trigger change. */
export function replacedWarning(sitekey: string, modifiedOn: string): string {
  return `widget ${sitekey}: Cloudflare no longer accepts the secret in state: the widget was rotated with invalidateImmediately ` +
    `(it last changed at ${modifiedOn}) by an interrupted \`pulumi up\` or someone else. Cloudflare's current secret is recorded ` +
    "instead, without rotating; change rotationTrigger for a fresh one.";
}
