/**
 * Shapes shared by the emulator's modules: the widget as Cloudflare returns it,
 * route keys, and the error type routes throw to produce a v4 failure envelope.
 */

/** Widget mode values Cloudflare accepts. */
export const WIDGET_MODES = ["non-interactive", "invisible", "managed"] as const;
/** Clearance levels Cloudflare accepts. */
export const CLEARANCE_LEVELS = ["no_clearance", "jschallenge", "managed", "interactive"] as const;
/** Regions Cloudflare accepts (immutable after creation). */
export const REGIONS = ["world", "china"] as const;

/** Widget mode. */
export type WidgetMode = (typeof WIDGET_MODES)[number];
/** Clearance level. */
export type ClearanceLevel = (typeof CLEARANCE_LEVELS)[number];
/** Region. */
export type Region = (typeof REGIONS)[number];

/** A widget exactly as the v4 API serialises it (get/create/update/delete/rotate). */
export interface Widget {
  bot_fight_mode: boolean;
  clearance_level: ClearanceLevel;
  created_on: string;
  domains: string[];
  ephemeral_id: boolean;
  mode: WidgetMode;
  modified_on: string;
  name: string;
  offlabel: boolean;
  region: Region;
  secret: string;
  sitekey: string;
}

/** A widget as the list route serialises it: never carries the secret. */
export type WidgetListItem = Omit<Widget, "secret">;

/** Every route key the emulator counts and can inject faults into. */
export const ROUTE_KEYS = [
  "widgets.list",
  "widgets.create",
  "widgets.get",
  "widgets.update",
  "widgets.delete",
  "widgets.rotate_secret",
  "siteverify",
] as const;

/** Name of one Cloudflare route, as used by request counters and fault injection. */
export type RouteKey = (typeof ROUTE_KEYS)[number];

/** True when `value` names a known route. */
export function isRouteKey(value: unknown): value is RouteKey {
  return typeof value === "string" && (ROUTE_KEYS as readonly string[]).includes(value);
}

/**
 * Cloudflare-style error codes the emulator emits. Those Cloudflare documents
 * (10000, 6003, 6007, 7000, 7003, 971) are used as documented; the others are
 * the emulator's choices because Cloudflare publishes none for those cases.
 */
export const ErrorCodes = {
  rateLimited: 971,
  invalidHeaders: 6003,
  malformedJson: 6007,
  invalidAuthorizationFormat: 6111,
  noRoute: 7000,
  methodNotAllowed: 7001,
  invalidIdentifier: 7003,
  authentication: 10000,
  serviceUnavailable: 10001,
  validation: 10400,
  widgetNotFound: 10404,
  rotationInGracePeriod: 10409,
} as const;

/** One entry of a v4 `errors` array. */
export interface ErrorItem {
  code: number;
  message: string;
  source?: { pointer: string };
  error_chain?: Array<{ code: number; message: string }>;
}

/** Thrown by services and routes; the router turns it into a failure envelope. */
export class ApiError extends Error {
  /**
   * @param status HTTP status (non-2xx)
   * @param errors one or more error items for the envelope
   * @param headers extra response headers (e.g. `retry-after`)
   */
  constructor(
    readonly status: number,
    readonly errors: ErrorItem[],
    readonly headers: Record<string, string> = {},
  ) {
    super(errors.map((e) => `${e.code}: ${e.message}`).join("; "));
    this.name = "ApiError";
  }

  /** Convenience for a single error item. */
  static of(status: number, code: number, message: string, pointer?: string, headers?: Record<string, string>): ApiError {
    const item: ErrorItem = { code, message };
    if (pointer !== undefined) item.source = { pointer };
    return new ApiError(status, [item], headers);
  }
}
