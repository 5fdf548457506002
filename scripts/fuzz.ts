/**
 * `npm run fuzz -- --runs N [--seed S]`: the rotation model-based test with a bigger budget than
 * CI's (N sequences in all, shared among the profiles as CI shares its budget). A failure prints
 * the broken promise, the shrunk sequence and its schedule, and how to replay them: the sequence
 * alone under fresh schedules (`--replay FILE`, written to `.work/fuzz-failure-<seed>.json`).
 * `--json` prints one line for scripts (the mutation runner) and stops at the first failure.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import fc from "fast-check";
import { runBudget } from "../tests/model/budget";
import { runSequence, type Sequence } from "../tests/model/sequences";

const { values } = parseArgs({
  options: {
    runs: { type: "string" },
    seed: { type: "string" },
    replay: { type: "string" },
    json: { type: "boolean", default: false },
  },
});

function count(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number >= 1`);
  return value;
}

async function main(): Promise<void> {
  const started = Date.now();
  const seconds = () => Number(((Date.now() - started) / 1000).toFixed(1));
  if (values.replay !== undefined) {
    const sequence = JSON.parse(fs.readFileSync(values.replay, "utf8")) as Sequence;
    const schedules = values.runs === undefined ? 100 : count("runs", values.runs);
    const replayed = await fc.check(fc.asyncProperty(fc.scheduler(), (scheduler) => runSequence(sequence, scheduler)), { numRuns: schedules });
    if (!replayed.failed) {
      console.log(`fuzz: the sequence kept every promise under ${schedules} schedules`);
      return;
    }
    const error = replayed.errorInstance;
    console.log(`fuzz: the sequence broke a promise: ${error instanceof Error ? error.message : String(error)}`);
    console.log(`  schedule: ${String(replayed.counterexample?.[0])}`);
    process.exitCode = 1;
    return;
  }
  const runs = values.runs === undefined ? undefined : count("runs", values.runs);
  const seed = values.seed === undefined ? Date.now() % 2 ** 31 : count("seed", values.seed);
  if (!values.json) console.log(`fuzz: ${runs ?? "CI's budget of"} sequences, seed ${seed}`);
  const outcome = await runBudget(seed, runs, !values.json);
  if (values.json) {
    console.log(JSON.stringify({ failed: outcome.failed, sequences: outcome.sequences, seconds: seconds(), profile: outcome.profile, promise: outcome.message?.split(":")[0], message: outcome.message }));
    process.exitCode = outcome.failed ? 1 : 0;
    return;
  }
  if (!outcome.failed) {
    console.log(`fuzz: ${outcome.sequences} sequences kept every promise in ${seconds()} s (seed ${seed})`);
    return;
  }
  const file = path.join(".work", `fuzz-failure-${seed}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(outcome.counterexample?.[0], null, 1));
  console.log(`fuzz: a sequence of the ${outcome.profile} profile broke a promise after ${outcome.sequences} sequences (${seconds()} s, seed ${seed})`);
  console.log(`  ${outcome.message}`);
  console.log(`  schedule: ${String(outcome.counterexample?.[1])}`);
  console.log(`  replay the sequence: npm run fuzz -- --replay ${file}`);
  process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
}).finally(() => {
  // The doors' gRPC servers would keep the process alive: leave once what was printed is out.
  process.stdout.write("", () => process.exit());
});
