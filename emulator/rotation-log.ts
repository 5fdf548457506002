/**
 * The log of committed rotations. Property tests check "once per trigger" and
 * "fresh secret" against it, so it records what Cloudflare would know: which
 * secret replaced which, and when by the emulator's clock.
 */
import { rfc3339 } from "./clock";

/** One committed rotation. Holds secrets: in-process test API only. */
export interface RotationRecord {
  accountId: string;
  sitekey: string;
  /** The secret the rotation issued. */
  secret: string;
  /** The secret it replaced, still valid for the grace period; undefined when invalidated immediately. */
  previousSecret: string | undefined;
  /** Emulator time of the rotation, epoch ms. */
  atMs: number;
  invalidateImmediately: boolean;
}

/** A rotation as `GET /emulator/rotations` shows it: no secret values. */
export interface RotationView {
  accountId: string;
  sitekey: string;
  /** RFC 3339 time of the rotation. */
  at: string;
  invalidateImmediately: boolean;
}

/** Committed rotations in order; kept in memory only (a restart from a state file starts a new log). */
export class RotationLog {
  private entries: RotationRecord[] = [];

  /** Appends one committed rotation. */
  record(entry: RotationRecord): void {
    this.entries.push({ ...entry });
  }

  /** Copies of the rotations, oldest first, optionally of one widget only. */
  list(sitekey?: string): RotationRecord[] {
    return this.entries.filter((e) => sitekey === undefined || e.sitekey === sitekey).map((e) => ({ ...e }));
  }

  /** Forgets every rotation. */
  clear(): void {
    this.entries = [];
  }
}

/** The secret-free view of a rotation. */
export function rotationView(entry: RotationRecord): RotationView {
  return { accountId: entry.accountId, sitekey: entry.sitekey, at: rfc3339(entry.atMs), invalidateImmediately: entry.invalidateImmediately };
}
