/**
 * Unusable 2xx bodies for `commit_garble` faults: what a client meets when an
 * answer is cut short, replaced by a proxy's page, or shaped unexpectedly.
 * A client must treat each as "did it commit? read back", never as a refusal.
 */
import { failure } from "./envelope";
import { ErrorCodes } from "./types";
import { siteverifyFailure } from "./siteverify";
import { isRecord } from "./validation";
import type { GarbledBody } from "./fault-spec";

/** Body family: the v4 envelope or siteverify's own JSON. */
export type BodyFlavor = "v4" | "siteverify";

/** A raw answer body with its content type. */
export interface RawBody {
  contentType: string;
  payload: string;
}

/** Widget fields a rotation client does not need; `secret`, `sitekey` and `modified_on` stay intact. */
export const NULLABLE_WIDGET_FIELDS = ["name", "domains", "mode", "region", "clearance_level", "bot_fight_mode",
  "ephemeral_id", "offlabel", "created_on"] as const;
/** Siteverify fields beside the verdict (`success`, `error-codes`). */
const NULLABLE_SITEVERIFY_FIELDS = ["challenge_ts", "hostname", "action", "cdata", "metadata"] as const;

const JSON_TYPE = "application/json; charset=utf-8";

/** A 200 page a captive portal or a challenge interstitial would send instead of JSON. */
const HTML_PAGE = "<!DOCTYPE html>\n<html lang=\"en\"><head><title>Just a moment...</title></head>\n" +
  "<body><h1>Just a moment...</h1><p>Checking your connection before proceeding.</p></body></html>\n";

function blank(item: unknown, fields: readonly string[]): unknown {
  if (!isRecord(item)) return item;
  const copy: Record<string, unknown> = { ...item };
  for (const field of fields) if (field in copy) copy[field] = null;
  return copy;
}

/** The real body with `null` in the fields a client does not need (every widget of a list). */
function nullFields(body: unknown, flavor: BodyFlavor): unknown {
  if (flavor === "siteverify") return blank(body, NULLABLE_SITEVERIFY_FIELDS);
  if (!isRecord(body)) return body;
  const { result } = body;
  const blanked = Array.isArray(result)
    ? result.map((w) => blank(w, NULLABLE_WIDGET_FIELDS))
    : blank(result, NULLABLE_WIDGET_FIELDS);
  return { ...body, result: blanked };
}

/** A list answer without its first widget (as if the list were paged differently); any other body as it is. */
function withoutFirstItem(real: unknown): unknown {
  return isRecord(real) && Array.isArray(real.result) ? { ...real, result: real.result.slice(1) } : real;
}

/** A list answer whose first widget has `modified_on: null` and second no `sitekey`; any other body as it is. */
function withBadItems(real: unknown): unknown {
  if (!isRecord(real) || !Array.isArray(real.result)) return real;
  const result = real.result.map((item: unknown, i) => {
    if (!isRecord(item) || i > 1) return item;
    const copy: Record<string, unknown> = { ...item };
    if (i === 0) copy.modified_on = null;
    else delete copy.sitekey;
    return copy;
  });
  return { ...real, result };
}

/** A well-formed "it failed" body, although the operation ran. */
function successFalse(flavor: BodyFlavor): unknown {
  return flavor === "v4"
    ? failure([{ code: ErrorCodes.serviceUnavailable, message: "Internal error (injected by the emulator)" }])
    : siteverifyFailure("internal-error");
}

/** Size of an `oversized` answer: far beyond any widget or list page, small enough for a test to send. */
export const OVERSIZED_BYTES = 20 * 1024 * 1024;

/** The real body padded with an unknown field until it is {@link OVERSIZED_BYTES} long: valid JSON a client must not buffer. */
function oversized(real: unknown): string {
  const text = JSON.stringify(isRecord(real) ? { ...real, padding: "" } : { result: real, padding: "" });
  const pad = Math.max(0, OVERSIZED_BYTES - text.length);
  return `${text.slice(0, -2)}${"x".repeat(pad)}"}`;
}

/**
 * The garbled replacement for `real`, the body the operation produced. A refused
 * operation has no widget, so `null_fields` then sends its body as it is.
 */
export function garble(real: unknown, kind: GarbledBody, flavor: BodyFlavor): RawBody {
  switch (kind) {
    case "truncated": {
      const text = JSON.stringify(real);
      return { contentType: JSON_TYPE, payload: text.slice(0, Math.floor(text.length / 2)) };
    }
    case "html":
      return { contentType: "text/html; charset=utf-8", payload: HTML_PAGE };
    case "success_false":
      return { contentType: JSON_TYPE, payload: JSON.stringify(successFalse(flavor)) };
    case "null_fields":
      return { contentType: JSON_TYPE, payload: JSON.stringify(nullFields(real, flavor)) };
    case "oversized":
      return { contentType: JSON_TYPE, payload: oversized(real) };
    case "missing_item":
      return { contentType: JSON_TYPE, payload: JSON.stringify(withoutFirstItem(real)) };
    case "bad_items":
      return { contentType: JSON_TYPE, payload: JSON.stringify(withBadItems(real)) };
    case "not_a_list":
      return { contentType: JSON_TYPE, payload: JSON.stringify(isRecord(real) ? { ...real, result: { widgets: real.result } } : real) };
  }
}
