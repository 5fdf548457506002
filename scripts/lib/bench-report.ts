/**
 * The benchmark's printed report: Markdown tables, pasted as they are into docs/performance.md.
 * The goals are in bench-goals.ts; this file only lays the figures out.
 */
import type { BenchResults, CreateResult, FleetRun } from "./bench-types";
import { goals } from "./bench-goals";
import { medianOf } from "./bench-stats";

export { goals, type Goal } from "./bench-goals";

function table(header: string[], rows: Array<Array<string | number>>): string {
  const lines = [header, header.map(() => "---"), ...rows.map((row) => row.map(String))];
  return lines.map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

const seconds = (value: number): string => value.toFixed(2);
const mb = (bytes: number | undefined): string => (bytes === undefined ? "n/a" : (bytes / 2 ** 20).toFixed(0));
const rate = (value: number | undefined): string => (value === undefined ? "n/a" : value.toFixed(1));

function calls(byKind: Record<string, number>): string {
  const entries = Object.entries(byKind);
  return entries.length === 0 ? "0" : entries.map(([kind, count]) => `${count} ${kind}`).join(", ");
}

/** Total CPU seconds of a run's processes, or n/a. */
function totalCpu(timed: FleetRun["floor"]): string {
  const cpu = timed.cpuSeconds;
  return cpu ? ((cpu.cli ?? 0) + (cpu.program ?? 0) + (cpu.provider ?? 0)).toFixed(1) : "n/a";
}

function fleetRow(run: FleetRun): Array<string | number> {
  const bound = run.bound;
  return [
    run.n, run.operation, run.latencyMs, run.parallel, seconds(run.floor.seconds), seconds(run.rotation.seconds), (run.rotation.seconds / run.floor.seconds).toFixed(2),
    bound ? `${seconds(bound.seconds)} (${bound.boundBy})` : "-", run.ratioToBound?.toFixed(2) ?? "-",
    calls(run.apiCallsByKind), run.rejected429,
    `${mb(run.floor.providerPeakRssBytes)} / ${mb(run.rotation.providerPeakRssBytes)}`, `${mb(run.floor.cliPeakRssBytes)} / ${mb(run.rotation.cliPeakRssBytes)}`,
    `${totalCpu(run.floor)} / ${totalCpu(run.rotation)}`,
  ];
}

/** Median CPU seconds of each process over a create measurement's runs of one kind. */
function cpuRow(create: CreateResult, kind: "floor" | "mirror" | "rotation"): Array<string | number> {
  const of = (role: "cli" | "program" | "provider") => medianOf(create.runs.map((r) => r[kind].cpuSeconds?.[role]));
  const [cli, program, provider] = [of("cli"), of("program"), of("provider")];
  const total = cli === undefined || program === undefined || provider === undefined ? undefined : cli + program + provider;
  const cell = (value: number | undefined) => (value === undefined ? "n/a" : value.toFixed(2));
  return [create.n, kind, cell(cli), cell(program), cell(provider), cell(total)];
}

/** The whole report as Markdown. */
export function renderReport(results: BenchResults): string {
  const m = results.machine;
  const o = results.options;
  const parts: string[] = [];
  parts.push(
    `Machine: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB RAM, ${m.platform}; Node ${m.node}; ` +
    `Pulumi ${m.pulumi} (engine), @pulumi/pulumi ${m.pulumiNodejsSdk}. Emulator in-process on 127.0.0.1. ` +
    `Load average (1/5/15 min) at start ${m.loadAverageAtStart}, at end ${m.loadAverageAtEnd}.`,
  );
  parts.push(
    `Create N resources: \`pulumi up --skip-preview --parallel ${o.parallel}\`, fresh stack each run, median of ${o.repeat} ` +
    `(floor: the do-nothing dynamic resource, provider form \`${results.floor.form}\` for a package provider of ${results.floor.packageProviderBytes} bytes; ` +
    "mirror floor: the same, also declaring and filling the rotation's other outputs; " +
    "ops/s: first to last operation; RSS: peak of the dynamic-provider process).",
  );
  parts.push(table(
    ["N", "floor s", "mirror floor s", "rotation s", "ratio", "ratio to mirror", "floor ops/s", "rotation ops/s", "floor RSS MiB", "rotation RSS MiB", "API calls (rotation)"],
    results.create.map((c) => [
      c.n, seconds(c.floorSeconds), seconds(c.mirrorSeconds), seconds(c.rotationSeconds), c.ratio.toFixed(2), c.mirrorRatio.toFixed(2),
      rate(c.floorOpsPerSecond), rate(c.rotationOpsPerSecond), mb(c.floorPeakRssBytes), mb(c.rotationPeakRssBytes), calls(c.apiCalls),
    ]),
  ));
  parts.push("Where the time goes: CPU seconds (user + system) of each process of the same create runs, median; on 2 cores the wall time follows the total.");
  parts.push(table(
    ["N", "kind", "CLI (engine) s", "program s", "dynamic provider s", "total CPU s"],
    results.create.flatMap((c) => (["floor", "mirror", "rotation"] as const).map((kind) => cpuRow(c, kind))),
  ));
  if (results.calls.length > 0) {
    parts.push(`API calls per operation at N=${results.calls[0].n} (emulator clock in real time):`);
    parts.push(table(
      ["operation", "API calls", "per resource", "stated by the protocol", "exit code"],
      results.calls.map((c) => [c.operation, calls(c.byKind), (c.calls / c.n).toFixed(2),
        `${c.expectedPerResource}${c.expectedListPages > 0 ? ` + ${c.expectedListPages} list page per ${c.n}` : ""}`, c.exitCode]),
    ));
  }
  if (results.fleet.length > 0) {
    parts.push(
      "Fleet: one stack of N rotations beside one of N do-nothing resources, Cloudflare's limit of 1200 requests per 5 minutes per token " +
      "(fresh window per command), latency L injected on every API request for the rotations of all, `--parallel` P " +
      `(${o.parallel}; ${o.wideParallel} for the rotations of all at 300 ms and more). Bound: max(engine floor, ` +
      "ceil(N / P) x c calls x L (c = 2 for a create; 1 for a rotation of all, after one page of the list), rate-limit time of " +
      "those calls); RSS MiB and CPU s (all processes): floor / rotation.",
    );
    parts.push(table(
      ["N", "operation", "L ms", "P", "floor s", "rotation s", "ratio to floor", "bound s (by)", "ratio to bound", "API calls (rotation)", "429", "provider RSS MiB", "CLI RSS MiB", "CPU s"],
      results.fleet.flatMap((f) => f.runs.map(fleetRow)),
    ));
    parts.push("State per resource, packed install: compact JSON of one resource in `pulumi stack export`, and the checkpoint file / N:");
    parts.push(table(
      ["N", "rotation bytes/resource", "floor bytes/resource", "rotation checkpoint bytes/resource", "floor checkpoint bytes/resource", "serialized provider (stored twice)"],
      results.fleet.map(({ state: s }) => [s.n, s.bytesPerResource, s.floorBytesPerResource, s.checkpointBytesPerResource ?? "n/a", s.floorCheckpointBytesPerResource ?? "n/a", `${s.providerBytes} / ${s.floorProviderBytes}`]),
    ));
  }
  const t = results.tokens;
  if (t) {
    parts.push(`Rate budgets per token: ${t.tokens} tokens x ${t.widgetsPerToken} widgets from one stack (\`apiToken\` inputs), emulator limiting each token to 1200 per 5 minutes:`);
    parts.push(table(
      ["N", "floor s", "rotation s", "bound s (by)", "ratio to bound", "bound if one budget were shared s", "rotated", "failures", "429", "peak requests per token in any 5 min", "API calls"],
      [[t.run.n, seconds(t.run.floor.seconds), seconds(t.run.rotation.seconds), `${seconds(t.run.bound?.seconds ?? 0)} (${t.run.bound?.boundBy})`, t.run.ratioToBound?.toFixed(2) ?? "-",
        seconds(t.sharedBudgetBoundSeconds), t.rotations, t.failures, t.run.rejected429, t.peakWindowRequestsPerToken.join(" / "), calls(t.run.apiCallsByKind)]],
    ));
  }
  if (results.limited.length > 0) {
    parts.push("Against a low emulator rate limit (sliding window), rotation of N fresh widgets:");
    parts.push(table(
      ["client-side limiter", "N", "server limit req/s", "s", "rotated", "failures", "429 answers", "rotations/s", "floor ops/s", "target rotations/s"],
      results.limited.map((r) => [
        `${r.variant} (${r.clientLimit})`, r.n, r.serverLimitPerSecond, seconds(r.seconds), r.rotations, r.failures, r.rejected429,
        rate(r.rotationsPerSecond), rate(r.floorOpsPerSecond), rate(r.targetPerSecond),
      ]),
    ));
  }
  parts.push("Goals:");
  parts.push(table(["goal", "target", "measured", "met"], goals(results).map((g) => [g.goal, g.target, g.measured, g.met === undefined ? "n/a" : g.met ? "yes" : "NO"])));
  parts.push(`Total benchmark time: ${results.totalSeconds.toFixed(0)} s.`);
  return parts.join("\n\n") + "\n";
}
