/**
 * The one way tests steer and inspect an emulator: inject faults, read request counts, read the
 * widget's live secret, count the rotations Cloudflare committed. Works for an in-process emulator
 * and, through its control routes, for any running one.
 */
import type { RunningEmulator } from "./emulator";

/** Per-route request counts as the emulator reports them. */
export interface RequestCounts {
  readonly total: number;
  readonly byRoute: Readonly<Record<string, number>>;
}

/** Queues a fault (see emulator/README.md for the kinds). */
export async function inject(emulator: RunningEmulator, fault: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${emulator.origin}/emulator/faults`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(fault),
  });
  if (!response.ok) throw new Error(`the emulator refused the fault: ${response.status} ${await response.text()}`);
}

/** Every request the emulator counted, by route. */
export async function requestCounts(emulator: RunningEmulator): Promise<RequestCounts> {
  return (await (await fetch(`${emulator.origin}/emulator/requests`)).json()) as RequestCounts;
}

/** How many rotate_secret requests reached the emulator (committed or not). */
export async function rotateCalls(emulator: RunningEmulator): Promise<number> {
  return (await requestCounts(emulator)).byRoute["widgets.rotate_secret"] ?? 0;
}

/** Cloudflare's current secret of a widget, straight from the emulator's store. */
export function liveSecret(emulator: RunningEmulator, sitekey: string): string {
  const record = emulator.emulator.store.findBySitekey(sitekey);
  if (!record) throw new Error(`the emulator has no widget ${sitekey}`);
  return record.secret;
}

/** The secret before the last rotation, while Cloudflare still accepts it (grace period). */
export function previousSecret(emulator: RunningEmulator, sitekey: string): string | undefined {
  return emulator.emulator.store.findBySitekey(sitekey)?.previousSecret;
}

/** True when Cloudflare accepts `secret` for the widget right now (current, or previous in grace). */
export function accepts(emulator: RunningEmulator, sitekey: string, secret: string): boolean {
  const found = emulator.emulator.store.findBySecret(secret);
  return found !== undefined && found.widget.sitekey === sitekey;
}

/** Rotates the widget as someone outside Pulumi would (the dashboard, another tool). */
export function rotateOutside(emulator: RunningEmulator, sitekey: string, invalidateImmediately = false): string {
  return emulator.emulator.store.rotateSecret(emulator.accountId, sitekey, invalidateImmediately).secret;
}
