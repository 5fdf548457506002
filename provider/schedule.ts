/**
 * Scheduled rotation: turns a period into a `rotationTrigger` value that changes once per period.
 * Pure and deterministic for a given time, so a program computes the same trigger on every run
 * within a period and a new one after it ends.
 *
 * The catch: nothing runs by itself. The secret rotates at the first `pulumi up` after a period
 * ends (run `pulumi up` on a schedule, e.g. from CI), and a preview after the period ends already
 * shows the rotation.
 */

/** A rotation period: every N calendar months (UTC, aligned to January) or every N days from an anchor date. */
export type RotationPeriod =
  | { readonly months: number }
  | { readonly days: number; readonly anchor?: string };

const DAY_MS = 24 * 60 * 60 * 1000;

function positiveInteger(value: number, field: string, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new RangeError(`${field} must be a whole number from 1 to ${max}, got ${value}`);
  }
  return value;
}

function anchorTime(anchor: string | undefined): number {
  if (anchor === undefined) return 0;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(anchor) || Number.isNaN(Date.parse(`${anchor}T00:00:00Z`))) {
    throw new RangeError(`anchor must be a date like "2026-01-01", got ${JSON.stringify(anchor)}`);
  }
  return Date.parse(`${anchor}T00:00:00Z`);
}

/**
 * The trigger for the period containing `now`: the period's first day (UTC), e.g. `"2026-11"` for
 * monthly rotation in November 2026, or `"2026-11-19"` for a 30-day period that started that day.
 *
 * @param period How often to rotate: `{ months: 1 }`, `{ months: 3 }`, `{ days: 30 }`, `{ days: 7, anchor: "2026-01-05" }`.
 * @param now The current time; defaults to the machine's clock.
 */
export function scheduledTrigger(period: RotationPeriod, now: Date = new Date()): string {
  if (Number.isNaN(now.getTime())) throw new RangeError("now must be a valid date");
  if ("months" in period) {
    const every = positiveInteger(period.months, "months", 12);
    const monthIndex = now.getUTCFullYear() * 12 + now.getUTCMonth();
    const start = monthIndex - (monthIndex % every);
    const year = Math.floor(start / 12);
    const month = (start % 12) + 1;
    return `${year}-${String(month).padStart(2, "0")}`;
  }
  const every = positiveInteger(period.days, "days", 366);
  const anchor = anchorTime(period.anchor);
  const elapsedDays = Math.floor((now.getTime() - anchor) / DAY_MS);
  const periodStart = anchor + (elapsedDays - (((elapsedDays % every) + every) % every)) * DAY_MS;
  return new Date(periodStart).toISOString().slice(0, 10);
}

/** When the period containing `now` ends: the earliest time the next scheduled rotation can happen. */
export function nextScheduledRotation(period: RotationPeriod, now: Date = new Date()): Date {
  const current = scheduledTrigger(period, now);
  if ("months" in period) {
    const [year, month] = current.split("-").map(Number);
    return new Date(Date.UTC(year, month - 1 + period.months, 1));
  }
  return new Date(Date.parse(`${current}T00:00:00Z`) + period.days * DAY_MS);
}
