/**
 * `npm run demo`: the whole product on one machine, offline. Starts the Cloudflare emulator (or
 * uses a running one), creates a widget, rotates its secret with `pulumi up` (producer stack),
 * reads it from a second stack through a StackReference (consumer), shows that a rotation inside
 * the 2-hour grace period is refused and changes nothing, moves the emulator's clock past the
 * grace period, rotates again and prints who holds which secret. Secrets are only shown masked.
 *
 * Options (after `npm run demo --`): `--emulator-url URL --api-token T` to use an emulator you
 * started with `npm run emulator`, `--work-dir DIR` (default .work/demo).
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { createEmulator } from "../emulator";
import { TurnstileClient } from "../provider/cloudflare";
import { findEngine, REPO_ROOT } from "./lib/engine";
import { PulumiCli } from "./lib/pulumi-cli";
import { createWidget } from "./lib/widgets";
import { runDemoSteps } from "./lib/demo-steps";

const ACCOUNT_ID = "023e105f4ecef8ad9ca31a8372d0c353";

/** An emulator to talk to, and how to stop it if the demo started it. */
async function emulatorFor(url: string | undefined, apiToken: string): Promise<{ baseUrl: string; origin: string; close(): Promise<void> }> {
  if (url) return { baseUrl: url.replace(/\/+$/, ""), origin: new URL(url).origin, close: async () => {} };
  const emulator = createEmulator({ apiToken });
  const { origin, baseUrl } = await emulator.listen(0);
  return { origin, baseUrl, close: () => emulator.close() };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { "emulator-url": { type: "string" }, "api-token": { type: "string" }, "work-dir": { type: "string" } },
  });
  if (values["emulator-url"] && !values["api-token"]) throw new Error("--emulator-url needs --api-token (the token the emulator was started with)");
  const apiToken = values["api-token"] ?? `demo-${randomBytes(16).toString("hex")}`;
  const workDir = path.resolve(values["work-dir"] ?? path.join(REPO_ROOT, ".work", "demo"));
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });

  console.log("1. Pulumi engine");
  const engineBin = await findEngine({ showProgress: true });
  console.log(`   ${engineBin}`);

  const emulator = await emulatorFor(values["emulator-url"], apiToken);
  console.log(`2. Cloudflare emulator at ${emulator.baseUrl}`);
  const client = new TurnstileClient({ apiToken, baseUrl: emulator.baseUrl });
  try {
    const widget = await createWidget(emulator.baseUrl, apiToken, ACCOUNT_ID, { name: "login form", domains: ["example.com"], mode: "managed" });
    console.log(`   created widget ${widget.sitekey} (its first secret is #1 below)`);
    const cli = new PulumiCli({ engineBin, workDir, passphrase: "demo-passphrase" });
    await runDemoSteps({ cli, client, origin: emulator.origin, baseUrl: emulator.baseUrl, apiToken, accountId: ACCOUNT_ID, sitekey: widget.sitekey });
  } finally {
    client.close();
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
