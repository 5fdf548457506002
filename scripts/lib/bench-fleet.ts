/**
 * The fleet measurement at one N (issue 14): create, no-change preview and up, the rotation of
 * all at each injected latency, and refresh, each beside the same operation on N do-nothing
 * resources (the engine's floor), with the peak memory of the provider and the CLI, the API calls,
 * and for rotations the bound of bench-bound.ts and the ratio to it.
 *
 * Cloudflare's own limit applies (the emulator's default: 1200 requests per 5 minutes per token),
 * with an empty window at the start of each command, as when a fleet is rotated once a month.
 * The emulator's clock starts a day behind real time and jumps past the 2-hour grace period before
 * each rotation of all, so neither clock ever sees a grace period the other thinks is over.
 */
import type { BenchContext } from "./bench-create";
import { floorConfig, rotationConfig } from "./bench-create";
import { startBenchEmulator, type BenchEmulator } from "./bench-emulator";
import { strip, type TimedRun } from "./bench-stacks";
import { CALLS_PER_ROTATION, fleetBound, listPages } from "./bench-bound";
import { measureState } from "./bench-state";
import type { FleetResult, FleetRun, Timed } from "./bench-types";

const GRACE_SECONDS = 2 * 60 * 60;
const DAY_MS = 24 * 60 * 60 * 1000;

/** What one operation of the fleet did at the emulator, checked against what it must do. */
function calls(emulator: BenchEmulator, since: number, n: number, rotates: boolean) {
  const { total, byKind } = emulator.callsSince(since);
  const rotated = emulator.log.slice(since).filter((r) => r.path.endsWith("/rotate_secret") && r.status === 200).length;
  if (rotates && rotated !== n) throw new Error(`expected ${n} rotations, the emulator served ${rotated}`);
  const rejected429 = emulator.log.slice(since).filter((r) => r.status === 429).length;
  return { apiCalls: total, apiCallsByKind: byKind, rejected429 };
}

/** Latency from which the fleet's rotations run with `wideParallel`, as the README advises for real networks. */
export const WIDE_FROM_MS = 300;

/** Measures the fleet at N; throws when a command fails or a rotation is missing or repeated. */
export async function measureFleet(ctx: BenchContext, n: number, latenciesMs: readonly number[], wideParallel: number): Promise<FleetResult> {
  const { stacks } = ctx;
  const emulator = await startBenchEmulator({ lagMs: DAY_MS });
  try {
    const env = stacks.env(emulator);
    const accountId = emulator.running.accountId;
    const floor = await stacks.stack(`fleet-floor-${n}`, floorConfig(ctx, n, accountId));
    const rotation = await stacks.stack(`fleet-rotation-${n}`, rotationConfig(accountId, emulator.createWidgets(n)));
    const runs: FleetRun[] = [];
    /**
     * Runs the floor's command, then the rotation's with a fresh rate-limit window; records both.
     * `rotates`: how many calls each rotation makes, and whether it waits for a page of the list first.
     */
    const pair = async (operation: string, latencyMs: number, command: (stack: string) => Promise<TimedRun>,
      rotates?: { readonly calls: number; readonly listed: boolean }, parallel = stacks.parallel) => {
      ctx.say(`fleet N=${n}: ${operation}${latencyMs > 0 ? ` at ${latencyMs} ms` : ""}${parallel === stacks.parallel ? "" : `, --parallel ${parallel}`} ...`);
      const floorRun: Timed = strip(await command(floor));
      emulator.resetRateWindow();
      const since = emulator.log.length;
      const rotationRun: Timed = strip(await command(rotation));
      const run: FleetRun = { operation, n, latencyMs, parallel, floor: floorRun, rotation: rotationRun, ...calls(emulator, since, n, rotates !== undefined) };
      if (!rotates) {
        runs.push(run);
        return;
      }
      const bound = fleetBound({
        n, engineSeconds: floorRun.seconds, latencyMs, parallel, callsPerRotation: rotates.calls, sharedCalls: rotates.listed ? listPages(n) : 0,
      });
      runs.push({ ...run, bound, ratioToBound: rotationRun.seconds / bound.seconds });
    };

    await pair("create", 0, (stack) => stacks.up(stack, env), { calls: CALLS_PER_ROTATION.create, listed: false });
    await pair("no-change preview", 0, (stack) => stacks.preview(stack, env));
    await pair("no-change up", 0, (stack) => stacks.up(stack, env));
    for (const [index, latencyMs] of latenciesMs.entries()) {
      emulator.running.advanceClock(GRACE_SECONDS + 60);
      emulator.setLatency(latencyMs);
      const trigger = String(index + 2);
      await stacks.setConfig(floor, "rotationTrigger", trigger);
      await stacks.setConfig(rotation, "rotationTrigger", trigger);
      const parallel = latencyMs >= WIDE_FROM_MS ? wideParallel : stacks.parallel;
      await pair("rotate all", latencyMs, (stack) => stacks.up(stack, env, false, parallel), { calls: CALLS_PER_ROTATION.default, listed: true }, parallel);
    }
    emulator.setLatency(0);
    await pair("refresh", 0, (stack) => stacks.refresh(stack, env));
    const state = await measureState(stacks, n, { rotation, floor });
    return { n, runs, state };
  } finally {
    await emulator.stop();
  }
}
