/**
 * The report as people and CI read it: a text table, or one JSON document. Reports carry no
 * secret by construction (status.ts); the text adds only times and words.
 */
import { graceLeft } from "./clock";
import type { ConsumerOutcome, RolloutReport } from "./rollout";
import type { ConsumerStatus, StatusReport } from "./status";

/** A report (or `{ ok: false, error }` when the command could not run) as `--json` prints it: one document. */
export function renderJson(report: StatusReport | RolloutReport | { readonly ok: false; readonly error: string }): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

const isRollout = (report: StatusReport | RolloutReport): report is RolloutReport => "before" in report;
const yesNo = (value: boolean | null) => (value === null ? "unknown" : value ? "yes" : "no");
/** An error line, prefixed once: the CLI's errors already start with `error:`. */
const asError = (text: string) => (text.startsWith("error:") ? text : `error: ${text}`);

/** What a consumer holds, in words, with the time its secret has left. */
function holding(consumer: ConsumerStatus, now: number): string {
  switch (consumer.holds) {
    case "current":
      return consumer.accepted === true ? "current" : `current (Cloudflare accepts it: ${yesNo(consumer.accepted)})`;
    case "previous": {
      const left = graceLeft(consumer.validUntil, now);
      return consumer.validUntil ? `previous, accepted until ${consumer.validUntil}${left ? ` (${left})` : ""}` : "previous, still accepted";
    }
    default:
      return consumer.note ? `${consumer.holds}: ${consumer.note}` : consumer.holds;
  }
}

/** The verdict line: what is wrong, or that all is well. */
function verdict(report: StatusReport | RolloutReport): string {
  const behind = report.consumers.filter((c) => c.holds !== "current").length;
  if (report.ok) return "OK: every consumer holds the current secret and Cloudflare accepts it.";
  const reasons: string[] = [];
  if (behind > 0) reasons.push(`${behind} of ${report.consumers.length} consumers do not hold the current secret`);
  if (report.producer.accepted !== true) reasons.push(`Cloudflare's verdict on the current secret: ${yesNo(report.producer.accepted)}`);
  if (isRollout(report)) {
    const failed = report.consumers.filter((c) => c.result === "failed").length + (report.producer.result === "failed" ? 1 : 0);
    if (failed > 0) reasons.push(`${failed} pulumi up failed`);
  }
  return `NOT OK: ${reasons.join("; ")}.`;
}

/** The report as text, times relative to `now`. */
export function renderText(report: StatusReport | RolloutReport, now: number): string {
  const { producer } = report;
  const lines = [`producer ${producer.stack} (output ${producer.output})${isRollout(report) ? `: ${report.producer.result}` : ""}`];
  if (isRollout(report) && report.producer.error) lines.push(`  ${asError(report.producer.error)}`);
  if (producer.deployed) {
    lines.push(`  current secret made ${producer.rotatedAt ?? "(unknown)"}; Cloudflare accepts it: ${yesNo(producer.accepted)}`);
    const left = graceLeft(producer.previousSecretExpiresAt, now);
    if (producer.previousSecretExpiresAt) lines.push(`  previous secret accepted until ${producer.previousSecretExpiresAt}${left ? ` (${left})` : ""}`);
  }
  if (producer.note) lines.push(`  ${producer.note}`);
  lines.push("consumers");
  const width = Math.max(...report.consumers.map((c) => c.stack.length));
  const consumers: ReadonlyArray<ConsumerStatus & Partial<Pick<ConsumerOutcome, "result" | "error">>> = report.consumers;
  for (const consumer of consumers) {
    lines.push(`  ${consumer.stack.padEnd(width)}  ${holding(consumer, now)}${consumer.result ? `  [${consumer.result}]` : ""}`);
    if (consumer.error) lines.push(`  ${" ".repeat(width)}  ${asError(consumer.error)}`);
  }
  lines.push(verdict(report));
  return `${lines.join("\n")}\n`;
}
