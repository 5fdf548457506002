import assert from "node:assert/strict";
import { startEmulator, type RunningEmulator } from "../helpers/emulator";
import { api, call, firstError } from "./http-client";
import { RateLimiter, DEFAULT_RATE_LIMIT } from "../../emulator/ratelimit";
import { ManualClock } from "../../emulator";

describe("emulator: rate limiting", () => {
  describe("RateLimiter", () => {
    it("defaults to Cloudflare's 1200 requests per 300 s", () => {
      const clock = new ManualClock();
      const limiter = new RateLimiter(clock);
      assert.deepEqual(limiter.limit, { requests: 1200, windowSeconds: 300 });
      assert.deepEqual(DEFAULT_RATE_LIMIT, { requests: 1200, windowSeconds: 300 });
      for (let i = 0; i < 1200; i++) assert.equal(limiter.check("t").allowed, true, `request ${i + 1}`);
      assert.deepEqual(limiter.check("t"), { allowed: false, retryAfterSeconds: 300 });
      assert.equal(limiter.check("other-user").allowed, true, "limits are per token");
    });

    it("slides: capacity returns as old requests leave the window", () => {
      const clock = new ManualClock();
      const limiter = new RateLimiter(clock, { requests: 2, windowSeconds: 10 });
      limiter.check("t");
      clock.advance(4);
      limiter.check("t");
      assert.deepEqual(limiter.check("t"), { allowed: false, retryAfterSeconds: 6 });
      clock.advance(6);
      assert.equal(limiter.check("t").allowed, true);
      assert.equal(limiter.check("t").allowed, false);
    });

    it("rejects nonsensical limits", () => {
      assert.throws(() => new RateLimiter(new ManualClock(), { requests: 0, windowSeconds: 1 }), RangeError);
      assert.throws(() => new RateLimiter(new ManualClock(), { requests: 1, windowSeconds: 0 }), RangeError);
    });
  });

  describe("over HTTP", () => {
    let running: RunningEmulator;
    beforeEach(async () => { running = await startEmulator({ rateLimit: { requests: 3, windowSeconds: 60 } }); });
    afterEach(async () => { await running.stop(); });

    it("answers 429, retry-after in seconds, code 971 past the limit; recovers when the clock moves", async () => {
      for (let i = 0; i < 3; i++) assert.equal((await api(running, "GET", "")).status, 200);
      running.advanceClock(20);
      const limited = await api(running, "GET", "");
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get("retry-after"), "40");
      assert.deepEqual([limited.body.success, firstError(limited).code], [false, 971]);
      running.advanceClock(40);
      assert.equal((await api(running, "GET", "")).status, 200);
    });

    it("counts every widgets route but not siteverify or control routes", async () => {
      await api(running, "POST", "", { name: "n", domains: [], mode: "managed" });
      await api(running, "GET", "/0x4AAAAAAAnone");
      for (let i = 0; i < 5; i++) await call(running, "GET", "/emulator/requests");
      await call(running, "POST", "/turnstile/v0/siteverify", { secret: "a", response: "b" });
      assert.equal((await api(running, "GET", "")).status, 200);
      assert.equal((await api(running, "GET", "")).status, 429);
    });

    it("POST /emulator/rate-limit reconfigures (e.g. 20 per 1 s) and forgets past requests", async () => {
      for (let i = 0; i < 3; i++) await api(running, "GET", "");
      const set = await call(running, "POST", "/emulator/rate-limit", { requests: 20, windowSeconds: 1 });
      assert.deepEqual(set.body, { requests: 20, windowSeconds: 1 });
      for (let i = 0; i < 20; i++) assert.equal((await api(running, "GET", "")).status, 200);
      const limited = await api(running, "GET", "");
      assert.deepEqual([limited.status, limited.headers.get("retry-after")], [429, "1"]);
      assert.equal((await call(running, "POST", "/emulator/rate-limit", { requests: 0, windowSeconds: 1 })).status, 400);
      assert.equal((await call(running, "POST", "/emulator/rate-limit", { requests: "5", windowSeconds: 1 })).status, 400);
    });
  });
});
