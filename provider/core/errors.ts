/**
 * Errors the user can act on (bad input, missing credentials, a rotation Cloudflare refuses or
 * would refuse). Their messages name the field or widget, the problem and the fix; the hooks
 * show them without a stack trace, since the trace would only point into this package.
 */
import { CloudflareApiError } from "../cloudflare";

/** Base class of this package's own user-facing errors. */
export class TurnstileRotationError extends Error {
  /** @param message What is wrong and how to fix it; never a secret or token. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
Object.defineProperty(TurnstileRotationError.prototype, "name", { value: "TurnstileRotationError", writable: true, configurable: true });

/** True for errors that explain a situation the user can fix rather than a bug. */
export function isUserFacing(error: unknown): error is Error {
  return error instanceof TurnstileRotationError || error instanceof CloudflareApiError;
}

/** Runs a hook, stripping the stack trace from user-facing errors (the message says it all). */
export async function userFacing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUserFacing(error)) Object.defineProperty(error, "stack", { value: "", configurable: true, writable: true });
    throw error;
  }
}
