/**
 * `npm run widget`: creates a Turnstile widget, on the local emulator or any Cloudflare-compatible
 * API, and prints its sitekey: the one thing a first rotation needs besides the account id. The
 * widget's secret is never printed; rotate it, then read it from the stack
 * (`pulumi stack output turnstileSecret --show-secrets`).
 *
 * Usage: npm run widget -- [--base-url URL] [--api-token T] [--account-id ID] [--name N] [--domain D]
 * (the URL and token default to CLOUDFLARE_BASE_URL and CLOUDFLARE_API_TOKEN).
 */
import { parseArgs } from "node:util";
import { createWidget } from "./lib/widgets";

/** Cloudflare's documentation example: any 32-hex account id works with the emulator's --api-token. */
const EXAMPLE_ACCOUNT_ID = "023e105f4ecef8ad9ca31a8372d0c353";

const USAGE = "usage: npm run widget -- [--base-url URL] [--api-token T] [--account-id ID] [--name N] [--domain D]";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "base-url": { type: "string", default: process.env.CLOUDFLARE_BASE_URL },
      "api-token": { type: "string", default: process.env.CLOUDFLARE_API_TOKEN },
      "account-id": { type: "string", default: EXAMPLE_ACCOUNT_ID },
      name: { type: "string", default: "login form" },
      domain: { type: "string", multiple: true, default: ["example.com"] },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return void console.log(USAGE);
  const baseUrl = values["base-url"];
  const apiToken = values["api-token"];
  if (!baseUrl || !apiToken) throw new Error(`give --base-url and --api-token (or CLOUDFLARE_BASE_URL and CLOUDFLARE_API_TOKEN)\n${USAGE}`);
  const widget = await createWidget(baseUrl, apiToken, values["account-id"], { name: values.name, domains: values.domain, mode: "managed" });
  process.stderr.write(`created widget "${values.name}" in account ${values["account-id"]}; its sitekey:\n`);
  console.log(widget.sitekey);
}

main().catch((error: unknown) => {
  console.error(`widget: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
