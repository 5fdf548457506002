/**
 * Who holds which secret: the producer's current secret and its rotation's dates, each consumer's
 * secret as its deployed StackReference read it, compared in memory, and Cloudflare's verdict on
 * each distinct secret (siteverify.ts). The report carries versions and verdicts, never a secret.
 */
import { RolloutInputError } from "./errors";
import { runPool } from "./pool";
import type { PlannedStack, RolloutPlan } from "./plan";
import type { Probe, Verdict } from "./siteverify";
import type { Stacks, StackState } from "./stacks";
import { heldSecret, isDeployed, rotationDates, stackOutputs, type Held, type RotationDates } from "./state";

/** Which secret a consumer's deployed state holds. */
export type Holds = "current" | "previous" | "rejected" | "unknown" | "none";

/** The producer's side of the report. */
export interface ProducerStatus {
  /** The stack's full name. */
  readonly stack: string;
  /** The output holding the secret. */
  readonly output: string;
  /** Whether a `pulumi up` of the producer has completed. */
  readonly deployed: boolean;
  /** When Cloudflare made the current secret (RFC 3339), or null. */
  readonly rotatedAt: string | null;
  /** Until when the previous secret works (RFC 3339), or null. */
  readonly previousSecretExpiresAt: string | null;
  /** Whether Cloudflare accepts the current secret now; null when it gave no clear answer or there is none. */
  readonly accepted: boolean | null;
  /** Why something is off, for people; null when nothing is. */
  readonly note: string | null;
}

/** One consumer's side of the report. */
export interface ConsumerStatus {
  /** The stack's full name. */
  readonly stack: string;
  /** Whether a `pulumi up` of it has completed. */
  readonly deployed: boolean;
  /**
   * `current`: the producer's secret; `previous`: an older one Cloudflare still accepts;
   * `rejected`: one it no longer accepts; `unknown`: an older one Cloudflare gave no clear answer
   * about; `none`: no secret.
   */
  readonly holds: Holds;
  /** Cloudflare's verdict on the held secret; null when nothing was probed or the answer was unclear. */
  readonly accepted: boolean | null;
  /** When the held secret stops working (RFC 3339), or null when no end is known. */
  readonly validUntil: string | null;
  /** Why it holds nothing, or what Cloudflare answered; null when there is nothing to add. */
  readonly note: string | null;
}

/** The status of a plan's stacks. */
export interface StatusReport {
  /** True when every consumer holds the current secret and Cloudflare accepts it. */
  readonly ok: boolean;
  /** The producer's side. */
  readonly producer: ProducerStatus;
  /** Each consumer, in the plan's order. */
  readonly consumers: readonly ConsumerStatus[];
}

/** What the stacks' states say, with the secrets themselves (in memory only). */
export interface Inspection {
  /** Whether it is deployed, its secret (absent when not), and the dates of the rotation that made it. */
  readonly producer: { readonly deployed: boolean; readonly secret?: string; readonly dates: RotationDates };
  /** Each consumer, in the plan's order: deployed or not, and what its StackReference holds. */
  readonly consumers: ReadonlyArray<{ readonly deployed: boolean; readonly held: Held }>;
}

const deployedIn = (state: StackState) => state.kind === "present" && isDeployed(state.deployment);

/**
 * Reads the plan's stacks (those `known` does not already give). All bad input is found before
 * anything changes: undecryptable stacks, and a deployed producer without the planned output, are
 * reported together.
 * @throws RolloutInputError listing every such problem.
 */
export async function inspect(plan: RolloutPlan, stacks: Stacks, parallel: number, known: Partial<Inspection> = {}): Promise<Inspection> {
  const targets = [...(known.producer ? [] : [plan.producer]), ...(known.consumers ? [] : plan.consumers)];
  const readOne = async (target: PlannedStack): Promise<{ state: StackState; problem?: string }> => {
    try {
      return { state: await stacks.read(target) };
    } catch (error) {
      if (!(error instanceof RolloutInputError)) throw error;
      return { state: { kind: "missing" }, problem: error.message };
    }
  };
  // The first read alone: a backend opened for the first time creates its tables, and PostgreSQL
  // fails concurrent CREATE TABLE IF NOT EXISTS of one table (a duplicate key in pg_type).
  const [first, ...rest] = targets;
  const reads = first === undefined ? [] : [await readOne(first), ...(await runPool(rest, parallel, readOne))];
  // In the plan's order, whichever read finished first.
  const problems = reads.flatMap((read) => (read.problem ? [read.problem] : []));
  const states = reads.map((read) => read.state);
  const producerState = known.producer ? undefined : states.shift();
  const { output, stack } = plan.producer;
  let producer: Inspection["producer"] = known.producer ?? { deployed: false, dates: { rotatedAt: null, previousSecretExpiresAt: null } };
  if (producerState?.kind === "present" && deployedIn(producerState)) {
    const outputs = stackOutputs(producerState.deployment);
    const secret = outputs[output];
    // No outputs at all: no `pulumi up` of the program has completed yet (the first one failed).
    if (Object.keys(outputs).length === 0) {
      producer = { ...producer, deployed: false };
    } else if (typeof secret !== "string") {
      const names = Object.keys(outputs).join(", ") || "none";
      problems.unshift(`producer.output: stack ${stack} exports no string output ${output} (its outputs: ${names}); ` +
        `set producer.output to the output that holds the secret, or export it (export const ${output} = rotation.secret) and run pulumi up on the producer`);
    } else {
      producer = { deployed: true, secret, dates: rotationDates(producerState.deployment, secret) };
    }
  }
  if (problems.length > 0) throw new RolloutInputError(`plan ${plan.file}`, problems);
  const consumers = known.consumers ?? states.map((state) => state.kind === "present"
    ? { deployed: deployedIn(state), held: heldSecret(state.deployment, stack, output) }
    : { deployed: false, held: { kind: "none", why: "the stack does not exist yet" } as const });
  return { producer, consumers };
}

/** Every secret an inspection holds: what a printed text must never contain. */
export function secretsOf(inspection: Inspection): string[] {
  const held = inspection.consumers.flatMap((c) => (c.held.kind === "secret" ? [c.held.secret] : []));
  return [...(inspection.producer.secret ? [inspection.producer.secret] : []), ...held];
}

const acceptedOf = (verdict: Verdict | undefined) => (verdict === undefined || verdict.kind === "unknown" ? null : verdict.kind === "accepted");

/** Probes each distinct secret once and writes the report. */
export async function assess(plan: RolloutPlan, inspection: Inspection, probe: Probe): Promise<StatusReport> {
  const verdicts = new Map<string, Verdict>();
  for (const secret of new Set(secretsOf(inspection))) verdicts.set(secret, await probe(secret));
  const current = inspection.producer.secret;
  const currentVerdict = current === undefined ? undefined : verdicts.get(current);
  const { rotatedAt, previousSecretExpiresAt } = inspection.producer.dates;
  let producerNote: string | null = null;
  if (!inspection.producer.deployed) producerNote = "not deployed yet: a rollout deploys it first";
  else if (currentVerdict?.kind === "rejected") producerNote = "Cloudflare rejects the producer's secret: it was rotated outside Pulumi; run pulumi up --refresh on the producer, then roll out";
  else if (currentVerdict?.kind === "unknown") producerNote = currentVerdict.why;
  const producer: ProducerStatus = {
    stack: plan.producer.stack, output: plan.producer.output, deployed: inspection.producer.deployed,
    rotatedAt, previousSecretExpiresAt, accepted: acceptedOf(currentVerdict), note: producerNote,
  };
  const consumers = plan.consumers.map((target, index): ConsumerStatus => {
    const { deployed, held } = inspection.consumers[index];
    const base = { stack: target.stack, deployed };
    if (held.kind === "none") return { ...base, holds: "none", accepted: null, validUntil: null, note: held.why };
    if (held.secret === current) return { ...base, holds: "current", accepted: producer.accepted, validUntil: null, note: null };
    const verdict = verdicts.get(held.secret);
    if (verdict?.kind === "accepted") return { ...base, holds: "previous", accepted: true, validUntil: previousSecretExpiresAt, note: null };
    if (verdict?.kind === "rejected") return { ...base, holds: "rejected", accepted: false, validUntil: null, note: "Cloudflare no longer accepts the secret it holds" };
    return { ...base, holds: "unknown", accepted: null, validUntil: null, note: verdict?.kind === "unknown" ? verdict.why : "not probed" };
  });
  const ok = producer.accepted === true && consumers.every((c) => c.holds === "current");
  return { ok, producer, consumers };
}

/** Everything a status needs from outside: Pulumi, Cloudflare, and how many stacks to read at once. */
export interface StatusDeps {
  readonly stacks: Stacks;
  readonly probe: Probe;
  readonly parallel?: number;
}

/**
 * The status of every stack of the plan, changing nothing.
 * @throws RolloutInputError when a stack cannot be decrypted or the producer lacks its output.
 */
export async function status(plan: RolloutPlan, deps: StatusDeps): Promise<StatusReport> {
  return assess(plan, await inspect(plan, deps.stacks, deps.parallel ?? 4), deps.probe);
}
