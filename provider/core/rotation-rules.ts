/**
 * The judgements the rotation protocol makes about a failed call and a secret it did not make,
 * and the warnings it gives for them. Pure: no I/O, no clock of its own.
 */
import {
  CloudflareApiError, ConnectionError, RateLimitError, ServerError, type Widget,
} from "../cloudflare";
import { GRACE_PERIOD_MS, GRACE_PERIOD_TEXT, modifiedAt } from "./state";

/** True when Cloudflare answered, in its own envelope, that it will not do it (any 4xx but 429). */
export function isRefusal(error: unknown): error is CloudflareApiError {
  return error instanceof CloudflareApiError && error.status !== undefined && error.status >= 400 && error.status < 500 &&
    error.errors.length > 0 && !(error instanceof RateLimitError);
}

/** True for failures worth another rotate call once a read showed the secret unchanged. */
export function isTransient(error: CloudflareApiError): boolean {
  return error instanceof ServerError || error instanceof ConnectionError || error instanceof RateLimitError ||
    error.status === undefined || (error.status >= 200 && error.status < 300);
}

/**
 * True when a failed rotate call may still rotate: its request may have reached Cloudflare, or
 * be on its way (a lost or unusable answer, a 5xx a proxy may send while Cloudflare goes on, a
 * timeout). False only when the failure proves the request was not acted on: a refusal in
 * Cloudflare's envelope, a 429, or a connection that never carried it.
 */
export function mayHaveReachedCloudflare(error: CloudflareApiError): boolean {
  if (error instanceof RateLimitError || isRefusal(error as unknown)) return false;
  if (error instanceof ConnectionError) return error.ambiguous;
  return true;
}

/**
 * When the grace period of the widget's last change ends, if that change was a default rotation
 * and the end is still ahead at `nowMs` (Cloudflare's clock); otherwise undefined.
 */
export function graceEndsAfter(widget: Widget, nowMs: number): string | undefined {
  const ends = modifiedAt(widget).getTime() + GRACE_PERIOD_MS;
  return ends > nowMs ? new Date(ends).toISOString() : undefined;
}

/** The warning for taking a rotation this stack did not record as this trigger change's rotation. */
export function claimWarning(sitekey: string, current: Widget, known: { readonly secret: string; readonly adoptedAt?: string }): string {
  const why = current.secret !== known.secret
    ? `Cloudflare holds a secret (its widget last changed at ${current.modified_on}) that this stack never recorded: an interrupted ` +
      "`pulumi up` made it, or someone outside this stack did (Cloudflare records no author)."
    : `the secret in state was recorded at ${known.adoptedAt} without this stack making it (\`pulumi refresh\` found it, or ` +
      "the last run met another actor's rotation).";
  return `widget ${sitekey}: ${why} It is taken as this trigger change's rotation instead of rotating a second time; ` +
    "change rotationTrigger again for a fresh secret.";
}

/** The warning for a create that Cloudflare refused because a grace period is open. */
export function createRefusedWarning(sitekey: string, current: Widget): string {
  return `widget ${sitekey}: Cloudflare refuses to rotate it now: its secret was rotated recently (the widget last changed ` +
    `at ${current.modified_on}), by an interrupted \`pulumi up\` or someone else, and rotations stay locked for ${GRACE_PERIOD_TEXT} ` +
    "after a rotation. That secret is recorded instead; change rotationTrigger later for a fresh one.";
}

/**
 * The warning for recording a secret whose rotate answer never arrived intact. Cloudflare records
 * no author, so a rotation by someone else at that very moment would look the same: say so.
 */
export function lostAnswerWarning(sitekey: string, current: Widget): string {
  return `widget ${sitekey}: the answer to this run's rotate call was lost or unusable, and the widget's secret changed after ` +
    `this run began (it last changed at ${current.modified_on}): that secret is recorded as this run's rotation. Had someone ` +
    "else rotated the widget at that very moment, it would be theirs: one widget should be rotated by one stack only.";
}
