/**
 * Mocha's spec reporter plus one closing line in the plain `N passed, N failed, N skipped` form
 * that CI reads. Skips are counted, never hidden: an end-to-end test never skips itself.
 */
import Mocha from "mocha";

const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const { passes, failures, pending } = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
      // Printed after the spec reporter's own epilogue.
      process.nextTick(() => console.log(`${passes} passed, ${failures} failed, ${pending} skipped`));
    });
  }
}

export = SummaryReporter;
