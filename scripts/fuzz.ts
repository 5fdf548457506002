/**
 * `npm run fuzz -- --runs N [--seed S]`: the rotation model-based test with a bigger budget than
 * CI's. A failure prints the shrunk sequence as JSON (replay it with `--replay '<json>'`) and
 * fast-check's seed and path (replay the whole search with `--seed S --path P`).
 */
import { parseArgs } from "node:util";
import fc from "fast-check";
import { runSequence, sequenceArb, type Command } from "../tests/model/sequences";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "2000" },
    seed: { type: "string" },
    path: { type: "string" },
    replay: { type: "string" },
  },
});

async function main(): Promise<void> {
  if (values.replay !== undefined) {
    await runSequence(JSON.parse(values.replay) as Command[]);
    console.log("the sequence keeps every promise");
    return;
  }
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs must be a whole number >= 1");
  const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
  const started = Date.now();
  console.log(`fuzz: ${runs} sequences, seed ${seed}`);
  const result = await fc.check(fc.asyncProperty(sequenceArb, (commands) => runSequence(commands)), {
    numRuns: runs, seed, ...(values.path === undefined ? {} : { path: values.path }),
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (!result.failed) {
    console.log(`fuzz: ${result.numRuns} sequences kept every promise in ${seconds} s (seed ${seed})`);
    return;
  }
  console.log(`fuzz: a sequence broke a promise after ${result.numRuns} runs (${seconds} s)`);
  console.log(`  ${result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance)}`);
  console.log(`  replay:  npm run fuzz -- --replay '${JSON.stringify(result.counterexample?.[0])}'`);
  console.log(`  search:  npm run fuzz -- --runs ${runs} --seed ${result.seed} --path ${result.counterexamplePath}`);
  process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
});
