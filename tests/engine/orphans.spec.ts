/**
 * What a killed CLI leaves behind, through the real CLI (docs/engine.md, "Orphans"): after
 * `kill -9` of `pulumi up` in the middle of a create, the language host and the program are gone
 * within a bounded time. The engine starts each plugin in its own process group, so nothing
 * reaches them but their own watch on the engine: upstream's hosts check its health every
 * 5 minutes and stop; ours check every 2 s.
 *
 * Upstream's Node.js dynamic provider (`pulumi-resource-pulumi-nodejs`, @pulumi/pulumi's
 * cmd/dynamic-provider) has no such watch: it outlives the CLI for good. This test holds that
 * fact too, so that a change on either side shows here.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import * as fs from "node:fs";
import * as path from "node:path";
import { createEngineWorld, OTHER_ENGINE, type EngineWorld } from "./engine-world";
import { killAll, processesUnder, waitFor, type RunProcess } from "../helpers/processes";

/** How long the hosts may outlive the CLI: ours watch every 2 s, upstream's every 5 minutes. */
const BOUND_MS = OTHER_ENGINE ? 330_000 : 15_000;

describe("engine: kill -9 of pulumi up in the middle of an update", function () {
  this.timeout(BOUND_MS + 120_000);
  let world: EngineWorld;
  let dir: string;
  before(async () => {
    world = await createEngineWorld();
    dir = await world.project("orphans");
  });
  after(() => {
    if (world) killAll(processesUnder(world.workDir));
    world?.dispose();
  });

  it(`leaves no language host and no program after ${BOUND_MS / 1000} s; upstream's dynamic provider stays`, async () => {
    const log = path.join(world.workDir, "orphans.log");
    await world.cli.run(["config", "set", "log", log], dir);
    const cli = world.cli.spawn(["up", "--yes"], dir);
    await waitFor(() => fs.existsSync(log) && /^provider \d+/m.test(fs.readFileSync(log, "utf8")), "the create to start", 90_000);
    const during = processesUnder(world.workDir);
    const host = during.filter((p) => /pulumi-language-nodejs/.test(p.command));
    const program = during.filter((p) => /cmd\/run/.test(p.command));
    assert.equal(host.length, 1, `one language host runs: ${JSON.stringify(during)}`);
    assert.equal(program.length, 1, "one program runs");

    const exited = once(cli, "exit");
    process.kill(cli.pid as number, "SIGKILL"); // the CLI alone: its plugins are in other process groups
    await exited;
    const alive = (p: RunProcess) => processesUnder(world.workDir).some((q) => q.pid === p.pid);
    await waitFor(() => ![...host, ...program].some(alive), "the language host and the program to exit", BOUND_MS);

    const leftover = processesUnder(world.workDir);
    assert.ok(leftover.length > 0 && leftover.every((p) => /pulumi-resource-pulumi-nodejs|cmd\/dynamic-provider/.test(p.command)),
      `only the dynamic provider (launcher and node) is left: ${JSON.stringify(leftover)}`);
  });
});
