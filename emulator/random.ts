/**
 * Random identifiers (sitekeys, secrets, visitor tokens). The random source is
 * injected so a test can make every generated value reproducible.
 */
import { randomInt } from "node:crypto";

/** Returns a float in [0, 1), like Math.random. */
export type RandomSource = () => number;

/** Default random source backed by node:crypto. */
export const cryptoRandom: RandomSource = () => randomInt(0, 2 ** 32) / 2 ** 32;

/**
 * Deterministic PRNG (mulberry32) for tests: the same seed gives the same
 * sitekeys and secrets run after run.
 */
export function createSeededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** `length` characters from the base64url alphabet. */
export function randomChars(random: RandomSource, length: number, alphabet: string = BASE64URL): string {
  let out = "";
  for (let i = 0; i < length; i++) {
    out += alphabet[Math.floor(random() * alphabet.length) % alphabet.length];
  }
  return out;
}

/** Prefix Cloudflare's real sitekeys and secrets share. */
export const KEY_PREFIX = "0x4AAAAAAA";

/** A sitekey like `0x4AAAAAAABn0R22HWm-YUcQ` (24 chars; Cloudflare caps sitekeys at 32). */
export function newSitekey(random: RandomSource): string {
  return KEY_PREFIX + randomChars(random, 14);
}

/** A secret like `0x4AAAAAAABn0R22HWm098HVBjhdsYUc...` (35 chars). */
export function newSecret(random: RandomSource): string {
  return KEY_PREFIX + randomChars(random, 25);
}

/** An opaque visitor token shaped like a real one (`0.<payload>.<hex>`), well under 2048 chars. */
export function newVisitorToken(random: RandomSource): string {
  return `0.${randomChars(random, 300)}.${randomChars(random, 32, "0123456789abcdef")}`;
}
