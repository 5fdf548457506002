/**
 * `turnstile-rotation` with the stacks in PostgreSQL (Pulumi's `postgres://` backend, as a team
 * shares it): the command finds the backend where the `pulumi` CLI does (PULUMI_BACKEND_URL), so
 * a first rollout and a rotation reach a TypeScript and a YAML consumer there as on files, and
 * `status` reads them back. Never skipped: without PostgreSQL the suite fails with the reason.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { liveSecret, rotateCalls } from "../helpers/control";
import { E2E_TIMEOUT_MS, assertNothingLeaked } from "./harness";
import { startPostgres, type RunningPostgres } from "./postgres";
import { STACKS, createRolloutWorld, parseReport, type RolloutWorld } from "./rollout-harness";

describe("e2e: turnstile-rotation with the stacks in PostgreSQL (TypeScript and YAML consumers)", function () {
  this.timeout(E2E_TIMEOUT_MS);
  let postgres: RunningPostgres | undefined;
  let world: RolloutWorld;
  let plan: string;
  const seen: string[] = [];

  before(async () => {
    postgres = await startPostgres();
    world = await createRolloutWorld({ backendUrl: postgres.backendUrl, python: false });
    seen.push(liveSecret(world.emulator, world.sitekey));
    // The example's plan without its Python consumer.
    plan = world.writePlan("two-consumers.yaml", fs.readFileSync(world.plan, "utf8").replace(/^ {2}- dir: \.\/login .*\n.*\n/m, ""));
  });
  after(async () => {
    await world?.dispose();
    await postgres?.stop();
  });

  it("a first rollout deploys the producer and both consumers into PostgreSQL", async () => {
    const result = await world.tool(["rollout", "--json", "--plan", plan]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const report = parseReport(result);
    assert.deepEqual(report.consumers.map((c) => [c.stack, c.holds, c.accepted, c.result]), [
      [STACKS.checkout, "current", true, "updated"], [STACKS.statusPage, "current", true, "updated"],
    ]);
    assert.equal(report.producer.result, "rotated");
    seen.push(liveSecret(world.emulator, world.sitekey));

    const { stdout } = await world.cli.run(["stack", "ls", "--all", "--json"], world.workDir);
    const names = (JSON.parse(stdout) as Array<{ name: string }>).map((stack) => stack.name).sort();
    assert.deepEqual(names, [STACKS.checkout, STACKS.producer, STACKS.statusPage]);
    assert.deepEqual(fs.readdirSync(world.cli.backendDir), [], "nothing was written to the file backend");
  });

  it("a trigger change rotates once and reaches both consumers; status then exits 0", async () => {
    world.emulator.advanceClock(2 * 3600 + 60);
    await world.cli.run(["config", "set", "--stack", STACKS.producer, "rotationTrigger", "2"], world.producer);
    const calls = await rotateCalls(world.emulator);
    const rolled = await world.tool(["rollout", "--json", "--plan", plan]);
    assert.equal(rolled.code, 0, rolled.stdout + rolled.stderr);
    assert.equal(parseReport(rolled).producer.result, "rotated");
    assert.equal(await rotateCalls(world.emulator), calls + 1);
    seen.push(liveSecret(world.emulator, world.sitekey));

    const result = await world.tool(["status", "--json", "--plan", plan]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const report = parseReport(result);
    assert.equal(report.ok, true);
    assert.deepEqual(report.consumers.map((c) => c.holds), ["current", "current"]);
  });

  it("no secret, token or backend password appears in anything printed", () => {
    assertNothingLeaked(world, seen);
    const password = new URL(postgres?.backendUrl ?? "postgres://x:y@h/d").password;
    for (const entry of world.cli.transcript) assert.ok(!entry.includes(password), `${entry.split("\n")[0]} printed the backend password`);
  });
});
