/**
 * Validation of the resource's inputs, shared by `check` (so `pulumi preview` fails before any
 * API call) and by the hooks that must trust their inputs. Pure: no I/O, no clock.
 */

import { unknownValue } from "@pulumi/pulumi/runtime";
import { API_TOKEN_FORM } from "../cloudflare";
import { TurnstileRotationError } from "./errors";

/** The engine's placeholder for a value not known until `pulumi up` (e.g. a widget not yet created): the SDK's own constant. */
export const UNKNOWN: string = unknownValue;

/** Validated inputs of a rotation, as the hooks use them. */
export interface RotationInputs {
  readonly accountId: string;
  readonly sitekey: string;
  readonly rotationTrigger: string | number;
  readonly invalidateImmediately: boolean;
  /** An explicit API token for this resource (multi-account programs); otherwise config or environment. */
  readonly apiToken?: string;
  /** `false`: create records the widget's current secret instead of rotating it (default true). */
  readonly rotateOnCreate?: boolean;
}

/** One invalid input: the property name and a message that says what is wrong and how to fix it. */
export interface InputFailure {
  readonly property: keyof RotationInputs;
  readonly reason: string;
}

const ACCOUNT_ID = /^[0-9a-f]{32}$/;
/** Cloudflare documents sitekeys of at most 32 characters. */
export const MAX_SITEKEY_LENGTH = 32;
/** A trigger is a label, not data: keep state small and messages readable. */
export const MAX_TRIGGER_LENGTH = 256;

/** True when the engine has not resolved this value yet (preview of a dependent resource). */
export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number" && Number.isNaN(value)) return "NaN";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function checkAccountId(value: unknown): string | undefined {
  if (value === undefined || value === "") return "is required: set it to your Cloudflare account id (32 hexadecimal characters, shown in the dashboard URL)";
  if (typeof value !== "string") return `must be a string of 32 hexadecimal characters, got ${describe(value)}`;
  if (value.length !== 32) return `must be 32 hexadecimal characters, got ${value.length} characters: copy the account id from the Cloudflare dashboard`;
  if (/^[0-9a-fA-F]{32}$/.test(value) && !ACCOUNT_ID.test(value)) {
    // Cloudflare's ids are lower-case; an upper-case one would pass here and fail at `pulumi up`.
    return "must be lower-case: Cloudflare account ids are lower-case hexadecimal, write it as the dashboard shows it";
  }
  if (!ACCOUNT_ID.test(value)) return "must contain only hexadecimal characters (0-9, a-f): copy the account id from the Cloudflare dashboard";
  return undefined;
}

function checkSitekey(value: unknown): string | undefined {
  if (value === undefined || value === "") return "is required: pass the widget's sitekey, e.g. `widget.sitekey` of a cloudflare.TurnstileWidget";
  if (typeof value !== "string") return `must be a string, got ${describe(value)}`;
  if (value.length > MAX_SITEKEY_LENGTH) return `must be at most ${MAX_SITEKEY_LENGTH} characters, got ${value.length}: pass the widget's sitekey, not its secret or another value`;
  if (!/^[\x21-\x7e]+$/.test(value)) return "must contain only printable ASCII characters without spaces: pass the widget's sitekey exactly as Cloudflare shows it";
  // Characters that would change the API path or query; no sitekey contains them.
  if (/[/?#%\\]/.test(value) || value === "." || value === "..") return "must not contain / ? # % \\ or be . or ..: pass the widget's sitekey exactly as Cloudflare shows it";
  return undefined;
}

function checkTrigger(value: unknown): string | undefined {
  if (value === undefined) return "is required: set it to any string or number (e.g. \"2026-11\"); change it to rotate the secret";
  if (typeof value === "number") return Number.isFinite(value) ? undefined : `must be a finite number, got ${describe(value)}`;
  if (typeof value !== "string") return `must be a string or a number, got ${describe(value)}`;
  if (value.trim() === "") return "must not be empty: use a label such as \"2026-11\" or a number";
  if (value.length > MAX_TRIGGER_LENGTH) return `must be at most ${MAX_TRIGGER_LENGTH} characters, got ${value.length}`;
  return undefined;
}

function checkApiToken(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") return `must be a string, got ${describe(value)}`;
  if (value.trim() === "") return "must not be empty: leave it out to use cloudflare:apiToken or CLOUDFLARE_API_TOKEN";
  if (!API_TOKEN_FORM.test(value)) return "must contain only printable ASCII characters without spaces: paste the token exactly as Cloudflare shows it";
  return undefined;
}

function checkBoolean(value: unknown): string | undefined {
  if (value === undefined || typeof value === "boolean") return undefined;
  return `must be true or false, got ${describe(value)}`;
}

const CHECKS: ReadonlyArray<readonly [keyof RotationInputs, (value: unknown) => string | undefined]> = [
  ["accountId", checkAccountId],
  ["sitekey", checkSitekey],
  ["rotationTrigger", checkTrigger],
  ["invalidateImmediately", checkBoolean],
  ["apiToken", checkApiToken],
  ["rotateOnCreate", checkBoolean],
];

/**
 * Validates raw inputs. Unknown values pass (they are checked again when known). Returns the
 * inputs as given and every failure found, so the user sees all problems at once. No default is
 * added: the engine stores what `check` returns in every resource's state, and rewrites it after
 * every step of a fleet's update, so a default costs bytes that {@link parseInputs} supplies anyway.
 */
export function checkInputs(news: Readonly<Record<string, unknown>>): {
  inputs: Record<string, unknown>;
  failures: InputFailure[];
} {
  const failures: InputFailure[] = [];
  for (const [property, check] of CHECKS) {
    const value = news[property];
    if (isUnknown(value)) continue;
    const reason = check(value);
    if (reason) failures.push({ property, reason });
  }
  return { inputs: { ...news }, failures };
}

/**
 * One message naming every invalid input and its fix. Used instead of the engine's per-property
 * check failures, which quote each value: a hostile or mistyped value is never echoed back.
 */
export function describeFailures(failures: readonly InputFailure[]): string {
  const lines = failures.map((f) => `  - ${f.property} ${f.reason}`);
  return `invalid TurnstileSecretRotation inputs (nothing was changed):\n${lines.join("\n")}`;
}

/** Narrows inputs the engine hands to create/update (already checked) and fails loudly otherwise. */
export function parseInputs(news: Readonly<Record<string, unknown>>): RotationInputs {
  const { failures } = checkInputs(news);
  const inputs: Record<string, unknown> = { ...news, invalidateImmediately: news.invalidateImmediately ?? false };
  const unknown = CHECKS.map(([property]) => property).find((property) => isUnknown(inputs[property]));
  if (unknown) throw new TurnstileRotationError(`${unknown} is not known yet; it must be known before a rotation can run`);
  if (failures.length > 0) throw new TurnstileRotationError(describeFailures(failures));
  return inputs as unknown as RotationInputs;
}
