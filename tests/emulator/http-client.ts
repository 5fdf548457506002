/**
 * Tiny fetch wrapper for the emulator specs: sends JSON to the emulator and
 * returns status, headers and parsed body so assertions stay one-liners.
 */
import type { RunningEmulator } from "../helpers/emulator";

/** A parsed HTTP answer. */
export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** v4 error item as the emulator sends it. */
export interface V4Error {
  code: number;
  message: string;
  source?: { pointer: string };
  error_chain?: Array<{ code: number; message: string }>;
}

/** Sends a request to `origin + path`; `body` is JSON-encoded unless it is a string. */
export async function call(
  running: Pick<RunningEmulator, "origin">,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)["content-type"] ??= "application/json";
  }
  const response = await fetch(running.origin + path, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === "" ? undefined : JSON.parse(text) };
}

/** Calls a /client/v4 widgets path of the running emulator's default account with its API token. */
export function api(running: RunningEmulator, method: string, subpath: string, body?: unknown,
  options: { token?: string | null; accountId?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const account = options.accountId ?? running.accountId;
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? running.apiToken : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  return call(running, method, `/client/v4/accounts/${account}/challenges/widgets${subpath}`, body, headers);
}

/** Asserts-friendly view of a v4 failure: [status, code, pointer?]. */
export function firstError(reply: Reply): V4Error {
  const errors = (reply.body as { errors?: V4Error[] }).errors;
  if (!errors || errors.length === 0) throw new Error(`expected errors, got ${JSON.stringify(reply.body)}`);
  return errors[0];
}
