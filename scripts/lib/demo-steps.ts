/**
 * The steps of the demo after setup, kept apart from process wiring so the demo reads as a story.
 */
import axios from "axios";
import type { TurnstileClient } from "../../provider/cloudflare";
import { maskSecret } from "./mask";
import type { PulumiCli } from "./pulumi-cli";

/** What the demo steps need. */
export interface DemoContext {
  readonly cli: PulumiCli;
  readonly client: TurnstileClient;
  readonly origin: string;
  readonly baseUrl: string;
  readonly apiToken: string;
  readonly accountId: string;
  readonly sitekey: string;
}

/**
 * Masks secrets and numbers the distinct ones in order of appearance (#1, #2, ...), so the
 * summary shows who holds which secret without showing any of them.
 */
function secretLabeller(): (secret: string) => string {
  const numbers = new Map<string, number>();
  return (secret) => {
    if (!numbers.has(secret)) numbers.set(secret, numbers.size + 1);
    return `${maskSecret(secret)} #${numbers.get(secret)}`;
  };
}

const PRODUCER = "organization/producer/dev";
const CONSUMER = "organization/consumer/dev";

/** The resource's error message from CLI output, wrapped for a terminal. */
function resourceError(output: string): string {
  const line = output.split("\n").find((l) => l.includes("TurnstileSecretRotation") && l.includes(" error: "));
  const message = line ? line.slice(line.indexOf(" error: ") + 8).trim() : "(no error message found)";
  const words = message.split(" ");
  const lines: string[] = [];
  for (const word of words) {
    if (lines.length === 0 || lines[lines.length - 1].length + word.length > 90) lines.push(word);
    else lines[lines.length - 1] += ` ${word}`;
  }
  return lines.map((l) => `     | ${l}`).join("\n");
}

async function secretOf(cli: PulumiCli, cwd: string, stack: string): Promise<string> {
  const outputs = await cli.outputs(cwd, stack, true);
  const secret = outputs.turnstileSecret;
  if (typeof secret !== "string") throw new Error(`stack ${stack} has no turnstileSecret output`);
  return secret;
}

/** Runs the rotate / consume / refuse / wait / rotate again story and prints the summary. */
export async function runDemoSteps(ctx: DemoContext): Promise<void> {
  const { cli, client } = ctx;
  const show = secretLabeller();
  show((await client.getWidget(ctx.accountId, ctx.sitekey)).secret ?? "");
  const producer = cli.prepareProject("producer");
  const consumer = cli.prepareProject("consumer");

  await cli.initStack(producer, PRODUCER, { accountId: ctx.accountId, sitekey: ctx.sitekey, rotationTrigger: "2026-11", "cloudflare:baseUrl": ctx.baseUrl });
  await cli.setSecret(producer, PRODUCER, "cloudflare:apiToken", ctx.apiToken);
  await cli.initStack(consumer, CONSUMER, { producerStack: PRODUCER });

  console.log("3. pulumi up (producer): first rotation, trigger 2026-11");
  await cli.run(["up", "--yes", "--stack", PRODUCER], producer);
  const first = await secretOf(cli, producer, PRODUCER);
  console.log(`   producer holds ${show(first)}`);

  console.log("4. pulumi up (consumer): reads it through a StackReference");
  await cli.run(["up", "--yes", "--stack", CONSUMER], consumer);
  console.log(`   consumer holds ${show(await secretOf(cli, consumer, CONSUMER))}`);

  console.log("5. trigger -> 2026-12 inside the 2-hour grace period: pulumi up is refused");
  await cli.run(["config", "set", "--stack", PRODUCER, "rotationTrigger", "2026-12"], producer);
  const refused = await cli.run(["up", "--yes", "--stack", PRODUCER], producer, { allowFailure: true });
  if (refused.code === 0) throw new Error("a rotation inside the grace period was not refused");
  console.log(resourceError(refused.stdout + refused.stderr));
  const unchanged = await secretOf(cli, producer, PRODUCER);
  const live = (await client.getWidget(ctx.accountId, ctx.sitekey)).secret;
  if (unchanged !== first || live !== first) throw new Error("the refused rotation changed a secret");
  console.log(`   nothing changed: producer and Cloudflare both still hold ${show(first)}`);

  console.log("6. the emulator's clock moves 2 hours and 1 minute forward");
  await axios.post(`${ctx.origin}/emulator/clock/advance`, { seconds: 2 * 3600 + 60 });

  console.log("7. pulumi up (producer, then consumer): second rotation");
  await cli.run(["up", "--yes", "--stack", PRODUCER], producer);
  await cli.run(["up", "--yes", "--stack", CONSUMER], consumer);

  const outputs = await cli.outputs(producer, PRODUCER, true);
  const second = String(outputs.turnstileSecret);
  const consumed = await secretOf(cli, consumer, CONSUMER);
  const current = (await client.getWidget(ctx.accountId, ctx.sitekey)).secret ?? "";
  console.log("\nSummary");
  console.log(`  widget ${ctx.sitekey}`);
  console.log(`  Cloudflare's current secret   ${show(current)}`);
  console.log(`  ${PRODUCER}   ${show(second)}  ${second === current ? "(current)" : "(STALE)"}`);
  console.log(`  ${CONSUMER}   ${show(consumed)}  ${consumed === current ? "(current)" : "(STALE)"}`);
  console.log(`  previous secret ${show(first)} stays valid until ${String(outputs.previousSecretExpiresAt)}`);
  console.log(`  rotated at ${String(outputs.rotatedAt)} (trigger ${String(outputs.rotationTrigger)})`);
  if (second !== current || consumed !== current || second === first) throw new Error("the stacks do not hold Cloudflare's current secret");
}
