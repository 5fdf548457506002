/**
 * The preview's grace check on its own, with a client whose answers and clock the test sets: the
 * edges of the local clock's margin and of the Date header's one-second resolution.
 */
import assert from "node:assert/strict";
import type { TurnstileClient } from "../../../provider/cloudflare";
import { assertRotationPossible, CLOCK_MARGIN_MS } from "../../../provider/core/preview-checks";
import type { RotationState } from "../../../provider/core/state";

const ROTATED = Date.parse("2026-11-01T04:00:03.340Z");
const EXPIRES = ROTATED + 2 * 3600 * 1000;
const state = {
  accountId: "0".repeat(32), sitekey: "0x4AAAAAAAsitekey", secret: "0x4AAA-state-secret", rotationTrigger: "1",
  rotatedAt: new Date(ROTATED).toISOString(), previousSecretExpiresAt: new Date(EXPIRES).toISOString(),
} as unknown as RotationState;

/** A client whose widget still holds the state's secret and whose Date header says `dateMs` (undefined: none). */
function clientAt(dateMs: number | undefined): { client: () => TurnstileClient; reads: () => number } {
  let reads = 0;
  const client = {
    getWidget: async () => { reads += 1; return { secret: state.secret }; },
    cloudflareNow: () => dateMs,
  } as unknown as TurnstileClient;
  return { client: () => client, reads: () => reads };
}

describe("assertRotationPossible", () => {
  const warnings: string[] = [];
  const warn = async (message: string): Promise<void> => void warnings.push(message);
  beforeEach(() => { warnings.length = 0; });

  it("refuses when Cloudflare's clock, a whole second later still, is inside the grace period", async () => {
    const { client } = clientAt(Math.floor((EXPIRES - 1500) / 1000) * 1000);
    await assert.rejects(assertRotationPossible(state, client, EXPIRES, warn), /refuses to rotate the secret of widget 0x4AAAAAAAsitekey until/);
  });

  it("lets Cloudflare decide the grace period's last second, which its truncated Date header cannot settle", async () => {
    const { client } = clientAt(Math.floor(EXPIRES / 1000) * 1000); // 06:00:03 while the grace ends at 06:00:03.340
    await assertRotationPossible(state, client, EXPIRES, warn);
    assert.deepEqual(warnings, []);
  });

  it("asks Cloudflare's clock when the local one is minutes past the end, and refuses by Cloudflare's", async () => {
    const { client, reads } = clientAt(EXPIRES - 60_000);
    await assert.rejects(assertRotationPossible(state, client, EXPIRES + CLOCK_MARGIN_MS - 1, warn), /refuses to rotate/);
    assert.equal(reads(), 1);
  });

  it("reads nothing once the local clock is past the end by more than the margin", async () => {
    const { client, reads } = clientAt(EXPIRES - 60_000);
    await assertRotationPossible(state, client, EXPIRES + CLOCK_MARGIN_MS, warn);
    assert.equal(reads(), 0);
  });

  it("warns, and lets Cloudflare decide, when its answers carry no Date header", async () => {
    const { client } = clientAt(undefined);
    await assertRotationPossible(state, client, EXPIRES - 60_000, warn);
    assert.match(warnings.join("\n"), /may refuse this rotation until 2026-11-01T06:00:03.340Z: .*no Date header/);
  });
});
