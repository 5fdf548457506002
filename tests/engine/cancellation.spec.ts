/**
 * Cancelling a run, through the real CLI (docs/engine.md, "Cancellation"): Ctrl-C on `pulumi up`
 * reaches the program as SIGINT, and the program gets 5 seconds to stop before it is killed;
 * nothing of the run is left afterwards.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import * as fs from "node:fs";
import * as path from "node:path";
import { createEngineWorld, ENGINE_TEST_TIMEOUT_MS, type EngineWorld } from "./engine-world";
import { isRunning, killAll, processesUnder, waitFor } from "../helpers/processes";

/** The fixture's log: `<event> <pid> <ms since epoch>` lines. */
function events(log: string): { event: string; pid: number; at: number }[] {
  if (!fs.existsSync(log)) return [];
  return fs.readFileSync(log, "utf8").trim().split("\n").map((line) => {
    const [event, pid, at] = line.split(" ");
    return { event, pid: Number(pid), at: Number(at) };
  });
}

describe("engine: Ctrl-C on pulumi up", function () {
  this.timeout(ENGINE_TEST_TIMEOUT_MS);
  let world: EngineWorld;
  before(async () => (world = await createEngineWorld()));
  after(() => {
    if (world) killAll(processesUnder(world.workDir));
    world?.dispose();
  });

  /** Starts `pulumi up` on a fresh copy of the fixture, waits for the program, and sends SIGINT to the CLI. */
  async function interrupt(onSigint: "graceful" | "stubborn"): Promise<{ log: string; program: number; sentAt: number; exited: Promise<unknown> }> {
    const log = path.join(world.workDir, `${onSigint}.log`);
    const dir = await world.project("cancel", { as: onSigint, config: { log, onSigint } });
    const cli = world.cli.spawn(["up", "--yes"], dir);
    const exited = once(cli, "exit");
    await waitFor(() => events(log).some((e) => e.event === "started"), "the program to start", 60_000);
    const sentAt = Date.now();
    process.kill(cli.pid as number, "SIGINT"); // the CLI only, as a terminal's Ctrl-C would reach it
    return { log, program: events(log)[0].pid, sentAt, exited };
  }

  it("a program that stops on SIGINT gets to finish its cleanup", async () => {
    const { log, sentAt, exited } = await interrupt("graceful");
    await exited;
    const sigint = events(log).find((e) => e.event === "sigint");
    const exit = events(log).find((e) => e.event === "exit");
    assert.ok(sigint && sigint.at >= sentAt, "the program got SIGINT");
    assert.ok(exit, "the program finished the cleanup it does in the second after SIGINT");
  });

  it("a program that ignores SIGINT is killed 5 s later, and nothing of the run is left", async () => {
    const { log, program, sentAt, exited } = await interrupt("stubborn");
    await waitFor(() => !isRunning(program), "the program to be killed", 30_000);
    const lived = Date.now() - sentAt;
    assert.ok(events(log).some((e) => e.event === "sigint"), "the program got SIGINT first");
    assert.ok(lived >= 4_500 && lived < 12_000, `the program lived ${lived} ms after SIGINT; upstream gives it 5 s`);
    await exited;
    await waitFor(() => processesUnder(path.join(world.workDir, "stubborn")).length === 0, "the run's processes to end", 10_000);
  });
});
