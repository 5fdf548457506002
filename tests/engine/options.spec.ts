/**
 * Pulumi.yaml's runtime options for Node.js, through the real CLI (docs/engine.md, "Runtime
 * options"): `nodeargs` reaches node, `typescript` and `tsconfig` reach cmd/run, a wrong-typed or
 * unknown value is refused as upstream refuses it, `pulumi install` runs the package manager, and
 * a run type-checks TypeScript unless told otherwise.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../scripts/lib/engine";
import { createEngineWorld, ENGINE_TEST_TIMEOUT_MS, printed, type EngineWorld } from "./engine-world";

describe("engine: runtime options", function () {
  this.timeout(ENGINE_TEST_TIMEOUT_MS);
  let world: EngineWorld;
  let project: string;
  before(async () => {
    world = await createEngineWorld();
    project = await world.project("options");
  });
  after(() => world?.dispose());

  function withOptions(options: string): void {
    const yaml = `name: options\nruntime:\n  name: nodejs\n  options:\n${options.replace(/^/gm, "    ")}\n`;
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), yaml);
  }

  it("by default TypeScript is on, with no tsconfig and no node arguments", async () => {
    withOptions("{}");
    await world.cli.run(["up", "--yes"], project);
    assert.deepEqual(await world.cli.outputs(project, "dev"), { typescript: "true", tsconfig: "unset", preloaded: "nothing" });
  });

  it("nodeargs reach node, typescript: false and tsconfig reach cmd/run", async () => {
    withOptions("nodeargs: --require ./preload.js\ntypescript: false\ntsconfig: tsconfig.pulumi.json");
    await world.cli.run(["up", "--yes"], project);
    assert.deepEqual(await world.cli.outputs(project, "dev"), { typescript: "unset", tsconfig: "tsconfig.pulumi.json", preloaded: "nodeargs" });
  });

  for (const [option, message] of [
    ["typescript: \"yes\"", /typescript option must be a boolean/],
    ["nodeargs: 42", /nodeargs option must be a string/],
    ["packagemanager: maven", /packagemanager option must be one of auto, npm, yarn, pnpm or bun, got "maven"/],
  ] as const) {
    it(`refuses ${option}`, async () => {
      withOptions(option);
      const result = await world.cli.run(["preview"], project, { allowFailure: true });
      assert.notEqual(result.code, 0);
      assert.match(printed(result), message);
    });
  }

  it("pulumi install runs the project's package manager", async () => {
    const dir = await world.project("install");
    const result = await world.cli.run(["install"], dir);
    assert.match(printed(result), /Installing dependencies\.\.\.[\s\S]*Finished installing dependencies/);
    assert.ok(fs.existsSync(path.join(dir, "package-lock.json")), "npm wrote package-lock.json");
  });

  it("a program that Pulumi.yaml's main puts in a subdirectory runs there", async () => {
    const dir = await world.project("entry");
    await world.cli.run(["up", "--yes"], dir);
    assert.deepEqual(await world.cli.outputs(dir, "dev"), { cwd: "app" });
  });

  it("pulumi about names node, its version and the package manager", async () => {
    withOptions("packagemanager: npm");
    const about = JSON.parse((await world.cli.run(["about", "--json"], project)).stdout) as { runtime: Record<string, string> };
    // PulumiCli puts this repository's node first on PATH.
    const node = execFileSync(path.join(REPO_ROOT, "node_modules", ".bin", "node"), ["--version"], { encoding: "utf8" }).trim();
    assert.equal(about.runtime.language, "nodejs");
    assert.equal(about.runtime.version, node);
    assert.equal(about.runtime.packagemanager, "npm");
  });

  it("TypeScript is type-checked: a type error fails the run", async () => {
    const dir = await world.project("typecheck");
    const result = await world.cli.run(["preview"], dir, { allowFailure: true });
    assert.notEqual(result.code, 0);
    assert.match(printed(result), /TS2322: Type 'string' is not assignable to type 'number'/);
  });
});
