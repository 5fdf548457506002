/**
 * The batched read: what one provider process learns from the account's widget list, shared by
 * every rotation and every diff it runs, so a fleet of N rotations reads a page per 1000 widgets
 * instead of N widgets.
 *
 * The list carries no secrets, only each widget's `modified_on`. The one assumption: every
 * rotation moves `modified_on` (Cloudflare's `rotate_secret` answer carries the new one). So a
 * widget the list shows with the very `modified_on` the state recorded beside its secret still
 * held that secret when the page was taken, at the page's `Date` (Cloudflare's clock). Anything
 * else proves nothing, and the caller reads the widget itself: a page that failed, had no Date,
 * or does not show the widget; a `modified_on` that moved; a state that recorded none.
 *
 * Pages are shared for a short window (in flight or answered), per token and account. A page can
 * be older than a rotate call this process sent (another resource on the same widget, or a call
 * still in flight): once this process sends a rotate call for a widget, no page speaks for it.
 */
import { LIST_PAGE_SIZE, type TurnstileClient, type Widget, type WidgetPage } from "../cloudflare";

/** How long a page answers lookups after its request was sent (local clock). */
export const SNAPSHOT_REUSE_MS = 5_000;

/** How the list is paged: widgets per page, and the most pages one lookup walks. */
export interface ListPaging {
  readonly pageSize: number;
  readonly maxPages: number;
}

/** Cloudflare's largest page, and 10 of them: accounts of up to 10,000 widgets. */
export const DEFAULT_PAGING: ListPaging = { pageSize: LIST_PAGE_SIZE, maxPages: 10 };

/** A widget as a page showed it, and that page's `Date` (Cloudflare's clock, ms). */
export interface ListedWidget {
  readonly widget: Widget;
  readonly dateMs: number;
}

interface CachedPage {
  readonly sentAt: number;
  readonly answer: Promise<WidgetPage | undefined>;
}

/** One provider process's pages and the widgets it rotated; see the module comment. */
export class WidgetSnapshots {
  readonly #pages = new WeakMap<TurnstileClient, Map<string, CachedPage>>();
  readonly #rotated = new Set<string>();

  constructor(private readonly now: () => number, private readonly paging: ListPaging = DEFAULT_PAGING) {}

  /** Says this process is about to send a rotate call for the widget: from now on no page speaks for it. */
  rotating(accountId: string, sitekey: string): void {
    this.#rotated.add(`${accountId}/${sitekey}`);
  }

  /**
   * The widget as the list shows it, when its `modified_on` is still `recorded` (the one the
   * state recorded beside its secret); undefined whenever the list proves nothing.
   */
  async unchanged(client: TurnstileClient, accountId: string, sitekey: string, recorded: string): Promise<ListedWidget | undefined> {
    const rotated = () => this.#rotated.has(`${accountId}/${sitekey}`);
    if (rotated()) return undefined;
    const listed = await this.#find(client, accountId, sitekey);
    // Checked again: a rotate call sent while the page was on its way may be missing from it.
    if (listed === undefined || listed.widget.modified_on !== recorded || rotated()) return undefined;
    return listed;
  }

  /** Walks the pages until one shows the widget; a failed, short or last allowed page ends the walk. */
  async #find(client: TurnstileClient, accountId: string, sitekey: string): Promise<ListedWidget | undefined> {
    let page = 0;
    let answer: WidgetPage | undefined;
    do {
      page++;
      answer = await this.#page(client, accountId, page);
      const widget = answer?.widgets.get(sitekey);
      if (widget !== undefined) return answer?.dateMs === undefined ? undefined : { widget, dateMs: answer.dateMs };
    } while (answer !== undefined && answer.entries >= this.paging.pageSize && page < this.paging.maxPages);
    return undefined;
  }

  /** Page `page` of the account's list as `client` reads it: shared while fresh, a failure as undefined. */
  #page(client: TurnstileClient, accountId: string, page: number): Promise<WidgetPage | undefined> {
    let pages = this.#pages.get(client);
    if (pages === undefined) {
      pages = new Map();
      this.#pages.set(client, pages);
    }
    const key = `${accountId}#${page}`;
    const now = this.now();
    const cached = pages.get(key);
    if (cached !== undefined && now - cached.sentAt < SNAPSHOT_REUSE_MS) return cached.answer;
    const answer = client.listWidgets(accountId, page, this.paging.pageSize).catch(() => undefined);
    pages.set(key, { sentAt: now, answer });
    return answer;
  }
}
