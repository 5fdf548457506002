import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

const ROOT = resolve(__dirname, "../..");
const TS_NODE = join(ROOT, "node_modules/.bin/ts-node");
// Same Node as this test run, and transpile-only to keep start-up fast (tsc covers types).
const ENV = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}`, TS_NODE_TRANSPILE_ONLY: "true" };

interface Started { child: ChildProcessWithoutNullStreams; line: string; stdout: () => string; stderr: () => string }

function startCli(args: string[]): Promise<Started> {
  const child = spawn(TS_NODE, ["emulator/bin.ts", ...args], { cwd: ROOT, env: ENV });
  let out = "", err = "";
  child.stderr.on("data", (d: Buffer) => { err += d.toString(); });
  return new Promise((resolvePromise, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const newline = out.indexOf("\n");
      if (newline >= 0) resolvePromise({ child, line: out.slice(0, newline), stdout: () => out, stderr: () => err });
    });
    child.on("exit", (code) => reject(new Error(`exited ${code} before ready: ${err}`)));
  });
}

function exitOf(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null) return Promise.resolve({ code: child.exitCode, signal: null });
  return new Promise((r) => child.on("exit", (code, signal) => r({ code, signal })));
}

function runToExit(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(TS_NODE, ["emulator/bin.ts", ...args], { cwd: ROOT, env: ENV });
  let stdout = "", stderr = "";
  child.stdout.on("data", (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
  return new Promise((r) => child.on("exit", (code) => r({ code, stdout, stderr })));
}

describe("emulator: CLI (emulator/bin.ts)", function () {
  this.timeout(20_000);
  const token = "cli-secret-token-value";
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), "turnstile-cli-")); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("prints one ready line ending in the base URL, serves the API, never prints the token, exits 0 on SIGTERM", async () => {
    const statePath = join(dir, "state.json");
    const { child, line, stdout, stderr } = await startCli(["--port", "0", "--api-token", token, "--state", statePath]);
    try {
      const baseUrl = line.trim().split(/\s+/).pop() ?? "";
      assert.match(baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/client\/v4$/);
      assert.match(line, /^turnstile emulator listening on /);
      const url = `${baseUrl}/accounts/023e105f4ecef8ad9ca31a8372d0c353/challenges/widgets`;
      const created = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "cli", domains: ["example.com"], mode: "managed" }) });
      assert.equal(created.status, 200);
      assert.equal((await fetch(url, { headers: { authorization: "Bearer nope" } })).status, 403);
      child.kill("SIGTERM");
      const exit = await exitOf(child);
      assert.deepEqual(exit, { code: 0, signal: null });
      assert.equal(stdout().trim().split("\n").length, 1, "exactly one line on stdout");
      assert.equal((stdout() + stderr()).includes(token), false, "token never printed");
      assert.equal(JSON.parse(readFileSync(statePath, "utf8")).state.widgets.length, 1, "state flushed");
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("exits 0 on SIGINT too", async () => {
    const { child } = await startCli(["--port", "0", "--api-token", token]);
    child.kill("SIGINT");
    assert.deepEqual(await exitOf(child), { code: 0, signal: null });
  });

  it("refuses to start without a token, with bad options, or with a foreign state file (exit 2)", async () => {
    const noToken = await runToExit(["--port", "0"]);
    assert.equal(noToken.code, 2);
    assert.match(noToken.stderr, /--api-token or --tokens-file is required/);
    const badPort = await runToExit(["--port", "eighty", "--api-token", token]);
    assert.equal(badPort.code, 2);
    assert.match(badPort.stderr, /--port must be an integer/);
    const unknown = await runToExit(["--api-token", token, "--frobnicate"]);
    assert.equal(unknown.code, 2);
    const foreign = join(dir, "package.json");
    writeFileSync(foreign, "{\"name\":\"x\"}");
    const refused = await runToExit(["--port", "0", "--api-token", token, "--state", foreign]);
    assert.equal(refused.code, 2);
    assert.ok(refused.stderr.includes(foreign), refused.stderr);
    assert.equal(readFileSync(foreign, "utf8"), "{\"name\":\"x\"}");
  });

  it("a corrupt --state or --tokens-file is reported by file and position, never by its content (exit 2)", async () => {
    // Single quotes are the hand edit that makes Node quote the text around the error.
    const secret = "0x4AAAAAAAQzSecretCanaryVx9";
    const apiToken = "QzTokenCanaryVx9";
    const state = join(dir, "corrupt-state.json");
    writeFileSync(state, `{"format": "turnstile-emulator-state", "state": {"secret": '${secret}'}}`);
    const tokensFile = join(dir, "corrupt-tokens.json");
    writeFileSync(tokensFile, `{"${apiToken}": ['023e105f4ecef8ad9ca31a8372d0c353']}`);
    for (const [args, file, canary] of [[["--api-token", token, "--state", state], state, secret],
      [["--tokens-file", tokensFile], tokensFile, apiToken]] as const) {
      const run = await runToExit(["--port", "0", ...args]);
      assert.equal(run.code, 2);
      assert.ok(run.stderr.includes(file), run.stderr);
      assert.match(run.stderr, /not valid JSON/);
      for (let i = 0; i + 5 <= canary.length; i++) {
        assert.ok(!run.stderr.includes(canary.slice(i, i + 5)), `stderr shows part of the file's content: ${canary.slice(i, i + 5)}`);
      }
    }
  });

  it("--help prints usage and exits 0", async () => {
    const help = await runToExit(["--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--api-token/);
  });
});
