/**
 * N rotations against an emulator limited far below Cloudflare (e.g. 20 requests per second):
 * with the client-side limiter set to the server's limit (no 429 expected), and with the default
 * limit, where only the server's 429s rein the client in. Throughput is successful rotations per
 * second between the first rotation request and the last successful answer.
 */
import type { BenchContext } from "./bench-create";
import { rotationConfig } from "./bench-create";
import { requestKind, startBenchEmulator } from "./bench-emulator";
import { CALLS_PER_ROTATION } from "./bench-bound";
import { DEFAULT_RATE_LIMIT, RATE_LIMIT_ENV } from "../../provider/cloudflare/rate-limiter";
import type { LimitedResult } from "./bench-types";

/** One run at the server's limit, with the given client-side limit (undefined: the default). */
export async function measureLimited(
  ctx: BenchContext, n: number, serverLimit: { requests: number; windowSeconds: number },
  variant: string, clientLimit: string | undefined, floorRate: number | undefined,
): Promise<LimitedResult> {
  const { stacks } = ctx;
  const emulator = await startBenchEmulator();
  try {
    const { requests, windowSeconds } = serverLimit;
    emulator.setRateLimit(requests, windowSeconds);
    const stack = await stacks.stack(`limited-${n}`, rotationConfig(emulator.running.accountId, emulator.createWidgets(n)));
    ctx.say(`N=${n} against ${requests} requests per ${windowSeconds} s, ${variant} ...`);
    const env = stacks.env(emulator, clientLimit ? { [RATE_LIMIT_ENV]: clientLimit } : {});
    const run = await stacks.up(stack, env, true);
    const rotations = emulator.log.filter((r) => requestKind(r.method, r.path) === "POST rotate_secret");
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
      // A rotation spends CALLS_PER_ROTATION requests of the server's budget.
      targetPerSecond: 0.8 * Math.min(serverLimitPerSecond / CALLS_PER_ROTATION.create, floorRate ?? Infinity),
    };
  } finally {
    await emulator.stop();
  }
}
