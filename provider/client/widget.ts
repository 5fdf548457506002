/**
 * The Turnstile widget as the Cloudflare v4 API returns it, the v4 response
 * envelope, and the functions that narrow untrusted JSON into those types once,
 * at the boundary, so the rest of the package can rely on them.
 *
 * Shape errors are thrown as `TypeError`s naming the field and the JSON type
 * found, never the value: a widget carries its secret, and a message must not.
 */

/**
 * Widget mode. Known values are listed for editor completion; any other string
 * is accepted because Cloudflare may add modes and reading a widget must not
 * break when it does.
 */
export type WidgetMode = "non-interactive" | "invisible" | "managed" | (string & {});
/** Clearance level granted on Cloudflare zones (open for the same reason as {@link WidgetMode}). */
export type ClearanceLevel = "no_clearance" | "jschallenge" | "managed" | "interactive" | (string & {});
/** Region the widget serves; fixed at creation (open for the same reason as {@link WidgetMode}). */
export type WidgetRegion = "world" | "china" | (string & {});

/** A Turnstile widget. Unknown fields in the API answer are ignored. */
export interface Widget {
  readonly sitekey: string;
  /** Present on get/create/rotate/delete answers; the list route never returns it. */
  readonly secret?: string;
  readonly name: string;
  readonly domains: readonly string[];
  readonly mode: WidgetMode;
  readonly region: WidgetRegion;
  readonly clearance_level: ClearanceLevel;
  readonly bot_fight_mode: boolean;
  readonly ephemeral_id: boolean;
  readonly offlabel: boolean;
  /** RFC 3339 timestamp. */
  readonly created_on: string;
  /** RFC 3339 timestamp. */
  readonly modified_on: string;
}

/** One entry of an envelope's `errors` or `messages` array. */
export interface CloudflareMessage {
  readonly code: number;
  readonly message: string;
}

/** Pagination block of list answers, renamed to camelCase. */
export interface ResultInfo {
  readonly page: number;
  readonly perPage: number;
  readonly count: number;
  readonly totalCount: number;
}

/** What an envelope says once narrowed: a result, or Cloudflare's errors. */
export type UnwrappedEnvelope =
  | { readonly success: true; readonly result: unknown; readonly resultInfo?: ResultInfo }
  | { readonly success: false; readonly errors: readonly CloudflareMessage[] };

type JsonRecord = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON type name for messages: says what was found without quoting it. */
function describe(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function shapeError(field: string, expected: string, found: unknown): TypeError {
  return new TypeError(`widget field "${field}" should be ${expected} but is ${describe(found)}`);
}

function readString(record: JsonRecord, field: string): string {
  const value = record[field];
  if (typeof value !== "string") throw shapeError(field, "a string", value);
  return value;
}

function readBoolean(record: JsonRecord, field: string): boolean {
  const value = record[field];
  if (typeof value !== "boolean") throw shapeError(field, "a boolean", value);
  return value;
}

/**
 * Narrows one widget from an API answer. Throws a `TypeError` naming the first
 * field with the wrong type; the message never contains any field's value.
 */
export function parseWidget(value: unknown): Widget {
  if (!isRecord(value)) throw new TypeError(`widget should be an object but is ${describe(value)}`);
  const domains = value["domains"];
  if (!Array.isArray(domains) || !domains.every((domain) => typeof domain === "string")) {
    throw shapeError("domains", "an array of strings", domains);
  }
  const secret = value["secret"];
  if (secret !== undefined && typeof secret !== "string") throw shapeError("secret", "a string", secret);
  const widget: Widget = {
    sitekey: readString(value, "sitekey"),
    name: readString(value, "name"),
    domains: Object.freeze([...(domains as string[])]),
    mode: readString(value, "mode"),
    region: readString(value, "region"),
    clearance_level: readString(value, "clearance_level"),
    bot_fight_mode: readBoolean(value, "bot_fight_mode"),
    ephemeral_id: readBoolean(value, "ephemeral_id"),
    offlabel: readBoolean(value, "offlabel"),
    created_on: readString(value, "created_on"),
    modified_on: readString(value, "modified_on"),
    // Only set when present so list items have no `secret` key at all.
    ...(secret === undefined ? {} : { secret }),
  };
  return Object.freeze(widget);
}

/** Keeps the `{code, message}` entries of an `errors` array; drops anything else. */
function readMessages(value: unknown): CloudflareMessage[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((entry) => ({
    code: typeof entry["code"] === "number" ? entry["code"] : 0,
    message: typeof entry["message"] === "string" ? entry["message"] : "(no message)",
  }));
}

function readResultInfo(value: unknown): ResultInfo | undefined {
  if (!isRecord(value)) return undefined;
  const { page, per_page: perPage, count, total_count: totalCount } = value;
  if (typeof page !== "number" || typeof perPage !== "number" || typeof count !== "number") return undefined;
  // total_count is missing on some cursor-style lists; fall back to what we can see.
  return { page, perPage, count, totalCount: typeof totalCount === "number" ? totalCount : count };
}

/**
 * Narrows a v4 response body. Returns `undefined` when the body is not a v4
 * envelope at all (an HTML error page from a proxy, an empty body), so the
 * caller can report the HTTP status instead of inventing Cloudflare errors.
 */
export function unwrapEnvelope(body: unknown): UnwrappedEnvelope | undefined {
  if (!isRecord(body) || typeof body["success"] !== "boolean") return undefined;
  if (!body["success"]) return { success: false, errors: readMessages(body["errors"]) };
  const resultInfo = readResultInfo(body["result_info"]);
  return { success: true, result: body["result"], ...(resultInfo ? { resultInfo } : {}) };
}
