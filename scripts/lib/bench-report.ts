/**
 * The benchmark's goals and its printed report (Markdown tables, pasted as-is into
 * docs/performance.md). The goals are figures compared with targets and printed; the benchmark
 * never fails on them unless asked to with `npm run bench -- --check` (timings depend on the machine).
 */
import type { BenchResults, PairResult } from "./bench-runner";

/** One performance goal (docs/performance.md), with the measured figure. */
export interface Goal {
  readonly goal: string;
  readonly target: string;
  readonly measured: string;
  /** undefined: not measured in this run. */
  readonly met: boolean | undefined;
}

/** The performance goals: ratio at N=100, zero calls on no-change, state size, rate-limited run. */
export function goals(results: BenchResults): Goal[] {
  const list: Goal[] = [];
  const headline = results.create.find((c) => c.n === 100) ?? results.create[results.create.length - 1];
  if (headline) {
    list.push({
      goal: `create ratio to the floor at N=${headline.n}`, target: "<= 1.20",
      measured: headline.ratio.toFixed(2), met: headline.ratio <= 1.2,
    });
  }
  const preview = results.noChangePreview;
  if (preview) list.push({ goal: `API calls, no-change preview at N=${preview.n}`, target: "0", measured: String(preview.apiCalls), met: preview.apiCalls === 0 });
  const up = results.noChangeUp;
  if (up) list.push({ goal: `API calls, no-change up at N=${up.n}`, target: "0", measured: String(up.apiCalls), met: up.apiCalls === 0 });
  const state = results.state;
  if (state) {
    list.push({
      goal: "state per resource (packed install)", target: "<= 4096 bytes",
      measured: `${state.bytesPerResource} bytes`, met: state.bytesPerResource <= 4096,
    });
  }
  for (const run of results.limited) {
    list.push({
      goal: `N=${run.n} at ${run.serverLimitPerSecond} req/s, ${run.variant}: failures`, target: "0",
      measured: String(run.failures), met: run.failures === 0,
    });
    // The throughput goal is for a client configured with the account's limit (the default is
    // Cloudflare's); an unaware client's throughput is reported in the table, not judged.
    if (run.clientLimitMatchesServer) {
      list.push({
        goal: `N=${run.n} at ${run.serverLimitPerSecond} req/s, ${run.variant}: rotations/s`,
        target: `>= ${run.targetPerSecond.toFixed(1)}`, measured: run.rotationsPerSecond.toFixed(1),
        met: run.rotationsPerSecond >= run.targetPerSecond,
      });
    }
  }
  return list;
}

function table(header: string[], rows: Array<Array<string | number>>): string {
  const lines = [header, header.map(() => "---"), ...rows.map((row) => row.map(String))];
  return lines.map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

function seconds(value: number): string {
  return value.toFixed(2);
}

function mb(bytes: number | undefined): string {
  return bytes === undefined ? "n/a" : (bytes / 2 ** 20).toFixed(0);
}

function rate(value: number | undefined): string {
  return value === undefined ? "n/a" : value.toFixed(1);
}

function calls(byKind: Record<string, number>): string {
  const entries = Object.entries(byKind);
  return entries.length === 0 ? "0" : entries.map(([kind, count]) => `${count} ${kind}`).join(", ");
}

function pairRow(name: string, pair: PairResult | undefined): Array<string | number> {
  if (!pair) return [name, "-", "-", "-", "-", "-", "-", "-"];
  return [
    name, seconds(pair.floorSeconds), seconds(pair.mirrorSeconds), seconds(pair.rotationSeconds), pair.ratio.toFixed(2), pair.mirrorRatio.toFixed(2),
    calls(pair.apiCallsByKind), mb(pair.rotationPeakRssBytes),
  ];
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
      rate(c.floorOpsPerSecond), rate(c.rotationOpsPerSecond),
      mb(c.floorPeakRssBytes), mb(c.rotationPeakRssBytes), calls(c.apiCalls),
    ]),
  ));
  if (results.noChangeUp || results.rotateAll) {
    const n = results.noChangeUp?.n ?? results.rotateAll?.n;
    parts.push(`At N=${n} (same stacks; the rotation of all first moves the emulator's clock past the 2-hour grace period):`);
    parts.push(table(
      ["operation", "floor s", "mirror floor s", "rotation s", "ratio", "ratio to mirror", "API calls (rotation)", "rotation RSS MiB"],
      [pairRow("no-change up", results.noChangeUp), pairRow("no-change preview", results.noChangePreview), pairRow("rotate all (trigger change)", results.rotateAll)],
    ));
  }
  const s = results.state;
  if (s) {
    parts.push(`State per resource, packed install (\`npm pack\` into the program's node_modules), compact JSON of \`pulumi stack export\`, N=${s.n}:`);
    parts.push(table(
      ["resource", "bytes/resource", "serialized provider (stored twice)", "everything else", "checkpoint file bytes/resource"],
      [
        ["TurnstileSecretRotation", s.bytesPerResource, s.providerBytes, s.otherBytesPerResource, s.checkpointBytesPerResource ?? "n/a"],
        ["do-nothing floor", s.floorBytesPerResource, s.floorProviderBytes, s.floorBytesPerResource - 2 * s.floorProviderBytes, "-"],
        ["mirror floor", s.mirrorBytesPerResource, s.mirrorProviderBytes, s.mirrorBytesPerResource - 2 * s.mirrorProviderBytes, "-"],
      ],
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
