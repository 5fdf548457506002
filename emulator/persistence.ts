/**
 * Optional JSON persistence of the store (`statePath` / `--state FILE`). Loaded
 * once at start; rewritten atomically (temp file + rename) after every mutation,
 * so a crash never leaves half a file. Files that are corrupt or not ours are
 * refused rather than overwritten. API tokens are never written.
 */
import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import type { StoreSnapshot, TokenRecord, WidgetRecord } from "./store";
import { isRecord } from "./validation";
import { JsonSyntaxError, parseJsonText } from "./json-text";

/** Marker identifying an emulator state file. */
export const STATE_FORMAT = "turnstile-emulator-state";
/** Current state file version. */
export const STATE_VERSION = 1;

/** Raised for a state file the emulator refuses to use; the message names the file and the fix. */
export class StateFileError extends Error {
  constructor(readonly path: string, problem: string) {
    super(`State file ${path} ${problem}. Fix: delete or move it, or pass a different --state path ` +
      `(the emulator creates a fresh file there).`);
    this.name = "StateFileError";
  }
}

const str = (v: unknown): v is string => typeof v === "string";
const num = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const bool = (v: unknown): v is boolean => typeof v === "boolean";

function isWidgetRecord(v: unknown): v is WidgetRecord {
  return isRecord(v) && str(v.accountId) && num(v.seq) && str(v.sitekey) && str(v.secret) && str(v.name) &&
    Array.isArray(v.domains) && v.domains.every(str) && str(v.mode) && bool(v.bot_fight_mode) &&
    str(v.clearance_level) && bool(v.ephemeral_id) && bool(v.offlabel) && str(v.region) &&
    num(v.createdMs) && num(v.modifiedMs) &&
    (v.previousSecret === undefined || str(v.previousSecret)) && (v.graceEndsMs === undefined || num(v.graceEndsMs));
}

function isTokenRecord(v: unknown): v is TokenRecord {
  return isRecord(v) && str(v.token) && str(v.sitekey) && num(v.issuedMs) && str(v.hostname) &&
    str(v.action) && str(v.cdata) && (v.redeemed === undefined || isRecord(v.redeemed));
}

/** Reads a state file; `undefined` when it does not exist yet. Throws StateFileError when unusable. */
export function loadState(path: string): StoreSnapshot | undefined {
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = parseJsonText(readFileSync(path, "utf8"));
  } catch (err) {
    // JsonSyntaxError names the position only; the file holds widget secrets.
    if (err instanceof JsonSyntaxError) throw new StateFileError(path, `is ${err.message}`);
    throw new StateFileError(path, `cannot be read (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!isRecord(parsed) || parsed.format !== STATE_FORMAT) {
    throw new StateFileError(path, `is not a Turnstile emulator state file (no "format": "${STATE_FORMAT}" marker); refusing to overwrite it`);
  }
  if (parsed.version !== STATE_VERSION) {
    throw new StateFileError(path, `has version ${JSON.stringify(parsed.version)}, this emulator reads version ${STATE_VERSION}`);
  }
  const state = parsed.state;
  if (!isRecord(state) || !num(state.nextSeq) || !Array.isArray(state.widgets) || !Array.isArray(state.tokens) ||
      !state.widgets.every(isWidgetRecord) || !state.tokens.every(isTokenRecord)) {
    throw new StateFileError(path, "has the emulator's marker but its contents are damaged");
  }
  return { nextSeq: state.nextSeq, widgets: state.widgets, tokens: state.tokens };
}

/** Writes the snapshot atomically: a temp file next to the target, then rename over it. */
export function saveState(path: string, snapshot: StoreSnapshot, now: Date = new Date()): void {
  const body = JSON.stringify({ format: STATE_FORMAT, version: STATE_VERSION, savedAt: now.toISOString(), state: snapshot }, null, 2);
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, body + "\n", { mode: 0o600 });
    renameSync(temp, path);
  } catch (err) {
    if (existsSync(temp)) unlinkSync(temp);
    throw err;
  }
}

/** Writes the initial state file, turning any failure into a StateFileError naming the path. */
export function createStateFile(path: string, snapshot: StoreSnapshot): void {
  try {
    saveState(path, snapshot);
  } catch (err) {
    throw new StateFileError(path, `cannot be created (${err instanceof Error ? err.message : String(err)})`);
  }
}
