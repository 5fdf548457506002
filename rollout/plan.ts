/**
 * The plan file a team commits next to its stacks: which stack produces the secret, under which
 * output, and which stacks consume it. Read and checked once, here; everything after works on a
 * {@link RolloutPlan} that is known to be whole. YAML, or JSON (which YAML reads as well).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { RolloutInputError } from "./errors";

/** The output a producer exports its secret under unless the plan says otherwise. */
export const DEFAULT_OUTPUT = "turnstileSecret";

/** One stack of the plan. */
export interface PlannedStack {
  /** Where the plan names it, for messages: `producer` or `consumers[2]`. */
  readonly field: string;
  /** The Pulumi project directory, absolute. */
  readonly dir: string;
  /** The stack's full name, `<org>/<project>/<stack>`, as a StackReference spells it. */
  readonly stack: string;
}

/** The producer: the stack whose output holds the rotated secret. */
export interface PlannedProducer extends PlannedStack {
  /** The name of the stack output holding the secret. */
  readonly output: string;
}

/** A checked plan. */
export interface RolloutPlan {
  /** The plan file, absolute. */
  readonly file: string;
  /** The stack that rotates the secret. */
  readonly producer: PlannedProducer;
  /** The stacks that read it, in the plan's order. */
  readonly consumers: readonly PlannedStack[];
}

type Fields = Record<string, unknown>;
const isFields = (value: unknown): value is Fields => value !== null && typeof value === "object" && !Array.isArray(value);
const STACK_NAME = /^[^/\s]+\/[^/\s]+\/[^/\s]+$/;

/** Reads `name` from a project directory's Pulumi.yaml, or says what is wrong with the directory. */
function projectName(dir: string): { name?: string; problem?: string } {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return { problem: `${dir} does not exist or is not a directory` };
  const file = ["Pulumi.yaml", "Pulumi.yml"].map((name) => path.join(dir, name)).find((candidate) => fs.existsSync(candidate));
  if (!file) return { problem: `${dir} has no Pulumi.yaml, so it is not a Pulumi project directory` };
  try {
    const project = yaml.load(fs.readFileSync(file, "utf8"), { schema: yaml.CORE_SCHEMA });
    if (isFields(project) && typeof project.name === "string") return { name: project.name };
  } catch {
    // Reported below like a missing name: the engine could not run that project either.
  }
  return { problem: `${file} has no project name (name:)` };
}

/** Checks one stack entry, adding a line per problem; returns it when whole. */
function checkStack(value: unknown, field: string, base: string, allowed: readonly string[], problems: string[]): PlannedStack | undefined {
  if (!isFields(value)) {
    problems.push(`${field}: must be a mapping with dir and stack`);
    return undefined;
  }
  for (const key of Object.keys(value).filter((key) => !allowed.includes(key))) {
    problems.push(`${field}.${key}: unknown field; a ${field.startsWith("consumers") ? "consumer" : "producer"} has ${allowed.join(", ")}`);
  }
  const before = problems.length;
  const { dir, stack } = value;
  if (typeof dir !== "string" || dir.trim() === "") {
    problems.push(`${field}.dir: missing; give the Pulumi project directory, relative to the plan file`);
  }
  if (typeof stack !== "string" || !STACK_NAME.test(stack)) {
    const got = typeof stack === "string" ? ` (got "${stack}")` : "";
    problems.push(`${field}.stack: missing or not a full stack name${got}; write <org>/<project>/<stack>, e.g. organization/checkout/prod on a self-managed backend`);
  }
  if (problems.length > before || typeof dir !== "string" || typeof stack !== "string") return undefined;
  const absolute = path.resolve(base, dir);
  const project = projectName(absolute);
  if (project.problem) {
    problems.push(`${field}.dir: ${project.problem}; point it at the stack's Pulumi project directory, relative to the plan file`);
    return undefined;
  }
  const stackProject = stack.split("/")[1];
  if (project.name !== stackProject) {
    problems.push(`${field}.stack: ${stack} belongs to project ${stackProject}, but ${dir} is project ${project.name}; fix the stack name or the directory`);
    return undefined;
  }
  return { field, dir: absolute, stack };
}

/**
 * Checks a parsed plan document: every problem at once, each naming its field and the fix.
 * @param base The directory that `dir` fields are relative to (the plan file's).
 * @throws RolloutInputError listing every problem.
 */
export function checkPlan(document: unknown, file: string, base = path.dirname(file)): RolloutPlan {
  const problems: string[] = [];
  const heading = `plan ${file}`;
  if (!isFields(document)) throw new RolloutInputError(heading, ["must be a mapping with producer and consumers"]);
  for (const key of Object.keys(document).filter((key) => key !== "producer" && key !== "consumers")) {
    problems.push(`${key}: unknown field; a plan has producer and consumers`);
  }
  let producer: PlannedProducer | undefined;
  if (document.producer === undefined) {
    problems.push("producer: missing; name the stack that rotates the secret (dir, stack, output)");
  } else {
    const stack = checkStack(document.producer, "producer", base, ["dir", "stack", "output"], problems);
    const output = isFields(document.producer) ? document.producer.output ?? DEFAULT_OUTPUT : DEFAULT_OUTPUT;
    if (typeof output !== "string" || output.trim() === "") {
      problems.push(`producer.output: must be the name of the producer's stack output (default ${DEFAULT_OUTPUT})`);
    } else if (stack) {
      producer = { ...stack, output };
    }
  }
  const consumers: PlannedStack[] = [];
  if (!Array.isArray(document.consumers) || document.consumers.length === 0) {
    problems.push("consumers: missing or empty; list each consumer stack as a mapping with dir and stack");
  } else {
    document.consumers.forEach((entry, index) => {
      const consumer = checkStack(entry, `consumers[${index}]`, base, ["dir", "stack"], problems);
      if (consumer) consumers.push(consumer);
    });
  }
  const seen = new Map<string, string>(producer ? [[producer.stack, "producer"]] : []);
  for (const consumer of consumers) {
    const first = seen.get(consumer.stack);
    if (first) problems.push(`${consumer.field}.stack: ${consumer.stack} is already ${first}; name each stack once`);
    else seen.set(consumer.stack, consumer.field);
  }
  if (problems.length > 0 || !producer) throw new RolloutInputError(heading, problems);
  return { file, producer, consumers };
}

/**
 * Reads and checks a plan file (YAML, or JSON).
 * @throws RolloutInputError when the file cannot be read or parsed, or a field is wrong.
 */
export function loadPlan(file: string): RolloutPlan {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(absolute, "utf8");
  } catch {
    throw new RolloutInputError(`plan ${absolute}`, ["cannot be read; check the path given to --plan"]);
  }
  let document: unknown;
  try {
    document = absolute.endsWith(".json") ? JSON.parse(text) : yaml.load(text, { filename: absolute, schema: yaml.CORE_SCHEMA });
  } catch (error) {
    const reason = (error as Error).message.split("\n")[0];
    throw new RolloutInputError(`plan ${absolute}`, [`is not valid ${absolute.endsWith(".json") ? "JSON" : "YAML"}: ${reason}`]);
  }
  return checkPlan(document, absolute);
}
