/**
 * Time, injected: the rollout reads the clock for elapsed times and the grace window, and sleeps
 * between redraws of its progress, so tests can run both instantly.
 */

/** The rollout's view of time. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
}

/** The machine's clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A duration for people: `42s`, `3m 05s`, `1h 52m`. */
export function duration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}

/**
 * How much of the grace window is left at `now`: `1h 52m left`, `ended 5m 00s ago`, or undefined
 * when there is no window (no previous secret, or it was invalidated at once).
 */
export function graceLeft(expiresAt: string | null, now: number): string | undefined {
  if (expiresAt === null) return undefined;
  const end = Date.parse(expiresAt);
  if (Number.isNaN(end)) return undefined;
  return end > now ? `${duration(end - now)} left` : `ended ${duration(now - end)} ago`;
}
