/**
 * What CI runs of the model-based test, profile by profile, and the runner that the spec, `npm
 * run fuzz` and `npm run mutants` share. With this seed the budget reaches every branch the
 * coverage gate names (.c8rc.model.json) and catches every mutation of scripts/lib/mutations.ts.
 */
import fc from "fast-check";
import { GENERAL, GRACE, IN_FLIGHT, KILLS, MOTIF, RIVALRY, sequenceArb, type Profile, type Sequence } from "./commands";
import { runSequence } from "./sequences";

/** Sequences per profile in CI. */
export const CI_BUDGET: ReadonlyArray<{ readonly profile: Profile; readonly runs: number }> = [
  { profile: GENERAL, runs: 1500 },
  { profile: IN_FLIGHT, runs: 800 },
  { profile: RIVALRY, runs: 800 },
  { profile: KILLS, runs: 800 },
  { profile: GRACE, runs: 800 },
  { profile: MOTIF, runs: 800 },
];
/** The seed CI replays. */
export const CI_SEED = 20261205;

/** The property: every sequence of `profile`, under every schedule, keeps every promise. */
export function modelProperty(profile: Profile) {
  return fc.asyncProperty(sequenceArb(profile), fc.scheduler(), (sequence, scheduler) => runSequence(sequence, scheduler));
}

/** How a budget ran: the first broken promise, if any, after how many sequences in all. */
export interface BudgetOutcome {
  readonly failed: boolean;
  readonly sequences: number;
  readonly profile?: string;
  readonly message?: string;
  /** The shrunk sequence and its schedule, as fast-check prints them. */
  readonly counterexample?: readonly [Sequence, fc.Scheduler];
  /** Replays fast-check's search to the failure: `--seed S --path P`. */
  readonly path?: string;
}

/** Runs the CI budget scaled to `total` sequences (CI's total by default) at `seed`, stopping at the first failure. */
export async function runBudget(seed: number, total?: number, shrink = true): Promise<BudgetOutcome> {
  const ciTotal = CI_BUDGET.reduce((sum, part) => sum + part.runs, 0);
  let sequences = 0;
  for (const { profile, runs } of CI_BUDGET) {
    const numRuns = Math.max(1, Math.round((runs * (total ?? ciTotal)) / ciTotal));
    const details = await fc.check(modelProperty(profile), { numRuns, seed, endOnFailure: !shrink });
    sequences += details.numRuns;
    if (details.failed) {
      const error = details.errorInstance;
      return {
        failed: true, sequences, profile: profile.name, message: error instanceof Error ? error.message : String(error),
        ...(details.counterexample ? { counterexample: details.counterexample } : {}), path: details.counterexamplePath ?? "",
      };
    }
  }
  return { failed: false, sequences };
}
