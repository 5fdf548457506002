/**
 * The package's one error base. Every failure a user can act on is a `TurnstileRotationError`
 * subclass: bad input, missing or unusable settings, a rotation Cloudflare refuses, a failed
 * Cloudflare call (cloudflare/errors.ts) and misuse of a helper in the user's program. Messages
 * name the field or widget, the problem and the fix, and never quote a secret or token.
 *
 * Where they are shown decides how they are shown:
 * - in a provider process (the hooks), {@link userFacing} strips the stack trace: it would only
 *   point into this package, and the message says it all;
 * - in the user's program, a {@link ProgramError} carries `pulumi.RunError`'s marker, so the
 *   Node.js SDK prints its message alone, without frames.
 *
 * `TypeError` and `RangeError` are left for programming errors inside this package (options no
 * user input reaches, such as a retry policy); every user value is checked before it gets there.
 *
 * This module imports nothing, so every room (the Cloudflare client included) can build on it.
 */

/**
 * Sets each class's `name` on its prototype, spelled out so it survives minifiers that rename
 * classes, and not as an own field, so it stays out of `Object.keys` and JSON. The one way every
 * error class of this package is named.
 */
export function nameErrors(classes: Readonly<Record<string, abstract new (...args: never[]) => Error>>): void {
  for (const [name, errorClass] of Object.entries(classes)) {
    Object.defineProperty(errorClass.prototype, "name", { value: name, writable: true, configurable: true });
  }
}

/** Base class of this package's user-facing errors. */
export class TurnstileRotationError extends Error {
  /** @param message What is wrong and how to fix it; never a secret or token. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A setting from stack config or the environment that cannot be used (the base URL, the token's
 * form, a timeout, the rate limit). The message names where the value comes from, never the value.
 */
export class InvalidSettingError extends TurnstileRotationError {}

/** The state handed back by the engine cannot be read; the message says to run `pulumi refresh`. */
export class UnreadableStateError extends TurnstileRotationError {}

/**
 * A failure raised in the user's Pulumi program rather than in a provider process. It carries
 * `pulumi.RunError`'s marker (the SDK recognises RunErrors by that field, across SDK copies), so
 * `pulumi preview` reports the message alone. Its stack holds no frames: besides never being
 * shown, frames cost the SDK's trace event, which formats every uncaught program error with
 * `util.inspect`, 25 to 50 seconds with Node.js 22 and ts-node's source-mapped frames.
 */
export class ProgramError extends TurnstileRotationError {
  /** `pulumi.RunError`'s marker; see the class comment. */
  readonly __pulumiRunError = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.stack = `${this.name}: ${message}`;
  }
}

/** A helper of this package called with arguments it cannot use (a rotation period, no sitekeys). */
export class InvalidArgumentError extends ProgramError {}

nameErrors({ TurnstileRotationError, InvalidSettingError, UnreadableStateError, ProgramError, InvalidArgumentError });

/** True for errors that explain a situation the user can fix rather than a bug. */
export function isUserFacing(error: unknown): error is TurnstileRotationError {
  return error instanceof TurnstileRotationError;
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
