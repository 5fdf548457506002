/**
 * What the rollout's end-to-end tests share: examples/rollout copied into a world (a TypeScript
 * producer; TypeScript, Python and YAML consumers; the plan), the producer's config written
 * before its stack exists (so a first rollout creates and deploys it), and the command itself,
 * `node dist/rollout/cli.js`, run with the world's engine, backend and passphrase, siteverify
 * pointed at the emulator, and everything it prints kept in the CLI's transcript for the leak check.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../scripts/lib/engine";
import { runCommand, type CommandResult } from "../helpers/command";
import { createWorld, type E2eWorld, type WorldOptions } from "./harness";
import { yamlHostBin } from "./plugin-harness";
import { useCachedVenv } from "./python-venv";

/** The example plan's stacks. */
export const STACKS = {
  producer: "organization/rollout-producer/prod",
  checkout: "organization/checkout/prod",
  login: "organization/login/prod",
  statusPage: "organization/status-page/prod",
} as const;

/** What the command printed and returned. */
export type ToolResult = CommandResult;

/** A world holding the rollout example. */
export interface RolloutWorld extends E2eWorld {
  /** The example's directory in the world (rollout.yaml and the projects). */
  readonly example: string;
  /** The example's plan file. */
  readonly plan: string;
  /** Runs `turnstile-rotation ARGS` with the world's environment. */
  tool(args: readonly string[], env?: Readonly<Record<string, string>>): Promise<ToolResult>;
  /** Writes a plan file next to the example's and returns its path. */
  writePlan(name: string, text: string): string;
}

const CLI = path.join(REPO_ROOT, "dist", "rollout", "cli.js");

/**
 * Starts a world with upstream's YAML host on PATH and the rollout example in it. `python: false`
 * leaves the Python consumer's virtualenv unprepared (for plans that do not list it).
 */
export async function createRolloutWorld(options: Pick<WorldOptions, "backendUrl"> & { python?: boolean } = {}): Promise<RolloutWorld> {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: run npm run build first`);
  const world = await createWorld({ ...options, extraBins: [yamlHostBin()], initStacks: false });
  const example = world.cli.prepareProject("rollout");
  if (options.python !== false) {
    const login = path.join(example, "login");
    useCachedVenv(login, fs.readFileSync(path.join(login, "requirements.txt"), "utf8"));
    await world.cli.run(["install"], login);
  }
  // The stack does not exist yet: its config file does, as a team would commit it.
  const config = { accountId: world.emulator.accountId, sitekey: world.sitekey, rotationTrigger: "1" };
  const lines = Object.entries(config).map(([key, value]) => `  rollout-producer:${key}: "${value}"`);
  fs.writeFileSync(path.join(example, "producer", "Pulumi.prod.yaml"), `config:\n${lines.join("\n")}\n`);
  const env = { ...world.cli.env, TURNSTILE_SITEVERIFY_URL: `${world.emulator.origin}/turnstile/v0/siteverify` };

  const tool = async (args: readonly string[], extra: Readonly<Record<string, string>> = {}) => {
    const result = await runCommand(process.execPath, [CLI, ...args], { cwd: world.workDir, env: { ...env, ...extra } });
    world.cli.transcript.push(`$ turnstile-rotation ${args.join(" ")}\n${result.stdout}\n${result.stderr}`);
    return result;
  };
  const writePlan = (name: string, text: string) => {
    const file = path.join(example, name);
    fs.writeFileSync(file, text);
    return file;
  };
  return {
    ...world, producer: path.join(example, "producer"), consumer: path.join(example, "checkout"),
    example, plan: path.join(example, "rollout.yaml"), tool, writePlan,
  };
}

/** A JSON report's fields as the tests read them. */
export interface JsonReport {
  readonly ok: boolean;
  readonly error?: string;
  readonly producer: {
    readonly stack: string; readonly output: string; readonly deployed: boolean; readonly rotatedAt: string | null;
    readonly previousSecretExpiresAt: string | null; readonly accepted: boolean | null; readonly result?: string; readonly error?: string | null;
  };
  readonly consumers: ReadonlyArray<{
    readonly stack: string; readonly holds: string; readonly accepted: boolean | null; readonly validUntil: string | null;
    readonly result?: string; readonly error?: string | null; readonly note: string | null;
  }>;
  readonly before?: JsonReport;
}

/** The one JSON document a `--json` run printed on stdout. */
export function parseReport(result: ToolResult): JsonReport {
  try {
    return JSON.parse(result.stdout) as JsonReport;
  } catch {
    return assert.fail(`stdout is not one JSON document (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}

/** A consumer's line of a report, by stack. */
export function consumerOf(report: JsonReport, stack: string): JsonReport["consumers"][number] {
  const found = report.consumers.find((consumer) => consumer.stack === stack);
  return found ?? assert.fail(`the report has no consumer ${stack}: ${JSON.stringify(report.consumers.map((c) => c.stack))}`);
}
