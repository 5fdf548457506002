/**
 * The model-based property test of the rotation protocol: generated sequences of operator
 * commands, outside events and network faults, replayed through the real hooks against the
 * in-process emulator, with every promise of docs/reliability.md checked after every step.
 * CI runs a fixed budget; `npm run fuzz -- --runs N [--seed S]` runs more.
 */
import fc from "fast-check";
import { runSequence, sequenceArb } from "./sequences";

/** Sequences CI runs: enough to find the cases the regression tests pin, well under a minute. */
export const CI_RUNS = 300;

describe("model: the rotation protocol keeps its promises over generated sequences", function () {
  this.timeout(5 * 60 * 1000);
  it(`holds I1-I6 after every step of ${CI_RUNS} sequences (fixed seed)`, async () => {
    await fc.assert(fc.asyncProperty(sequenceArb, (commands) => runSequence(commands)), { numRuns: CI_RUNS, seed: 20261127 });
  });
});
