/**
 * The goals of issue 21 (and those of issues 6 and 14 it keeps), each a measured figure beside its
 * target. Printed, never enforced unless asked (`npm run bench -- --check`): timings depend on the machine.
 */
import type { BenchResults, CallsResult, FleetResult } from "./bench-types";

/** One goal, with the measured figure. */
export interface Goal {
  readonly goal: string;
  readonly target: string;
  readonly measured: string;
  /** undefined: not measured in this run. */
  readonly met: boolean | undefined;
}

/** Create ratio targets by N (issue 14, item 2). */
const CREATE_TARGETS: Record<number, number> = { 100: 1.1, 300: 1.15 };
/** Ratio to the bound (item 1), at N of at least this. */
const BOUND_TARGET = 1.15;
const BOUND_FROM_N = 300;
/** API requests per rotation of all (issue 21), at N of at least this. */
const CALLS_TARGET = 1.05;
const CALLS_FROM_N = 100;
/** State bytes per resource (issue 21, item 2). */
const STATE_TARGET = 2300;
/** Peak RSS noise between runs (GC timing), allowed on top of the floor's growth. */
const RSS_NOISE_MIB = 10;

const MIB = 2 ** 20;

/** Largest peak RSS of a process role over a fleet's runs, for the rotation or the floor. */
function peak(fleet: FleetResult, side: "rotation" | "floor", role: "providerPeakRssBytes" | "cliPeakRssBytes"): number | undefined {
  const values = fleet.runs.map((r) => r[side][role]).filter((v): v is number => v !== undefined);
  return values.length === 0 ? undefined : Math.max(...values);
}

function memoryGoals(fleet: readonly FleetResult[]): Goal[] {
  if (fleet.length < 2) return [];
  const [small, large] = [fleet[0], fleet[fleet.length - 1]];
  const goals: Goal[] = [];
  for (const [role, name] of [["providerPeakRssBytes", "dynamic provider"], ["cliPeakRssBytes", "CLI (engine)"]] as const) {
    const growth = (side: "rotation" | "floor") => {
      const [a, b] = [peak(small, side, role), peak(large, side, role)];
      return a === undefined || b === undefined ? undefined : (b - a) / MIB;
    };
    const [rotation, floor] = [growth("rotation"), growth("floor")];
    goals.push({
      goal: `peak RSS growth N=${small.n} to ${large.n}, ${name}`,
      target: `<= floor's (${floor === undefined ? "n/a" : floor.toFixed(0)} MiB) + ${RSS_NOISE_MIB} MiB`,
      measured: rotation === undefined ? "n/a" : `${rotation.toFixed(0)} MiB`,
      met: rotation === undefined || floor === undefined ? undefined : rotation <= floor + RSS_NOISE_MIB,
    });
  }
  return goals;
}

/** True when an operation made the calls the protocol states: per resource, and the list's pages (none, or at least those needed). */
export function callsAsStated(c: CallsResult): boolean {
  const pages = c.byKind["GET widgets"] ?? 0;
  return c.calls - pages === c.expectedPerResource * c.n && (c.expectedListPages === 0 ? pages === 0 : pages >= c.expectedListPages);
}

export function goals(results: BenchResults): Goal[] {
  const list: Goal[] = [];
  for (const fleet of results.fleet) {
    for (const run of fleet.runs) {
      if (run.operation !== "rotate all" || run.ratioToBound === undefined || fleet.n < BOUND_FROM_N) continue;
      list.push({
        goal: `rotate all N=${fleet.n} at L=${run.latencyMs} ms, --parallel ${run.parallel}: ratio to bound (${run.bound?.boundBy})`,
        target: `<= ${BOUND_TARGET.toFixed(2)}`, measured: run.ratioToBound.toFixed(2), met: run.ratioToBound <= BOUND_TARGET,
      });
    }
  }
  for (const create of results.create) {
    const target = CREATE_TARGETS[create.n];
    if (target === undefined) continue;
    list.push({ goal: `create ratio to the floor at N=${create.n}`, target: `<= ${target.toFixed(2)}`, measured: create.ratio.toFixed(2), met: create.ratio <= target });
  }
  const wrong = results.calls.filter((c) => !callsAsStated(c));
  if (results.calls.length > 0) {
    list.push({
      goal: `API calls per operation as the protocol states (N=${results.calls[0].n})`, target: "all as stated",
      measured: wrong.length === 0 ? "all as stated" : wrong.map((c) => `${c.operation}: ${c.calls}`).join("; "), met: wrong.length === 0,
    });
  }
  const largest = results.fleet[results.fleet.length - 1];
  if (largest) {
    for (const operation of ["no-change preview", "no-change up"]) {
      const run = largest.runs.find((r) => r.operation === operation);
      if (run) list.push({ goal: `API calls, ${operation} at N=${largest.n}`, target: "0", measured: String(run.apiCalls), met: run.apiCalls === 0 });
    }
    list.push({
      goal: `state per resource (packed install), N=${largest.n}`, target: `<= ${STATE_TARGET} bytes`,
      measured: `${largest.state.bytesPerResource} bytes`, met: largest.state.bytesPerResource <= STATE_TARGET,
    });
  }
  const rotations = results.fleet.filter((f) => f.n >= CALLS_FROM_N).flatMap((f) => f.runs.filter((r) => r.operation === "rotate all"));
  if (rotations.length > 0) {
    const perRotation = rotations.map((r) => r.apiCalls / r.n);
    list.push({
      goal: `API requests per rotation, rotate all, N >= ${CALLS_FROM_N}`, target: `<= ${CALLS_TARGET.toFixed(2)}`,
      measured: `${Math.min(...perRotation).toFixed(3)} to ${Math.max(...perRotation).toFixed(3)}`, met: perRotation.every((c) => c <= CALLS_TARGET),
    });
  }
  const fleetRuns = results.fleet.flatMap((f) => f.runs);
  if (fleetRuns.length > 0) {
    const answered429 = fleetRuns.reduce((sum, r) => sum + r.rejected429, 0);
    list.push({ goal: "429 answers, every fleet row", target: "0", measured: String(answered429), met: answered429 === 0 });
  }
  list.push(...memoryGoals(results.fleet));
  const tokens = results.tokens;
  if (tokens) {
    const name = `${tokens.tokens} tokens x ${tokens.widgetsPerToken} widgets`;
    list.push({ goal: `${name}: failures, 429 answers`, target: "0, 0", measured: `${tokens.failures}, ${tokens.run.rejected429}`, met: tokens.failures === 0 && tokens.run.rejected429 === 0 });
    list.push({ goal: `${name}: ratio to bound (per-token budgets)`, target: `<= ${BOUND_TARGET.toFixed(2)}`, measured: tokens.run.ratioToBound?.toFixed(2) ?? "n/a", met: (tokens.run.ratioToBound ?? Infinity) <= BOUND_TARGET });
  }
  for (const run of results.limited) {
    list.push({ goal: `N=${run.n} at ${run.serverLimitPerSecond} req/s, ${run.variant}: failures`, target: "0", measured: String(run.failures), met: run.failures === 0 });
    // The throughput goal is for a client configured with the account's limit; an unaware client's is reported, not judged.
    if (run.clientLimitMatchesServer) {
      list.push({
        goal: `N=${run.n} at ${run.serverLimitPerSecond} req/s, ${run.variant}: rotations/s`,
        target: `>= ${run.targetPerSecond.toFixed(1)}`, measured: run.rotationsPerSecond.toFixed(1), met: run.rotationsPerSecond >= run.targetPerSecond,
      });
    }
  }
  return list;
}
