/**
 * The benchmark: the package installed with `npm pack` into the bench program
 * (`examples/bench`), run through the real Pulumi engine against the in-process emulator.
 * Every figure is a measurement of this run; nothing is asserted here (see `bench-report.ts`
 * for the goals, and `scripts/bench.ts` for the command line). The measurements live in
 * bench-create, bench-calls, bench-fleet, bench-tokens and bench-limited.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { findEngine, REPO_ROOT } from "./engine";
import { installPackedProgram, repoVersionOf } from "./packed-install";
import { PulumiCli } from "./pulumi-cli";
import { PeakRssSampler } from "./bench-proc";
import { startBenchEmulator } from "./bench-emulator";
import { BenchStacks } from "./bench-stacks";
import { floorRate, measureCreate, warmUp, type BenchContext } from "./bench-create";
import { measureCalls } from "./bench-calls";
import { measureFleet } from "./bench-fleet";
import { measureTokens } from "./bench-tokens";
import { measureLimited } from "./bench-limited";
import type { BenchOptions, BenchResults, CreateResult, FleetResult, LimitedResult } from "./bench-types";

export type * from "./bench-types";

function loadAverage(): string {
  return os.loadavg().map((value) => value.toFixed(2)).join(" ");
}

function machine(engineVersion: string, loadAtStart: string): Record<string, string | number> {
  const cpus = os.cpus();
  return {
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadAverage(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    pulumi: engineVersion,
    pulumiNodejsSdk: repoVersionOf("@pulumi/pulumi"),
  };
}

/** Runs the benchmark; throws when a run that must succeed fails. */
export async function runBenchmark(options: BenchOptions): Promise<BenchResults> {
  const say = options.progress ?? (() => {});
  const begin = performance.now();
  const startedAt = new Date().toISOString();
  const loadAtStart = loadAverage();
  const engineBin = await findEngine({ showProgress: options.progress !== undefined });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "turnstile-bench-"));
  try {
    say(`work directory ${workDir}`);
    say("npm pack + install into the bench program's node_modules ...");
    const app = installPackedProgram({ workDir, example: "bench", dirName: "bench" });
    // The floor's `module` form, installed for real (not linked), as the package itself is.
    fs.cpSync(path.join(REPO_ROOT, "examples", "bench", "noop-provider"), path.join(app, "node_modules", "bench-noop-provider"), { recursive: true });
    const cli = new PulumiCli({ engineBin, workDir, passphrase: "bench-passphrase" });
    const engineVersion = (await cli.run(["version"], app)).stdout.trim();
    const stacks = new BenchStacks(cli, app, new PeakRssSampler(workDir), options.parallel);
    const ctx: BenchContext = { stacks, floorForm: "inline", repeat: options.repeat, say };
    const floor = await warmUp(ctx, options.floor);
    say(`the package's serialized provider: ${floor.packageProviderBytes} bytes; floor provider form: ${floor.form}`);

    const create: CreateResult[] = [];
    for (const n of options.sizes) {
      const emulator = await startBenchEmulator();
      try {
        const result = await measureCreate(ctx, emulator, n);
        create.push(result);
        say(`create N=${n}: rotation ${result.rotationSeconds.toFixed(2)} s, floor ${result.floorSeconds.toFixed(2)} s, ratio ${result.ratio.toFixed(2)}`);
      } finally {
        await emulator.stop();
      }
    }
    const calls = await measureCalls(ctx, options.callsSize);
    const fleet: FleetResult[] = [];
    for (const n of options.fleetSizes) fleet.push(await measureFleet(ctx, n, options.latenciesMs, options.wideParallel));
    const tokens = options.tokensSize > 0 ? await measureTokens(ctx, options.tokensSize) : undefined;

    const limited: LimitedResult[] = [];
    if (options.limitedSize > 0) {
      const n = options.limitedSize;
      const rate = create.find((c) => c.n === n)?.floorOpsPerSecond ?? (await floorRate(ctx, n));
      const { requests, windowSeconds } = options.serverLimit;
      // As configured for an account whose limit is known (the default is Cloudflare's).
      limited.push(await measureLimited(ctx, n, options.serverLimit, "client limit = server limit", `${requests}/${windowSeconds}`, rate));
      // A client that believes in a looser limit than the server's: only the 429s rein it in.
      limited.push(await measureLimited(ctx, n, options.serverLimit, "client unaware (default)", undefined, rate));
    }

    const { progress: _progress, ...recorded } = options;
    return {
      startedAt,
      machine: machine(engineVersion, loadAtStart),
      floor,
      options: recorded,
      create,
      calls,
      fleet,
      ...(tokens ? { tokens } : {}),
      limited,
      totalSeconds: (performance.now() - begin) / 1000,
    };
  } finally {
    if (options.keep) say(`kept ${workDir}`);
    else fs.rmSync(workDir, { recursive: true, force: true });
  }
}
