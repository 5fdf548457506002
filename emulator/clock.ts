/**
 * Time sources for the emulator. Everything time-dependent (grace windows, token
 * lifetimes, rate-limit windows, timestamps) reads the injected clock, so tests can
 * jump two hours ahead without sleeping.
 */

/** A source of "now" that tests can move forward. */
export interface Clock {
  /** Current time in epoch milliseconds. */
  now(): number;
  /** Moves the clock forward by `seconds` (must be >= 0). */
  advance(seconds: number): void;
}

/**
 * Latest time the clock may show: one day short of the last instant a JS Date
 * can hold (8.64e15 ms), so the times derived from "now" (a grace end 2 h later)
 * still print. Past it every Date header and timestamp would throw.
 */
export const LATEST_CLOCK_MS = 8.64e15 - 24 * 60 * 60 * 1000;

/** Throws, before anything moves, unless `seconds` is a usable step from `nowMs`. */
function checkAdvance(nowMs: number, seconds: number): void {
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new RangeError(`clock can only move forward by a finite number of seconds >= 0, got ${seconds}`);
  }
  if (nowMs + seconds * 1000 > LATEST_CLOCK_MS) {
    throw new RangeError(`clock cannot move past ${new Date(LATEST_CLOCK_MS).toISOString()}; ` +
      `at most ${Math.floor((LATEST_CLOCK_MS - nowMs) / 1000)} seconds are left`);
  }
}

/** Real wall-clock time plus an offset that `advance` grows (the default clock). */
export class SystemClock implements Clock {
  private offsetMs = 0;

  /** Real time plus everything `advance` added so far. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Shifts the clock ahead of real time. */
  advance(seconds: number): void {
    checkAdvance(this.now(), seconds);
    this.offsetMs += seconds * 1000;
  }
}

/** A frozen clock that moves only when told to: fully deterministic tests. */
export class ManualClock implements Clock {
  private current: number;

  /** @param startMs initial time in epoch ms (default: 2026-01-01T00:00:00Z). */
  constructor(startMs: number = Date.UTC(2026, 0, 1)) {
    this.current = startMs;
  }

  /** The frozen current time. */
  now(): number {
    return this.current;
  }

  /** Moves the frozen time forward. */
  advance(seconds: number): void {
    checkAdvance(this.current, seconds);
    this.current += seconds * 1000;
  }
}

/** RFC 3339 / ISO 8601 timestamp with milliseconds, e.g. `2026-01-01T00:00:00.000Z`. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * RFC 3339 timestamp rounded UP to the whole second, without fraction
 * (`2026-11-26T16:40:00Z`); used in messages that say "try again after ...",
 * where rounding down would name a moment that is still too early.
 */
export function rfc3339Ceil(ms: number): string {
  return new Date(Math.ceil(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}
