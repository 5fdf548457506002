/**
 * The benchmark: the package installed with `npm pack` into the bench program
 * (`examples/bench`), run through the real Pulumi engine against the in-process emulator.
 * Every figure is a measurement of this run; nothing is asserted here (see `bench-report.ts`
 * for the goals, and `scripts/bench.ts` for the command line).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { findEngine, REPO_ROOT } from "./engine";
import { installPackedProgram, repoVersionOf } from "./packed-install";
import { PulumiCli } from "./pulumi-cli";
import { PeakRssSampler } from "./bench-proc";
import { requestKind, startBenchEmulator, type BenchEmulator, type LoggedRequest } from "./bench-emulator";
import { DEFAULT_RATE_LIMIT, RATE_LIMIT_ENV } from "../../provider/cloudflare/rate-limiter";

/** What to measure. */
export interface BenchOptions {
  /** Sizes N of the create measurement (rotation beside the do-nothing floor). */
  readonly sizes: readonly number[];
  /** N of the no-change up/preview, the rotation of all, and the state size. */
  readonly detailSize: number;
  /** N of the run against a low emulator rate limit (0: skipped). */
  readonly limitedSize: number;
  /** The emulator's limit for that run. */
  readonly serverLimit: { readonly requests: number; readonly windowSeconds: number };
  /** `pulumi up --parallel` for every run. */
  readonly parallel: number;
  /** Each create measurement is repeated this often (fresh stacks and widgets); medians are reported. */
  readonly repeat: number;
  /**
   * Form of the floor's provider: `inline` (seven hooks serialized by value, ~1.8 KB) or `module`
   * (an installed module, serialized as a `require`, ~0.3 KB). `auto` picks the form closer to the
   * package's own serialized provider, measured in an untimed warm-up run, so the floor is fair.
   */
  readonly floor: "auto" | "inline" | "module";
  /** Keep the work directory (stacks, program) for inspection. */
  readonly keep?: boolean;
  /** Progress lines. */
  readonly progress?: (line: string) => void;
}

/** One `pulumi` run. */
export interface Timed {
  readonly seconds: number;
  /** Peak RSS (VmHWM) of the dynamic-provider process, bytes; undefined without /proc. */
  readonly providerPeakRssBytes?: number;
}

/** The figures every measurement of the rotation beside its floors reports. */
export interface MeasuredSize {
  readonly n: number;
  readonly floorSeconds: number;
  /** The floor that also declares and fills the rotation's other outputs. */
  readonly mirrorSeconds: number;
  readonly rotationSeconds: number;
  /** rotationSeconds / floorSeconds (medians): the headline figure. */
  readonly ratio: number;
  /** rotationSeconds / mirrorSeconds: what the package's code costs beyond its outputs. */
  readonly mirrorRatio: number;
}

/** Create measurement at one size. */
export interface CreateResult extends MeasuredSize {
  readonly runs: ReadonlyArray<{ floor: Timed; mirror: Timed; rotation: Timed }>;
  /** Operations per second between the first and the last operation of the run (median). */
  readonly floorOpsPerSecond?: number;
  readonly rotationOpsPerSecond?: number;
  readonly floorPeakRssBytes?: number;
  readonly rotationPeakRssBytes?: number;
  /** API calls of one rotation run, by kind. */
  readonly apiCalls: Record<string, number>;
}

/** A run of both stacks at the detail size. */
export interface PairResult extends MeasuredSize {
  readonly apiCalls: number;
  readonly apiCallsByKind: Record<string, number>;
  readonly rotationPeakRssBytes?: number;
}

/** State size in the packed-install layout. */
export interface StateResult {
  readonly n: number;
  /** Compact JSON of one resource in `pulumi stack export`, averaged. */
  readonly bytesPerResource: number;
  /** The serialized provider's size; the state holds it twice per resource (inputs and outputs). */
  readonly providerBytes: number;
  /** Everything but the two provider copies, averaged. */
  readonly otherBytesPerResource: number;
  /** The same for the do-nothing floor resource. */
  readonly floorBytesPerResource: number;
  readonly floorProviderBytes: number;
  readonly mirrorBytesPerResource: number;
  readonly mirrorProviderBytes: number;
  /** The checkpoint file on disk divided by N (the file backend writes indented JSON). */
  readonly checkpointBytesPerResource?: number;
}

/** The run against a low rate limit. */
export interface LimitedResult {
  readonly n: number;
  readonly variant: string;
  /** The client-side limit the provider process ran with. */
  readonly clientLimit: string;
  /** Whether the client was configured with the server's limit. */
  readonly clientLimitMatchesServer: boolean;
  readonly serverLimitPerSecond: number;
  readonly seconds: number;
  readonly exitCode: number;
  readonly rotations: number;
  readonly failures: number;
  readonly rejected429: number;
  readonly rotationsPerSecond: number;
  readonly floorOpsPerSecond?: number;
  /** 80 % of the lower of the server's limit and the floor's rate. */
  readonly targetPerSecond: number;
}

export interface BenchResults {
  readonly startedAt: string;
  /** The floor's provider form used, and the package's serialized provider size that chose it. */
  readonly floor: { readonly form: "inline" | "module"; readonly packageProviderBytes: number; readonly inlineBytes: number; readonly moduleBytes: number };
  readonly machine: Record<string, string | number>;
  readonly options: Omit<BenchOptions, "progress">;
  readonly create: CreateResult[];
  readonly noChangeUp?: PairResult;
  readonly noChangePreview?: PairResult;
  readonly rotateAll?: PairResult;
  readonly state?: StateResult;
  readonly limited: LimitedResult[];
  readonly totalSeconds: number;
}

const GRACE_SECONDS = 2 * 60 * 60;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function medianOf(values: ReadonlyArray<number | undefined>): number | undefined {
  const known = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  return known.length === 0 ? undefined : median(known);
}

function maxOf(values: ReadonlyArray<number | undefined>): number | undefined {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length === 0 ? undefined : Math.max(...known);
}

/** Operations per second between the first and the last of `times` (ms); undefined below 2. */
function opsPerSecond(times: readonly number[]): number | undefined {
  if (times.length < 2) return undefined;
  const span = Math.max(...times) - Math.min(...times);
  return span > 0 ? ((times.length - 1) * 1000) / span : undefined;
}

interface ExportedResource {
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

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
    // Transpile-only: the benchmark times the engine and the provider, and type checking the same
    // unchanged program on every run would add seconds of tsc to each timing (and to the floor's),
    // hiding the differences it measures. The e2e suites type-check, as users' runs do.
    const cli = new PulumiCli({ engineBin, workDir, passphrase: "bench-passphrase", env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } });
    const engineVersion = (await cli.run(["version"], app)).stdout.trim();
    const sampler = new PeakRssSampler(workDir);
    const bench = new Bench(cli, app, sampler, options);
    const floor = await bench.warmUp();
    say(`the package's serialized provider: ${floor.packageProviderBytes} bytes; floor provider form: ${floor.form}`);

    const create: CreateResult[] = [];
    const results: {
      noChangeUp?: PairResult; noChangePreview?: PairResult; rotateAll?: PairResult; state?: StateResult;
    } = {};
    for (const n of options.sizes) {
      const emulator = await startBenchEmulator();
      try {
        const { result, last } = await bench.create(emulator, n);
        create.push(result);
        say(`N=${n}: rotation ${result.rotationSeconds.toFixed(2)} s, floor ${result.floorSeconds.toFixed(2)} s, ratio ${result.ratio.toFixed(2)}`);
        if (n === options.detailSize) Object.assign(results, await bench.details(emulator, n, last));
      } finally {
        await emulator.stop();
      }
    }
    if (!options.sizes.includes(options.detailSize)) {
      const emulator = await startBenchEmulator();
      try {
        const { last } = await bench.create(emulator, options.detailSize, 1);
        Object.assign(results, await bench.details(emulator, options.detailSize, last));
      } finally {
        await emulator.stop();
      }
    }

    const limited: LimitedResult[] = [];
    if (options.limitedSize > 0) {
      let floorRate = create.find((c) => c.n === options.limitedSize)?.floorOpsPerSecond;
      if (floorRate === undefined) floorRate = await bench.floorRate(options.limitedSize);
      const { requests, windowSeconds } = options.serverLimit;
      // As configured for an account whose limit is known (the default is Cloudflare's).
      limited.push(await bench.limited(options.limitedSize, "client limit = server limit", `${requests}/${windowSeconds}`, floorRate));
      // A client that believes in a looser limit than the server's: only the 429s rein it in.
      limited.push(await bench.limited(options.limitedSize, "client unaware (default)", undefined, floorRate));
    }

    const { progress: _progress, ...recorded } = options;
    return {
      startedAt,
      machine: machine(engineVersion, loadAtStart),
      floor,
      options: recorded,
      create,
      ...results,
      limited,
      totalSeconds: (performance.now() - begin) / 1000,
    };
  } finally {
    if (options.keep) say(`kept ${workDir}`);
    else fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/** The stacks of one measurement. */
interface StackPair {
  readonly floor: string;
  readonly mirror: string;
  readonly rotation: string;
}

class Bench {
  #stackCount = 0;
  #floorForm: "inline" | "module" = "inline";

  constructor(
    private readonly cli: PulumiCli,
    private readonly app: string,
    private readonly sampler: PeakRssSampler,
    private readonly options: BenchOptions,
  ) {}

  private say(line: string): void {
    this.options.progress?.(line);
  }

  private env(emulator: BenchEmulator, extra: Record<string, string> = {}): Record<string, string> {
    // The credentials reach the provider through the environment only; they are never printed.
    // The limiter runs with its default unless a run says otherwise, whatever the caller's shell holds.
    return { CLOUDFLARE_API_TOKEN: emulator.running.apiToken, CLOUDFLARE_BASE_URL: emulator.running.baseUrl, [RATE_LIMIT_ENV]: "", ...extra };
  }

  /** A fresh stack with plain config. */
  private async stack(prefix: string, config: Record<string, string>): Promise<string> {
    this.#stackCount += 1;
    const name = `${prefix}-${this.#stackCount}`;
    await this.cli.run(["stack", "init", name], this.app);
    const pairs = Object.entries(config).flatMap(([key, value]) => ["--plaintext", `bench:${key}=${value}`]);
    await this.cli.run(["config", "set-all", "--stack", name, ...pairs], this.app);
    return name;
  }

  private async setConfig(stack: string, key: string, value: string): Promise<void> {
    await this.cli.run(["config", "set", "--stack", stack, `bench:${key}`, value], this.app);
  }

  /** Runs `pulumi <args>` on a stack, timing it and sampling the provider's memory. */
  private async timed(args: string[], stack: string, env: Record<string, string>, allowFailure = false): Promise<Timed & { code: number; stdout: string }> {
    this.sampler.start();
    const start = performance.now();
    const result = await this.cli.run([...args, "--stack", stack], this.app, { env, allowFailure }).catch((error: unknown) => {
      this.sampler.stop();
      throw error;
    });
    const seconds = (performance.now() - start) / 1000;
    const peak = this.sampler.stop();
    return { seconds, providerPeakRssBytes: peak, code: result.code, stdout: result.stdout };
  }

  private up(stack: string, env: Record<string, string>, allowFailure = false) {
    return this.timed(["up", "--yes", "--skip-preview", "--parallel", String(this.options.parallel)], stack, env, allowFailure);
  }

  private async exported(stack: string): Promise<ExportedResource[]> {
    const { stdout } = await this.cli.run(["stack", "export", "--stack", stack], this.app);
    return (JSON.parse(stdout) as { deployment: { resources?: ExportedResource[] } }).deployment.resources ?? [];
  }

  /** The engine's own rate for do-nothing creates: from the `createdAt` each create recorded. */
  private async floorOpsPerSecond(stack: string): Promise<number | undefined> {
    const times = (await this.exported(stack))
      .filter((r) => r.type.endsWith(":NoopRotation"))
      .map((r) => Number(r.outputs?.createdAt))
      .filter((t) => Number.isFinite(t));
    return opsPerSecond(times);
  }

  /** The config of a floor stack of N resources of `shape`. */
  private floorConfig(n: number, accountId: string, shape: "minimal" | "mirror"): Record<string, string> {
    return { kind: "noop", count: String(n), accountId, rotationTrigger: "1", floorProvider: this.#floorForm, floorShape: shape };
  }

  /**
   * Creates N rotations, N do-nothing resources and N do-nothing resources of the rotation's
   * shape, `repeat` times on fresh stacks and widgets, changing which goes first each time.
   */
  async create(emulator: BenchEmulator, n: number, repeat = this.options.repeat): Promise<{ result: CreateResult; last: StackPair }> {
    const runs: Array<{ floor: Timed; mirror: Timed; rotation: Timed }> = [];
    const floorRates: Array<number | undefined> = [];
    const rotationRates: Array<number | undefined> = [];
    let apiCalls: Record<string, number> = {};
    let last: StackPair | undefined;
    for (let rep = 0; rep < repeat; rep += 1) {
      const accountId = emulator.running.accountId;
      const sitekeys = emulator.createWidgets(n);
      const stacks: StackPair = {
        floor: await this.stack(`floor-${n}`, this.floorConfig(n, accountId, "minimal")),
        mirror: await this.stack(`mirror-${n}`, this.floorConfig(n, accountId, "mirror")),
        rotation: await this.stack(`rotation-${n}`, { kind: "rotation", count: String(n), accountId, rotationTrigger: "1", sitekeys: sitekeys.join(",") }),
      };
      const env = this.env(emulator);
      const timings: Partial<Record<keyof StackPair, Timed>> = {};
      const run = {
        floor: async () => (timings.floor = strip(await this.up(stacks.floor, env))),
        mirror: async () => (timings.mirror = strip(await this.up(stacks.mirror, env))),
        rotation: async () => {
          const since = emulator.log.length;
          timings.rotation = strip(await this.up(stacks.rotation, env));
          const rotations = emulator.log.slice(since).filter((r) => r.path.endsWith("/rotate_secret") && r.status === 200);
          if (rotations.length !== n) throw new Error(`expected ${n} rotations, the emulator served ${rotations.length}`);
          rotationRates.push(opsPerSecond(rotations.map((r) => r.arrivedMs)));
          apiCalls = emulator.callsSince(since).byKind;
        },
      };
      this.say(`N=${n} run ${rep + 1}/${repeat} ...`);
      const orders: Array<Array<keyof StackPair>> = [["floor", "mirror", "rotation"], ["rotation", "floor", "mirror"], ["mirror", "rotation", "floor"]];
      for (const which of orders[rep % orders.length]) await run[which]();
      floorRates.push(await this.floorOpsPerSecond(stacks.floor));
      runs.push({ floor: timings.floor!, mirror: timings.mirror!, rotation: timings.rotation! });
      last = stacks;
    }
    const floorSeconds = median(runs.map((r) => r.floor.seconds));
    const mirrorSeconds = median(runs.map((r) => r.mirror.seconds));
    const rotationSeconds = median(runs.map((r) => r.rotation.seconds));
    return {
      last: last!,
      result: {
        n, floorSeconds, mirrorSeconds, rotationSeconds,
        ratio: rotationSeconds / floorSeconds, mirrorRatio: rotationSeconds / mirrorSeconds, runs,
        floorOpsPerSecond: medianOf(floorRates),
        rotationOpsPerSecond: medianOf(rotationRates),
        floorPeakRssBytes: maxOf(runs.map((r) => r.floor.providerPeakRssBytes)),
        rotationPeakRssBytes: maxOf(runs.map((r) => r.rotation.providerPeakRssBytes)),
        apiCalls,
      },
    };
  }

  /**
   * An untimed first run of each kind (loads the engine, plugins and modules into the disk cache),
   * which also measures the package's serialized provider to choose the floor's form.
   */
  async warmUp(): Promise<BenchResults["floor"]> {
    this.say("warm-up (untimed) ...");
    const emulator = await startBenchEmulator();
    try {
      const [sitekey] = emulator.createWidgets(1);
      const rotation = await this.stack("warmup-rotation", { kind: "rotation", count: "1", accountId: emulator.running.accountId, rotationTrigger: "1", sitekeys: sitekey });
      await this.up(rotation, this.env(emulator));
      const resource = (await this.exported(rotation)).find((r) => r.type.endsWith(":TurnstileSecretRotation"));
      const packageProviderBytes = Buffer.byteLength(String(resource?.inputs?.__provider ?? ""));
      const inline = await this.stack("warmup-floor-inline", { kind: "noop", count: "1", accountId: emulator.running.accountId, rotationTrigger: "1", floorProvider: "inline" });
      await this.up(inline, {});
      const module = await this.stack("warmup-floor-module", { kind: "noop", count: "1", accountId: emulator.running.accountId, rotationTrigger: "1", floorProvider: "module" });
      await this.up(module, {});
      const sizes = { inline: await this.providerBytes(inline), module: await this.providerBytes(module) };
      const closer = Math.abs(sizes.inline - packageProviderBytes) <= Math.abs(sizes.module - packageProviderBytes) ? "inline" : "module";
      this.#floorForm = this.options.floor === "auto" ? closer : this.options.floor;
      return { form: this.#floorForm, packageProviderBytes, inlineBytes: sizes.inline, moduleBytes: sizes.module };
    } finally {
      await emulator.stop();
    }
  }

  private async providerBytes(stack: string): Promise<number> {
    const resource = (await this.exported(stack)).find((r) => r.type.endsWith(":NoopRotation"));
    return Buffer.byteLength(String(resource?.inputs?.__provider ?? ""));
  }

  /** The engine's do-nothing rate at N, when the create measurement did not run at that size. */
  async floorRate(n: number): Promise<number | undefined> {
    const stack = await this.stack(`floor-${n}`, this.floorConfig(n, "0".repeat(32), "minimal"));
    await this.up(stack, {});
    return this.floorOpsPerSecond(stack);
  }

  /** No-change up and preview, the rotation of all, and the state size, on the stacks of `pair`. */
  async details(emulator: BenchEmulator, n: number, pair: StackPair): Promise<{ noChangeUp: PairResult; noChangePreview: PairResult; rotateAll: PairResult; state: StateResult }> {
    const env = this.env(emulator);
    const both = async (what: string, args: string[]): Promise<PairResult> => {
      this.say(`N=${n}: ${what} ...`);
      const floor = await this.timed(args, pair.floor, env);
      const mirror = await this.timed(args, pair.mirror, env);
      const since = emulator.log.length;
      const rotation = await this.timed(args, pair.rotation, env);
      const calls = emulator.callsSince(since);
      return {
        n, floorSeconds: floor.seconds, mirrorSeconds: mirror.seconds, rotationSeconds: rotation.seconds,
        ratio: rotation.seconds / floor.seconds, mirrorRatio: rotation.seconds / mirror.seconds,
        apiCalls: calls.total, apiCallsByKind: calls.byKind, rotationPeakRssBytes: rotation.providerPeakRssBytes,
      };
    };
    const state = await this.state(n, pair);
    const upArgs = ["up", "--yes", "--skip-preview", "--parallel", String(this.options.parallel)];
    const noChangeUp = await both("no-change up", upArgs);
    const noChangePreview = await both("no-change preview", ["preview", "--parallel", String(this.options.parallel)]);
    // Cloudflare refuses a rotation within 2 hours of the last one: move the emulator's clock on.
    emulator.running.advanceClock(GRACE_SECONDS + 60);
    await this.setConfig(pair.floor, "rotationTrigger", "2");
    await this.setConfig(pair.mirror, "rotationTrigger", "2");
    await this.setConfig(pair.rotation, "rotationTrigger", "2");
    const rotateAll = await both("rotation of all (trigger change)", upArgs);
    const rotated = rotateAll.apiCallsByKind["POST rotate_secret"] ?? 0;
    if (rotated !== n) throw new Error(`the trigger change should rotate ${n} widgets, the emulator served ${rotated} rotations`);
    return { noChangeUp, noChangePreview, rotateAll, state };
  }

  private async state(n: number, pair: StackPair): Promise<StateResult> {
    const measure = (resources: ExportedResource[], type: string) => {
      const mine = resources.filter((r) => r.type.endsWith(type));
      if (mine.length === 0) throw new Error(`no ${type} in the state`);
      const sizes = mine.map((r) => Buffer.byteLength(JSON.stringify(r)));
      const providers = mine.map((r) => Buffer.byteLength(String(r.inputs?.__provider ?? "")));
      const bytes = sizes.reduce((a, b) => a + b, 0) / mine.length;
      const provider = providers.reduce((a, b) => a + b, 0) / mine.length;
      return { bytes: Math.round(bytes), provider: Math.round(provider) };
    };
    const rotation = measure(await this.exported(pair.rotation), ":TurnstileSecretRotation");
    const floor = measure(await this.exported(pair.floor), ":NoopRotation");
    const mirror = measure(await this.exported(pair.mirror), ":NoopRotation");
    const checkpoint = findCheckpoint(this.cli.backendDir, pair.rotation);
    return {
      n,
      bytesPerResource: rotation.bytes,
      providerBytes: rotation.provider,
      otherBytesPerResource: rotation.bytes - 2 * rotation.provider,
      floorBytesPerResource: floor.bytes,
      floorProviderBytes: floor.provider,
      mirrorBytesPerResource: mirror.bytes,
      mirrorProviderBytes: mirror.provider,
      ...(checkpoint ? { checkpointBytesPerResource: Math.round(fs.statSync(checkpoint).size / n) } : {}),
    };
  }

  /** N rotations against the emulator's low limit, with the given client-side limit (undefined: default). */
  async limited(n: number, variant: string, clientLimit: string | undefined, floorRate: number | undefined): Promise<LimitedResult> {
    const emulator = await startBenchEmulator();
    try {
      const { requests, windowSeconds } = this.options.serverLimit;
      emulator.setRateLimit(requests, windowSeconds);
      const sitekeys = emulator.createWidgets(n);
      const stack = await this.stack(`limited-${n}`, { kind: "rotation", count: String(n), accountId: emulator.running.accountId, rotationTrigger: "1", sitekeys: sitekeys.join(",") });
      this.say(`N=${n} against ${requests} requests per ${windowSeconds} s, ${variant} ...`);
      const env = this.env(emulator, clientLimit ? { [RATE_LIMIT_ENV]: clientLimit } : {});
      const run = await this.up(stack, env, true);
      const rotations = emulator.log.filter((r: LoggedRequest) => requestKind(r.method, r.path) === "POST rotate_secret");
      const succeeded = rotations.filter((r) => r.status === 200);
      const serverLimitPerSecond = requests / windowSeconds;
      const rate = succeeded.length < 2 ? 0 :
        ((succeeded.length - 1) * 1000) / (Math.max(...succeeded.map((r) => r.answeredMs)) - Math.min(...rotations.map((r) => r.arrivedMs)));
      return {
        n, variant, clientLimit: clientLimit ?? `${DEFAULT_RATE_LIMIT.requests}/${DEFAULT_RATE_LIMIT.windowMs / 1000}`,
        clientLimitMatchesServer: clientLimit === `${requests}/${windowSeconds}`,
        serverLimitPerSecond,
        seconds: run.seconds,
        exitCode: run.code,
        rotations: succeeded.length,
        // Widgets left unrotated, or the run failing for another reason.
        failures: Math.max(n - succeeded.length, run.code === 0 ? 0 : 1),
        rejected429: emulator.log.filter((r) => r.status === 429).length,
        rotationsPerSecond: rate,
        floorOpsPerSecond: floorRate,
        targetPerSecond: 0.8 * Math.min(serverLimitPerSecond, floorRate ?? Infinity),
      };
    } finally {
      await emulator.stop();
    }
  }
}

function strip(timed: Timed): Timed {
  return { seconds: timed.seconds, ...(timed.providerPeakRssBytes !== undefined ? { providerPeakRssBytes: timed.providerPeakRssBytes } : {}) };
}

/** The file backend's checkpoint of a stack, wherever this engine version keeps it. */
function findCheckpoint(backendDir: string, stack: string): string | undefined {
  const stacksDir = path.join(backendDir, ".pulumi", "stacks");
  const candidates = [path.join(stacksDir, "bench", `${stack}.json`), path.join(stacksDir, `${stack}.json`)];
  return candidates.find((file) => fs.existsSync(file));
}
