/**
 * How the client's requests travel and when it stops waiting for one: the per-attempt deadline,
 * the largest answer it reads, and the failures those limits produce (both ambiguous: the
 * request may have reached Cloudflare). A test that plays the network injects the transport.
 */
import { isAxiosError, type AxiosAdapter } from "axios";

/**
 * Deadline of one HTTP attempt, from sending to the whole answer: Cloudflare answers in well under
 * a second, so 30 s means it is not coming. A deadline, not an idle timer: a server that trickles
 * bytes or holds the socket open cannot stretch it.
 */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Largest answer body read: a widget answer is about 1 KB and a list page of 1000 widgets under
 * 1 MB, so anything past 8 MiB is not Cloudflare's answer and is cut off instead of buffered.
 */
export const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

/**
 * How requests travel. Real-world defaults; a test that plays the network (requests in flight,
 * late commits, deadlines firing) injects both.
 */
export interface ClientTransport {
  /** Sends one request (default: axios's Node.js HTTP adapter). */
  readonly adapter?: AxiosAdapter;
  /** The signal that aborts one attempt after `ms` (default: `AbortSignal.timeout`). */
  readonly deadline?: (ms: number) => AbortSignal;
}

/** The failure of an attempt that passed its deadline: ambiguous, like any lost answer. */
export function timedOut(ms: number): Error {
  return Object.assign(new Error(`no complete answer within ${ms / 1000} s`), { name: "TimeoutError", code: "ETIMEDOUT" });
}

/** An answer cut off at {@link MAX_ANSWER_BYTES}: not Cloudflare's, and ambiguous like any unusable answer. */
export function tooLarge(error: unknown): Error | undefined {
  if (!isAxiosError(error) || !/maxContentLength/.test(error.message)) return undefined;
  const limit = `${MAX_ANSWER_BYTES / 1024 / 1024} MiB`;
  return Object.assign(new Error(`the answer is larger than ${limit}, far beyond any Cloudflare answer, and was not read`), {
    name: "AnswerTooLargeError", code: "ERR_ANSWER_TOO_LARGE",
  });
}

