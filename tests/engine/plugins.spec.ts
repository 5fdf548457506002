/**
 * Resource plugins a program's packages require, through the real CLI (docs/engine.md, "Required
 * plugins"): the host finds every package in the program's node_modules marked
 * `"pulumi": {"resource": true}`, and the engine installs its plugin before running the program.
 * Also what examples/with-cloudflare-widget really does here.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { REPO_ROOT } from "../../scripts/lib/engine";
import { createEngineWorld, ENGINE_TEST_TIMEOUT_MS, printed, type EngineWorld } from "./engine-world";

/** A plugin server on 127.0.0.1 that serves one tiny `fakecloud` plugin and records requests. */
async function startPluginServer(workDir: string): Promise<{ url: string; requests: string[]; close(): void }> {
  const staging = path.join(workDir, "plugin-build");
  fs.mkdirSync(staging);
  fs.writeFileSync(path.join(staging, "pulumi-resource-fakecloud"), "#!/bin/sh\nexit 1\n", { mode: 0o755 });
  const tarball = path.join(workDir, "fakecloud.tar.gz");
  execFileSync("tar", ["-czf", tarball, "-C", staging, "pulumi-resource-fakecloud"]);
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? "");
    if (req.url?.endsWith(".tar.gz")) res.end(fs.readFileSync(tarball));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => server.close() };
}

describe("engine: plugins required by the program's packages", function () {
  this.timeout(ENGINE_TEST_TIMEOUT_MS);
  let world: EngineWorld;
  before(async () => (world = await createEngineWorld()));
  after(() => world?.dispose());

  it("the engine installs the plugin of a package marked resource: true, though the program never uses it", async () => {
    const server = await startPluginServer(world.workDir);
    try {
      const dir = await world.project("plugin", { modules: "none" });
      const scope = path.join(dir, "node_modules", "@pulumi");
      fs.mkdirSync(path.join(scope, "fakecloud"), { recursive: true });
      fs.symlinkSync(path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi"), path.join(scope, "pulumi"), "dir");
      const fakecloud = { name: "@pulumi/fakecloud", version: "1.2.3", pulumi: { resource: true, server: server.url } };
      fs.writeFileSync(path.join(scope, "fakecloud", "package.json"), JSON.stringify(fakecloud));

      const result = await world.cli.run(["preview"], dir, { env: { PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "false" } });
      assert.deepEqual(server.requests, ["/pulumi-resource-fakecloud-v1.2.3-linux-amd64.tar.gz"], printed(result));
      const installed = path.join(world.workDir, "pulumi-home", "plugins", "resource-fakecloud-v1.2.3", "pulumi-resource-fakecloud");
      assert.ok(fs.existsSync(installed), `the engine installed the plugin at ${installed}`);
    } finally {
      server.close();
    }
  });

  it("examples/with-cloudflare-widget needs the cloudflare plugin, which cannot be had here", async () => {
    const dir = await world.project("with-cloudflare-widget", {
      from: path.join(REPO_ROOT, "examples", "with-cloudflare-widget"), modules: "inside",
      config: { accountId: "023e105f4ecef8ad9ca31a8372d0c353" },
    });
    const version = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules", "@pulumi", "cloudflare", "package.json"), "utf8")).version;
    const result = await world.cli.run(["preview"], dir, { allowFailure: true });
    assert.notEqual(result.code, 0);
    assert.match(printed(result), new RegExp(`no resource plugin 'pulumi-resource-cloudflare' found in the workspace at version v${version.replace(/\./g, "\\.")}`));
  });
});
