/**
 * TurnstileClient against a tiny scripted HTTP server, for answers the
 * emulator never gives: malformed bodies, redirects, and the exact request
 * the client sends.
 */
import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CloudflareApiError, TurnstileClient } from "../../../provider/cloudflare";
import { InvalidSettingError } from "../../../provider/core/errors";

const TOKEN = "stub_token_0123456789abcdefghijklmnopqrstu";

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Starts a server answering every request with `answer`; records what it saw. */
async function stub(answer: (seen: Seen) => { status: number; headers?: Record<string, string>; body: string }): Promise<{ server: Server; origin: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      const request = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      seen.push(request);
      const { status, headers = { "content-type": "application/json" }, body: out } = answer(request);
      res.writeHead(status, headers).end(out);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

const WIDGET = {
  sitekey: "0x4AAkey", secret: "0x4AAsecret_value_that_must_not_leak_1234", name: "n", domains: ["a.com"], mode: "managed",
  region: "world", clearance_level: "no_clearance", bot_fight_mode: false, ephemeral_id: false, offlabel: false,
  created_on: "2025-01-01T00:00:00Z", modified_on: "2025-01-01T00:00:00Z",
};

describe("TurnstileClient against a scripted server", () => {
  const servers: Server[] = [];
  const clients: TurnstileClient[] = [];
  afterEach(async () => {
    clients.splice(0).forEach((c) => c.close());
    await Promise.all(servers.splice(0).map(stop));
  });

  function clientFor(origin: string): TurnstileClient {
    const client = new TurnstileClient({ apiToken: TOKEN, baseUrl: `${origin}/client/v4/`, sleep: async () => {}, userAgent: "ua-test/1" });
    clients.push(client);
    return client;
  }

  it("sends the bearer token, user agent and JSON body to the encoded path", async () => {
    const { server, origin, seen } = await stub(() => ({ status: 200, body: JSON.stringify({ success: true, errors: [], messages: [], result: WIDGET }) }));
    servers.push(server);
    const widget = await clientFor(origin).rotateSecret("acc", "0x4AAkey", { invalidateImmediately: true });
    assert.equal(widget.secret, WIDGET.secret);
    assert.equal(seen.length, 1);
    assert.equal(seen[0].method, "POST");
    assert.equal(seen[0].url, "/client/v4/accounts/acc/challenges/widgets/0x4AAkey/rotate_secret");
    assert.equal(seen[0].headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(seen[0].headers["user-agent"], "ua-test/1");
    assert.deepEqual(JSON.parse(seen[0].body), { invalidate_immediately: true });
  });

  it("reports a 2xx with a wrongly shaped widget without quoting the secret", async () => {
    const { server, origin } = await stub(() => ({ status: 200, body: JSON.stringify({ success: true, result: { ...WIDGET, modified_on: 5 } }) }));
    servers.push(server);
    const error = await clientFor(origin).getWidget("acc", "0x4AAkey").catch((e: unknown) => e);
    assert.ok(error instanceof CloudflareApiError);
    assert.equal(error.status, 200);
    assert.match(error.message, /^200 unexpected answer: widget field "modified_on" should be an RFC 3339 timestamp but is a number: GET \/accounts\/acc/);
    assert.ok(!error.message.includes(WIDGET.secret));
  });

  it("accepts a widget with a null in a field nothing decides on (a committed rotation must not look failed)", async () => {
    const { server, origin } = await stub(() => ({ status: 200, body: JSON.stringify({ success: true, result: { ...WIDGET, name: null, domains: null } }) }));
    servers.push(server);
    const widget = await clientFor(origin).rotateSecret("acc", "0x4AAkey");
    assert.equal(widget.secret, WIDGET.secret);
  });

  it("reports a 2xx that is not a Cloudflare envelope", async () => {
    const { server, origin } = await stub(() => ({ status: 200, headers: { "content-type": "text/html" }, body: "<html>captive portal</html>" }));
    servers.push(server);
    const error = await clientFor(origin).getWidget("acc", "0x4AAkey").catch((e: unknown) => e);
    assert.ok(error instanceof CloudflareApiError);
    assert.match(error.message, /^200 the answer is not a Cloudflare v4 envelope: GET .* — check that baseUrl/);
  });

  it("never follows a redirect, so the token cannot be carried to another host", async () => {
    const elsewhere = await stub(() => ({ status: 200, body: "{}" }));
    const redirecting = await stub(() => ({ status: 307, headers: { location: `${elsewhere.origin}/steal` }, body: "" }));
    servers.push(elsewhere.server, redirecting.server);
    const error = await clientFor(redirecting.origin).getWidget("acc", "0x4AAkey").catch((e: unknown) => e);
    assert.ok(error instanceof CloudflareApiError);
    assert.equal(error.status, 307);
    assert.equal(elsewhere.seen.length, 0);
  });

  it("rejects unusable options without quoting the token", () => {
    assert.throws(() => new TurnstileClient({ apiToken: TOKEN, baseUrl: "ftp://x" }), /http or https/);
    assert.throws(() => new TurnstileClient({ apiToken: TOKEN, timeoutMs: 0 }), /timeoutMs/);
    assert.throws(() => new TurnstileClient({ apiToken: TOKEN, retry: { retries: -1 } }), /retry.retries/);
    assert.throws(() => new TurnstileClient({ apiToken: `${TOKEN}\n` }), (e: unknown) => e instanceof InvalidSettingError && !e.message.includes(TOKEN));
  });

  it("defaults to Cloudflare's API and keeps the token out of inspect and JSON", async () => {
    const { inspect } = await import("node:util");
    const client = new TurnstileClient({ apiToken: TOKEN });
    clients.push(client);
    assert.equal(client.baseUrl, "https://api.cloudflare.com/client/v4");
    assert.ok(!inspect(client, { showHidden: true, depth: Infinity }).includes(TOKEN));
    assert.ok(!JSON.stringify(client).includes(TOKEN));
  });
});
