/**
 * The shared client-side rate limiter: a sliding window whose slots are held until the answer
 * arrives, admitted in order, paused by a 429's retry-after. Time and sleep are fake (sleep moves
 * the clock at once), so every case is instant and deterministic.
 */
import assert from "node:assert/strict";
import {
  DEFAULT_RATE_LIMIT, RATE_LIMIT_ENV, RateLimiter, sendLimited, type ReleaseSlot,
} from "../../../provider/cloudflare/rate-limiter";
import { parseRateLimit, sharedRateLimiter } from "../../../provider/cloudflare/shared-limiter";
import { RateLimitError, TurnstileClient } from "../../../provider/cloudflare";
import { ManualClock } from "../../../emulator";
import { inject, setRateLimit } from "../../helpers/control";
import { createTestWidget, startEmulator, type RunningEmulator } from "../../helpers/emulator";

/** A clock moved by hand (`at`) or by the limiter's sleeps, which are recorded. */
function fakeClock(start = 0) {
  const clock = {
    t: start,
    sleeps: [] as number[],
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.t += ms;
    },
    at(t: number) {
      clock.t = t;
    },
  };
  return clock;
}

/** Lets every pending promise callback run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
  await new Promise((resolve) => setImmediate(resolve));
}

/** Starts an acquire and records when (on the fake clock) it was admitted. */
function track(limiter: RateLimiter, clock: { now(): number }, log: Array<[string, number]>, name: string): Promise<ReleaseSlot> {
  return limiter.acquire().then((release) => {
    log.push([name, clock.now()]);
    return release;
  });
}

describe("RateLimiter", () => {
  it("lets a burst of up to `requests` through at once", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ limit: { requests: 3, windowMs: 1000 }, now: clock.now, sleep: clock.sleep });
    await Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()]);
    assert.deepEqual(clock.sleeps, []);
    assert.equal(limiter.inFlight, 3);
  });

  it("admits the next request a full window after the oldest answer arrived", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ limit: { requests: 3, windowMs: 1000 }, now: clock.now, sleep: clock.sleep });
    const slots = await Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()]);
    clock.at(100);
    slots[0]();
    clock.at(250);
    slots[1]();
    slots[2]();
    const log: Array<[string, number]> = [];
    await Promise.all([track(limiter, clock, log, "d"), track(limiter, clock, log, "e")]);
    assert.deepEqual(log, [["d", 1100], ["e", 1250]]);
    assert.deepEqual(clock.sleeps, [850, 150], "from 250 to 1100, then to 1250");
  });

  it("holds a slot while its request is in flight, however long it travels", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ limit: { requests: 2, windowMs: 1000 }, now: clock.now, sleep: clock.sleep });
    const [first, second] = await Promise.all([limiter.acquire(), limiter.acquire()]);
    const log: Array<[string, number]> = [];
    const third = track(limiter, clock, log, "third");
    clock.at(5000); // long after the window, but both requests are still unanswered
    await settle();
    assert.deepEqual(log, [], "no slot may be handed out while every slot is in flight");
    first();
    await third;
    assert.deepEqual(log, [["third", 6000]], "the answer at 5000 counts until 6000");
    second();
  });

  it("admits waiting requests in arrival order", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ limit: { requests: 1, windowMs: 100 }, now: clock.now, sleep: clock.sleep });
    const log: Array<[string, number]> = [];
    const pending = ["a", "b", "c", "d"].map((name) => track(limiter, clock, log, name));
    for (const slot of pending) (await slot)(); // each answered at once
    assert.deepEqual(log.map(([name]) => name), ["a", "b", "c", "d"]);
    assert.deepEqual(log.map(([, at]) => at), [0, 100, 200, 300]);
  });

  it("forgets answers older than the window", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ limit: { requests: 2, windowMs: 1000 }, now: clock.now, sleep: clock.sleep });
    for (const release of await Promise.all([limiter.acquire(), limiter.acquire()])) release();
    clock.at(1000);
    await Promise.all([limiter.acquire(), limiter.acquire()]);
    assert.deepEqual(clock.sleeps, []);
  });

  it("a release is counted once, however often it is called", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ limit: { requests: 2, windowMs: 1000 }, now: clock.now, sleep: clock.sleep });
    const release = await limiter.acquire();
    release();
    release();
    assert.equal(limiter.inFlight, 0);
    await limiter.acquire(); // one slot left: no wait
    assert.deepEqual(clock.sleeps, []);
  });

  it("a 429 pause holds back every request until it ends", async () => {
    const clock = fakeClock(10_000);
    const limiter = new RateLimiter({ limit: { requests: 100, windowMs: 1000 }, now: clock.now, sleep: clock.sleep });
    limiter.pause(2000);
    limiter.pause(500); // a shorter pause never shortens a longer one
    const log: Array<[string, number]> = [];
    await Promise.all([track(limiter, clock, log, "a"), track(limiter, clock, log, "b")]);
    assert.deepEqual(log, [["a", 12_000], ["b", 12_000]]);
    assert.deepEqual(clock.sleeps, [2000]);
  });

  it("does not impose a pause longer than maxPauseMs (the retry policy fails that request instead)", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ limit: { requests: 5, windowMs: 1000 }, now: clock.now, sleep: clock.sleep, maxPauseMs: 60_000 });
    limiter.pause(300_000);
    limiter.pause(0);
    limiter.pause(Number.NaN);
    limiter.pause(-5);
    await limiter.acquire();
    assert.deepEqual(clock.sleeps, []);
  });

  it("rejects a nonsensical limit", () => {
    assert.throws(() => new RateLimiter({ limit: { requests: 0, windowMs: 1000 } }), RangeError);
    assert.throws(() => new RateLimiter({ limit: { requests: 1.5, windowMs: 1000 } }), RangeError);
    assert.throws(() => new RateLimiter({ limit: { requests: 1, windowMs: 0 } }), RangeError);
  });

  it("defaults below Cloudflare's 1200 requests per 5 minutes", () => {
    assert.deepEqual(new RateLimiter().limit, DEFAULT_RATE_LIMIT);
    assert.equal(DEFAULT_RATE_LIMIT.windowMs, 300_000);
    assert.ok(DEFAULT_RATE_LIMIT.requests < 1200);
  });
});

describe("parseRateLimit", () => {
  it("reads <requests>/<seconds>", () => {
    assert.deepEqual(parseRateLimit("1000/300"), { requests: 1000, windowMs: 300_000 });
    assert.deepEqual(parseRateLimit(" 20 / 1s "), { requests: 20, windowMs: 1000 });
    assert.deepEqual(parseRateLimit("5/2.5"), { requests: 5, windowMs: 2500 });
  });

  it("turns limiting off on request", () => {
    for (const off of ["off", "OFF", "none", "0"]) assert.equal(parseRateLimit(off), undefined);
  });

  it("refuses anything else, naming the variable", () => {
    for (const bad of ["fast", "20", "20/0", "0/5", "-1/5", "20/1m", "1e3/300"]) {
      assert.throws(() => parseRateLimit(bad), new RegExp(RATE_LIMIT_ENV), bad);
    }
  });
});

describe("sharedRateLimiter", () => {
  it("gives each token its own budget, as Cloudflare counts per user token", () => {
    const a = sharedRateLimiter("https://shared-t.invalid/client/v4", "token-a", {});
    assert.equal(sharedRateLimiter("https://shared-t.invalid/client/v4", "token-a", {}), a);
    assert.notEqual(sharedRateLimiter("https://shared-t.invalid/client/v4", "token-b", {}), a);
  });

  it("is one limiter per base URL and token for the whole process", () => {
    const a = sharedRateLimiter("https://shared-a.invalid/client/v4", "token-a", {});
    assert.ok(a);
    assert.equal(sharedRateLimiter("https://shared-a.invalid/client/v4", "token-a", {}), a);
    assert.notEqual(sharedRateLimiter("https://shared-b.invalid/client/v4", "token-a", {}), a);
    assert.deepEqual(a.limit, DEFAULT_RATE_LIMIT);
  });

  it("takes its limit from the environment, or none when it says off", () => {
    const limiter = sharedRateLimiter("https://shared-c.invalid/client/v4", "token-a", { [RATE_LIMIT_ENV]: "20/1" });
    assert.deepEqual(limiter?.limit, { requests: 20, windowMs: 1000 });
    assert.equal(sharedRateLimiter("https://shared-d.invalid/client/v4", "token-a", { [RATE_LIMIT_ENV]: "off" }), undefined);
    assert.throws(() => sharedRateLimiter("https://shared-e.invalid/client/v4", "token-a", { [RATE_LIMIT_ENV]: "lots" }), /TURNSTILE_ROTATION_RATE_LIMIT/);
  });
});

describe("sendLimited", () => {
  it("gives the slot back when the request fails, and sends directly without a limiter", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ limit: { requests: 1, windowMs: 1000 }, now: clock.now, sleep: clock.sleep });
    await assert.rejects(sendLimited(limiter, clock.now, async () => { throw new Error("socket"); }), /socket/);
    assert.equal(limiter.inFlight, 0);
    assert.equal((await sendLimited(undefined, clock.now, async () => ({ status: 200, headers: {} }))).status, 200);
  });

  it("turns a 429's retry-after into a pause for everyone", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ limit: { requests: 10, windowMs: 1000 }, now: clock.now, sleep: clock.sleep });
    const answer = await sendLimited(limiter, clock.now, async () => ({ status: 429, headers: { "retry-after": "3" } }));
    assert.equal(answer.status, 429);
    await limiter.acquire();
    assert.deepEqual(clock.sleeps, [3000]);
  });
});

describe("TurnstileClient with a shared limiter, against the emulator", () => {
  let running: RunningEmulator;
  let clock: ManualClock;
  const clients: TurnstileClient[] = [];
  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 0, 1));
    running = await startEmulator({ clock });
  });
  afterEach(async () => {
    clients.splice(0).forEach((client) => client.close());
    await running.stop();
  });

  /** Clients whose sleeps (retry backoff and limiter) move the emulator's clock. */
  function makeClients(count: number, limiter: RateLimiter): TurnstileClient[] {
    const sleep = async (ms: number) => clock.advance(ms / 1000);
    for (let i = 0; i < count; i += 1) {
      clients.push(new TurnstileClient({
        apiToken: running.apiToken, baseUrl: running.baseUrl, rateLimiter: limiter,
        sleep, now: () => clock.now(), random: () => 0,
      }));
    }
    return clients.slice(-count);
  }

  it("keeps many concurrent requests of several clients inside the server's limit: no 429 at all", async () => {
    const widget = await createTestWidget(running);
    await setRateLimit(running, { requests: 4, windowSeconds: 10 });
    const limiter = new RateLimiter({ limit: { requests: 4, windowMs: 10_000 }, now: () => clock.now(), sleep: async (ms) => clock.advance(ms / 1000) });
    const [a, b] = makeClients(2, limiter);
    const reads = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).getWidget(running.accountId, widget.sitekey));
    await Promise.all(reads);
    const counts = running.emulator.store.requestCounts();
    assert.equal(counts.byRoute["widgets.get"], 12, "every request was sent once: none was refused and retried");
  });

  it("a 429 met by one client holds back the requests of every other client until its retry-after", async () => {
    const widget = await createTestWidget(running);
    await inject(running, { route: "widgets.get", kind: "rate_limit", retryAfterSeconds: 7 });
    const sleeps: number[] = [];
    const limiter = new RateLimiter({
      limit: { requests: 100, windowMs: 10_000 }, now: () => clock.now(),
      sleep: async (ms) => { sleeps.push(ms); clock.advance(ms / 1000); },
    });
    const [a, b] = makeClients(2, limiter);
    const noRetry = new TurnstileClient({ apiToken: running.apiToken, baseUrl: running.baseUrl, rateLimiter: limiter, now: () => clock.now(), retry: { retries: 0 } });
    clients.push(noRetry);
    await assert.rejects(noRetry.getWidget(running.accountId, widget.sitekey), RateLimitError);
    const refusedAt = clock.now();
    await Promise.all([a.getWidget(running.accountId, widget.sitekey), b.getWidget(running.accountId, widget.sitekey)]);
    assert.deepEqual(sleeps, [7000], "the others waited out the server's retry-after once, together");
    assert.equal(clock.now(), refusedAt + 7000);
    assert.equal(running.emulator.store.requestCounts().byRoute["widgets.get"], 3, "no other request was sent into the refusal");
  });

  it("the refused request itself is retried once the pause ends, and succeeds", async () => {
    const widget = await createTestWidget(running);
    await setRateLimit(running, { requests: 2, windowSeconds: 30 });
    // The limiter believes in a looser limit than the server's: the server's 429 must rein it in.
    const limiter = new RateLimiter({ limit: { requests: 100, windowMs: 30_000 }, now: () => clock.now(), sleep: async (ms) => clock.advance(ms / 1000) });
    const [client] = makeClients(1, limiter);
    for (let i = 0; i < 3; i += 1) await client.getWidget(running.accountId, widget.sitekey);
    assert.equal(running.emulator.store.requestCounts().byRoute["widgets.get"], 4, "3 reads, the third refused once and retried");
  });
});
