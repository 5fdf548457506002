/**
 * POST /turnstile/v0/siteverify. Accepts what real servers send: form-encoded,
 * JSON, or multipart FormData (Cloudflare's own Workers example uses FormData).
 * Siteverify answers 200 even for failed validations; the verdict is in the body.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { applyFault } from "./faulting";
import { finishAnswer } from "./after-commit";
import { readBody, sendJson } from "../http";
import { siteverifyFailure, verify, type SiteverifyInput } from "../siteverify";
import { isRecord } from "../validation";
import type { EmulatorContext } from "../context";

/** Path of the siteverify endpoint. */
export const SITEVERIFY_PATH = "/turnstile/v0/siteverify";

const FIELDS = ["secret", "response", "remoteip", "idempotency_key"] as const;

/** Minimal multipart/form-data reader for text fields. */
function parseMultipart(body: string, boundary: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of body.split(`--${boundary}`)) {
    const split = part.indexOf("\r\n\r\n");
    if (split < 0) continue;
    const name = /name="([^"]*)"/i.exec(part.slice(0, split))?.[1];
    if (name !== undefined) fields.set(name, part.slice(split + 4).replace(/\r\n$/, ""));
  }
  return fields;
}

/** Reads the four siteverify fields; `undefined` means the body could not be understood. */
export function parseSiteverifyBody(contentType: string, text: string): SiteverifyInput | undefined {
  const input: SiteverifyInput = {};
  if (/^application\/json/i.test(contentType)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (!isRecord(parsed)) return undefined;
    for (const field of FIELDS) {
      const value = parsed[field];
      if (value === undefined || value === null) continue;
      if (typeof value !== "string") return undefined;
      input[field] = value;
    }
    return input;
  }
  const boundary = /^multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  const fields = boundary ? parseMultipart(text, boundary) : new URLSearchParams(text);
  for (const field of FIELDS) {
    const value = fields.get(field);
    if (value !== null && value !== undefined) input[field] = value;
  }
  return input;
}

/** Answers one siteverify request. */
export async function serveSiteverify(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  if (method !== "POST") {
    ctx.store.requests.countUnmatched();
    sendJson(res, 405, siteverifyFailure("bad-request"), { allow: "POST" });
    return;
  }
  ctx.store.requests.countRoute("siteverify");
  const outcome = await applyFault(ctx.faults.take("siteverify", method), res, "siteverify");
  if (outcome.action === "done") return;
  const input = parseSiteverifyBody(req.headers["content-type"] ?? "", await readBody(req));
  const result = input ? verify(ctx.store, ctx.clock, input) : siteverifyFailure("bad-request");
  finishAnswer(res, { status: 200, body: result, headers: {} }, outcome.afterCommit, "siteverify");
}
