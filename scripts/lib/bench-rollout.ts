/**
 * The rollout benchmark: what `turnstile-rotation rollout --parallel 4` costs next to the same
 * `pulumi up`s run by hand four at a time. One TypeScript producer (examples/rollout/producer)
 * and N stacks of the TypeScript consumer (examples/rollout/checkout) on a file backend, against
 * the in-process emulator. Each round moves the emulator's clock past the grace period and changes
 * the producer's trigger, so both sides do the same work: one rotation, then every consumer.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runPool } from "../../rollout/pool";
import { runCommand } from "../../tests/helpers/command";
import { startBenchEmulator } from "./bench-emulator";
import { median } from "./bench-stats";
import { REPO_ROOT, findEngine } from "./engine";
import { PulumiCli } from "./pulumi-cli";

/** What to measure. */
export interface RolloutBenchOptions {
  /** Consumer stacks (default 20). */
  readonly consumers: number;
  /** Stacks updated at once, by the command and by hand (default 4). */
  readonly parallel: number;
  /** Rounds of each side, alternating (default 2); medians are reported. */
  readonly repeat: number;
}

/** The measured seconds. */
export interface RolloutBenchResult {
  /** What was measured. */
  readonly options: RolloutBenchOptions;
  /** Wall time of `turnstile-rotation rollout`, per round. */
  readonly toolSeconds: readonly number[];
  /** Wall time of the same updates by hand, per round. */
  readonly handSeconds: readonly number[];
  /** Wall time of `turnstile-rotation status` of every stack, per round. */
  readonly statusSeconds: readonly number[];
  /** Load average (1, 5, 15 min) at the start and the end: the machine may be shared. */
  readonly load: { readonly start: readonly number[]; readonly end: readonly number[] };
}

const CLI = path.join(REPO_ROOT, "dist", "rollout", "cli.js");
const PRODUCER = "organization/rollout-producer/prod";
const seconds = (startedMs: number) => (Date.now() - startedMs) / 1000;

/** Runs the benchmark; `log` gets a line per step. */
export async function runRolloutBench(options: RolloutBenchOptions, log: (line: string) => void): Promise<RolloutBenchResult> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const load = { start: os.loadavg(), end: [] as number[] };
  const engineBin = await findEngine({ showProgress: true });
  // A day behind real time: moving past each grace period never puts it ahead of the provider's clock.
  const bench = await startBenchEmulator({ lagMs: 24 * 3600 * 1000 });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "turnstile-bench-rollout-"));
  try {
    const [sitekey] = bench.createWidgets(1);
    const { running } = bench;
    const cli = new PulumiCli({
      engineBin, workDir, passphrase: "bench",
      // Both sides run the same programs; their type check is the same cost on each and only adds noise.
      env: { CLOUDFLARE_BASE_URL: running.baseUrl, CLOUDFLARE_API_TOKEN: running.apiToken, PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
    });
    const example = cli.prepareProject("rollout");
    const producer = path.join(example, "producer");
    const checkout = path.join(example, "checkout");
    fs.writeFileSync(path.join(producer, "Pulumi.prod.yaml"),
      `config:\n  rollout-producer:accountId: "${running.accountId}"\n  rollout-producer:sitekey: "${sitekey}"\n  rollout-producer:rotationTrigger: "0"\n`);
    const consumers = Array.from({ length: options.consumers }, (_, i) => `organization/checkout/c${String(i + 1).padStart(2, "0")}`);
    const plan = path.join(example, "bench.yaml");
    fs.writeFileSync(plan, `producer: {dir: ./producer, stack: ${PRODUCER}}\nconsumers:\n${consumers.map((stack) => `  - {dir: ./checkout, stack: ${stack}}`).join("\n")}\n`);
    const env = { ...cli.env, TURNSTILE_SITEVERIFY_URL: `${running.origin}/turnstile/v0/siteverify` };
    const tool = async (args: string[]) => {
      const result = await runCommand(process.execPath, [CLI, ...args, "--plan", plan], { cwd: workDir, env });
      const report = JSON.parse(result.stdout) as { ok: boolean; producer: { result?: string } };
      return { code: result.code, report };
    };
    const nextRotation = async (round: number) => {
      running.advanceClock(2 * 3600 + 60);
      await cli.run(["config", "set", "--stack", PRODUCER, "rotationTrigger", String(round)], producer);
    };

    log(`first rollout: creates the producer and ${options.consumers} consumer stacks (untimed)`);
    const first = await tool(["rollout", "--json", "--parallel", String(options.parallel)]);
    if (first.code !== 0) throw new Error(`the first rollout failed: ${JSON.stringify(first.report)}`);

    const toolSeconds: number[] = [];
    const handSeconds: number[] = [];
    const statusSeconds: number[] = [];
    for (let round = 1; round <= options.repeat; round += 1) {
      await nextRotation(2 * round - 1);
      let started = Date.now();
      const rolled = await tool(["rollout", "--json", "--parallel", String(options.parallel)]);
      toolSeconds.push(seconds(started));
      if (rolled.code !== 0 || rolled.report.producer.result !== "rotated") throw new Error(`round ${round}: the rollout did not rotate and reach everyone: ${JSON.stringify(rolled.report)}`);
      log(`round ${round}: turnstile-rotation rollout --parallel ${options.parallel}: ${toolSeconds[round - 1].toFixed(2)} s`);

      await nextRotation(2 * round);
      started = Date.now();
      // --skip-preview, as the Automation API's up does: both sides do the same updates.
      await cli.run(["up", "--yes", "--skip-preview", "--stack", PRODUCER], producer);
      await runPool(consumers, options.parallel, (stack) => cli.run(["up", "--yes", "--skip-preview", "--stack", stack], checkout));
      handSeconds.push(seconds(started));
      log(`round ${round}: by hand, pulumi up on the producer, then ${options.consumers} consumers ${options.parallel} at a time: ${handSeconds[round - 1].toFixed(2)} s`);

      started = Date.now();
      const checked = await tool(["status", "--json"]);
      statusSeconds.push(seconds(started));
      if (checked.code !== 0) throw new Error(`round ${round}: after the updates by hand a consumer is behind: ${JSON.stringify(checked.report)}`);
      log(`round ${round}: turnstile-rotation status: ${statusSeconds[round - 1].toFixed(2)} s`);
    }
    load.end = os.loadavg();
    return { options, toolSeconds, handSeconds, statusSeconds, load };
  } finally {
    await bench.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/** The result as a Markdown table, with the ratio of the medians. */
export function renderRolloutBench(result: RolloutBenchResult): string {
  const { consumers, parallel } = result.options;
  const each = (values: readonly number[]) => values.map((value) => value.toFixed(2)).join(", ");
  const tool = median(result.toolSeconds);
  const hand = median(result.handSeconds);
  return [
    `| what (${consumers} consumers, ${parallel} at a time) | median s | each round s |`,
    "| --- | --- | --- |",
    `| \`turnstile-rotation rollout --parallel ${parallel}\` | ${tool.toFixed(2)} | ${each(result.toolSeconds)} |`,
    `| the same \`pulumi up --skip-preview\`s by hand (producer, then consumers ${parallel} at a time) | ${hand.toFixed(2)} | ${each(result.handSeconds)} |`,
    `| ratio (the tool's overhead) | ${(tool / hand).toFixed(2)} | |`,
    `| \`turnstile-rotation status\` (${consumers + 1} stacks) | ${median(result.statusSeconds).toFixed(2)} | ${each(result.statusSeconds)} |`,
    "",
    `Load average (1/5/15 min): ${result.load.start.map((v) => v.toFixed(2)).join(" ")} at the start, ${result.load.end.map((v) => v.toFixed(2)).join(" ")} at the end.`,
  ].join("\n");
}
