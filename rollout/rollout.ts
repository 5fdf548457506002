/**
 * The rollout: the status first (who is behind, and every bad input, before anything runs); then
 * `pulumi up` on the producer; then `pulumi up` on each consumer that does not hold the producer's
 * current secret, `parallel` at a time, a failure stopping none of the others; then every consumer
 * is checked again. Run again, it continues: an unchanged trigger makes the producer's update
 * rotate nothing, and consumers already current are left alone.
 */
import { RolloutInputError, errorLines, redact } from "./errors";
import type { RolloutPlan } from "./plan";
import { runPool } from "./pool";
import { assess, inspect, secretsOf, type ConsumerStatus, type Inspection, type ProducerStatus, type StatusDeps, type StatusReport } from "./status";

/** What `pulumi up` on the producer did: made a new secret, kept it, or failed. */
export type ProducerResult = "rotated" | "unchanged" | "failed";

/**
 * What happened to a consumer: `updated` (its `pulumi up` succeeded), `skipped` (it already held
 * the current secret), `failed` (its `pulumi up` failed), `not-run` (the producer failed first).
 */
export type ConsumerResult = "updated" | "skipped" | "failed" | "not-run";

/** The producer after a rollout. */
export interface ProducerOutcome extends ProducerStatus {
  /** What its `pulumi up` did. */
  readonly result: ProducerResult;
  /** The error of its `pulumi up`, secrets redacted; null when it succeeded. */
  readonly error: string | null;
}

/** A consumer after a rollout. */
export interface ConsumerOutcome extends ConsumerStatus {
  /** What the rollout did with it. */
  readonly result: ConsumerResult;
  /** The error of its `pulumi up`, secrets redacted; null when none ran or it succeeded. */
  readonly error: string | null;
}

/** The report of a rollout: the final status, what each update did, and the status before it. */
export interface RolloutReport extends StatusReport {
  /** True when every `pulumi up` succeeded and every consumer ends on the current secret, accepted. */
  readonly ok: boolean;
  /** The producer after its update. */
  readonly producer: ProducerOutcome;
  /** Each consumer after the updates, checked again, in the plan's order. */
  readonly consumers: readonly ConsumerOutcome[];
  /** The status before anything ran. */
  readonly before: StatusReport;
}

/** A change the rollout reports as it goes (see progress.ts). */
export type ProgressEvent =
  | { readonly kind: "stack"; readonly stack: string; readonly state: string; readonly running?: boolean }
  | { readonly kind: "grace"; readonly expiresAt: string | null };

/** Everything a rollout needs from outside. */
export interface RolloutDeps extends StatusDeps {
  /** Called as the rollout moves on; default: nothing. */
  readonly onProgress?: (event: ProgressEvent) => void;
}

/** Where each consumer's state stands before the updates, as progress shows it. */
function standing(consumer: ConsumerStatus): string {
  return consumer.holds === "current" ? "current" : `behind (holds ${consumer.holds})`;
}

/**
 * Rolls the producer's secret out to every consumer of the plan.
 * @throws RolloutInputError on bad input, before any `pulumi up` has run.
 */
export async function rollout(plan: RolloutPlan, deps: RolloutDeps): Promise<RolloutReport> {
  const parallel = deps.parallel ?? 4;
  const emit = deps.onProgress ?? (() => undefined);
  const stackEvent = (stack: string, state: string, running = false) => emit({ kind: "stack", stack, state, running });
  for (const target of [plan.producer, ...plan.consumers]) stackEvent(target.stack, "checking");
  const first = await inspect(plan, deps.stacks, parallel);
  const before = await assess(plan, first, deps.probe);
  stackEvent(plan.producer.stack, before.producer.deployed ? "deployed" : "not deployed");
  before.consumers.forEach((consumer) => stackEvent(consumer.stack, standing(consumer)));
  emit({ kind: "grace", expiresAt: before.producer.previousSecretExpiresAt });

  const seen = new Set(secretsOf(first));
  const failure = (error: unknown) => redact(errorLines(error), seen);
  stackEvent(plan.producer.stack, "pulumi up", true);
  let producerError: string | null = null;
  let afterProducer: Inspection = first;
  try {
    await deps.stacks.up(plan.producer);
    afterProducer = await inspect(plan, deps.stacks, parallel, { consumers: first.consumers });
  } catch (error) {
    producerError = error instanceof RolloutInputError ? error.message : failure(error);
  }
  for (const secret of secretsOf(afterProducer)) seen.add(secret);
  const current = afterProducer.producer.secret;
  const producerResult: ProducerResult = producerError !== null ? "failed" : current !== first.producer.secret ? "rotated" : "unchanged";
  stackEvent(plan.producer.stack, producerResult);
  emit({ kind: "grace", expiresAt: afterProducer.producer.dates.previousSecretExpiresAt });

  const results: ConsumerResult[] = plan.consumers.map(() => (producerError !== null ? "not-run" : "skipped"));
  const errors: Array<string | null> = plan.consumers.map(() => null);
  const behind = plan.consumers.flatMap((_target, index) => {
    const held = first.consumers[index].held;
    return producerError === null && !(held.kind === "secret" && held.secret === current) ? [index] : [];
  });
  plan.consumers.forEach((target, index) => stackEvent(target.stack, behind.includes(index) ? "waiting" : results[index]));
  await runPool(behind, parallel, async (index) => {
    const target = plan.consumers[index];
    stackEvent(target.stack, "pulumi up", true);
    try {
      await deps.stacks.up(target);
      results[index] = "updated";
    } catch (error) {
      results[index] = "failed";
      errors[index] = failure(error);
    }
    stackEvent(target.stack, results[index]);
  });

  plan.consumers.forEach((target) => stackEvent(target.stack, "checking"));
  const last = await inspect(plan, deps.stacks, parallel, { producer: afterProducer.producer });
  const after = await assess(plan, last, deps.probe);
  after.consumers.forEach((consumer) => stackEvent(consumer.stack, `holds ${consumer.holds}`));
  const consumers = after.consumers.map((consumer, index) => ({ ...consumer, result: results[index], error: errors[index] }));
  const ok = after.ok && producerError === null && !results.includes("failed");
  return { ok, producer: { ...after.producer, result: producerResult, error: producerError }, consumers, before };
}
