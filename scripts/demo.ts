/**
 * `npm run demo`: the whole product on one machine, offline. Starts the Cloudflare emulator,
 * creates a widget, rotates its secret with `pulumi up` (producer stack), reads it from a second
 * stack through a StackReference (consumer), shows that a rotation inside the 2-hour grace
 * period is refused and changes nothing, moves the emulator's clock past the grace period,
 * rotates again and prints who holds which secret. Secrets are only ever shown masked.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { createEmulator } from "../emulator";
import { TurnstileClient } from "../provider/client";
import { maskSecret } from "../provider/mask";
import { findEngine, REPO_ROOT } from "./lib/engine";
import { PulumiCli } from "./lib/pulumi-cli";
import { runDemoSteps } from "./lib/demo-steps";

async function main(): Promise<void> {
  const apiToken = `demo-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  const accountId = "023e105f4ecef8ad9ca31a8372d0c353";
  const workDir = path.join(REPO_ROOT, ".work", "demo");
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });

  console.log("1. Pulumi engine");
  const engineBin = await findEngine({ showProgress: true });
  console.log(`   ${engineBin}`);

  const emulator = createEmulator({ apiToken });
  const { origin, baseUrl } = await emulator.listen(0);
  console.log(`2. Cloudflare emulator at ${baseUrl}`);
  try {
    const client = new TurnstileClient({ apiToken, baseUrl });
    const widget = await client.createWidget(accountId, {
      name: "login form", domains: ["example.com"], mode: "managed",
    });
    console.log(`   created widget ${widget.sitekey} (secret ${maskSecret(widget.secret ?? "")})`);

    const cli = new PulumiCli({ engineBin, workDir, passphrase: "demo-passphrase" });
    await runDemoSteps({ cli, client, origin, baseUrl, apiToken, accountId, sitekey: widget.sitekey });
  } finally {
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
