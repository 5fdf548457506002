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

/**
 * The text of an error from the Pulumi CLI (or anything else) reduced to what a person needs: its
 * `error:` lines, each followed by the exception a failed program raised, without colours, stack
 * frames or the progress output around them.
 */
export function errorLines(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error)).replace(/\x1b\[[0-9;]*m/g, "");
  const lines = text.split("\n").map((line) => line.trim());
  const found: string[] = [];
  lines.forEach((line, index) => {
    const message = /^(?:stderr:\s*)?(error:.*)$/.exec(line)?.[1];
    if (!message) return;
    const cause = message.endsWith(":") ? lines.slice(index + 1, index + 40).find((next) => EXCEPTION.test(next)) : undefined;
    found.push(cause ? `${message} ${cause}` : message);
  });
  const unique = [...new Set(found.length > 0 ? found : [lines.filter(Boolean).pop() ?? "unknown error"])];
  const joined = unique.join(" ");
  return joined.length > 600 ? `${joined.slice(0, 600)}…` : joined;
}

/** `text` with every value of `secrets` replaced by `[secret]`: the last guard before printing. */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join("[secret]");
  return out;
}
