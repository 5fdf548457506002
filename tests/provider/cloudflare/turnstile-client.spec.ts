/**
 * TurnstileClient against the real emulator over HTTP. Retry sleeps are
 * injected (recorded, not waited), so retried cases run instantly.
 */
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { inspect } from "node:util";
import {
  AuthenticationError, CloudflareApiError, ConnectionError, NotFoundError, RateLimitError, ServerError, TurnstileClient,
  type TurnstileClientOptions,
} from "../../../provider/cloudflare";
import { GRACE_PERIOD_MS, type FaultSpec } from "../../../emulator";
import { inject, requestCounts } from "../../helpers/control";
import { createTestWidget, startEmulator, type RunningEmulator } from "../../helpers/emulator";

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

function visible(value: unknown): string {
  const asError = value instanceof Error ? `${value.message}\n${value.stack}\n${JSON.stringify(value.cause)}` : "";
  return `${asError}\n${JSON.stringify(value)}\n${inspect(value, { showHidden: true, depth: Infinity, getters: true })}`;
}

async function failure(promise: Promise<unknown>): Promise<CloudflareApiError> {
  const outcome = await promise.then((value) => ({ value }), (error: unknown) => ({ error }));
  if (!("error" in outcome)) assert.fail("expected the call to fail");
  assert.ok(outcome.error instanceof CloudflareApiError, `expected a CloudflareApiError, got ${String(outcome.error)}`);
  return outcome.error;
}

describe("TurnstileClient against the emulator", function () {
  let running: RunningEmulator;
  let client: TurnstileClient;
  let sleeps: number[];

  function makeClient(overrides: Partial<TurnstileClientOptions> = {}): TurnstileClient {
    return new TurnstileClient({
      apiToken: running.apiToken,
      baseUrl: running.baseUrl,
      sleep: async (ms) => void sleeps.push(ms),
      random: () => 0, // no jitter: backoff waits are exact
      ...overrides,
    });
  }

  const fault = (spec: FaultSpec) => inject(running, spec);
  const requests = () => requestCounts(running);

  beforeEach(async () => {
    running = await startEmulator();
    sleeps = [];
    client = makeClient();
  });

  afterEach(async () => {
    client.close();
    await running.stop();
  });

  describe("round trips", () => {
    it("gets a widget with its secret", async () => {
      const created = await createTestWidget(running, { name: "login form", domains: ["example.com", "203.0.113.1"] });
      const widget = await client.getWidget(running.accountId, created.sitekey);
      assert.equal(widget.sitekey, created.sitekey);
      assert.equal(widget.secret, created.secret);
      assert.equal(widget.name, "login form");
      assert.deepEqual(widget.domains, ["example.com", "203.0.113.1"]);
    });

    it("rotates the secret once and returns the new one", async () => {
      const created = await createTestWidget(running);
      const rotated = await client.rotateSecret(running.accountId, created.sitekey, { invalidateImmediately: false });
      assert.equal(rotated.sitekey, created.sitekey);
      assert.ok(rotated.secret && rotated.secret !== created.secret);
      assert.equal((await client.getWidget(running.accountId, created.sitekey)).secret, rotated.secret);
      assert.equal((await requests()).byRoute["widgets.rotate_secret"], 1);
    });
  });

  describe("failures", () => {
    it("a wrong token is an AuthenticationError with the fix and no token anywhere", async () => {
      const created = await createTestWidget(running);
      const wrongToken = "wrong_token_0123456789abcdefghijklmnop";
      const wrong = makeClient({ apiToken: wrongToken });
      try {
        const error = await failure(wrong.rotateSecret(running.accountId, created.sitekey));
        assert.ok(error instanceof AuthenticationError);
        assert.equal(error.status, 403);
        assert.match(error.message, /^403 Authentication error \(code 10000\): POST \/accounts\/.*\/rotate_secret — check that CLOUDFLARE_API_TOKEN/);
        for (const token of [wrongToken, running.apiToken]) {
          assert.ok(!visible(error).includes(token), "token leaked into the error");
          assert.ok(!visible(wrong).includes(token) && !visible(client).includes(token), "token leaked from the client");
        }
        assert.deepEqual(sleeps, [], "authentication errors are not retried");
      } finally {
        wrong.close();
      }
    });

    it("an unknown sitekey is a NotFoundError", async () => {
      const error = await failure(client.getWidget(running.accountId, "0x4AAAAAAAnotthere"));
      assert.ok(error instanceof NotFoundError);
      assert.equal(error.errors[0]?.code, 10404);
      assert.match(error.message, / — check the accountId/);
    });

    it("a rotation inside the grace period is refused with Cloudflare's message, and not repeated", async () => {
      const created = await createTestWidget(running);
      await client.rotateSecret(running.accountId, created.sitekey);
      const error = await failure(client.rotateSecret(running.accountId, created.sitekey));
      assert.ok(error.status !== undefined && (error.status < 200 || error.status >= 300));
      assert.match(error.message, /grace period/);
      assert.ok(error.errors.length > 0);
      assert.equal((await requests()).byRoute["widgets.rotate_secret"], 2);
      running.advanceClock(GRACE_PERIOD_MS / 1000 + 1);
      const later = await client.rotateSecret(running.accountId, created.sitekey);
      assert.ok(later.secret);
    });

    it("a 429 is retried after its retry-after, even for a rotation", async () => {
      const created = await createTestWidget(running);
      await fault({ route: "widgets.rotate_secret", kind: "rate_limit", retryAfterSeconds: 7 });
      const rotated = await client.rotateSecret(running.accountId, created.sitekey);
      assert.ok(rotated.secret && rotated.secret !== created.secret);
      assert.deepEqual(sleeps, [7000]);
      assert.equal((await requests()).byRoute["widgets.rotate_secret"], 2);
    });

    it("a 429 whose retry-after passes the deadline fails at once as a RateLimitError", async () => {
      const created = await createTestWidget(running);
      await fault({ route: "widgets.get", kind: "rate_limit", retryAfterSeconds: 300 });
      const error = await failure(client.getWidget(running.accountId, created.sitekey));
      assert.ok(error instanceof RateLimitError);
      assert.equal(error.retryAfterMs, 300_000);
      assert.deepEqual(sleeps, []);
    });

    it("a 5xx on get is retried with backoff", async () => {
      const created = await createTestWidget(running);
      await fault({ route: "widgets.get", kind: "status", status: 503, times: 2 });
      const widget = await client.getWidget(running.accountId, created.sitekey);
      assert.equal(widget.secret, created.secret);
      assert.deepEqual(sleeps, [500, 1000]);
      assert.equal((await requests()).byRoute["widgets.get"], 3);
    });

    it("a 5xx on rotate is NOT retried: the rotation may have happened", async () => {
      const created = await createTestWidget(running);
      await fault({ route: "widgets.rotate_secret", kind: "status", status: 502 });
      const error = await failure(client.rotateSecret(running.accountId, created.sitekey));
      assert.ok(error instanceof ServerError);
      assert.match(error.message, /^502 .*: POST .*rotate_secret — .*may still have been applied/);
      assert.deepEqual(sleeps, []);
      assert.equal((await requests()).byRoute["widgets.rotate_secret"], 1);
    });

    it("a dropped answer after a committed rotation is an ambiguous ConnectionError, not retried", async () => {
      const created = await createTestWidget(running);
      await fault({ route: "widgets.rotate_secret", kind: "commit_drop" });
      const error = await failure(client.rotateSecret(running.accountId, created.sitekey));
      assert.ok(error instanceof ConnectionError && error.ambiguous);
      assert.equal((await requests()).byRoute["widgets.rotate_secret"], 1);
      // Why it must not be retried: the rotation did happen.
      assert.notEqual((await client.getWidget(running.accountId, created.sitekey)).secret, created.secret);
    });

    it("a reset on get is retried", async () => {
      const created = await createTestWidget(running);
      await fault({ route: "widgets.get", kind: "reset" });
      assert.equal((await client.getWidget(running.accountId, created.sitekey)).sitekey, created.sitekey);
      assert.equal((await requests()).byRoute["widgets.get"], 2);
    });

    it("a timeout is retried on get but not on rotate", async () => {
      const created = await createTestWidget(running);
      const impatient = makeClient({ timeoutMs: 100 });
      try {
        await fault({ route: "widgets.get", kind: "latency", latencyMs: 400 });
        assert.equal((await impatient.getWidget(running.accountId, created.sitekey)).sitekey, created.sitekey);
        await fault({ route: "widgets.rotate_secret", kind: "latency", latencyMs: 400 });
        const error = await failure(impatient.rotateSecret(running.accountId, created.sitekey));
        assert.ok(error instanceof ConnectionError && error.ambiguous);
        const counts = await requests();
        assert.equal(counts.byRoute["widgets.get"], 2);
        assert.equal(counts.byRoute["widgets.rotate_secret"], 1);
      } finally {
        impatient.close();
      }
    });

    it("a refused connection is retried even for a rotation, then reported as not ambiguous", async () => {
      const offline = makeClient({ baseUrl: `http://127.0.0.1:${await closedPort()}/client/v4` });
      try {
        const error = await failure(offline.rotateSecret(running.accountId, "0x4AAkey"));
        assert.ok(error instanceof ConnectionError && !error.ambiguous);
        assert.equal(error.cause?.code, "ECONNREFUSED");
        assert.equal(sleeps.length, 4, "all four retries were used");
        assert.ok(!visible(error).includes(running.apiToken));
      } finally {
        offline.close();
      }
    });
  });

  describe("the transport's limits", () => {
    it("an answer larger than any widget is cut off, not buffered, and named as such (ambiguous, like any unusable answer)", async () => {
      const { sitekey } = await createTestWidget(running);
      await fault({ route: "widgets.rotate_secret", kind: "commit_garble", body: "oversized" });
      const error = await failure(client.rotateSecret(running.accountId, sitekey));
      assert.ok(error instanceof ConnectionError && error.ambiguous);
      assert.equal(error.cause?.code, "ERR_ANSWER_TOO_LARGE");
      assert.match(error.message, /larger than 8 MiB/);
    });

    it("an injected transport carries every request and fires the per-attempt deadline", async () => {
      const { sitekey } = await createTestWidget(running);
      const before = await requests();
      const sent: string[] = [];
      let abort: AbortController | undefined;
      const played = makeClient({
        transport: {
          deadline: () => (abort = new AbortController()).signal,
          adapter: async (config) => {
            sent.push(`${config.method} ${config.url}`);
            abort?.abort(); // the deadline fires before any answer
            throw new Error("aborted");
          },
        },
      });
      const error = await failure(played.getWidget(running.accountId, sitekey));
      assert.equal(error.cause?.code, "ETIMEDOUT");
      assert.ok(sent.length > 1 && sent.every((line) => line.startsWith("get ")), "a read is retried after a deadline");
      assert.deepEqual(await requests(), before, "nothing reached the emulator");
    });
  });

  describe("hostile sitekeys", () => {
    for (const sitekey of ["../x", "a?b", "a#b", "ключ✓", "a/b", "%2e%2e", "../../../accounts"]) {
      it(`${JSON.stringify(sitekey)} reaches only the intended route, as one segment`, async () => {
        const read = await failure(client.getWidget(running.accountId, sitekey));
        assert.ok(read instanceof NotFoundError);
        assert.equal(read.errors[0]?.code, 10404, "widget-not-found, not no-such-route");
        assert.ok(read.errors[0]?.message.includes(JSON.stringify(sitekey)), "the emulator decoded the same sitekey");
        assert.deepEqual(await requests(), { total: 1, byRoute: { "widgets.get": 1 }, unmatched: 0, rotations: 0 });

        const rotate = await failure(client.rotateSecret(running.accountId, sitekey));
        assert.ok(rotate instanceof NotFoundError);
        assert.deepEqual(await requests(), { total: 2, byRoute: { "widgets.get": 1, "widgets.rotate_secret": 1 }, unmatched: 0, rotations: 0 });
      });
    }

    it("dot segments and empty sitekeys are refused before any request", async () => {
      for (const sitekey of ["", ".", ".."]) {
        await assert.rejects(client.rotateSecret(running.accountId, sitekey), TypeError);
        await assert.rejects(client.getWidget(running.accountId, sitekey), TypeError);
      }
      assert.equal((await requests()).total, 0);
    });
  });
});
