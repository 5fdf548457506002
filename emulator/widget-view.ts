/**
 * Turns internal widget records into what the API shows: the exact Widget JSON
 * shape, and the filtered / ordered / paged list view (which never shows secrets).
 */
import { rfc3339 } from "./clock";
import type { ResultInfo } from "./envelope";
import type { WidgetRecord } from "./store";
import type { Widget, WidgetListItem } from "./types";
import type { ListQuery } from "./validation";

/** The public JSON of one widget, secret included (fields exactly as Cloudflare sends them). */
export function toWidget(r: WidgetRecord): Widget {
  return {
    bot_fight_mode: r.bot_fight_mode,
    clearance_level: r.clearance_level,
    created_on: rfc3339(r.createdMs),
    domains: [...r.domains],
    ephemeral_id: r.ephemeral_id,
    mode: r.mode,
    modified_on: rfc3339(r.modifiedMs),
    name: r.name,
    offlabel: r.offlabel,
    region: r.region,
    secret: r.secret,
    sitekey: r.sitekey,
  };
}

/** One page of `records` per `query`, without secrets, plus its `result_info`. */
export function listView(records: WidgetRecord[], query: ListQuery): { items: WidgetListItem[]; info: ResultInfo } {
  let rows = records;
  if (query.filter) {
    const { field, value } = query.filter;
    const needle = value.toLowerCase();
    rows = rows.filter((w) => w[field].toLowerCase().includes(needle));
  }
  const key = (w: WidgetRecord): string | number =>
    query.order === "id" ? w.seq
    : query.order === "created_on" ? w.createdMs
    : query.order === "modified_on" ? w.modifiedMs
    : w[query.order];
  const sign = query.direction === "asc" ? 1 : -1;
  rows = [...rows].sort((a, b) => {
    const ka = key(a), kb = key(b);
    return ka < kb ? -sign : ka > kb ? sign : (a.seq - b.seq) * sign;
  });
  const start = (query.page - 1) * query.perPage;
  const items = rows.slice(start, start + query.perPage).map((w) => {
    const { secret: _omitted, ...rest } = toWidget(w);
    return rest;
  });
  return { items, info: { page: query.page, per_page: query.perPage, count: items.length, total_count: rows.length } };
}
