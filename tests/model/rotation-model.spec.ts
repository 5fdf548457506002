/**
 * The model-based property test of the rotation protocol: generated sequences of operator
 * commands, a second actor and a hostile network, played by fast-check's scheduler through both
 * front doors' real gRPC servers against the in-process emulator, with every promise of
 * docs/reliability.md checked after every step. `npm run test:model` runs it under a coverage
 * gate (.c8rc.model.json): these sequences alone must reach every branch of the protocol, the
 * read/refresh path and both doors' error paths. `npm run fuzz -- --runs N [--seed S]` runs more.
 */
import fc from "fast-check";
import { CI_BUDGET, CI_SEED, modelProperty } from "./budget";

describe("model: the rotation protocol keeps its promises over generated sequences", function () {
  this.timeout(10 * 60 * 1000);
  for (const { profile, runs } of CI_BUDGET) {
    it(`${profile.name}: every promise holds after every step of ${runs} sequences (seed ${CI_SEED})`, async () => {
      await fc.assert(modelProperty(profile), { numRuns: runs, seed: CI_SEED });
    });
  }
});
