/**
 * The /client/v4 widgets API. One pipeline per request, in the order a real
 * client would notice: route match -> count -> injected fault -> rate limit ->
 * Authorization header -> account id -> token scope -> body -> operation.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { applyFault } from "./faulting";
import { finishAnswer, type Reply } from "./after-commit";
import { authenticationError, authorize, bearerToken, isKnownToken } from "../auth";
import { failure, success } from "../envelope";
import { delay, parseJsonBody, readBody } from "../http";
import { randomBytes } from "node:crypto";
import { ApiError, ErrorCodes, type RouteKey } from "../types";
import { isAccountId, parseListQuery, parseRotateInput, parseWidgetInput } from "../validation";
import type { EmulatorContext } from "../context";
import type { QueuedFault } from "../fault-spec";

/** API prefix every Cloudflare route lives under. */
export const API_PREFIX = "/client/v4";

/** A request resolved to a widgets route. */
export interface CloudflareMatch {
  route: RouteKey;
  accountId: string;
  sitekey?: string;
}

function notFound(path: string): ApiError {
  return ApiError.of(404, ErrorCodes.noRoute, `No route for that URI: ${path}`);
}

function methodNotAllowed(allow: string[]): ApiError {
  return ApiError.of(405, ErrorCodes.methodNotAllowed, "Method not allowed for this resource", undefined,
    { allow: allow.join(", ") });
}

/** One path segment decoded; a malformed percent-encoding names no route, so it is a 404, not a crash. */
function decodeSegment(segment: string, path: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw notFound(API_PREFIX + path);
  }
}

/** Maps method + path (below /client/v4) to a route key; throws 404/405 envelopes otherwise. */
export function matchCloudflareRoute(method: string, path: string): CloudflareMatch {
  const segments = path.split("/").filter((s) => s !== "").map((s) => decodeSegment(s, path));
  const [accounts, accountId, challenges, widgets, sitekey, action] = segments;
  if (accounts !== "accounts" || challenges !== "challenges" || widgets !== "widgets" || segments.length > 6) {
    throw notFound(API_PREFIX + path);
  }
  if (segments.length === 4) {
    if (method === "GET") return { route: "widgets.list", accountId };
    if (method === "POST") return { route: "widgets.create", accountId };
    throw methodNotAllowed(["GET", "POST"]);
  }
  if (segments.length === 5) {
    if (method === "GET") return { route: "widgets.get", accountId, sitekey };
    if (method === "PUT") return { route: "widgets.update", accountId, sitekey };
    if (method === "DELETE") return { route: "widgets.delete", accountId, sitekey };
    throw methodNotAllowed(["GET", "PUT", "DELETE"]);
  }
  if (action !== "rotate_secret") throw notFound(API_PREFIX + path);
  if (method === "POST") return { route: "widgets.rotate_secret", accountId, sitekey };
  throw methodNotAllowed(["POST"]);
}

/** matchCloudflareRoute, counting the request under its route, or as unmatched when it has none. */
function countedMatch(ctx: EmulatorContext, method: string, path: string): CloudflareMatch {
  let match: CloudflareMatch;
  try {
    match = matchCloudflareRoute(method, path);
  } catch (err) {
    ctx.store.requests.countUnmatched();
    throw err;
  }
  ctx.store.requests.countRoute(match.route);
  return match;
}

/**
 * Runs the operation behind a matched route and returns the success envelope. `body` is the
 * request body when it was read already (a late commit reads it before waiting).
 */
async function execute(ctx: EmulatorContext, match: CloudflareMatch, req: IncomingMessage, url: URL, body?: string): Promise<unknown> {
  const { store } = ctx;
  const { accountId } = match;
  const sitekey = match.sitekey ?? "";
  const readBodyOnce = () => (body === undefined ? readBody(req) : Promise.resolve(body));
  switch (match.route) {
    case "widgets.list": {
      const { items, info } = store.list(accountId, parseListQuery(url.searchParams));
      return success(items, info);
    }
    case "widgets.create":
      return success(store.create(accountId, parseWidgetInput(parseJsonBody(await readBodyOnce()))));
    case "widgets.get":
      return success(store.get(accountId, sitekey));
    case "widgets.update":
      return success(store.update(accountId, sitekey, parseWidgetInput(parseJsonBody(await readBodyOnce()))));
    case "widgets.delete":
      return success(store.delete(accountId, sitekey));
    case "widgets.rotate_secret": {
      const { invalidateImmediately } = parseRotateInput(parseJsonBody(await readBodyOnce()));
      const rotated = store.rotateSecret(accountId, sitekey, invalidateImmediately);
      store.requests.countRotation();
      return success(rotated);
    }
    case "siteverify":
      throw notFound(url.pathname);
  }
}

/** Rate limit, Authorization header, account id and token scope, in the order a real client would notice. */
function checkAccess(ctx: EmulatorContext, req: IncomingMessage, match: CloudflareMatch): void {
  const token = bearerToken(req.headers.authorization);
  const decision = ctx.rateLimiter.check(token ?? "anonymous");
  if (!decision.allowed) {
    throw ApiError.of(429, ErrorCodes.rateLimited, "Please wait and consider throttling your request speed",
      undefined, { "retry-after": String(decision.retryAfterSeconds) });
  }
  if (!isAccountId(match.accountId)) {
    // Strangers get 403 first, so a bad id reveals nothing to them.
    if (!isKnownToken(ctx.auth, token)) throw authenticationError();
    throw ApiError.of(400, ErrorCodes.invalidIdentifier,
      `Could not route to ${API_PREFIX}/accounts/${match.accountId}/challenges/widgets, perhaps your object identifier is invalid? (account ids are 32 lowercase hex characters)`);
  }
  authorize(ctx.auth, token, match.accountId);
}

/**
 * What another actor does to the request's widget just before it runs (a `rival` fault): what
 * it would meet at Cloudflare, refusals included (a rotation inside a grace period does nothing).
 */
function actAsRival(ctx: EmulatorContext, match: CloudflareMatch, fault: QueuedFault): void {
  const record = match.sitekey === undefined ? undefined : ctx.store.findBySitekey(match.sitekey);
  if (!record) return;
  try {
    if (fault.action === "delete") ctx.store.delete(record.accountId, record.sitekey);
    else if (fault.action === "edit") ctx.store.update(record.accountId, record.sitekey, { name: `${record.name} (edited)`, domains: record.domains, mode: record.mode });
    else ctx.store.rotateSecret(record.accountId, record.sitekey, fault.action === "rotate_immediately");
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
  }
}

/** The sitekey of a list answer's first widget, if any. */
function firstListed(body: unknown): string | undefined {
  const first = (body as { result?: Array<{ sitekey?: string }> }).result?.[0];
  return first?.sitekey;
}

/** Answers one request whose path starts with /client/v4. */
export async function serveCloudflare(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  // Ray ids come from node:crypto, not ctx.random, so they never shift the seeded key sequence.
  const ray = { "cf-ray": `${randomBytes(8).toString("hex")}-EMU` };
  const method = (req.method ?? "GET").toUpperCase();
  let afterCommit: QueuedFault | undefined;
  let reply: Reply;
  try {
    const match = countedMatch(ctx, method, url.pathname.slice(API_PREFIX.length));
    const outcome = await applyFault(ctx.faults.take(match.route, method), res, "v4");
    if (outcome.action === "done") return;
    afterCommit = outcome.afterCommit;
    const rival = outcome.rival;
    if (rival && match.route !== "widgets.list") actAsRival(ctx, match, rival);
    let body: string | undefined;
    if (afterCommit?.kind === "commit_late") {
      // The client may give up and close the socket meanwhile: its request still runs, later.
      body = method === "GET" ? "" : await readBody(req);
      await delay(afterCommit.latencyMs);
    }
    checkAccess(ctx, req, match);
    reply = { status: 200, body: await execute(ctx, match, req, url, body), headers: ray };
    if (rival && match.route === "widgets.list") actAsRival(ctx, { ...match, sitekey: firstListed(reply.body) }, rival);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    reply = { status: err.status, body: failure(err.errors), headers: { ...ray, ...err.headers } };
  }
  finishAnswer(res, reply, afterCommit, "v4");
}
