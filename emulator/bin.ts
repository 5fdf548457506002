#!/usr/bin/env node
/**
 * CLI: `npm run emulator -- --port 8787 --api-token T [--host H] [--state FILE] [--tokens-file F]`.
 * Prints exactly one ready line whose LAST whitespace-separated token is the
 * base URL (scripts parse it), never prints tokens or secrets, and shuts down
 * cleanly on SIGINT/SIGTERM.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createEmulator, type Emulator } from "./app";
import { isRecord } from "./validation";
import { JsonSyntaxError, parseJsonText } from "./json-text";

const USAGE = `Usage: turnstile-emulator --api-token TOKEN [options]

Local emulator of Cloudflare's Turnstile widgets API (/client/v4) and siteverify.

Options:
  --api-token T     token accepted for every account (or set TURNSTILE_EMULATOR_API_TOKEN)
  --tokens-file F   JSON file {"<token>": ["<account id>", ...]} of account-scoped tokens
  --port N          port to listen on (default 8787; 0 picks a free port)
  --host H          interface to bind (default 127.0.0.1; only widen it on purpose)
  --state FILE      persist widgets to FILE (JSON, rewritten atomically)
  --help            show this help
`;

/** Exit code for bad usage. */
const EXIT_USAGE = 2;

function fail(message: string): never {
  process.stderr.write(`turnstile emulator: ${message}\n`);
  process.exit(EXIT_USAGE);
}

function readTokensFile(path: string): Record<string, string[]> {
  let parsed: unknown;
  try {
    parsed = parseJsonText(readFileSync(path, "utf8"));
  } catch (err) {
    // JsonSyntaxError names the position only; the file holds API tokens.
    if (err instanceof JsonSyntaxError) fail(`tokens file ${path} is ${err.message}`);
    fail(`cannot read tokens file ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isRecord(parsed)) fail(`tokens file ${path} must be a JSON object {"<token>": ["<account id>", ...]}`);
  const tokens: Record<string, string[]> = {};
  for (const [token, accounts] of Object.entries(parsed)) {
    if (!Array.isArray(accounts) || !accounts.every((a): a is string => typeof a === "string")) {
      fail(`tokens file ${path}: every value must be an array of account ids`);
    }
    tokens[token] = accounts;
  }
  return tokens;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string", default: "8787" },
        host: { type: "string", default: "127.0.0.1" },
        "api-token": { type: "string" },
        "tokens-file": { type: "string" },
        state: { type: "string" },
        help: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    fail(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) fail(`--port must be an integer 0..65535, got "${values.port}"`);
  const apiToken = values["api-token"] ?? process.env.TURNSTILE_EMULATOR_API_TOKEN;
  const tokens = values["tokens-file"] !== undefined ? readTokensFile(values["tokens-file"]) : undefined;
  if (apiToken === undefined && tokens === undefined) fail(`--api-token or --tokens-file is required\n\n${USAGE}`);
  if (apiToken !== undefined && apiToken.trim() === "") fail("--api-token must not be empty");

  let emulator: Emulator;
  try {
    emulator = createEmulator({ apiToken, tokens, statePath: values.state });
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  const { baseUrl } = await emulator.listen(port, values.host).catch((err: unknown) =>
    fail(`cannot listen on ${values.host}:${port}: ${err instanceof Error ? err.message : String(err)}`));

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    // State is written synchronously after every mutation, so closing is all that is left.
    emulator.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`turnstile emulator: error while stopping on ${signal}: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  process.stdout.write(`turnstile emulator listening on ${baseUrl}\n`);
}

void main();
