/**
 * JSON parsing whose errors never quote the text. Node's JSON.parse messages
 * carry a window of the input around the error, and the inputs here (state
 * files, token files, request bodies) hold secrets and API tokens.
 */

/** A JSON syntax error described by position only. */
export class JsonSyntaxError extends Error {
  /** @param where e.g. "line 3, column 14" */
  constructor(readonly where: string) {
    super(`not valid JSON (error at ${where})`);
    this.name = "JsonSyntaxError";
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : "";
}

/** The offset the engine's message names, if any. */
function namedOffset(message: string): number | undefined {
  if (/Unexpected end of JSON input/.test(message)) return Number.POSITIVE_INFINITY;
  const offset = /at position (\d+)/.exec(message)?.[1];
  return offset === undefined ? undefined : Number(offset);
}

/** True when the first `length` characters already hold an error (not merely an unfinished text). */
function failsWithin(text: string, length: number): boolean {
  try {
    JSON.parse(text.slice(0, length));
    return false;
  } catch (err) {
    const offset = namedOffset(messageOf(err));
    return offset === undefined || offset < length;
  }
}

/**
 * Offset of the error. The engine's "Unexpected token" form names no position,
 * so it is found as the last character of the shortest prefix that already fails.
 */
function errorOffset(err: unknown, text: string): number {
  const named = namedOffset(messageOf(err));
  if (named !== undefined) return Math.min(named, text.length);
  let low = 1;
  let high = text.length;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (failsWithin(text, mid)) high = mid;
    else low = mid + 1;
  }
  return low - 1;
}

/** "line L, column C" of a 0-based offset in `text` (both 1-based, as editors show them). */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - (before.lastIndexOf("\n") + 1) + 1;
  return `line ${line}, column ${column}`;
}

/** JSON.parse, except that a syntax error is a JsonSyntaxError naming the position and no content. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new JsonSyntaxError(lineAndColumn(text, errorOffset(err, text)));
  }
}
