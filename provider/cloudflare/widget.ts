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

/**
 * A Turnstile widget. Only `modified_on` (the rotation's fencing token) is required; `secret` is
 * present on get/create/rotate answers. Every other field is descriptive: it is kept when it has
 * the documented type and left out otherwise, so an unexpected `null` in a field nothing decides
 * on never turns a committed rotation into a failure. Unknown fields are ignored.
 */
export interface Widget {
  readonly sitekey?: string;
  /** Present on get/create/rotate/delete answers; the list route never returns it. */
  readonly secret?: string;
  /** RFC 3339 timestamp of the last change (a rotation or a settings update), Cloudflare's clock. */
  readonly modified_on: string;
  readonly name?: string;
  readonly domains?: readonly string[];
  readonly mode?: WidgetMode;
  readonly region?: WidgetRegion;
  readonly clearance_level?: ClearanceLevel;
  readonly bot_fight_mode?: boolean;
  readonly ephemeral_id?: boolean;
  readonly offlabel?: boolean;
  /** RFC 3339 timestamp. */
  readonly created_on?: string;
}

/** One entry of an envelope's `errors` or `messages` array. */
export interface CloudflareMessage {
  readonly code: number;
  readonly message: string;
}

/** What an envelope says once narrowed: a result, or Cloudflare's errors. */
export type UnwrappedEnvelope =
  | { readonly success: true; readonly result: unknown }
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

const STRING_FIELDS = ["sitekey", "name", "mode", "region", "clearance_level", "created_on"] as const;
const BOOLEAN_FIELDS = ["bot_fight_mode", "ephemeral_id", "offlabel"] as const;

/**
 * Narrows one widget from an API answer. Throws a `TypeError` naming the field when
 * `modified_on` is not a timestamp or `secret` is present but not a string; the message never
 * contains any field's value. Descriptive fields of the wrong type are dropped.
 */
export function parseWidget(value: unknown): Widget {
  if (!isRecord(value)) throw new TypeError(`widget should be an object but is ${describe(value)}`);
  const modified = value["modified_on"];
  if (typeof modified !== "string" || Number.isNaN(Date.parse(modified))) throw shapeError("modified_on", "an RFC 3339 timestamp", modified);
  const secret = value["secret"];
  if (secret !== undefined && typeof secret !== "string") throw shapeError("secret", "a string", secret);
  const widget: Record<string, unknown> = { modified_on: modified };
  // Only set when present so list items have no `secret` key at all.
  if (secret !== undefined) widget["secret"] = secret;
  for (const field of STRING_FIELDS) if (typeof value[field] === "string") widget[field] = value[field];
  for (const field of BOOLEAN_FIELDS) if (typeof value[field] === "boolean") widget[field] = value[field];
  const domains = value["domains"];
  if (Array.isArray(domains) && domains.every((domain) => typeof domain === "string")) widget["domains"] = Object.freeze([...domains]);
  return Object.freeze(widget) as unknown as Widget;
}

/** A widget as get, create and rotate answer it: with its secret. */
export type SecretWidget = Widget & { readonly secret: string };

/** {@link parseWidget} for answers that must carry the secret (get, create, rotate). */
export function parseSecretWidget(value: unknown): SecretWidget {
  const widget = parseWidget(value);
  if (widget.secret === undefined) throw shapeError("secret", "a string", undefined);
  return widget as SecretWidget;
}

/** Keeps the `{code, message}` entries of an `errors` array; drops anything else. */
function readMessages(value: unknown): CloudflareMessage[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((entry) => ({
    code: typeof entry["code"] === "number" ? entry["code"] : 0,
    message: typeof entry["message"] === "string" ? entry["message"] : "(no message)",
  }));
}

/**
 * Narrows a v4 response body. Returns `undefined` when the body is not a v4
 * envelope at all (an HTML error page from a proxy, an empty body), so the
 * caller can report the HTTP status instead of inventing Cloudflare errors.
 */
export function unwrapEnvelope(body: unknown): UnwrappedEnvelope | undefined {
  if (!isRecord(body) || typeof body["success"] !== "boolean") return undefined;
  if (!body["success"]) return { success: false, errors: readMessages(body["errors"]) };
  return { success: true, result: body["result"] };
}
