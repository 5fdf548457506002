/**
 * How long the provider waits for Cloudflare, from the provider process's environment. Both are
 * deadlines, not idle timers, so a hung or trickling API costs a bounded time:
 * - `TURNSTILE_ROTATION_TIMEOUT` (seconds, default 30): one HTTP attempt, send to full answer.
 * - `TURNSTILE_ROTATION_DEADLINE` (seconds, default 120): no rotate call starts later than this
 *   after a rotation began; the read that resolves an ambiguous answer still runs.
 * Worst case of one rotation against an API that never answers: the first read's attempts within
 * the retry policy's 60 s budget (two attempts: about 60 s), one rotate attempt (30 s) and the
 * read that follows it (about 60 s): about 2.5 minutes, then a clear error.
 */
import { InvalidSettingError } from "./errors";

/** The deadlines in milliseconds. */
export interface Timeouts {
  readonly attemptMs: number;
  readonly rotationMs: number;
}

/** The environment variables and their defaults (seconds). */
export const TIMEOUT_ENV = {
  attempt: { name: "TURNSTILE_ROTATION_TIMEOUT", defaultSeconds: 30 },
  rotation: { name: "TURNSTILE_ROTATION_DEADLINE", defaultSeconds: 120 },
} as const;

function seconds(env: Readonly<Record<string, string | undefined>>, spec: { name: string; defaultSeconds: number }): number {
  const raw = env[spec.name];
  if (raw === undefined || raw.trim() === "") return spec.defaultSeconds * 1000;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > 3600) {
    throw new InvalidSettingError(`${spec.name} must be a number of seconds between 0 and 3600 (default ${spec.defaultSeconds}); unset it or fix its value`);
  }
  return value * 1000;
}

/** Reads both deadlines; an unusable value fails with the variable's name and the fix. */
export function readTimeouts(env: Readonly<Record<string, string | undefined>>): Timeouts {
  return { attemptMs: seconds(env, TIMEOUT_ENV.attempt), rotationMs: seconds(env, TIMEOUT_ENV.rotation) };
}
