/**
 * Request validation for the widgets API. Bodies arrive as `unknown` and are
 * narrowed here, once, into typed inputs; every problem becomes an error item
 * with a JSON pointer to the offending field, and all problems are reported
 * together (as Cloudflare does) rather than one per round trip.
 */
import { isIP } from "node:net";
import {
  ApiError,
  CLEARANCE_LEVELS,
  ErrorCodes,
  REGIONS,
  WIDGET_MODES,
  type ClearanceLevel,
  type ErrorItem,
  type Region,
  type WidgetMode,
} from "./types";

/** Validated body of create/update. Optional fields stay undefined when absent. */
export interface WidgetInput {
  name: string;
  domains: string[];
  mode: WidgetMode;
  bot_fight_mode?: boolean;
  clearance_level?: ClearanceLevel;
  ephemeral_id?: boolean;
  offlabel?: boolean;
  region?: Region;
}

/** Validated list query. */
export interface ListQuery {
  page: number;
  perPage: number;
  order: "id" | "sitekey" | "name" | "created_on" | "modified_on";
  direction: "asc" | "desc";
  filter?: { field: "name" | "sitekey"; value: string };
}

/** Maximum number of domains per widget. */
export const MAX_DOMAINS = 10;
/** Maximum widget name length. */
export const MAX_NAME_LENGTH = 254;

const ORDERS = ["id", "sitekey", "name", "created_on", "modified_on"] as const;
const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

/** True for a Cloudflare account id: 32 lowercase hex characters. */
export function isAccountId(value: string): boolean {
  return /^[0-9a-f]{32}$/.test(value);
}

/** A plain JSON object (not an array or null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function invalid(message: string, pointer: string): ErrorItem {
  return { code: ErrorCodes.validation, message, source: { pointer } };
}

function oneOf<T extends string>(allowed: readonly T[], value: unknown): value is T {
  return typeof value === "string" && (allowed as readonly string[]).includes(value);
}

/** Why `domain` is not an acceptable widget domain, or undefined when it is fine. */
export function domainProblem(domain: string): string | undefined {
  if (domain.includes("*")) return `wildcard domains are not allowed: "${domain}"`;
  if (isIP(domain) !== 0) return undefined;
  if (domain.length === 0 || domain.length > 253) return `"${domain}" is not a valid hostname or IP address`;
  const labels = domain.replace(/\.$/, "").split(".");
  if (!labels.every((label) => HOST_LABEL.test(label))) {
    return `"${domain}" is not a valid hostname or IP address`;
  }
  return undefined;
}

/** Narrows a create/update body; throws a 400 ApiError listing every problem. */
export function parseWidgetInput(body: unknown): WidgetInput {
  if (!isRecord(body)) {
    throw ApiError.of(400, ErrorCodes.validation, "request body must be a JSON object", "");
  }
  const errors: ErrorItem[] = [];
  const { name, domains, mode } = body;

  if (name === undefined) errors.push(invalid("name is required", "/name"));
  else if (typeof name !== "string") errors.push(invalid("name must be a string", "/name"));
  else if (name.length < 1 || name.length > MAX_NAME_LENGTH) {
    errors.push(invalid(`name must be 1 to ${MAX_NAME_LENGTH} characters long`, "/name"));
  }

  if (domains === undefined) errors.push(invalid("domains is required", "/domains"));
  else if (!Array.isArray(domains)) errors.push(invalid("domains must be an array of strings", "/domains"));
  else {
    if (domains.length > MAX_DOMAINS) {
      errors.push(invalid(`at most ${MAX_DOMAINS} domains are allowed, got ${domains.length}`, "/domains"));
    }
    domains.forEach((domain: unknown, i: number) => {
      if (typeof domain !== "string") errors.push(invalid("domain must be a string", `/domains/${i}`));
      else {
        const problem = domainProblem(domain);
        if (problem) errors.push(invalid(problem, `/domains/${i}`));
      }
    });
  }

  if (mode === undefined) errors.push(invalid("mode is required", "/mode"));
  else if (!oneOf(WIDGET_MODES, mode)) errors.push(invalid(`mode must be one of ${WIDGET_MODES.join(", ")}`, "/mode"));

  for (const flag of ["bot_fight_mode", "ephemeral_id", "offlabel"] as const) {
    if (body[flag] !== undefined && typeof body[flag] !== "boolean") {
      errors.push(invalid(`${flag} must be a boolean`, `/${flag}`));
    }
  }
  if (body.clearance_level !== undefined && !oneOf(CLEARANCE_LEVELS, body.clearance_level)) {
    errors.push(invalid(`clearance_level must be one of ${CLEARANCE_LEVELS.join(", ")}`, "/clearance_level"));
  }
  if (body.region !== undefined && !oneOf(REGIONS, body.region)) {
    errors.push(invalid(`region must be one of ${REGIONS.join(", ")}`, "/region"));
  }
  if (errors.length > 0) throw new ApiError(400, errors);

  // Unknown fields are tolerated and dropped, as Cloudflare does.
  return {
    name: name as string,
    domains: [...(domains as string[])],
    mode: mode as WidgetMode,
    bot_fight_mode: body.bot_fight_mode as boolean | undefined,
    clearance_level: body.clearance_level as ClearanceLevel | undefined,
    ephemeral_id: body.ephemeral_id as boolean | undefined,
    offlabel: body.offlabel as boolean | undefined,
    region: body.region as Region | undefined,
  };
}

/** Narrows the optional rotate_secret body (`{}` or absent means "keep the old secret for 2 h"). */
export function parseRotateInput(body: unknown): { invalidateImmediately: boolean } {
  if (body === undefined) return { invalidateImmediately: false };
  if (!isRecord(body)) {
    throw ApiError.of(400, ErrorCodes.validation, "request body must be a JSON object", "");
  }
  const flag = body.invalidate_immediately;
  if (flag !== undefined && typeof flag !== "boolean") {
    throw ApiError.of(400, ErrorCodes.validation, "invalidate_immediately must be a boolean", "/invalidate_immediately");
  }
  return { invalidateImmediately: flag === true };
}

function intParam(params: URLSearchParams, name: string, min: number, max: number, fallback: number): number {
  const raw = params.get(name);
  if (raw === null) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `between ${min} and ${max}`;
    throw ApiError.of(400, ErrorCodes.validation, `${name} must be an integer ${range}, got "${raw}"`, `/${name}`);
  }
  return value;
}

/** Narrows the list route's query string; throws 400 with a pointer naming the parameter. */
export function parseListQuery(params: URLSearchParams): ListQuery {
  const page = intParam(params, "page", 1, Number.MAX_SAFE_INTEGER, 1);
  const perPage = intParam(params, "per_page", 5, 1000, 25);
  const order = params.get("order") ?? "id";
  if (!oneOf(ORDERS, order)) {
    throw ApiError.of(400, ErrorCodes.validation, `order must be one of ${ORDERS.join(", ")}`, "/order");
  }
  const direction = params.get("direction") ?? "asc";
  if (direction !== "asc" && direction !== "desc") {
    throw ApiError.of(400, ErrorCodes.validation, "direction must be asc or desc", "/direction");
  }
  const query: ListQuery = { page, perPage, order, direction };
  const rawFilter = params.get("filter");
  if (rawFilter !== null) {
    const match = /^(name|sitekey):(.+)$/.exec(rawFilter);
    if (!match) {
      throw ApiError.of(400, ErrorCodes.validation, 'filter must look like "name:VALUE" or "sitekey:VALUE"', "/filter");
    }
    query.filter = { field: match[1] as "name" | "sitekey", value: match[2] };
  }
  return query;
}
