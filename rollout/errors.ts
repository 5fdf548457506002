/**
 * The rollout's one user-facing failure: something a person must fix before any stack is touched
 * (the plan file, a project directory, a stack's secrets, the command line, the `pulumi` CLI).
 * It extends the package's error base, so a program catches every failure of the package as one.
 */
import { TurnstileRotationError } from "../provider/index";

/**
 * Bad input, found before any `pulumi up` ran: nothing has changed. The message lists every
 * problem, each naming the plan field or the stack, what is wrong and the fix; never a secret.
 */
export class RolloutInputError extends TurnstileRotationError {
  /** One line per problem, as the message lists them. */
  readonly problems: readonly string[];

  /** @param heading What was being read, e.g. `plan ./rollout.yaml`. */
  constructor(heading: string, problems: readonly string[]) {
    super(problems.length === 1 ? `${heading}: ${problems[0]}` : `${heading}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.problems = [...problems];
  }
}
Object.defineProperty(RolloutInputError.prototype, "name", { value: "RolloutInputError", writable: true, configurable: true });

/** A program's exception as the engine prints it under an `error: ... unhandled exception:` line. */
const EXCEPTION = /^(?:[A-Za-z_][\w.]*)?(?:Error|Exception)\b[^:]*: \S/;
const indentOf = (line: string) => line.length - line.trimStart().length;

/**
 * What explains an `error: ...:` line: the list under it (a provider's problems), else the
 * exception a failed program raised (past its traceback), from the lines of its block.
 */
function detailOf(lines: readonly string[], index: number): string | undefined {
  const below: string[] = [];
  for (const line of lines.slice(index + 1)) {
    if (line.trim() === "" || indentOf(line) < indentOf(lines[index])) break;
    below.push(line.trim());
  }
  const items = below.filter((line) => line.startsWith("- "));
  return items.length > 0 ? items.join(" ") : below.find((line) => EXCEPTION.test(line));
}

/**
 * The text of an error from the Pulumi CLI (or anything else) reduced to what a person needs: its
 * `error:` lines, each with the problems listed under it or the exception a program raised,
 * without colours, stack frames or the progress output around them.
 */
export function errorLines(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error)).replace(/\x1b\[[0-9;]*m/g, "");
  const lines = text.split("\n");
  const found: string[] = [];
  lines.forEach((line, index) => {
    const message = /^\s*(?:stderr:\s*)?(error:.*)$/.exec(line)?.[1]?.trim();
    if (!message) return;
    const detail = message.endsWith(":") ? detailOf(lines, index) : undefined;
    found.push(detail ? `${message} ${detail}` : message);
  });
  const unique = [...new Set(found.length > 0 ? found : [lines.map((line) => line.trim()).filter(Boolean).pop() ?? "unknown error"])];
  const joined = unique.join(" ");
  return joined.length > 600 ? `${joined.slice(0, 600)}…` : joined;
}

/** `text` with every value of `secrets` replaced by `[secret]`: the last guard before printing. */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join("[secret]");
  return out;
}
