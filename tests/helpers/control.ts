/**
 * The one way tests steer and inspect an emulator: inject faults, set its rate limit, read
 * request counts, read a widget's live and previous secret, change a widget behind Pulumi's back,
 * and compare secrets without ever printing one. Faults, limits and counts go through the
 * emulator's control routes (as they would for any running emulator); secrets and outside changes
 * go straight to its store, so they neither consume a queued fault nor count as API calls.
 */
import assert from "node:assert/strict";
import type { FaultSpec, RateLimitConfig, RequestCounts } from "../../emulator";
import { maskSecret } from "../../scripts/lib/mask";
import type { RunningEmulator } from "./emulator";

export type { RequestCounts } from "../../emulator";

async function control(emulator: RunningEmulator, route: string, body: unknown): Promise<void> {
  const response = await fetch(`${emulator.origin}/emulator/${route}`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`the emulator refused ${route}: ${response.status} ${await response.text()}`);
}

/** Queues a fault (see emulator/README.md for the kinds). */
export function inject(emulator: RunningEmulator, fault: FaultSpec): Promise<void> {
  return control(emulator, "faults", fault);
}

/** Sets the emulator's own rate limit, as Cloudflare's would answer 429 past it. */
export function setRateLimit(emulator: RunningEmulator, limit: RateLimitConfig): Promise<void> {
  return control(emulator, "rate-limit", limit);
}

/** Every request the emulator counted, by route. */
export async function requestCounts(emulator: RunningEmulator): Promise<RequestCounts> {
  return (await (await fetch(`${emulator.origin}/emulator/requests`)).json()) as RequestCounts;
}

/** How many rotate_secret requests reached the emulator (committed or not). */
export async function rotateCalls(emulator: RunningEmulator): Promise<number> {
  return (await requestCounts(emulator)).byRoute["widgets.rotate_secret"] ?? 0;
}

/** Cloudflare's current secret of a widget. */
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
  return emulator.emulator.store.accepts(sitekey, secret);
}

/** Rotates the widget as someone outside Pulumi would (the dashboard, another tool). */
export function rotateOutside(emulator: RunningEmulator, sitekey: string, invalidateImmediately = false): string {
  return emulator.emulator.store.rotateSecret(emulator.accountId, sitekey, invalidateImmediately).secret;
}

/** Changes the widget's settings (its name) as someone outside Pulumi would: moves its `modified_on`. */
export function editOutside(emulator: RunningEmulator, sitekey: string): void {
  const record = emulator.emulator.store.findBySitekey(sitekey);
  if (!record) throw new Error(`the emulator has no widget ${sitekey}`);
  emulator.emulator.store.update(emulator.accountId, sitekey, { name: `${record.name} (edited)`, domains: record.domains, mode: record.mode });
}

/** Deletes the widget as someone outside Pulumi would. */
export function deleteOutside(emulator: RunningEmulator, sitekey: string): void {
  emulator.emulator.store.delete(emulator.accountId, sitekey);
}

/** A secret, or secrets by name, as a failure message may show them: masked. */
function masked(value: unknown): string {
  if (typeof value === "string") return maskSecret(value);
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  return JSON.stringify(Object.fromEntries(Object.entries(value).map(([key, item]) => [key, typeof item === "string" ? maskSecret(item) : item])));
}

/**
 * Asserts a secret (or a map of secrets by name, key order aside) equals the expected one; the
 * failure message masks both, so a test never prints a secret.
 */
export function assertSameSecret(actual: unknown, expected: string | Readonly<Record<string, string>>, what: string): void {
  const same = typeof expected === "string"
    ? actual === expected
    : actual !== null && typeof actual === "object" &&
      JSON.stringify(Object.entries(actual).sort()) === JSON.stringify(Object.entries(expected).sort());
  if (!same) assert.fail(`${what}: expected ${masked(expected)}, got ${masked(actual)}`);
}
