/**
 * How the host finds the program's runner, through the real CLI (docs/engine.md, "Finding
 * cmd/run"): with node's own module resolution from the program's directory (so NODE_PATH,
 * workspaces and hoisting work as they do for the program), overridden by
 * PULUMI_LANGUAGE_NODEJS_RUN_PATH, and with upstream's advice when @pulumi/pulumi is missing.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { REPO_ROOT } from "../../scripts/lib/engine";
import { createEngineWorld, ENGINE_TEST_TIMEOUT_MS, printed, type EngineWorld } from "./engine-world";

describe("engine: finding @pulumi/pulumi/cmd/run", function () {
  this.timeout(ENGINE_TEST_TIMEOUT_MS);
  let world: EngineWorld;
  let project: string;
  before(async () => {
    world = await createEngineWorld();
    project = await world.project("run-path", { modules: "none" }); // no node_modules above it
  });
  after(() => world?.dispose());

  async function preview(env: Record<string, string> = {}): Promise<string> {
    const result = await world.cli.run(["preview"], project, { allowFailure: true, env });
    assert.notEqual(result.code, 0, "the fixture's program always fails");
    return printed(result);
  }

  it("without @pulumi/pulumi, says to run pulumi install", async () => {
    assert.match(await preview(), /It looks like the Pulumi SDK has not been installed\. Have you run pulumi install\?/);
  });

  it("resolves it as node does: NODE_PATH is enough", async () => {
    assert.match(await preview({ NODE_PATH: path.join(REPO_ROOT, "node_modules") }), /the real cmd\/run ran this program/);
  });

  it("PULUMI_LANGUAGE_NODEJS_RUN_PATH replaces it", async () => {
    const output = await preview({ PULUMI_LANGUAGE_NODEJS_RUN_PATH: path.join(project, "fake-run.js") });
    assert.match(output, /fake cmd\/run ran for \./);
    assert.match(output, /Program exited with non-zero exit code: 7/);
  });
});
