/**
 * `npm run bench [-- flags]`: the performance benchmark (docs/performance.md). Installs the package the way
 * users do (`npm pack`), runs the bench program through the real Pulumi engine against the
 * in-process emulator, prints Markdown tables and writes them as JSON.
 *
 *   --sizes 1,10,100,300   N of the create measurement (rotation beside the do-nothing floor)
 *   --detail N             N of no-change up/preview, rotation of all, state size (default 100)
 *   --limited N            N of the run against the low emulator rate limit (default: largest size; 0 skips)
 *   --server-limit 20/1    the emulator's limit for that run, requests/seconds
 *   --parallel P           pulumi up --parallel (default 8, the engine's default on 2 cores)
 *   --repeat K             repetitions of each create measurement, medians reported (default 3)
 *   --floor auto           the floor's provider form: inline, module, or auto (the one closer in size
 *                          to the package's serialized provider, measured in the warm-up run)
 *   --quick                tiny sizes, one repetition (CI smoke; figures are not meaningful)
 *   --out FILE             JSON output (default .bench/results.json)
 *   --keep                 keep the work directory
 *   --check                exit 1 when a goal is not met (the default only prints them)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "./lib/engine";
import { runBenchmark, type BenchOptions } from "./lib/bench-runner";
import { goals, renderReport } from "./lib/bench-report";

function positiveIntegers(flag: string, text: string): number[] {
  const values = text.split(",").map((part) => Number(part.trim()));
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new Error(`--${flag} needs positive integers separated by commas, not ${JSON.stringify(text)}`);
  }
  return values;
}

function integer(flag: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${flag} needs an integer >= ${min}, not ${JSON.stringify(text)}`);
  return value;
}

/** Parses the command line into benchmark options plus the output file. */
export function parseBenchArgs(argv: string[]): { options: BenchOptions; out: string; check: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: "string" },
      detail: { type: "string" },
      limited: { type: "string" },
      "server-limit": { type: "string" },
      parallel: { type: "string" },
      repeat: { type: "string" },
      floor: { type: "string", default: "auto" },
      quick: { type: "boolean", default: false },
      out: { type: "string" },
      keep: { type: "boolean", default: false },
      check: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const quick = values.quick ?? false;
  const sizes = values.sizes ? positiveIntegers("sizes", values.sizes) : quick ? [2] : [1, 10, 100, 300];
  const largest = Math.max(...sizes);
  const serverLimitText = values["server-limit"] ?? "20/1";
  const limit = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(serverLimitText);
  if (!limit || Number(limit[1]) < 1 || Number(limit[2]) <= 0) throw new Error(`--server-limit needs <requests>/<seconds>, e.g. 20/1, not ${JSON.stringify(serverLimitText)}`);
  const floor = values.floor ?? "auto";
  if (floor !== "auto" && floor !== "inline" && floor !== "module") throw new Error(`--floor must be auto, inline or module, not ${JSON.stringify(floor)}`);
  const options: BenchOptions = {
    sizes,
    detailSize: integer("detail", values.detail, quick ? largest : sizes.includes(100) ? 100 : largest, 1),
    limitedSize: integer("limited", values.limited, largest, 0),
    serverLimit: { requests: Number(limit[1]), windowSeconds: Number(limit[2]) },
    parallel: integer("parallel", values.parallel, 8, 1),
    repeat: integer("repeat", values.repeat, quick ? 1 : 3, 1),
    floor,
    keep: values.keep ?? false,
  };
  const out = path.resolve(REPO_ROOT, values.out ?? path.join(".bench", "results.json"));
  return { options, out, check: values.check ?? false };
}

async function main(): Promise<void> {
  const { options, out, check } = parseBenchArgs(process.argv.slice(2));
  const results = await runBenchmark({ ...options, progress: (line) => process.stderr.write(`bench: ${line}\n`) });
  const report = renderReport(results);
  process.stdout.write(`\n${report}`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ ...results, goals: goals(results), report }, null, 2) + "\n");
  process.stderr.write(`bench: results written to ${path.relative(process.cwd(), out) || out}\n`);
  if (check && goals(results).some((goal) => goal.met === false)) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
