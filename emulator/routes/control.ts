/**
 * Test-only control routes under /emulator (never under /client/v4, so no SDK
 * can reach them by accident). No authentication: the emulator binds to
 * loopback unless told otherwise. Errors are `{ "error": "..." }` with 4xx.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { rfc3339 } from "../clock";
import { FaultSpecError, parseFaultSpec } from "../fault-spec";
import { readBody, sendJson } from "../http";
import { isValidRateLimit } from "../ratelimit";
import { rotationView } from "../rotation-log";
import { TESTING } from "../siteverify";
import { isRecord } from "../validation";
import type { EmulatorContext } from "../context";

/** Prefix of every control route. */
export const CONTROL_PREFIX = "/emulator";

class ControlError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ControlError(400, "body must be valid JSON");
  }
  if (!isRecord(parsed)) throw new ControlError(400, "body must be a JSON object");
  return parsed;
}

function optionalString(body: Record<string, unknown>, key: string, fallback: string): string {
  const value = body[key];
  if (value === undefined) return fallback;
  if (typeof value !== "string") throw new ControlError(400, `${key} must be a string`);
  return value;
}

async function route(ctx: EmulatorContext, method: string, url: URL, req: IncomingMessage): Promise<unknown> {
  const path = url.pathname.slice(CONTROL_PREFIX.length);
  const key = `${method} ${path}`;
  switch (key) {
    case "GET /clock":
      return { now: rfc3339(ctx.clock.now()) };
    case "POST /clock/advance": {
      const { seconds } = await jsonBody(req);
      if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) {
        throw new ControlError(400, "seconds must be a number >= 0");
      }
      ctx.clock.advance(seconds);
      return { now: rfc3339(ctx.clock.now()) };
    }
    case "GET /faults":
      return { faults: ctx.faults.list() };
    case "POST /faults": {
      const fault = parseFaultSpec(await jsonBody(req));
      ctx.faults.add(fault);
      return { fault };
    }
    case "DELETE /faults":
      ctx.faults.clear();
      return { faults: [] };
    case "GET /rate-limit":
      return ctx.rateLimiter.limit;
    case "POST /rate-limit": {
      const { requests, windowSeconds } = await jsonBody(req);
      const config = { requests: Number(requests), windowSeconds: Number(windowSeconds) };
      if (typeof requests !== "number" || typeof windowSeconds !== "number" || !isValidRateLimit(config)) {
        throw new ControlError(400, "requests must be an integer >= 1 and windowSeconds a number > 0");
      }
      ctx.rateLimiter.configure(config);
      return ctx.rateLimiter.limit;
    }
    case "GET /requests":
      return ctx.store.requestCounts();
    case "GET /rotations": {
      // Without secret values: a control route's answer may end up in a test log.
      const sitekey = url.searchParams.get("sitekey") ?? undefined;
      return { rotations: ctx.store.rotations(sitekey).map(rotationView) };
    }
    case "POST /reset":
      ctx.store.reset();
      ctx.faults.clear();
      ctx.rateLimiter.reset();
      return { ok: true };
    case "POST /tokens": {
      const body = await jsonBody(req);
      const sitekey = optionalString(body, "sitekey", "");
      if (sitekey === TESTING.passSitekey || sitekey === TESTING.interactiveSitekey) return { token: TESTING.dummyToken };
      if (sitekey === TESTING.failSitekey) throw new ControlError(422, `testing sitekey ${sitekey} always fails; no token is issued`);
      const widget = ctx.store.findBySitekey(sitekey);
      if (!widget) throw new ControlError(404, `no widget with sitekey "${sitekey}"`);
      const minted = ctx.store.visitorTokens.mint(sitekey, {
        hostname: optionalString(body, "hostname", widget.domains[0] ?? "example.com"),
        action: optionalString(body, "action", ""),
        cdata: optionalString(body, "cdata", ""),
      });
      return { token: minted.token };
    }
    default:
      throw new ControlError(404, `no control route ${method} ${CONTROL_PREFIX}${path}`);
  }
}

/** Answers one request whose path starts with /emulator/. */
export async function serveControl(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  try {
    sendJson(res, 200, await route(ctx, method, url, req));
  } catch (err) {
    if (err instanceof ControlError) return sendJson(res, err.status, { error: err.message });
    if (err instanceof FaultSpecError || err instanceof RangeError) return sendJson(res, 400, { error: err.message });
    throw err;
  }
}
