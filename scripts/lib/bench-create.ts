/**
 * The create measurement: N rotations beside N do-nothing resources (the engine's floor) and N
 * do-nothing resources of the rotation's shape (the mirror floor), each on a fresh stack, repeated
 * with the order changed each time so no kind always runs on a warmer machine. Also the untimed
 * warm-up, which measures the package's serialized provider to choose the floor's form.
 */
import type { BenchStacks } from "./bench-stacks";
import { opsPerSecond, strip } from "./bench-stacks";
import { startBenchEmulator, type BenchEmulator } from "./bench-emulator";
import type { BenchResults, CreateResult, Timed } from "./bench-types";
import { maxOf, median, medianOf } from "./bench-stats";

/** What every measurement shares. */
export interface BenchContext {
  readonly stacks: BenchStacks;
  /** The floor's provider form, chosen by {@link warmUp}. */
  floorForm: "inline" | "module";
  readonly repeat: number;
  readonly say: (line: string) => void;
}

/** The config of a floor stack of N resources of `shape`. */
export function floorConfig(ctx: BenchContext, n: number, accountId: string, shape: "minimal" | "mirror" = "minimal"): Record<string, string> {
  return { kind: "noop", count: String(n), accountId, rotationTrigger: "1", floorProvider: ctx.floorForm, floorShape: shape };
}

/** The config of a rotation stack over `sitekeys`. */
export function rotationConfig(accountId: string, sitekeys: readonly string[], extra: Record<string, string> = {}): Record<string, string> {
  return { kind: "rotation", count: String(sitekeys.length), accountId, rotationTrigger: "1", sitekeys: sitekeys.join(","), ...extra };
}

/** Creates N of each kind `repeat` times; throws unless every rotation happened exactly once. */
export async function measureCreate(ctx: BenchContext, emulator: BenchEmulator, n: number): Promise<CreateResult> {
  const { stacks } = ctx;
  const runs: Array<{ floor: Timed; mirror: Timed; rotation: Timed }> = [];
  const floorRates: Array<number | undefined> = [];
  const rotationRates: Array<number | undefined> = [];
  let apiCalls: Record<string, number> = {};
  const env = stacks.env(emulator);
  const accountId = emulator.running.accountId;
  for (let rep = 0; rep < ctx.repeat; rep += 1) {
    const sitekeys = emulator.createWidgets(n);
    const names = {
      floor: await stacks.stack(`floor-${n}`, floorConfig(ctx, n, accountId)),
      mirror: await stacks.stack(`mirror-${n}`, floorConfig(ctx, n, accountId, "mirror")),
      rotation: await stacks.stack(`rotation-${n}`, rotationConfig(accountId, sitekeys)),
    };
    const timings: Partial<Record<keyof typeof names, Timed>> = {};
    const run = {
      floor: async () => (timings.floor = strip(await stacks.up(names.floor, env))),
      mirror: async () => (timings.mirror = strip(await stacks.up(names.mirror, env))),
      rotation: async () => {
        emulator.resetRateWindow();
        const since = emulator.log.length;
        timings.rotation = strip(await stacks.up(names.rotation, env));
        const rotations = emulator.log.slice(since).filter((r) => r.path.endsWith("/rotate_secret") && r.status === 200);
        if (rotations.length !== n) throw new Error(`expected ${n} rotations, the emulator served ${rotations.length}`);
        rotationRates.push(opsPerSecond(rotations.map((r) => r.arrivedMs)));
        apiCalls = emulator.callsSince(since).byKind;
      },
    };
    ctx.say(`create N=${n} run ${rep + 1}/${ctx.repeat} ...`);
    const orders: Array<Array<keyof typeof names>> = [["floor", "mirror", "rotation"], ["rotation", "floor", "mirror"], ["mirror", "rotation", "floor"]];
    for (const which of orders[rep % orders.length]) await run[which]();
    floorRates.push(await stacks.floorOpsPerSecond(names.floor));
    runs.push({ floor: timings.floor!, mirror: timings.mirror!, rotation: timings.rotation! });
  }
  const floorSeconds = median(runs.map((r) => r.floor.seconds));
  const mirrorSeconds = median(runs.map((r) => r.mirror.seconds));
  const rotationSeconds = median(runs.map((r) => r.rotation.seconds));
  return {
    n, floorSeconds, mirrorSeconds, rotationSeconds,
    ratio: rotationSeconds / floorSeconds, mirrorRatio: rotationSeconds / mirrorSeconds, runs,
    floorOpsPerSecond: medianOf(floorRates),
    rotationOpsPerSecond: medianOf(rotationRates),
    floorPeakRssBytes: maxOf(runs.map((r) => r.floor.providerPeakRssBytes)),
    rotationPeakRssBytes: maxOf(runs.map((r) => r.rotation.providerPeakRssBytes)),
    apiCalls,
  };
}

/** The serialized provider of the first resource of `type` in a stack, in bytes. */
async function providerBytes(stacks: BenchStacks, stack: string, type: string): Promise<number> {
  const resource = (await stacks.exported(stack)).find((r) => r.type.endsWith(type));
  return Buffer.byteLength(String(resource?.inputs?.__provider ?? ""));
}

/**
 * An untimed first run of each kind (loads the engine, plugins and modules into the disk cache),
 * which also measures the package's serialized provider and sets the floor's form: `inline` (seven
 * hooks serialized by value) or `module` (an installed module stored as a `require`); `auto` takes
 * the one closer in size to the package's, so the floor is fair.
 */
export async function warmUp(ctx: BenchContext, choice: "auto" | "inline" | "module"): Promise<BenchResults["floor"]> {
  const { stacks } = ctx;
  ctx.say("warm-up (untimed) ...");
  const emulator = await startBenchEmulator();
  try {
    const accountId = emulator.running.accountId;
    const rotation = await stacks.stack("warmup-rotation", rotationConfig(accountId, emulator.createWidgets(1)));
    await stacks.up(rotation, stacks.env(emulator));
    const packageProviderBytes = await providerBytes(stacks, rotation, ":TurnstileSecretRotation");
    const sizes = { inline: 0, module: 0 };
    for (const form of ["inline", "module"] as const) {
      const stack = await stacks.stack(`warmup-floor-${form}`, { kind: "noop", count: "1", accountId, rotationTrigger: "1", floorProvider: form });
      await stacks.up(stack, {});
      sizes[form] = await providerBytes(stacks, stack, ":NoopRotation");
    }
    const closer = Math.abs(sizes.inline - packageProviderBytes) <= Math.abs(sizes.module - packageProviderBytes) ? "inline" : "module";
    ctx.floorForm = choice === "auto" ? closer : choice;
    return { form: ctx.floorForm, packageProviderBytes, inlineBytes: sizes.inline, moduleBytes: sizes.module };
  } finally {
    await emulator.stop();
  }
}

/** The engine's do-nothing create rate at N, when the create measurement did not run at that size. */
export async function floorRate(ctx: BenchContext, n: number): Promise<number | undefined> {
  const stack = await ctx.stacks.stack(`floor-${n}`, floorConfig(ctx, n, "0".repeat(32)));
  await ctx.stacks.up(stack, {});
  return ctx.stacks.floorOpsPerSecond(stack);
}
