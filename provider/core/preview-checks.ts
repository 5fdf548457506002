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
 * How far off the local clock may be and still not decide alone: within this margin of a grace
 * period's end, the preview asks Cloudflare's clock (its Date header), which is the one that counts.
 */
export const CLOCK_MARGIN_MS = 5 * 60 * 1000;

/** The `Date` header's resolution: Cloudflare's clock reads up to this much later than it says. */
const DATE_RESOLUTION_MS = 1000;

/** The warning for a rotation Cloudflare may refuse, which the preview cannot rule out. */
function mayRefuse(sitekey: string, until: number, why: string): string {
  return `widget ${sitekey}: Cloudflare may refuse this rotation until ${new Date(until).toISOString()}: ${why}. ` +
    "`pulumi up` tries; if Cloudflare refuses, nothing changes.";
}

/**
 * Fails a trigger change Cloudflare would refuse, and warns of one it may refuse. Reads the widget
 * only when the local clock, give or take {@link CLOCK_MARGIN_MS}, leaves the answer open: for
 * Cloudflare's clock, and whether its secret is still the state's (if not, it is taken, not rotated).
 */
export async function assertRotationPossible(state: RotationState, client: () => TurnstileClient, now: number, warn: Warn): Promise<void> {
  if (state.adoptedAt !== undefined) return; // an adopted secret is taken, not rotated
  const lockedAtLeast = state.previousSecretExpiresAt === null ? Number.NaN : Date.parse(state.previousSecretExpiresAt);
  const lockedAtMost = state.graceUnknown ? Date.parse(state.rotatedAt) + GRACE_PERIOD_MS : lockedAtLeast;
  if (!(now < lockedAtMost + CLOCK_MARGIN_MS)) return; // (no grace period recorded: NaN, nothing to check)
  const widget = await client().getWidget(state.accountId, state.sitekey);
  if (widget.secret !== state.secret) return;
  const cloudflareNow = client().cloudflareNow();
  if (cloudflareNow === undefined) {
    // Without Cloudflare's clock the local one may be off: warn, and let Cloudflare decide.
    warn(mayRefuse(state.sitekey, lockedAtMost,
      "the previous rotation's grace period may still be open, and Cloudflare's answers carry no Date header to tell"));
    return;
  }
  // The Date header counts whole seconds, so Cloudflare's clock may be up to one ahead of it: refuse
  // only what stays locked for that second too, and let Cloudflare decide the last second itself.
  const blocked = graceBlocksRotation(state, cloudflareNow + DATE_RESOLUTION_MS);
  if (blocked) throw new TurnstileRotationError(blocked);
  if (state.graceUnknown && cloudflareNow < lockedAtMost) {
    warn(mayRefuse(state.sitekey, lockedAtMost, `this stack cannot know when the secret in state was made (at or before ` +
      `${state.rotatedAt}), and if its rotation kept the previous secret valid, Cloudflare refuses new rotations for ${GRACE_PERIOD_TEXT}`));
  }
}

/**
 * Warns, when a create would rotate with invalidateImmediately, that Cloudflare may refuse: the
 * widget changed less than 2 hours ago, so a default rotation may hold a grace period open, and
 * such a create fails (a default-mode create records the current secret instead). One read.
 */
export async function warnIfCreateMayBeRefused(sitekey: string, accountId: string, client: TurnstileClient, now: number, warn: Warn): Promise<void> {
  const widget = await client.getWidget(accountId, sitekey);
  const lockedAtMost = Date.parse(widget.modified_on) + GRACE_PERIOD_MS;
  if ((client.cloudflareNow() ?? now) < lockedAtMost) {
    warn(mayRefuse(sitekey, lockedAtMost, `the widget changed at ${widget.modified_on}, and if that was a rotation that kept ` +
      `the previous secret valid, Cloudflare refuses new rotations, invalidateImmediately ones too, for ${GRACE_PERIOD_TEXT}`));
  }
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
