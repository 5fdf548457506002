/**
 * `npm run mutants [-- --only NAME] [--runs N] [--seed S]`: re-introduces each defect of
 * scripts/lib/mutations.ts into a copy of the sources, one at a time, and runs the model-based
 * test there with CI's budget (its runs and seed by default). Every mutation must make the model
 * fail; the table it prints (how many sequences it took, which promise broke) is the one in
 * docs/reliability.md. Outside CI: about a minute per mutation.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { CI_SEED } from "../tests/model/budget";
import { applyMutation, MUTATIONS, type Mutation } from "./lib/mutations";

const REPO = path.resolve(__dirname, "..");
/** What the model needs: the code under test, the emulator, the model, its runner, and the package files it reads. */
const COPIED = ["provider", "emulator", "tests/model", "scripts/fuzz.ts", "package.json", "schema.json", "tsconfig.json"];

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    runs: { type: "string" },
    seed: { type: "string", default: String(CI_SEED) },
  },
});

interface Outcome {
  readonly failed: boolean;
  readonly sequences: number;
  readonly seconds: number;
  readonly promise?: string;
  readonly profile?: string;
}

/** Runs the model against a copy of the sources with `mutation` applied. */
function runMutant(mutation: Mutation): Outcome {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mutant-${mutation.name}-`));
  try {
    for (const entry of COPIED) fs.cpSync(path.join(REPO, entry), path.join(dir, entry), { recursive: true });
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
    applyMutation(dir, mutation);
    const budget = values.runs === undefined ? [] : ["--runs", values.runs];
    const run = spawnSync(path.join(REPO, "node_modules", ".bin", "ts-node"), ["-T", "scripts/fuzz.ts", "--json", "--seed", values.seed, ...budget], {
      cwd: dir, encoding: "utf8", timeout: 20 * 60 * 1000,
    });
    const line = run.stdout.trim().split("\n").pop() ?? "";
    try {
      return JSON.parse(line) as Outcome;
    } catch {
      throw new Error(`the model did not run for ${mutation.name} (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const chosen = MUTATIONS.filter((m) => values.only === undefined || m.name === values.only);
  if (chosen.length === 0) throw new Error(`no mutation named ${values.only}; known: ${MUTATIONS.map((m) => m.name).join(", ")}`);
  console.log(`mutants: ${chosen.length} mutation(s), model budget ${values.runs ?? "CI's"} sequences, seed ${values.seed}\n`);
  console.log("| mutation | defect | caught after (sequences) | profile | promise that broke | seconds |");
  console.log("|---|---|---|---|---|---|");
  let survivors = 0;
  for (const mutation of chosen) {
    const outcome = runMutant(mutation);
    if (!outcome.failed) survivors++;
    const caught = outcome.failed ? String(outcome.sequences) : `NOT CAUGHT in ${outcome.sequences}`;
    console.log(`| \`${mutation.name}\` | ${mutation.defect} | ${caught} | ${outcome.profile ?? ""} | ${outcome.promise ?? ""} | ${outcome.seconds} |`);
  }
  if (survivors > 0) {
    console.log(`\nmutants: ${survivors} mutation(s) survived the model`);
    process.exitCode = 1;
  }
}

main();
