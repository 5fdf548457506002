/**
 * Stack config as programs read it, through the real CLI (docs/engine.md, "Config"): a stack
 * without any config reads every key as unset (upstream sends `{}`, never `null`), and keys of the
 * project's own namespace, of another namespace, and secrets arrive under the names the SDK reads.
 */
import assert from "node:assert/strict";
import { createEngineWorld, ENGINE_TEST_TIMEOUT_MS, type EngineWorld } from "./engine-world";

describe("engine: config reaches the program", function () {
  this.timeout(ENGINE_TEST_TIMEOUT_MS);
  let world: EngineWorld;
  let project: string;
  before(async () => {
    world = await createEngineWorld();
    project = await world.project("config");
  });
  after(() => world?.dispose());

  it("a stack with no config at all runs, and every key reads as unset", async () => {
    await world.cli.run(["up", "--yes"], project);
    assert.deepEqual(await world.cli.outputs(project, "dev"), {
      greeting: "unset", otherKey: "unset", password: "unset", missing: "unset",
    });
  });

  it("own-namespace, other-namespace and secret keys arrive under their names; a secret stays secret", async () => {
    await world.cli.run(["config", "set", "greeting", "hello"], project);
    await world.cli.run(["config", "set", "other:key", "from another namespace"], project);
    await world.cli.setSecret(project, "dev", "password", "s3cret-value");
    const { stdout } = await world.cli.run(["up", "--yes"], project);
    assert.doesNotMatch(stdout, /s3cret-value/);
    assert.deepEqual(await world.cli.outputs(project, "dev"), {
      greeting: "hello", otherKey: "from another namespace", password: "[secret]", missing: "unset",
    });
    assert.equal((await world.cli.outputs(project, "dev", true)).password, "s3cret-value");
  });
});
