/**
 * Small node:http helpers shared by all routes: bounded body reading, JSON
 * parsing that reports Cloudflare's malformed-JSON error, and JSON replies.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError, ErrorCodes } from "./types";
import { JsonSyntaxError, parseJsonText } from "./json-text";

/** Largest request body accepted; anything bigger is answered with 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Thrown when a body exceeds MAX_BODY_BYTES. */
export class BodyTooLargeError extends Error {
  constructor() {
    super(`request body exceeds ${MAX_BODY_BYTES} bytes`);
  }
}

/** Reads the whole request body as UTF-8 (at most MAX_BODY_BYTES). */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Parses a v4 JSON body. An empty body yields `undefined` (callers decide whether
 * that is allowed); invalid JSON is a 400 with code 6007 and pointer "" (the whole
 * document, per RFC 6901).
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return parseJsonText(text);
  } catch (err) {
    // Only the position: the body may hold secrets, and Cloudflare does not echo it either.
    const where = err instanceof JsonSyntaxError ? ` (error at ${err.where})` : "";
    throw ApiError.of(400, ErrorCodes.malformedJson, `Malformed JSON in request body${where}`, "");
  }
}

/** Sends `payload` as it is, with a correct content-length (so even a cut JSON text arrives whole). */
export function sendRaw(res: ServerResponse, status: number, contentType: string, payload: string,
  headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

/** Sends `body` as JSON with the given status and extra headers. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendRaw(res, status, "application/json; charset=utf-8", JSON.stringify(body), headers);
}

/** Resolves after `ms` real milliseconds (latency faults only; everything else uses the clock). */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
