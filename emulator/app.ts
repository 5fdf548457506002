/**
 * createEmulator: wires clock, randomness, store, faults, rate limit, auth and
 * persistence into an (unstarted) node:http server.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { SystemClock, type Clock } from "./clock";
import { cryptoRandom, type RandomSource } from "./random";
import { WidgetStore } from "./store";
import { FaultQueue } from "./faults";
import { DEFAULT_RATE_LIMIT, RateLimiter } from "./ratelimit";
import { createStateFile, loadState, saveState } from "./persistence";
import { BodyTooLargeError, sendJson } from "./http";
import { API_PREFIX, serveCloudflare } from "./routes/cloudflare";
import { SITEVERIFY_PATH, serveSiteverify } from "./routes/siteverify";
import { CONTROL_PREFIX, serveControl } from "./routes/control";
import { failure } from "./envelope";
import { ErrorCodes } from "./types";
import type { EmulatorContext } from "./context";

/** Options of createEmulator. At least one of `apiToken` / `tokens` is required. */
export interface EmulatorOptions {
  /** One token valid for every account. */
  apiToken?: string;
  /** token -> account ids it may touch (a token for A cannot touch B). */
  tokens?: Record<string, string[]>;
  /** Time source; default real time (advanceable). */
  clock?: Clock;
  /** Random source in [0, 1); default node:crypto. */
  random?: () => number;
  /** Optional JSON persistence file. */
  statePath?: string;
  /** Request limit per token; default 1200 per 300 s. */
  rateLimit?: { requests: number; windowSeconds: number };
}

/** A configured emulator. `server` is not listening until `listen` is called. */
export interface Emulator {
  readonly server: Server;
  readonly store: WidgetStore;
  readonly clock: Clock;
  readonly faults: FaultQueue;
  readonly rateLimiter: RateLimiter;
  /** Starts listening (port default 0 = any free port, host default 127.0.0.1). */
  listen(port?: number, host?: string): Promise<{ origin: string; baseUrl: string }>;
  /** Stops accepting, drops open connections, and resolves when closed. */
  close(): Promise<void>;
}

/** The request target as a URL; undefined for a target no URL parser accepts (e.g. `http://[`). */
function requestUrl(target: string): URL | undefined {
  try {
    return new URL(target, "http://emulator.invalid");
  } catch {
    return undefined;
  }
}

/** Builds an emulator without starting it. Throws StateFileError for an unusable state file. */
export function createEmulator(options: EmulatorOptions): Emulator {
  if (options.apiToken === undefined && options.tokens === undefined) {
    throw new Error("createEmulator needs apiToken or tokens: every /client/v4 call is authenticated");
  }
  if (options.apiToken !== undefined && options.apiToken.trim() === "") throw new Error("apiToken must not be empty");
  const clock = options.clock ?? new SystemClock();
  const random: RandomSource = options.random ?? cryptoRandom;
  const store = new WidgetStore(clock, random);
  const { statePath } = options;
  if (statePath !== undefined) {
    const loaded = loadState(statePath);
    if (loaded) store.restore(loaded);
    else createStateFile(statePath, store.snapshot()); // fail now, not on the first mutation
    store.onChange = () => saveState(statePath, store.snapshot());
  }
  const ctx: EmulatorContext = {
    store, clock, random,
    faults: new FaultQueue(),
    rateLimiter: new RateLimiter(clock, options.rateLimit ?? DEFAULT_RATE_LIMIT),
    auth: { apiToken: options.apiToken, tokens: options.tokens },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Like Cloudflare's, the Date header tells the server's time: here the emulator's own clock.
    res.setHeader("date", new Date(clock.now()).toUTCString());
    const url = requestUrl(req.url ?? "/");
    if (!url) {
      store.requests.countUnmatched();
      sendJson(res, 400, failure([{ code: ErrorCodes.noRoute, message: "Malformed request target" }]));
      return;
    }
    url.pathname = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
    const path = url.pathname;
    if (path === API_PREFIX || path.startsWith(API_PREFIX + "/")) return serveCloudflare(ctx, req, res, url);
    if (path === SITEVERIFY_PATH) return serveSiteverify(ctx, req, res);
    if (path.startsWith(CONTROL_PREFIX + "/")) return serveControl(ctx, req, res, url);
    store.requests.countUnmatched(); // e.g. a base URL missing /client/v4: still an API call a test must see
    sendJson(res, 404, { error: `no route ${req.method ?? "GET"} ${path}` });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent || res.destroyed) return;
      if (err instanceof BodyTooLargeError) {
        sendJson(res, 413, failure([{ code: ErrorCodes.validation, message: err.message }]));
        return;
      }
      // Unexpected: answer like Cloudflare's 500 without leaking request data.
      sendJson(res, 500, failure([{ code: ErrorCodes.serviceUnavailable, message: "Internal emulator error" }]));
      process.emitWarning(`turnstile emulator: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    });
  });

  return {
    server, store, clock,
    faults: ctx.faults,
    rateLimiter: ctx.rateLimiter,
    listen(port = 0, host = "127.0.0.1") {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          const address = server.address() as AddressInfo;
          const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
          const origin = `http://${shownHost}:${address.port}`;
          resolve({ origin, baseUrl: origin + API_PREFIX });
        });
      });
    },
    close() {
      return new Promise((resolve, reject) => {
        if (!server.listening) return resolve();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
