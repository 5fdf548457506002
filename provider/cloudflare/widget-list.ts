/**
 * One page of the account's widget list, as the batched read uses it: the widgets by sitekey,
 * without secrets (the list never carries them), and the answer's own `Date`, Cloudflare's clock
 * when it took the snapshot. Narrowed here, once, from untrusted JSON.
 */
import { parseWidget, type Widget } from "./widget";
import { widgetsPath } from "./request-parts";

/** Widgets per page the batched read asks for: Cloudflare's maximum. */
export const LIST_PAGE_SIZE = 1000;

/** A page of the widget list. */
export interface WidgetPage {
  /** The page's widgets that name their sitekey and `modified_on`, by sitekey. */
  readonly widgets: ReadonlyMap<string, Widget>;
  /** How many entries the page held, usable or not: fewer than asked for means the last page. */
  readonly entries: number;
  /** The answer's `Date` header (ms), or undefined when it had none: then the page proves nothing. */
  readonly dateMs: number | undefined;
}

/**
 * The path of page `page` (1-based) of `perPage` widgets, oldest first: creation order does not
 * change when a widget is rotated, so a fleet's rotations do not move widgets between pages.
 */
export function widgetListPath(accountId: string, page: number, perPage = LIST_PAGE_SIZE): string {
  return `${widgetsPath(accountId)}?page=${page}&per_page=${perPage}&order=created_on&direction=asc`;
}

/**
 * Narrows a list answer's `result`. Throws a `TypeError` when it is not an array; an entry that
 * is not a widget with a sitekey and a `modified_on` is left out (it proves nothing about any
 * widget, so a lookup of it falls back to reading the widget).
 */
export function parseWidgetPage(result: unknown, dateMs: number | undefined): WidgetPage {
  if (!Array.isArray(result)) throw new TypeError("the widget list should be an array");
  const widgets = new Map<string, Widget>();
  for (const entry of result) {
    let widget: Widget;
    try {
      widget = parseWidget(entry);
    } catch {
      continue;
    }
    if (widget.sitekey !== undefined) widgets.set(widget.sitekey, widget);
  }
  return { widgets, entries: result.length, dateMs };
}
