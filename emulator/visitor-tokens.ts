/**
 * Visitor tokens: minted by the test-only `/emulator/tokens` route, redeemed
 * once by siteverify. Part of the persistent state, so every change is reported
 * to the store's change hook.
 */
import type { Clock } from "./clock";
import { newVisitorToken, type RandomSource } from "./random";
import type { TokenRecord } from "./records";

/** Lifetime of a visitor token, per Cloudflare's siteverify documentation. */
export const TOKEN_LIFETIME_MS = 300 * 1000;

/** The minted visitor tokens, by token value. */
export class VisitorTokens {
  private tokens = new Map<string, TokenRecord>();

  /** @param changed called after every change (the store persists then) */
  constructor(
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly changed: () => void,
  ) {}

  /** Records a new visitor token for `sitekey`. */
  mint(sitekey: string, details: { hostname: string; action: string; cdata: string }): TokenRecord {
    const record: TokenRecord = { token: newVisitorToken(this.random), sitekey, issuedMs: this.clock.now(), ...details };
    this.tokens.set(record.token, record);
    this.changed();
    return record;
  }

  /** Looks up a minted token. */
  find(token: string): TokenRecord | undefined {
    return this.tokens.get(token);
  }

  /** Marks a token as used by siteverify (single use). */
  redeem(record: TokenRecord, idempotencyKey: string | undefined): void {
    record.redeemed = { idempotencyKey };
    this.changed();
  }

  /** Forgets the tokens of a deleted widget (the caller reports the change). */
  dropFor(sitekey: string): void {
    for (const [token, t] of this.tokens) if (t.sitekey === sitekey) this.tokens.delete(token);
  }

  /** Copies of every token, for a snapshot. */
  all(): TokenRecord[] {
    return [...this.tokens.values()].map((t) => structuredClone(t));
  }

  /** Replaces every token (reset, or loading a state file); the caller reports the change. */
  replace(records: TokenRecord[]): void {
    this.tokens = new Map(records.map((t) => [t.token, structuredClone(t)]));
  }
}
