import assert from "node:assert/strict";
import {
  CloudflareApiError,
  AuthenticationError, BadRequestError, ConnectionError, DEFAULT_RETRY, RateLimitError, ServerError,
  backoffDelay, parseRetryAfter, parseShouldRetry, resolveRetryPolicy, withRetry, type RetryEvent, type RetryPolicy,
} from "../../../provider/cloudflare";
import { connectionError, fakeTime, responseError, scripted } from "./fakes";

const NOW = Date.UTC(2025, 0, 1, 0, 0, 0);
/** No jitter, so delays are exact. */
const EXACT: RetryPolicy = resolveRetryPolicy({ jitterRatio: 0 });

describe("parseRetryAfter", () => {
  it("reads retry-after in seconds, whole or fractional", () => {
    assert.equal(parseRetryAfter({ "retry-after": "120" }, NOW), 120_000);
    assert.equal(parseRetryAfter({ "retry-after": "1.5" }, NOW), 1500);
    assert.equal(parseRetryAfter({ "retry-after": "0" }, NOW), 0);
  });

  it("reads retry-after as an HTTP date relative to the injected clock", () => {
    assert.equal(parseRetryAfter({ "retry-after": "Wed, 01 Jan 2025 00:00:30 GMT" }, NOW), 30_000);
    assert.equal(parseRetryAfter({ "retry-after": "Wed, 01 Jan 2025 00:00:30 GMT" }, NOW + 10_000), 20_000);
  });

  it("treats a date in the past as 'now'", () => {
    assert.equal(parseRetryAfter({ "retry-after": "Tue, 31 Dec 2024 23:59:00 GMT" }, NOW), 0);
  });

  it("prefers retry-after-ms over retry-after", () => {
    assert.equal(parseRetryAfter({ "retry-after-ms": "250", "retry-after": "10" }, NOW), 250);
  });

  it("falls back to retry-after when retry-after-ms is unreadable", () => {
    assert.equal(parseRetryAfter({ "retry-after-ms": "soon", "retry-after": "2" }, NOW), 2000);
  });

  it("ignores garbage and absence", () => {
    for (const value of ["soon", "-5", "", "  ", "1e3", "0x10", "NaN", "+5"]) {
      assert.equal(parseRetryAfter({ "retry-after": value }, NOW), undefined, `retry-after: ${JSON.stringify(value)}`);
    }
    assert.equal(parseRetryAfter({ "retry-after-ms": "-1" }, NOW), undefined);
    assert.equal(parseRetryAfter({}, NOW), undefined);
    assert.equal(parseRetryAfter(undefined, NOW), undefined);
  });

  it("matches header names case-insensitively and takes the first of repeated values", () => {
    assert.equal(parseRetryAfter({ "Retry-After": "3" }, NOW), 3000);
    assert.equal(parseRetryAfter({ "retry-after": ["4", "9"] }, NOW), 4000);
    assert.equal(parseRetryAfter({ "retry-after": 5 }, NOW), 5000);
  });
});

describe("parseShouldRetry", () => {
  it("reads true/false and ignores anything else", () => {
    assert.equal(parseShouldRetry({ "x-should-retry": "true" }), true);
    assert.equal(parseShouldRetry({ "X-Should-Retry": "FALSE" }), false);
    assert.equal(parseShouldRetry({ "x-should-retry": "maybe" }), undefined);
    assert.equal(parseShouldRetry({}), undefined);
  });
});

describe("backoffDelay", () => {
  it("doubles from baseDelayMs and stops at maxDelayMs", () => {
    const delays = [0, 1, 2, 3, 4, 5, 10, 60].map((attempt) => backoffDelay(attempt, EXACT, 0));
    assert.deepEqual(delays, [500, 1000, 2000, 4000, 8000, 8000, 8000, 8000]);
  });

  it("removes at most jitterRatio of the delay", () => {
    const policy = DEFAULT_RETRY;
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
      for (const jitter of [0, 0.1, 0.5, 0.999, 1]) {
        const delay = backoffDelay(attempt, policy, jitter);
        assert.ok(delay <= cap && delay >= cap * (1 - policy.jitterRatio), `attempt ${attempt} jitter ${jitter}: ${delay}`);
      }
    }
    assert.equal(backoffDelay(2, policy, 1), 2000 * 0.75);
    assert.ok(backoffDelay(2, policy, 0.5) < backoffDelay(2, policy, 0.2), "more jitter, shorter wait");
  });

  it("clamps jitter outside [0, 1]", () => {
    assert.equal(backoffDelay(0, DEFAULT_RETRY, -3), 500);
    assert.equal(backoffDelay(0, DEFAULT_RETRY, 7), 375);
    assert.equal(backoffDelay(0, DEFAULT_RETRY, Number.NaN), 500);
  });
});

describe("resolveRetryPolicy", () => {
  it("applies overrides on top of the defaults", () => {
    const policy = resolveRetryPolicy({ retries: 1 });
    assert.equal(policy.retries, 1);
    assert.equal(policy.maxDelayMs, DEFAULT_RETRY.maxDelayMs);
  });

  it("rejects nonsense", () => {
    assert.throws(() => resolveRetryPolicy({ retries: -1 }), RangeError);
    assert.throws(() => resolveRetryPolicy({ retries: 1.5 }), RangeError);
    assert.throws(() => resolveRetryPolicy({ deadlineMs: Number.NaN }), RangeError);
    assert.throws(() => resolveRetryPolicy({ jitterRatio: 2 }), RangeError);
  });
});

describe("withRetry", () => {
  it("retries a 429 after exactly the retry-after the server asked for", async () => {
    const time = fakeTime();
    const attempt = scripted([responseError(429, { headers: { "retry-after": "3" } })], "ok");
    const result = await withRetry(attempt.fn, { idempotent: false, policy: EXACT, ...time });
    assert.equal(result, "ok");
    assert.deepEqual(attempt.calls, [0, 1]);
    assert.deepEqual(time.sleeps, [3000]);
  });

  it("uses the capped exponential backoff when the server gives no wait", async () => {
    const time = fakeTime();
    const failures = [500, 502, 503, 504, 500].map((status) => responseError(status));
    const attempt = scripted(failures.slice(0, 4), 42);
    assert.equal(await withRetry(attempt.fn, { idempotent: true, policy: EXACT, ...time }), 42);
    assert.deepEqual(time.sleeps, [500, 1000, 2000, 4000]);
  });

  it("draws jitter from the injected random source", async () => {
    const time = fakeTime();
    const attempt = scripted([responseError(503)], "ok");
    await withRetry(attempt.fn, { idempotent: true, policy: DEFAULT_RETRY, random: () => 1, ...time });
    assert.deepEqual(time.sleeps, [375]);
  });

  it("gives up when the next wait would pass the deadline, rethrowing the last error", async () => {
    const time = fakeTime();
    const policy = resolveRetryPolicy({ retries: 100, baseDelayMs: 1000, maxDelayMs: 4000, deadlineMs: 10_000, jitterRatio: 0 });
    const attempt = scripted(Array.from({ length: 100 }, () => responseError(503)), "never");
    await assert.rejects(withRetry(attempt.fn, { idempotent: true, policy, ...time }), ServerError);
    // 1000 + 2000 + 4000 = 7000 ms; one more 4000 ms wait would end at 11 s > 10 s.
    assert.deepEqual(time.sleeps, [1000, 2000, 4000]);
    assert.equal(attempt.calls.length, 4);
  });

  it("does not wait for a retry-after that ends past the deadline", async () => {
    const time = fakeTime();
    const limited = responseError(429, { headers: { "retry-after": "300" } });
    const attempt = scripted([limited], "never");
    const error = await withRetry(attempt.fn, { idempotent: true, policy: EXACT, ...time }).catch((e: unknown) => e);
    assert.equal(error, limited);
    assert.ok(error instanceof RateLimitError);
    assert.equal(error.retryAfterMs, 300_000);
    assert.deepEqual(time.sleeps, []);
  });

  it("stops after `retries` retries", async () => {
    const time = fakeTime();
    const attempt = scripted(Array.from({ length: 10 }, () => responseError(500)), "never");
    await assert.rejects(withRetry(attempt.fn, { idempotent: true, policy: resolveRetryPolicy({ retries: 2 }), ...time }), ServerError);
    assert.deepEqual(attempt.calls, [0, 1, 2]);
  });

  // A 404 without Cloudflare's widget-not-found code is the base class (it proves nothing): never retried either.
  for (const [status, errorClass] of [[400, BadRequestError], [401, AuthenticationError], [403, AuthenticationError], [404, CloudflareApiError]] as const) {
    it(`never retries ${status}, even for an idempotent call`, async () => {
      const time = fakeTime();
      const attempt = scripted([responseError(status)], "never");
      await assert.rejects(withRetry(attempt.fn, { idempotent: true, policy: EXACT, ...time }), errorClass);
      assert.deepEqual(attempt.calls, [0]);
      assert.deepEqual(time.sleeps, []);
    });
  }

  for (const status of [500, 502, 503, 504, 408]) {
    it(`retries ${status} only for idempotent calls`, async () => {
      const idempotent = scripted([responseError(status)], "ok");
      assert.equal(await withRetry(idempotent.fn, { idempotent: true, policy: EXACT, ...fakeTime() }), "ok");
      assert.equal(idempotent.calls.length, 2);

      const rotation = scripted([responseError(status, { idempotent: false })], "ok");
      await assert.rejects(withRetry(rotation.fn, { idempotent: false, policy: EXACT, ...fakeTime() }), { status });
      assert.equal(rotation.calls.length, 1);
    });
  }

  it("does not retry 501 or 409, which are not in the policy's statuses", async () => {
    for (const status of [501, 409]) {
      const attempt = scripted([responseError(status)], "ok");
      await assert.rejects(withRetry(attempt.fn, { idempotent: true, policy: EXACT, ...fakeTime() }), { status });
      assert.equal(attempt.calls.length, 1, `status ${status}`);
    }
  });

  it("retries ambiguous connection errors (reset, timeout) only for idempotent calls", async () => {
    for (const code of ["ECONNRESET", "ECONNABORTED", "ETIMEDOUT", "EPIPE"]) {
      const read = scripted([connectionError(code)], "ok");
      assert.equal(await withRetry(read.fn, { idempotent: true, policy: EXACT, ...fakeTime() }), "ok");
      assert.equal(read.calls.length, 2, code);

      const rotation = scripted([connectionError(code, { idempotent: false })], "ok");
      const error = await withRetry(rotation.fn, { idempotent: false, policy: EXACT, ...fakeTime() }).catch((e: unknown) => e);
      assert.ok(error instanceof ConnectionError && error.ambiguous, code);
      assert.equal(rotation.calls.length, 1, code);
    }
  });

  it("retries connection errors that never reached the server even for non-idempotent calls", async () => {
    for (const code of ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]) {
      const rotation = scripted([connectionError(code, { idempotent: false })], "rotated");
      assert.equal(await withRetry(rotation.fn, { idempotent: false, policy: EXACT, ...fakeTime() }), "rotated");
      assert.equal(rotation.calls.length, 2, code);
    }
  });

  it("obeys x-should-retry over the status rules", async () => {
    const noRetry429 = scripted([responseError(429, { headers: { "x-should-retry": "false", "retry-after": "1" } })], "ok");
    await assert.rejects(withRetry(noRetry429.fn, { idempotent: true, policy: EXACT, ...fakeTime() }), RateLimitError);
    assert.equal(noRetry429.calls.length, 1);

    const retry500 = scripted([responseError(500, { headers: { "x-should-retry": "true" } })], "ok");
    assert.equal(await withRetry(retry500.fn, { idempotent: true, policy: EXACT, ...fakeTime() }), "ok");
    assert.equal(retry500.calls.length, 2);

    const retry400 = scripted([responseError(400, { headers: { "x-should-retry": "true" } })], "ok");
    assert.equal(await withRetry(retry400.fn, { idempotent: true, policy: EXACT, ...fakeTime() }), "ok");
    assert.equal(retry400.calls.length, 2);
  });

  it("never repeats a non-idempotent call on x-should-retry: true (a 5xx after a committed rotation would rotate twice)", async () => {
    for (const status of [500, 503, 408]) {
      const rotation = scripted([responseError(status, { idempotent: false, headers: { "x-should-retry": "true" } })], "rotated again");
      await assert.rejects(withRetry(rotation.fn, { idempotent: false, policy: EXACT, ...fakeTime() }), CloudflareApiError);
      assert.equal(rotation.calls.length, 1, `status ${status}`);
    }
  });

  it("never retries errors that are not CloudflareApiErrors", async () => {
    const bug = new TypeError("bug");
    const attempt = scripted([bug], "ok");
    await assert.rejects(withRetry(attempt.fn, { idempotent: true, policy: EXACT, ...fakeTime() }), (e: unknown) => e === bug);
    assert.equal(attempt.calls.length, 1);
  });

  it("reports each retry before waiting", async () => {
    const events: RetryEvent[] = [];
    const attempt = scripted([responseError(503), responseError(429, { headers: { "retry-after-ms": "20" } })], "ok");
    await withRetry(attempt.fn, { idempotent: true, policy: EXACT, ...fakeTime(), onRetry: (event) => events.push(event) });
    assert.deepEqual(events.map((e) => [e.retry, e.delayMs, e.error.status]), [[1, 500, 503], [2, 20, 429]]);
  });
});
