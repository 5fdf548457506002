/**
 * Who holds which secret: states as the engine exports them, compared in memory with the
 * producer's secret and checked against the emulator's siteverify. The states come from a
 * {@link Stacks} holding exports in memory (the interface a program may implement itself); the
 * same reads through the real engine are tests/e2e/rollout*.spec.ts.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RolloutInputError, checkPlan, siteverifyProbe, status, type RolloutPlan, type StackState, type Stacks } from "../../rollout";
import type { ExportedDeployment } from "../../rollout/state";
import { rotateOutside } from "../helpers/control";
import { createTestWidget, startEmulator, type RunningEmulator } from "../helpers/emulator";

const SIG = "4dabf18193072939515e22adb298388d";
const secret = (value: string) => ({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify(value) });
const PRODUCER = "organization/producer/prod";

function producerState(value: string | undefined, expiresAt = "2026-12-01T08:00:00.000Z"): StackState {
  const outputs = value === undefined ? { sitekey: "0x4AAA" } : { turnstileSecret: secret(value) };
  const resources = [
    { type: "pulumi:pulumi:Stack", outputs },
    { type: "pulumi-nodejs:dynamic/turnstile:TurnstileSecretRotation", outputs: { secret: secret(value ?? ""), rotatedAt: "2026-12-01T06:00:00.000Z", previousSecretExpiresAt: expiresAt } },
  ];
  return { kind: "present", deployment: { resources } };
}

function consumerState(held: string): StackState {
  const deployment: ExportedDeployment = { resources: [
    { type: "pulumi:pulumi:Stack", outputs: {} },
    { type: "pulumi:pulumi:StackReference", outputs: { name: PRODUCER, outputs: { turnstileSecret: secret(held) } } },
  ] };
  return { kind: "present", deployment };
}

/** Stacks read from a table of states; `up` is never called by status. */
function stacksOf(states: Record<string, StackState | Error>): Stacks {
  return {
    async read(target) {
      const state = states[target.stack] ?? { kind: "missing" };
      if (state instanceof Error) throw state;
      return state;
    },
    up: () => assert.fail("status ran pulumi up"),
  };
}

describe("rollout: status", () => {
  let running: RunningEmulator;
  let root: string;
  let plan: RolloutPlan;
  let current: string;
  let previous: string;
  let sitekey: string;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-status-"));
    for (const name of ["producer", "a", "b", "c", "d"]) {
      fs.mkdirSync(path.join(root, name));
      fs.writeFileSync(path.join(root, name, "Pulumi.yaml"), `name: ${name}\n`);
    }
    plan = checkPlan({
      producer: { dir: "producer", stack: PRODUCER },
      consumers: ["a", "b", "c", "d"].map((name) => ({ dir: name, stack: `organization/${name}/prod` })),
    }, path.join(root, "plan.yaml"));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  beforeEach(async () => {
    running = await startEmulator();
    const widget = await createTestWidget(running);
    sitekey = widget.sitekey;
    previous = widget.secret;
    current = rotateOutside(running, sitekey);
  });
  afterEach(() => running.stop());
  const deps = (states: Record<string, StackState | Error>) => ({ stacks: stacksOf(states), probe: siteverifyProbe({ url: `${running.origin}/turnstile/v0/siteverify` }) });

  it("each consumer: current, previous until the grace period ends, rejected after, none without a reference", async () => {
    const states = {
      [PRODUCER]: producerState(current),
      "organization/a/prod": consumerState(current),
      "organization/b/prod": consumerState(previous),
      "organization/c/prod": consumerState("0x4AAAAAAAlongGone0000000000000000000"),
    };
    const report = await status(plan, deps(states));
    assert.equal(report.ok, false);
    assert.deepEqual(report.producer, {
      stack: PRODUCER, output: "turnstileSecret", deployed: true, rotatedAt: "2026-12-01T06:00:00.000Z",
      previousSecretExpiresAt: "2026-12-01T08:00:00.000Z", accepted: true, note: null,
    });
    assert.deepEqual(report.consumers.map((c) => [c.stack, c.deployed, c.holds, c.accepted, c.validUntil]), [
      ["organization/a/prod", true, "current", true, null],
      ["organization/b/prod", true, "previous", true, "2026-12-01T08:00:00.000Z"],
      ["organization/c/prod", true, "rejected", false, null],
      ["organization/d/prod", false, "none", null, null],
    ]);
    assert.equal(report.consumers[3].note, "the stack does not exist yet");
    assert.ok(!JSON.stringify(report).includes(current) && !JSON.stringify(report).includes(previous), "the report holds a secret");

    running.advanceClock(2 * 3600 + 1);
    const later = await status(plan, deps(states));
    assert.equal(later.consumers[1].holds, "rejected", "the previous secret after the grace period");
  });

  it("reads the first stack alone before the others in parallel (a fresh PostgreSQL backend creates its table once)", async () => {
    const events: string[] = [];
    let reading = 0;
    const states: Record<string, StackState> = { [PRODUCER]: producerState(current) };
    for (const name of ["a", "b", "c", "d"]) states[`organization/${name}/prod`] = consumerState(current);
    const stacks: Stacks = {
      async read(target) {
        reading += 1;
        events.push(`start ${target.stack} (${reading} reading)`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        reading -= 1;
        events.push(`end ${target.stack}`);
        return states[target.stack] ?? { kind: "missing" };
      },
      up: () => assert.fail("status ran pulumi up"),
    };
    const report = await status(plan, { stacks, probe: siteverifyProbe({ url: `${running.origin}/turnstile/v0/siteverify` }), parallel: 4 });
    assert.equal(report.ok, true);
    assert.deepEqual(events.slice(0, 2), [`start ${PRODUCER} (1 reading)`, `end ${PRODUCER}`], "nothing else starts before the first read ends");
    assert.ok(events.some((e) => / \([2-4] reading\)$/.test(e)), `the consumers are read in parallel: ${events.join("; ")}`);
  });

  it("is ok only when every consumer holds the current secret and Cloudflare accepts it", async () => {
    const all = (held: string) => Object.fromEntries(["a", "b", "c", "d"].map((name) => [`organization/${name}/prod`, consumerState(held)]));
    assert.equal((await status(plan, deps({ [PRODUCER]: producerState(current), ...all(current) }))).ok, true);
    // Everyone agrees on a secret Cloudflare no longer accepts (rotated outside Pulumi twice).
    running.advanceClock(2 * 3600 + 1);
    rotateOutside(running, sitekey);
    running.advanceClock(2 * 3600 + 1);
    const stale = await status(plan, deps({ [PRODUCER]: producerState(current), ...all(current) }));
    assert.equal(stale.ok, false);
    assert.equal(stale.producer.accepted, false);
    assert.match(stale.producer.note ?? "", /rotated outside Pulumi; run pulumi up --refresh on the producer/);
    assert.deepEqual(stale.consumers.map((c) => [c.holds, c.accepted]), Array(4).fill(["current", false]));
  });

  it("an unclear answer from Cloudflare makes a held secret unknown, never previous", async () => {
    const states = { [PRODUCER]: producerState(current), "organization/a/prod": consumerState(previous) };
    const report = await status(plan, { stacks: stacksOf(states), probe: async () => ({ kind: "unknown", why: "siteverify answered HTTP 503" }) });
    assert.deepEqual([report.producer.accepted, report.consumers[0].holds, report.consumers[0].accepted], [null, "unknown", null]);
    assert.equal(report.consumers[0].note, "siteverify answered HTTP 503");
    assert.equal(report.ok, false);
  });

  it("a producer never deployed, or whose first update failed (no outputs), is reported, not refused", async () => {
    const failedFirst: StackState = { kind: "present", deployment: { resources: [{ type: "pulumi:pulumi:Stack" }] } };
    for (const state of [{ kind: "missing" } as const, failedFirst]) {
      const report = await status(plan, deps({ [PRODUCER]: state }));
      assert.deepEqual([report.producer.deployed, report.producer.accepted, report.producer.rotatedAt], [false, null, null]);
      assert.equal(report.producer.note, "not deployed yet: a rollout deploys it first");
    }
  });

  it("refuses, listing every problem in the plan's order, a producer without the output and stacks it cannot read", async () => {
    const undecryptable = (field: string, stack: string) => new RolloutInputError(`${field}.stack ${stack}`, ["this process cannot decrypt the stack's secrets"]);
    const states = {
      [PRODUCER]: producerState(undefined),
      "organization/c/prod": undecryptable("consumers[2]", "organization/c/prod"),
      "organization/a/prod": undecryptable("consumers[0]", "organization/a/prod"),
    };
    await assert.rejects(status(plan, deps(states)), (error: RolloutInputError) => {
      assert.equal(error.problems.length, 3);
      assert.match(error.problems[0], /^producer\.output: stack organization\/producer\/prod exports no string output turnstileSecret \(its outputs: sitekey\); set producer\.output/);
      assert.match(error.problems[1], /^consumers\[0\]\.stack organization\/a\/prod: this process cannot decrypt/);
      assert.match(error.problems[2], /^consumers\[2\]\.stack organization\/c\/prod: this process cannot decrypt/);
      return true;
    });
  });
});
