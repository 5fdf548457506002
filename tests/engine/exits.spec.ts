/**
 * How a program's end reaches the user, through the real CLI (docs/engine.md, "Exit codes"): a
 * non-zero exit is reported with its code (and upstream's out-of-memory hint when node ran out of
 * memory), an exception is shown once by cmd/run, whose exit code 32 makes the host bail quietly.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { createEngineWorld, ENGINE_TEST_TIMEOUT_MS, printed, type EngineWorld } from "./engine-world";

describe("engine: how a program's end is reported", function () {
  this.timeout(ENGINE_TEST_TIMEOUT_MS);
  let world: EngineWorld;
  let project: string;
  before(async () => {
    world = await createEngineWorld();
    project = await world.project("exits");
  });
  after(() => world?.dispose());

  async function previewEnding(end: string): Promise<string> {
    await world.cli.run(["config", "set", "end", end], project);
    const result = await world.cli.run(["preview"], project, { allowFailure: true });
    assert.notEqual(result.code, 0, "the preview fails");
    return printed(result);
  }

  it("a program that exits 1 is reported with its exit code", async () => {
    assert.match(await previewEnding("1"), /Program exited with non-zero exit code: 1\b/);
  });

  it("exit code 32 (the program already reported its error) fails without a message from the host", async () => {
    const output = await previewEnding("32");
    assert.doesNotMatch(output, /non-zero exit code/);
    assert.doesNotMatch(output, /Problem executing program/);
  });

  it("a program that throws shows its exception once, and nothing about exit codes", async () => {
    const output = await previewEnding("throw");
    assert.match(output, /failed with an unhandled exception:[\s\S]*boom from the program/);
    assert.doesNotMatch(output, /non-zero exit code/);
  });

  it("a program that runs out of memory gets upstream's nodeargs hint", async () => {
    await world.cli.run(["config", "set", "end", "oom"], project);
    const yaml = "name: exits\nruntime:\n  name: nodejs\n  options:\n    nodeargs: --max-old-space-size=96\n";
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), yaml);
    const result = await world.cli.run(["preview"], project, { allowFailure: true });
    assert.match(printed(result), /Program exited with non-zero exit code: -?\d+\. Detected a possible out of memory error/);
    assert.match(printed(result), /nodeargs: --max-old-space-size=<size>/);
  });
});
