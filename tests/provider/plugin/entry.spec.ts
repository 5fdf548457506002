/**
 * The plugin's way in from the npm package, without the engine: the launcher (`bin/`, also as npm
 * links it into node_modules/.bin) must print its port and answer GetSchema with this package's
 * schema. The package's `main` is the library, whoever requires it: the package is no source-based
 * plugin project (no PulumiPlugin.yaml, see docs/install.md), so nothing needs to guess who loaded
 * it. Needs `npm run build` (as `npm test` does first).
 */
import assert from "node:assert/strict";
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { GetSchemaRequest, type GetSchemaResponse } from "@pulumi/pulumi/proto/provider_pb";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const LAUNCHER = path.join(ROOT, "bin", "pulumi-resource-turnstile-rotation");
const NODE_BIN = path.join(ROOT, "node_modules", ".bin");

/** Starts a plugin command and resolves with its port (its first line of stdout). */
function startPlugin(command: string, args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(command, args, { env: { ...process.env, PATH: `${NODE_BIN}${path.delimiter}${process.env.PATH}` } });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n")[0]!;
      if (out.includes("\n")) return /^\d+$/.test(line) ? resolve({ child, port: Number(line) }) : reject(new Error(`not a port: ${line}\n${err}`));
    });
    child.on("exit", (code) => reject(new Error(`plugin exited (${code}) before printing its port:\n${err}`)));
  });
}

async function schemaName(port: number): Promise<string> {
  const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  try {
    const response = await new Promise<GetSchemaResponse>((resolve, reject) =>
      client.getSchema(new GetSchemaRequest(), (error, value) => (error || !value ? reject(error) : resolve(value))));
    return (JSON.parse(response.getSchema()) as { name: string }).name;
  } finally {
    client.close();
  }
}

describe("plugin entry points", function () {
  this.timeout(60_000);
  const children: ChildProcess[] = [];
  let scratch: string;
  before(() => {
    assert.ok(fs.existsSync(path.join(ROOT, "dist", "provider", "plugin", "main.js")), "run `npm run build` first");
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "plugin-entry-"));
  });
  after(() => {
    for (const child of children) child.kill();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("the launcher, also through a symlink as in node_modules/.bin, serves this package's schema", async () => {
    const link = path.join(scratch, "pulumi-resource-turnstile-rotation");
    fs.symlinkSync(LAUNCHER, link);
    for (const command of [LAUNCHER, link]) {
      const { child, port } = await startPlugin(command, []);
      children.push(child);
      assert.equal(await schemaName(port), "turnstile-rotation");
    }
  });

  it("is no source-based plugin project: no PulumiPlugin.yaml, and `main` is the library itself", () => {
    assert.equal(fs.existsSync(path.join(ROOT, "PulumiPlugin.yaml")), false);
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { main: string; exports: { ".": { default: string } } };
    assert.equal(path.normalize(manifest.main), path.normalize(manifest.exports["."].default));
  });

  it("requiring the package directory gives the library, as `exports` does", () => {
    const script = `const m = require(${JSON.stringify(ROOT)}); process.stdout.write(typeof m.TurnstileSecretRotation + " " + typeof m.scheduledTrigger)`;
    assert.equal(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }), "function function");
  });
});
