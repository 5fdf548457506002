/**
 * WidgetStore: the single owner of emulator state (widgets per account, current and
 * previous secrets, grace windows, minted visitor tokens, request counters, the
 * rotation log).
 * Routes stay thin and call it; persistence snapshots it. Time and randomness are
 * injected so every rule here can be driven deterministically from tests.
 */
import { rfc3339Ceil, type Clock } from "./clock";
import { listView, toWidget } from "./widget-view";
import { newSecret, newSitekey, type RandomSource } from "./random";
import { ApiError, ErrorCodes, type Widget, type WidgetListItem } from "./types";
import type { ListQuery, WidgetInput } from "./validation";
import type { ResultInfo } from "./envelope";
import { acceptedAs, type StoreSnapshot, type WidgetRecord } from "./records";
import { RequestCounter, type RequestCounts } from "./request-counter";
import { RotationLog, type RotationRecord } from "./rotation-log";
import { VisitorTokens } from "./visitor-tokens";

export type { StoreSnapshot, TokenRecord, WidgetRecord } from "./records";
export type { RequestCounts } from "./request-counter";
export type { RotationRecord } from "./rotation-log";

/** How long a previous secret stays valid (and rotation stays locked) after a non-immediate rotation. */
export const GRACE_PERIOD_MS = 2 * 60 * 60 * 1000;

/**
 * A change's time: now, or a millisecond after the widget's previous change when the clock has not
 * moved since (a manual clock), so every change moves `modified_on`, as Cloudflare's microsecond
 * clock does. The batched read of the provider relies on it (docs/reliability.md).
 */
function changeTime(previousMs: number, nowMs: number): number {
  return Math.max(nowMs, previousMs + 1);
}

/** Owns all widget, secret, token and counter state. */
export class WidgetStore {
  private widgets = new Map<string, WidgetRecord>();
  private readonly log = new RotationLog();
  private nextSeq = 1;
  /** Called after every mutation of persistent state (widgets, tokens). */
  onChange: () => void = () => {};
  /** Visitor tokens minted for siteverify (persistent). */
  readonly visitorTokens: VisitorTokens;
  /** Request counters behind `GET /emulator/requests` (not persistent). */
  readonly requests = new RequestCounter();

  constructor(
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {
    this.visitorTokens = new VisitorTokens(clock, random, () => this.onChange());
  }

  /** Lists one account's widgets (without secrets), filtered, ordered and paged. */
  list(accountId: string, query: ListQuery): { items: WidgetListItem[]; info: ResultInfo } {
    return listView([...this.widgets.values()].filter((w) => w.accountId === accountId), query);
  }

  /** Creates a widget with a fresh sitekey and secret. */
  create(accountId: string, input: WidgetInput): Widget {
    const now = this.clock.now();
    let sitekey = newSitekey(this.random);
    while (this.widgets.has(sitekey)) sitekey = newSitekey(this.random);
    const record: WidgetRecord = {
      accountId,
      seq: this.nextSeq++,
      sitekey,
      secret: this.uniqueSecret(),
      name: input.name,
      domains: input.domains,
      mode: input.mode,
      bot_fight_mode: input.bot_fight_mode ?? false,
      clearance_level: input.clearance_level ?? "no_clearance",
      ephemeral_id: input.ephemeral_id ?? false,
      offlabel: input.offlabel ?? false,
      region: input.region ?? "world",
      createdMs: now,
      modifiedMs: now,
    };
    this.widgets.set(sitekey, record);
    this.onChange();
    return toWidget(record);
  }

  /** One widget, with its secret; 404 when it does not exist in this account. */
  get(accountId: string, sitekey: string): Widget {
    return toWidget(this.require(accountId, sitekey));
  }

  /**
   * Replaces the widget's settings. Optional fields left out keep their current
   * value (so an SDK call with only the required fields cannot silently reset
   * ENT flags); `region` may be repeated but never changed.
   */
  update(accountId: string, sitekey: string, input: WidgetInput): Widget {
    const record = this.require(accountId, sitekey);
    if (input.region !== undefined && input.region !== record.region) {
      throw ApiError.of(400, ErrorCodes.validation,
        `region cannot be changed after creation (widget is "${record.region}")`, "/region");
    }
    record.name = input.name;
    record.domains = input.domains;
    record.mode = input.mode;
    record.bot_fight_mode = input.bot_fight_mode ?? record.bot_fight_mode;
    record.clearance_level = input.clearance_level ?? record.clearance_level;
    record.ephemeral_id = input.ephemeral_id ?? record.ephemeral_id;
    record.offlabel = input.offlabel ?? record.offlabel;
    record.modifiedMs = changeTime(record.modifiedMs, this.clock.now());
    this.onChange();
    return toWidget(record);
  }

  /** Deletes the widget (its secrets and tokens stop validating) and returns it. */
  delete(accountId: string, sitekey: string): Widget {
    const record = this.require(accountId, sitekey);
    this.widgets.delete(sitekey);
    this.visitorTokens.dropFor(sitekey);
    this.onChange();
    return toWidget(record);
  }

  /**
   * Issues a new secret. Without `invalidateImmediately` the old one stays valid
   * for 2 h. Any rotation inside a grace window is refused (Cloudflare: "secrets
   * cannot be rotated again during the grace period") with 400 — not 409, which
   * SDKs retry — naming when rotation becomes possible.
   */
  rotateSecret(accountId: string, sitekey: string, invalidateImmediately: boolean): Widget {
    const record = this.require(accountId, sitekey);
    const now = this.clock.now();
    if (record.graceEndsMs !== undefined && now < record.graceEndsMs) {
      throw ApiError.of(400, ErrorCodes.rotationInGracePeriod,
        "Secret rotation is not allowed during the grace period of the previous rotation; " +
        `try again after ${rfc3339Ceil(record.graceEndsMs)}`,
        undefined, { "x-should-retry": "false" });
    }
    const old = record.secret;
    record.secret = this.uniqueSecret();
    record.previousSecret = invalidateImmediately ? undefined : old;
    record.graceEndsMs = invalidateImmediately ? undefined : now + GRACE_PERIOD_MS;
    record.modifiedMs = changeTime(record.modifiedMs, now);
    this.log.record({ accountId, sitekey, secret: record.secret, previousSecret: record.previousSecret, atMs: now, invalidateImmediately });
    this.onChange();
    return toWidget(record);
  }

  /** Committed rotations, oldest first (of one widget when `sitekey` is given); copies, secrets included. */
  rotations(sitekey?: string): RotationRecord[] {
    return this.log.list(sitekey);
  }

  /** Whether the widget accepts `secret` right now: its current secret, or the previous one inside its grace period. */
  accepts(sitekey: string, secret: string): boolean {
    const widget = this.widgets.get(sitekey);
    return widget !== undefined && acceptedAs(widget, secret, this.clock.now()) !== undefined;
  }

  /** The widget a siteverify secret belongs to, and whether it is the current or grace-period secret. */
  findBySecret(secret: string): { widget: WidgetRecord; which: "current" | "previous" } | undefined {
    for (const widget of this.widgets.values()) {
      const which = acceptedAs(widget, secret, this.clock.now());
      if (which) return { widget, which };
    }
    return undefined;
  }

  /** Any widget by sitekey, regardless of account (for token minting). */
  findBySitekey(sitekey: string): WidgetRecord | undefined {
    return this.widgets.get(sitekey);
  }

  /** Request counts since start or the last reset. */
  requestCounts(): RequestCounts {
    return this.requests.counts();
  }

  /** Drops widgets, tokens, counters and the rotation log. */
  reset(): void {
    this.widgets.clear();
    this.visitorTokens.replace([]);
    this.requests.reset();
    this.log.clear();
    this.nextSeq = 1;
    this.onChange();
  }

  /** Deep copy of the persistent state. */
  snapshot(): StoreSnapshot {
    return { nextSeq: this.nextSeq, widgets: structuredClone([...this.widgets.values()]), tokens: this.visitorTokens.all() };
  }

  /** Replaces the persistent state (used when loading a state file). */
  restore(snapshot: StoreSnapshot): void {
    this.widgets = new Map(snapshot.widgets.map((w) => [w.sitekey, structuredClone(w)]));
    this.visitorTokens.replace(snapshot.tokens);
    this.nextSeq = snapshot.nextSeq;
  }

  /** A secret no widget uses as current or previous secret (siteverify must map secrets to one widget). */
  private uniqueSecret(): string {
    const taken = (s: string): boolean =>
      [...this.widgets.values()].some((w) => w.secret === s || w.previousSecret === s);
    let secret = newSecret(this.random);
    while (taken(secret)) secret = newSecret(this.random);
    return secret;
  }

  private require(accountId: string, sitekey: string): WidgetRecord {
    const record = this.widgets.get(sitekey);
    if (!record || record.accountId !== accountId) {
      throw ApiError.of(404, ErrorCodes.widgetNotFound, `Widget with sitekey "${sitekey}" not found`);
    }
    return record;
  }
}
