/**
 * What the benchmark measures and records (written to .bench/results.json as is). Every figure
 * is a measurement of one run; goals and tables are derived from these by bench-report.ts.
 */
import type { Bound } from "./bench-bound";

/** What to measure. */
export interface BenchOptions {
  /** Sizes N of the create measurement (rotation beside the do-nothing floors, repeated). */
  readonly sizes: readonly number[];
  /** Sizes N of the fleet measurement (create, no-change, rotate all per latency, refresh). */
  readonly fleetSizes: readonly number[];
  /** Latencies (ms) injected on every API request for the fleet's rotations of all. */
  readonly latenciesMs: readonly number[];
  /** N of the calls-per-operation measurement (both modes). */
  readonly callsSize: number;
  /** Widgets per token of the two-token run (0: skipped). */
  readonly tokensSize: number;
  /** N of the run against a low emulator rate limit (0: skipped). */
  readonly limitedSize: number;
  /** The emulator's limit for that run. */
  readonly serverLimit: { readonly requests: number; readonly windowSeconds: number };
  /** `pulumi up --parallel` for every run, but the fleet's rotations at 300 ms and more. */
  readonly parallel: number;
  /** `pulumi up --parallel` of the fleet's rotations at 300 ms and more (the README's advice for real latency). */
  readonly wideParallel: number;
  /** Each create measurement is repeated this often (fresh stacks and widgets); medians are reported. */
  readonly repeat: number;
  /** The floor's provider form: see `warmUp` in bench-create.ts. */
  readonly floor: "auto" | "inline" | "module";
  /** Where the SVG plot goes (undefined: not written). */
  readonly plot?: string;
  /** Keep the work directory (stacks, program) for inspection. */
  readonly keep?: boolean;
  /** Progress lines. */
  readonly progress?: (line: string) => void;
}

/** One `pulumi` run. */
export interface Timed {
  readonly seconds: number;
  /** Peak RSS (VmHWM) of the dynamic-provider process and of the CLI, bytes; undefined without /proc. */
  readonly providerPeakRssBytes?: number;
  readonly cliPeakRssBytes?: number;
  /** CPU time (user + system) of the CLI (engine), the program and the dynamic provider, seconds. */
  readonly cpuSeconds?: { readonly cli?: number; readonly program?: number; readonly provider?: number };
}

/** Create measurement at one size. */
export interface CreateResult {
  readonly n: number;
  readonly floorSeconds: number;
  /** The floor that also declares and fills the rotation's other outputs. */
  readonly mirrorSeconds: number;
  readonly rotationSeconds: number;
  /** rotationSeconds / floorSeconds (medians): the headline figure. */
  readonly ratio: number;
  /** rotationSeconds / mirrorSeconds: what the package's code costs beyond its outputs. */
  readonly mirrorRatio: number;
  readonly runs: ReadonlyArray<{ floor: Timed; mirror: Timed; rotation: Timed }>;
  /** Operations per second between the first and the last operation of the run (median). */
  readonly floorOpsPerSecond?: number;
  readonly rotationOpsPerSecond?: number;
  readonly floorPeakRssBytes?: number;
  readonly rotationPeakRssBytes?: number;
  /** API calls of one rotation run, by kind. */
  readonly apiCalls: Record<string, number>;
}

/** API calls of one operation, measured at a small N. */
export interface CallsResult {
  readonly operation: string;
  readonly n: number;
  /** Calls per resource besides the list (GET widget, POST rotate_secret). */
  readonly expectedPerResource: number;
  /** Pages of the widget list the protocol states for the operation: at least this many, and none when 0. */
  readonly expectedListPages: number;
  readonly calls: number;
  readonly byKind: Record<string, number>;
  /** The command's exit code (a trigger change inside the grace period must fail at preview). */
  readonly exitCode: number;
}

/** One operation of the fleet measurement: the rotation beside the floor, and its bound. */
export interface FleetRun {
  readonly operation: string;
  readonly n: number;
  readonly latencyMs: number;
  /** `pulumi up --parallel` of both runs. */
  readonly parallel: number;
  readonly floor: Timed;
  readonly rotation: Timed;
  readonly apiCalls: number;
  readonly apiCallsByKind: Record<string, number>;
  readonly rejected429: number;
  /** Rotations only; undefined for operations that rotate nothing. */
  readonly bound?: Bound;
  readonly ratioToBound?: number;
}

/** State size in the packed-install layout. */
export interface StateResult {
  readonly n: number;
  /** Compact JSON of one resource in `pulumi stack export`, averaged. */
  readonly bytesPerResource: number;
  /** The serialized provider's size; the state holds it twice per resource (inputs and outputs). */
  readonly providerBytes: number;
  readonly floorBytesPerResource: number;
  readonly floorProviderBytes: number;
  /** The checkpoint files on disk divided by N. */
  readonly checkpointBytesPerResource?: number;
  readonly floorCheckpointBytesPerResource?: number;
}

/** The fleet measurement at one N. */
export interface FleetResult {
  readonly n: number;
  readonly runs: readonly FleetRun[];
  readonly state: StateResult;
}

/** Two tokens, each rotating its own account's widgets from one stack. */
export interface TokensResult {
  readonly tokens: number;
  readonly widgetsPerToken: number;
  readonly run: FleetRun;
  readonly rotations: number;
  readonly failures: number;
  /** Per token: the most requests it sent in any window of Cloudflare's limit. */
  readonly peakWindowRequestsPerToken: readonly number[];
  /** What the bound would be if the tokens shared one budget (the limiter before issue 14). */
  readonly sharedBudgetBoundSeconds: number;
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
  /** 80 % of the lower of the server's limit (in rotations: requests / calls per rotation) and the floor's rate. */
  readonly targetPerSecond: number;
}

export interface BenchResults {
  readonly startedAt: string;
  /** The floor's provider form used, and the package's serialized provider size that chose it. */
  readonly floor: { readonly form: "inline" | "module"; readonly packageProviderBytes: number; readonly inlineBytes: number; readonly moduleBytes: number };
  readonly machine: Record<string, string | number>;
  readonly options: Omit<BenchOptions, "progress">;
  readonly create: CreateResult[];
  readonly calls: CallsResult[];
  readonly fleet: FleetResult[];
  readonly tokens?: TokensResult;
  readonly limited: LimitedResult[];
  readonly totalSeconds: number;
}
