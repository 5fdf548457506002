/**
 * The few statistics the benchmark reports: medians of repeated runs, peaks of several processes,
 * and the most requests a token sent in any window (what Cloudflare's sliding window counts).
 */

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The median of the known values; undefined when none is. */
export function medianOf(values: ReadonlyArray<number | undefined>): number | undefined {
  const known = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  return known.length === 0 ? undefined : median(known);
}

/** The largest of the known values; undefined when none is. */
export function maxOf(values: ReadonlyArray<number | undefined>): number | undefined {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length === 0 ? undefined : Math.max(...known);
}

/** The most of `times` (ms, any order) inside any window of `windowMs` (two pointers over sorted times). */
export function peakInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last += 1) {
    while (sorted[last] - sorted[first] >= windowMs) first += 1;
    peak = Math.max(peak, last - first + 1);
  }
  return peak;
}
