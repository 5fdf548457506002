/**
 * Rate budgets per token (issue 14, item 4): one stack rotating the widgets of two accounts, each
 * through its own `apiToken` input, against an emulator that limits each token to Cloudflare's
 * 1200 requests per 5 minutes. The provider keeps one limiter per base URL and token, so each
 * token spends its own budget; with one limiter per base URL (before), the two would have shared
 * the client's default budget, and the requests past it would have waited out the window.
 */
import { randomBytes } from "node:crypto";
import type { BenchContext } from "./bench-create";
import { floorConfig, rotationConfig } from "./bench-create";
import { startBenchEmulator } from "./bench-emulator";
import { strip } from "./bench-stacks";
import { CALLS_PER_ROTATION, CLOUDFLARE_LIMIT, fleetBound, rateLimitSeconds } from "./bench-bound";
import { peakInWindow } from "./bench-stats";
import { DEFAULT_RATE_LIMIT } from "../../provider/cloudflare/rate-limiter";
import type { TokensResult } from "./bench-types";

const ACCOUNTS = ["1".repeat(32), "2".repeat(32)];

/** Two tokens x `perToken` widgets created from one stack; throws when a command fails. */
export async function measureTokens(ctx: BenchContext, perToken: number): Promise<TokensResult> {
  const { stacks } = ctx;
  const tokens = ACCOUNTS.map(() => `bench-${randomBytes(16).toString("hex")}`);
  const emulator = await startBenchEmulator({ tokens: Object.fromEntries(tokens.map((token, i) => [token, [ACCOUNTS[i]]])) });
  try {
    const perAccount = ACCOUNTS.map((account) => emulator.createWidgets(perToken, account));
    // Resource i rotates a widget of account i mod 2 with that account's token (see examples/bench).
    const sitekeys = perAccount[0].flatMap((key, i) => [key, perAccount[1][i]]);
    const n = sitekeys.length;
    const rotation = await stacks.stack(`tokens-${n}`, rotationConfig(ACCOUNTS.join(","), sitekeys), { apiTokens: tokens.join(",") });
    const floor = await stacks.stack(`tokens-floor-${n}`, floorConfig(ctx, n, ACCOUNTS[0]));
    const env = stacks.env(emulator);
    ctx.say(`${ACCOUNTS.length} tokens x ${perToken} widgets ...`);
    const floorRun = strip(await stacks.up(floor, env));
    const since = emulator.log.length;
    const rotationRun = await stacks.up(rotation, env, true);
    const log = emulator.log.slice(since);
    const rotations = log.filter((r) => r.path.endsWith("/rotate_secret") && r.status === 200).length;
    const { total, byKind } = emulator.callsSince(since);
    const bound = fleetBound({
      n, engineSeconds: floorRun.seconds, latencyMs: 0, parallel: stacks.parallel,
      callsPerRotation: CALLS_PER_ROTATION.create, tokens: ACCOUNTS.length,
    });
    const sharedLimit = { requests: DEFAULT_RATE_LIMIT.requests, windowSeconds: DEFAULT_RATE_LIMIT.windowMs / 1000 };
    return {
      tokens: ACCOUNTS.length,
      widgetsPerToken: perToken,
      run: {
        operation: "create", n, latencyMs: 0, parallel: stacks.parallel, floor: floorRun, rotation: strip(rotationRun),
        apiCalls: total, apiCallsByKind: byKind, rejected429: log.filter((r) => r.status === 429).length,
        bound, ratioToBound: rotationRun.seconds / bound.seconds,
      },
      rotations,
      failures: Math.max(n - rotations, rotationRun.code === 0 ? 0 : 1),
      peakWindowRequestsPerToken: ACCOUNTS.map((account) =>
        peakInWindow(log.filter((r) => r.accountId === account).map((r) => r.arrivedMs), CLOUDFLARE_LIMIT.windowSeconds * 1000)),
      sharedBudgetBoundSeconds: Math.max(bound.seconds, rateLimitSeconds(n * CALLS_PER_ROTATION.create, sharedLimit)),
    };
  } finally {
    await emulator.stop();
  }
}
