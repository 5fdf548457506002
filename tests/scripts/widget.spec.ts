/**
 * `npm run widget`, the newcomer's way to a widget on the emulator: it prints the new widget's
 * sitekey and nothing else on stdout, the widget exists, and neither the token nor the secret is
 * ever printed. Without a URL or token it says what to give.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "../../scripts/lib/engine";
import { startEmulator, type RunningEmulator } from "../helpers/emulator";

const TS_NODE = path.join(REPO_ROOT, "node_modules", ".bin", "ts-node");
const SCRIPT = path.join(REPO_ROOT, "scripts", "widget.ts");

/** Runs the CLI asynchronously (the emulator answers from this process). */
function widget(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(TS_NODE, [SCRIPT, ...args], { env: { ...process.env, CLOUDFLARE_BASE_URL: "", CLOUDFLARE_API_TOKEN: "", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

describe("scripts/widget.ts (npm run widget)", function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  before(async () => (emulator = await startEmulator()));
  after(async () => emulator?.stop());

  it("creates a widget and prints only its sitekey; never the token or the secret", async () => {
    const result = await widget(["--name", "signup form"], { CLOUDFLARE_BASE_URL: emulator.baseUrl, CLOUDFLARE_API_TOKEN: emulator.apiToken });
    assert.equal(result.code, 0, result.stderr);
    const sitekey = result.stdout.trim();
    assert.match(sitekey, /^0x4[A-Za-z0-9_-]+$/);
    const record = emulator.emulator.store.findBySitekey(sitekey);
    assert.equal(record?.name, "signup form");
    for (const value of [emulator.apiToken, record!.secret]) assert.equal((result.stdout + result.stderr).includes(value), false);
  });

  it("without a base URL or token, fails saying what to give", () => {
    const result = spawnSync(TS_NODE, [SCRIPT], { encoding: "utf8", env: { ...process.env, CLOUDFLARE_BASE_URL: "", CLOUDFLARE_API_TOKEN: "" } });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /give --base-url and --api-token \(or CLOUDFLARE_BASE_URL and CLOUDFLARE_API_TOKEN\)/);
  });
});
