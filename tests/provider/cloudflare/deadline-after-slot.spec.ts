/**
 * The per-attempt deadline (TURNSTILE_ROTATION_TIMEOUT) runs from when a request is sent, not from
 * when it asked the client-side limiter for a slot. A fleet of 1000 widgets makes 2000 calls
 * against a budget of 1000 per 5 minutes, so the second half waits minutes for its slots; with the
 * deadline running while queued, every one of them failed as "no answer" without ever being sent.
 */
import assert from "node:assert/strict";
import { TurnstileClient } from "../../../provider/cloudflare";
import { RateLimiter } from "../../../provider/cloudflare/rate-limiter";
import { createTestWidget, startEmulator, type RunningEmulator } from "../../helpers/emulator";
import { SystemClock } from "../../../emulator";

describe("TurnstileClient deadline and the rate limiter's queue", function () {
  this.timeout(20_000);
  let running: RunningEmulator;

  beforeEach(async () => {
    // A real clock: the limiter's window and the deadline both run in real time here.
    running = await startEmulator({ clock: new SystemClock() });
  });

  afterEach(() => running.stop());

  it("a rotation that waited longer than its deadline for a slot is still sent, once, and answered", async () => {
    const widgets = await Promise.all(Array.from({ length: 6 }, () => createTestWidget(running)));
    // Two requests per 600 ms: the last two of six wait more than a window, far past 150 ms. A
    // rotate call is never retried after a timeout (it may have happened), so none may time out.
    const limiter = new RateLimiter({ limit: { requests: 2, windowMs: 600 } });
    const client = new TurnstileClient({ apiToken: running.apiToken, baseUrl: running.baseUrl, timeoutMs: 150, rateLimiter: limiter });
    try {
      const started = Date.now();
      const rotations = await Promise.allSettled(widgets.map((w) => client.rotateSecret(running.accountId, w.sitekey)));
      assert.deepEqual(rotations.map((r) => r.status), Array(6).fill("fulfilled"), String(rotations.find((r) => r.status === "rejected")?.reason));
      assert.ok(Date.now() - started >= 1000, "the limiter held the later requests back");
      assert.equal(running.emulator.store.requestCounts().rotations, 6, "each rotated once");
    } finally {
      client.close();
    }
  });
});
