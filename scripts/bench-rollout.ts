/**
 * `npm run bench:rollout [-- flags]`: `turnstile-rotation rollout` next to the same `pulumi up`s
 * run by hand (docs/performance.md, "Rolling out to consumers"). Prints a Markdown table and
 * writes the figures as JSON.
 *
 *   --consumers N   consumer stacks (default 20)
 *   --parallel P    stacks updated at once, by the command and by hand (default 4)
 *   --repeat K      rounds of each side, alternating; medians reported (default 2)
 *   --out FILE      JSON output (default .bench/rollout.json)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "./lib/engine";
import { renderRolloutBench, runRolloutBench, type RolloutBenchOptions } from "./lib/bench-rollout";

function positive(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${flag} needs an integer >= 1, not ${JSON.stringify(text)}`);
  return value;
}

/** Parses the command line. */
export function parseRolloutBenchArgs(argv: string[]): { options: RolloutBenchOptions; out: string } {
  const { values } = parseArgs({
    args: argv,
    options: { consumers: { type: "string" }, parallel: { type: "string" }, repeat: { type: "string" }, out: { type: "string" } },
    strict: true,
    allowPositionals: false,
  });
  return {
    options: { consumers: positive("consumers", values.consumers, 20), parallel: positive("parallel", values.parallel, 4), repeat: positive("repeat", values.repeat, 2) },
    out: path.resolve(values.out ?? path.join(REPO_ROOT, ".bench", "rollout.json")),
  };
}

async function main(): Promise<void> {
  const { options, out } = parseRolloutBenchArgs(process.argv.slice(2));
  const started = Date.now();
  const result = await runRolloutBench(options, (line) => console.error(`bench: ${line}`));
  const table = renderRolloutBench(result);
  console.log(table);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify({ ...result, table, totalSeconds: (Date.now() - started) / 1000 }, null, 2)}\n`);
  console.error(`bench: written to ${out} (${((Date.now() - started) / 1000).toFixed(0)} s in all)`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
