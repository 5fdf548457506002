/**
 * `npm run bench [-- flags]`: the performance benchmark (docs/performance.md). Installs the package the
 * way users do (`npm pack`), runs the bench program through the real Pulumi engine against the
 * in-process emulator, prints Markdown tables, writes them as JSON and the fleet plot as SVG.
 *
 *   --sizes 1,10,100,300    N of the create measurement (rotation beside the do-nothing floors)
 *   --fleet 100,300,1000    N of the fleet measurement (create, no-change, rotate all, refresh)
 *   --latencies 0,100,300   ms injected on every API request for the fleet's rotations of all
 *   --calls N               N of the API-calls-per-operation measurement (default 10)
 *   --tokens N              widgets per token of the two-token run (default 300; 0 skips)
 *   --limited N             N of the run against the low emulator rate limit (default 300; 0 skips)
 *   --server-limit 20/1     the emulator's limit for that run, requests/seconds
 *   --parallel P            pulumi up --parallel (default 8, the engine's default on 2 cores)
 *   --wide-parallel P       pulumi up --parallel of the fleet's rotations at 300 ms and more (default 32)
 *   --repeat K              repetitions of each create measurement, medians reported (default 3)
 *   --floor auto            the floor's provider form: inline, module, or auto (the one closer in size
 *                           to the package's serialized provider, measured in the warm-up run)
 *   --quick                 tiny sizes, one repetition (CI smoke: correctness only, never timing)
 *   --out FILE              JSON output (default .bench/results.json)
 *   --plot FILE             SVG plot (default .bench/fleet.svg)
 *   --keep                  keep the work directory
 *   --check                 exit 1 when a goal is not met (the default only prints them)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "./lib/engine";
import { runBenchmark, type BenchOptions } from "./lib/bench-runner";
import { goals, renderReport } from "./lib/bench-report";
import { fleetSeries, renderPlot } from "./lib/bench-plot";

function integers(flag: string, text: string, min = 1): number[] {
  const values = text.split(",").map((part) => Number(part.trim()));
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < min)) {
    throw new Error(`--${flag} needs integers >= ${min} separated by commas, not ${JSON.stringify(text)}`);
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
      fleet: { type: "string" },
      latencies: { type: "string" },
      calls: { type: "string" },
      tokens: { type: "string" },
      limited: { type: "string" },
      "server-limit": { type: "string" },
      parallel: { type: "string" },
      "wide-parallel": { type: "string" },
      repeat: { type: "string" },
      floor: { type: "string", default: "auto" },
      quick: { type: "boolean", default: false },
      out: { type: "string" },
      plot: { type: "string" },
      keep: { type: "boolean", default: false },
      check: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const quick = values.quick ?? false;
  // --quick exercises every measurement, latency injection included, at sizes where timing means nothing.
  const sizes = values.sizes ? integers("sizes", values.sizes) : quick ? [2] : [1, 10, 100, 300];
  const fleetSizes = values.fleet ? integers("fleet", values.fleet) : quick ? [2, 3] : [100, 300, 1000];
  const latenciesMs = values.latencies ? integers("latencies", values.latencies, 0) : quick ? [0, 20] : [0, 100, 300];
  const serverLimitText = values["server-limit"] ?? "20/1";
  const limit = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(serverLimitText);
  if (!limit || Number(limit[1]) < 1 || Number(limit[2]) <= 0) throw new Error(`--server-limit needs <requests>/<seconds>, e.g. 20/1, not ${JSON.stringify(serverLimitText)}`);
  const floor = values.floor ?? "auto";
  if (floor !== "auto" && floor !== "inline" && floor !== "module") throw new Error(`--floor must be auto, inline or module, not ${JSON.stringify(floor)}`);
  const options: BenchOptions = {
    sizes,
    fleetSizes,
    latenciesMs,
    callsSize: integer("calls", values.calls, quick ? 2 : 10, 1),
    tokensSize: integer("tokens", values.tokens, quick ? 2 : 300, 0),
    limitedSize: integer("limited", values.limited, quick ? 2 : 300, 0),
    serverLimit: { requests: Number(limit[1]), windowSeconds: Number(limit[2]) },
    parallel: integer("parallel", values.parallel, 8, 1),
    wideParallel: integer("wide-parallel", values["wide-parallel"], 32, 1),
    repeat: integer("repeat", values.repeat, quick ? 1 : 3, 1),
    floor,
    plot: path.resolve(REPO_ROOT, values.plot ?? path.join(".bench", "fleet.svg")),
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
  if (options.plot) {
    fs.mkdirSync(path.dirname(options.plot), { recursive: true });
    fs.writeFileSync(options.plot, renderPlot("Rotating all N widgets: measured, bound and floor", fleetSeries(results.fleet)));
    process.stderr.write(`bench: plot written to ${path.relative(process.cwd(), options.plot) || options.plot}\n`);
  }
  if (check && goals(results).some((goal) => goal.met === false)) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
