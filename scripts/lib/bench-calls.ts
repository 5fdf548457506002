/**
 * API calls per operation, in both modes, measured through the engine at a small N: what the
 * rotation protocol (provider/rotation.ts, docs/reliability.md) says it needs, and nothing more.
 * The emulator's clock is real time here, so after it jumps past the grace period the provider's
 * own clock still says the recorded grace period may be open: the one case where a trigger-change
 * preview reads the widget (one GET, for Cloudflare's clock, which is the one that counts).
 */
import type { BenchContext } from "./bench-create";
import { rotationConfig } from "./bench-create";
import { startBenchEmulator } from "./bench-emulator";
import type { TimedRun } from "./bench-stacks";
import { CALLS_PER_ROTATION, listPages } from "./bench-bound";
import type { CallsResult } from "./bench-types";

const GRACE_SECONDS = 2 * 60 * 60;

/** Measures every operation's calls; throws only when a command that must succeed fails. */
export async function measureCalls(ctx: BenchContext, n: number): Promise<CallsResult[]> {
  const { stacks } = ctx;
  const emulator = await startBenchEmulator();
  const results: CallsResult[] = [];
  try {
    const env = stacks.env(emulator);
    const accountId = emulator.running.accountId;
    /** `listed`: the operation's rotations start from the batched read, a page of the list per 1000 widgets. */
    const measure = async (operation: string, expectedPerResource: number, run: () => Promise<TimedRun>, listed = false) => {
      ctx.say(`calls N=${n}: ${operation} ...`);
      const since = emulator.log.length;
      const { code } = await run();
      const { total, byKind } = emulator.callsSince(since);
      results.push({ operation, n, expectedPerResource, expectedListPages: listed ? listPages(n) : 0, calls: total, byKind, exitCode: code });
    };
    const standard = await stacks.stack(`calls-${n}`, rotationConfig(accountId, emulator.createWidgets(n)));
    await measure("create (default mode)", CALLS_PER_ROTATION.create, () => stacks.up(standard, env));
    await measure("no-change preview", 0, () => stacks.preview(standard, env));
    await measure("no-change up", 0, () => stacks.up(standard, env));
    await measure("refresh", 1, () => stacks.refresh(standard, env));
    emulator.running.advanceClock(GRACE_SECONDS + 60);
    await stacks.setConfig(standard, "rotationTrigger", "2");
    await measure("trigger-change preview, grace period open by the provider's clock", 1, () => stacks.preview(standard, env));
    // Its diff asks Cloudflare's clock as the preview did (one GET each), then each rotation starts from the list.
    await measure("rotate, grace period open by the provider's clock", 1 + CALLS_PER_ROTATION.default, () => stacks.up(standard, env), true);

    const immediate = await stacks.stack(`calls-immediate-${n}`, rotationConfig(accountId, emulator.createWidgets(n), { invalidateImmediately: "true" }));
    await measure("create (invalidateImmediately)", CALLS_PER_ROTATION.createImmediately, () => stacks.up(immediate, env));
    // Each no-change run of these resources asks whether Cloudflare still holds their secret: the list says.
    await measure("no-change preview (invalidateImmediately)", 0, () => stacks.preview(immediate, env), true);
    await stacks.setConfig(immediate, "rotationTrigger", "2");
    // An immediate rotation leaves no grace period: nothing to ask before rotating again.
    await measure("trigger-change preview (invalidateImmediately)", 0, () => stacks.preview(immediate, env));
    await measure("rotate (invalidateImmediately)", CALLS_PER_ROTATION.invalidateImmediately, () => stacks.up(immediate, env), true);
    return results;
  } finally {
    await emulator.stop();
  }
}
