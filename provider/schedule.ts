/**
 * Scheduled rotation: turns a period into a `rotationTrigger` value that changes once per period.
 * Pure and deterministic for a given time, so a program computes the same trigger on every run
 * within a period and a new one after it ends.
 *
 * The catch: nothing runs by itself. The secret rotates at the first `pulumi up` after a period
 * ends (run `pulumi up` on a schedule, e.g. from CI), and a preview after the period ends already
 * shows the rotation.
 */
import { InvalidArgumentError } from "./core/errors";

/**
 * A rotation period: every N calendar months (UTC, aligned to January) or every N days from an
 * anchor date. Exactly one of `months` and `days`: the `never` fields make `{ months: 1, days: 3 }`
 * a compile error rather than a silent pick of one of them.
 */
export type RotationPeriod =
  | { readonly months: number; readonly days?: never; readonly anchor?: never }
  | { readonly days: number; readonly anchor?: string; readonly months?: never };

const DAY_MS = 24 * 60 * 60 * 1000;

/** How a period is spelled; repeated in every "which period" error so the fix is in the message. */
const PERIOD_EXAMPLES = '{ months: 1 }, { months: 3 } or { days: 30, anchor: "2026-01-01" }';

function positiveInteger(value: number, field: string, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new InvalidArgumentError(`${field} must be a whole number from 1 to ${max}, got ${value}`);
  }
  return value;
}

function anchorTime(anchor: string | undefined): number {
  if (anchor === undefined) return 0;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(anchor) || Number.isNaN(Date.parse(`${anchor}T00:00:00Z`))) {
    throw new InvalidArgumentError(`anchor must be a date like "2026-01-01", got ${JSON.stringify(anchor)}`);
  }
  return Date.parse(`${anchor}T00:00:00Z`);
}

/**
 * Checks that the period gives exactly one of `months` and `days`. The types already demand it,
 * but JavaScript callers and values read from config (`requireObject`) bypass them, and guessing
 * which one was meant would rotate on a schedule nobody asked for.
 */
function checkPeriodKind(period: RotationPeriod): void {
  if (period === null || typeof period !== "object") {
    throw new InvalidArgumentError(`a rotation period must give months or days, e.g. ${PERIOD_EXAMPLES}`);
  }
  const hasMonths = period.months !== undefined;
  const hasDays = period.days !== undefined;
  if (hasMonths === hasDays) {
    throw new InvalidArgumentError(
      `a rotation period must give months or days, ${hasMonths ? "not both" : "got neither"}: e.g. ${PERIOD_EXAMPLES}`,
    );
  }
  if (hasMonths && period.anchor !== undefined) {
    throw new InvalidArgumentError(`anchor applies to a period in days only; monthly periods are aligned to January: e.g. ${PERIOD_EXAMPLES}`);
  }
}

/**
 * The trigger for the period containing `now`: the period's first day (UTC), e.g. `"2026-11"` for
 * monthly rotation in November 2026, or `"2026-11-27"` for a 30-day period that started that day.
 *
 * @param period How often to rotate: `{ months: 1 }`, `{ months: 3 }`, `{ days: 30 }`, `{ days: 7, anchor: "2026-01-05" }`.
 * @param now The current time; defaults to the machine's clock.
 * @throws InvalidArgumentError when the period gives neither or both of `months` and `days`, or an invalid value.
 */
export function scheduledTrigger(period: RotationPeriod, now: Date = new Date()): string {
  if (Number.isNaN(now.getTime())) throw new InvalidArgumentError("now must be a valid date");
  checkPeriodKind(period);
  if (period.months !== undefined) {
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

/**
 * When the period containing `now` ends: the earliest time the next scheduled rotation can happen.
 *
 * Returns a `Date`, which Pulumi cannot serialize: exported as a stack output it shows as `{}`.
 * For a stack output use {@link nextScheduledRotationAt}, which returns the same time as a string.
 */
export function nextScheduledRotation(period: RotationPeriod, now: Date = new Date()): Date {
  const current = scheduledTrigger(period, now);
  if (period.months !== undefined) {
    const [year, month] = current.split("-").map(Number);
    return new Date(Date.UTC(year, month - 1 + period.months, 1));
  }
  return new Date(Date.parse(`${current}T00:00:00Z`) + period.days * DAY_MS);
}

/**
 * {@link nextScheduledRotation} as an ISO 8601 / RFC 3339 string in UTC, e.g.
 * `"2026-12-01T00:00:00.000Z"`: the form to export as a stack output
 * (`export const nextRotation = nextScheduledRotationAt({ months: 1 })`), like `rotatedAt`.
 */
export function nextScheduledRotationAt(period: RotationPeriod, now: Date = new Date()): string {
  return nextScheduledRotation(period, now).toISOString();
}
