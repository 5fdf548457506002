#!/usr/bin/env node
/**
 * `turnstile-rotation`, the command: `status` reports who holds which secret, `rollout` brings
 * every consumer onto the producer's current secret. The report goes to stdout (text, or one JSON
 * document with --json), progress and errors to stderr.
 *
 * Exit codes: 0 when every consumer holds the current secret and Cloudflare accepts it (and, for
 * a rollout, every `pulumi up` succeeded); 1 when not; 2 when the command could not run (usage,
 * plan file, a stack's secrets, the `pulumi` CLI), in which case nothing was changed.
 */
import { parseArgs } from "node:util";
import { systemClock, type Clock } from "./clock";
import { RolloutInputError } from "./errors";
import { loadPlan } from "./plan";
import { progressFor, type ProgressStream } from "./progress";
import { renderJson, renderText } from "./report";
import { rollout } from "./rollout";
import { siteverifyProbe, type Probe } from "./siteverify";
import { automationStacks, findPulumi, type Stacks } from "./stacks";
import { status } from "./status";

/** The command's usage text. */
export const USAGE = `Usage: turnstile-rotation <command> --plan FILE [--json] [--parallel N]

Commands:
  status    which secret each consumer stack holds, and whether Cloudflare accepts it
  rollout   pulumi up on the producer, then on every consumer that is behind, N at a time

Options:
  --plan FILE     the plan file (YAML or JSON): the producer stack and its consumers
  --json          print one JSON document on stdout instead of text
  --parallel N    stacks read or updated at once (default 4)
  -h, --help      show this text

Exit codes: 0 all current and accepted; 1 not; 2 the command could not run (nothing changed).
Siteverify is Cloudflare's unless TURNSTILE_SITEVERIFY_URL says otherwise.
`;

/** The exit codes, by meaning. */
export const EXIT = { ok: 0, notOk: 1, cannotRun: 2 } as const;

/** What the command talks to; tests and programs may replace any part. */
export interface CliIo {
  /** Where the report goes. */
  readonly stdout: ProgressStream;
  /** Where progress and errors go. */
  readonly stderr: ProgressStream;
  /** Default: the machine's clock. */
  readonly clock?: Clock;
  /** Default: the `pulumi` on PATH through the Automation API. */
  readonly stacks?: () => Promise<Stacks>;
  /** Default: siteverify at TURNSTILE_SITEVERIFY_URL or Cloudflare's. */
  readonly probe?: Probe;
}

/** A parsed command line. */
export interface Invocation {
  /** What to do. */
  readonly command: "status" | "rollout" | "help";
  /** The plan file as given (empty for help). */
  readonly plan: string;
  /** Print one JSON document instead of text. */
  readonly json: boolean;
  /** Stacks read or updated at once. */
  readonly parallel: number;
}

/** Parses the arguments (without `node` and the script). @throws RolloutInputError on bad usage. */
export function parseInvocation(argv: readonly string[]): Invocation {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { plan: { type: "string" }, json: { type: "boolean", default: false }, parallel: { type: "string" }, help: { type: "boolean", short: "h", default: false } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new RolloutInputError("usage", [`${(error as Error).message}; see turnstile-rotation --help`]);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals[0] === "help") return { command: "help", plan: "", json: false, parallel: 4 };
  const problems: string[] = [];
  const [command, ...extra] = positionals;
  if (command !== "status" && command !== "rollout") problems.push(`the command must be status or rollout, not ${command === undefined ? "nothing" : JSON.stringify(command)}`);
  if (extra.length > 0) problems.push(`unexpected arguments: ${extra.join(" ")}`);
  if (!values.plan) problems.push("--plan FILE is required: the plan file naming the producer and its consumers");
  const parallel = values.parallel === undefined ? 4 : Number(values.parallel);
  if (!Number.isInteger(parallel) || parallel < 1) problems.push(`--parallel must be an integer >= 1, not ${JSON.stringify(values.parallel)}`);
  if (problems.length > 0) throw new RolloutInputError("usage (see turnstile-rotation --help)", problems);
  return { command: command as "status" | "rollout", plan: values.plan ?? "", json: values.json ?? false, parallel };
}

/** Runs the command; resolves to its exit code. Never prints a secret. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const clock = io.clock ?? systemClock;
  let json = argv.includes("--json");
  try {
    const invocation = parseInvocation(argv);
    json = invocation.json;
    if (invocation.command === "help") {
      io.stdout.write(USAGE);
      return EXIT.ok;
    }
    const plan = loadPlan(invocation.plan);
    const stacks = await (io.stacks ?? (async () => automationStacks(await findPulumi())))();
    const deps = { stacks, probe: io.probe ?? siteverifyProbe(), parallel: invocation.parallel };
    let report;
    if (invocation.command === "status") {
      report = await status(plan, deps);
    } else {
      const display = progressFor(io.stderr, clock);
      try {
        report = await rollout(plan, { ...deps, onProgress: display.onProgress });
      } finally {
        await display.stop();
      }
    }
    io.stdout.write(json ? renderJson(report) : renderText(report, clock.now()));
    return report.ok ? EXIT.ok : EXIT.notOk;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`turnstile-rotation: ${message}\n`);
    if (json) io.stdout.write(renderJson({ ok: false, error: message }));
    return error instanceof RolloutInputError ? EXIT.cannotRun : EXIT.notOk;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
    process.exitCode = code;
  });
}
