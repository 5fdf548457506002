/**
 * Record shapes the store keeps internally and persists: richer than the API's
 * JSON (creation sequence, millisecond times, previous secret, grace end).
 */
import type { Widget } from "./types";

/** Internal form of a widget: the public fields plus bookkeeping the API never shows. */
export interface WidgetRecord extends Omit<Widget, "created_on" | "modified_on"> {
  accountId: string;
  /** Creation sequence; backs `order=id`. */
  seq: number;
  createdMs: number;
  modifiedMs: number;
  /** Secret replaced by the last non-immediate rotation, valid until `graceEndsMs`. */
  previousSecret?: string;
  /** End of the grace window; rotation is refused before it. */
  graceEndsMs?: number;
}

/** A visitor token minted by the test-only `/emulator/tokens` route. */
export interface TokenRecord {
  token: string;
  sitekey: string;
  issuedMs: number;
  hostname: string;
  action: string;
  cdata: string;
  /** Set by the first siteverify that accepted it; `idempotencyKey` allows re-checks. */
  redeemed?: { idempotencyKey?: string };
}

/** Everything that survives a restart (see persistence.ts). Never holds API tokens. */
export interface StoreSnapshot {
  nextSeq: number;
  widgets: WidgetRecord[];
  tokens: TokenRecord[];
}

/** Which of the widget's secrets `secret` is, if the widget accepts it at `nowMs` (the previous one only inside its grace period). */
export function acceptedAs(widget: WidgetRecord, secret: string, nowMs: number): "current" | "previous" | undefined {
  if (widget.secret === secret) return "current";
  const inGrace = widget.graceEndsMs !== undefined && nowMs < widget.graceEndsMs;
  return inGrace && widget.previousSecret === secret ? "previous" : undefined;
}
