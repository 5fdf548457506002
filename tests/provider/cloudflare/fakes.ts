/**
 * Test doubles shared by the client specs: a fake clock whose sleep advances
 * time instantly, and builders for the errors the retry loop sees.
 */
import { toCloudflareError, type CloudflareApiError, type RequestContext, type ResponseHeaders } from "../../../provider/cloudflare";

/** A clock that only moves when `sleep` is called; records every sleep. */
export interface FakeTime {
  now(): number;
  sleep(ms: number): Promise<void>;
  readonly sleeps: number[];
}

/** Starts a fake clock at `startMs`. */
export function fakeTime(startMs = 1_700_000_000_000): FakeTime {
  let current = startMs;
  const sleeps: number[] = [];
  return {
    now: () => current,
    sleep: async (ms) => {
      sleeps.push(ms);
      current += ms;
    },
    sleeps,
  };
}

/** A request context for building errors in unit tests. */
export function context(idempotent: boolean, overrides: Partial<RequestContext> = {}): RequestContext {
  return {
    method: idempotent ? "GET" : "POST",
    path: idempotent ? "/accounts/acc/challenges/widgets/0x4AAkey" : "/accounts/acc/challenges/widgets/0x4AAkey/rotate_secret",
    operation: idempotent ? "read widget 0x4AAkey" : "rotate the secret of widget 0x4AAkey",
    idempotent,
    ...overrides,
  };
}

/** The error the client builds for an HTTP answer with Cloudflare's failure envelope. */
export function responseError(
  status: number,
  options: { idempotent?: boolean; headers?: ResponseHeaders; code?: number; message?: string } = {},
): CloudflareApiError {
  const body = { success: false, errors: [{ code: options.code ?? 1000, message: options.message ?? "boom" }], messages: [], result: null };
  return toCloudflareError({ response: { status, headers: options.headers ?? {}, body } }, context(options.idempotent ?? true));
}

/** The error the client builds when the socket failed with node error `code`. */
export function connectionError(code: string, options: { idempotent?: boolean } = {}): CloudflareApiError {
  const low = Object.assign(new Error(`socket failure ${code}`), { code });
  return toCloudflareError({ error: low }, context(options.idempotent ?? true));
}

/** An attempt function that throws `failures` in order, then returns `value`; counts calls. */
export function scripted<T>(failures: readonly unknown[], value: T): { fn: (attempt: number) => Promise<T>; calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    fn: async (attempt) => {
      calls.push(attempt);
      if (calls.length <= failures.length) throw failures[calls.length - 1];
      return value;
    },
  };
}
