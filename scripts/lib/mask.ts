/**
 * Masking for secret values that must be mentioned (in logs, diffs, error
 * messages) without being disclosed.
 */

/** Never reveal more than this many leading characters, however long the value. */
const MAX_VISIBLE_CHARS = 6;
/** Never reveal more than this share of the value, so short values stay hidden. */
const MAX_VISIBLE_SHARE = 1 / 5;

/**
 * Returns a recognisable but non-disclosing form of `value`: a short prefix
 * and the length, e.g. `0x4AAA…(35 chars)` for a 35-character Turnstile secret.
 *
 * The prefix is at most 6 characters and at most a fifth of the value, so a
 * value shorter than 5 characters shows no characters at all. Characters are
 * counted as code points so a surrogate pair is never split.
 */
export function maskSecret(value: string): string {
  const chars = Array.from(value);
  const visible = Math.min(MAX_VISIBLE_CHARS, Math.floor(chars.length * MAX_VISIBLE_SHARE));
  const unit = chars.length === 1 ? "char" : "chars";
  return `${chars.slice(0, visible).join("")}…(${chars.length} ${unit})`;
}
