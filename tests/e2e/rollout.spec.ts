/**
 * `turnstile-rotation status` and `rollout` through the real engine, on a file backend, against
 * the emulator, with examples/rollout: a TypeScript producer and consumers in TypeScript, Python
 * and YAML. The story a platform team lives through: nothing deployed yet; bad plans refused
 * before anything runs; a first rollout deploys everything; a rotation reaches every consumer but
 * one, whose failure is reported with the previous secret it holds until the grace period ends
 * and as rejected after it; after the fix a rerun rotates nothing and brings it current. Nothing
 * it prints ever holds a secret or the token.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { findEngine } from "../../scripts/lib/engine";
import { PulumiCli } from "../../scripts/lib/pulumi-cli";
import { assertSameSecret, liveSecret, rotateCalls } from "../helpers/control";
import { E2E_TIMEOUT_MS, assertNothingLeaked } from "./harness";
import { yamlHostBin } from "./plugin-harness";
import { STACKS, consumerOf, createRolloutWorld, parseReport, type RolloutWorld } from "./rollout-harness";

const GRACE_SECONDS = 2 * 3600;
/** A secret in another team's stack config: never printed either. */
const STRANGER_SECRET = "another-teams-database-password";

describe("e2e: turnstile-rotation status and rollout (file backend; TypeScript, Python and YAML consumers)", function () {
  this.timeout(E2E_TIMEOUT_MS);
  let world: RolloutWorld;
  const seen: string[] = [];
  let loginProgram: string;

  /** Each stack's number of completed updates (-1: the stack does not exist). */
  const updates = async (): Promise<Record<string, number>> => {
    const counts: Record<string, number> = {};
    for (const [name, stack] of Object.entries(STACKS)) {
      const result = await world.cli.run(["stack", "history", "--json", "--stack", stack], world.workDir, { allowFailure: true });
      counts[name] = result.code === 0 ? (JSON.parse(result.stdout) as unknown[]).length : -1;
    }
    return counts;
  };
  /** The example's plan, relative to the directory the command runs in (the world's). */
  const PLAN = "rollout/rollout.yaml";

  before(async () => {
    world = await createRolloutWorld();
    seen.push(liveSecret(world.emulator, world.sitekey), STRANGER_SECRET);
    loginProgram = path.join(world.example, "login", "__main__.py");
  });
  after(async () => world?.dispose());

  it("status before anything is deployed: every stack none, exit 1, nothing created", async () => {
    const result = await world.tool(["status", "--json", "--plan", PLAN]);
    assert.equal(result.code, 1, result.stderr);
    const report = parseReport(result);
    assert.equal(report.ok, false);
    assert.deepEqual(
      { deployed: report.producer.deployed, accepted: report.producer.accepted, rotatedAt: report.producer.rotatedAt },
      { deployed: false, accepted: null, rotatedAt: null },
    );
    assert.deepEqual(report.consumers.map((c) => [c.stack, c.holds, c.accepted, c.validUntil]), [
      [STACKS.checkout, "none", null, null], [STACKS.login, "none", null, null], [STACKS.statusPage, "none", null, null],
    ]);
    assert.deepEqual(Object.values(await updates()), [-1, -1, -1, -1], "status created a stack");
    assert.equal(await rotateCalls(world.emulator), 0);
  });

  it("bad plans fail with exit 2, naming the field and the fix, before any stack is touched", async () => {
    const cases: Array<[string, string, RegExp]> = [
      ["missing-stack.yaml", "producer: {dir: ./producer, stack: organization/rollout-producer/prod}\nconsumers:\n  - {dir: ./checkout}\n",
        /consumers\[0\]\.stack: missing or not a full stack name.*write <org>\/<project>\/<stack>/],
      ["missing-dir.json", JSON.stringify({ producer: { dir: "./producer", stack: STACKS.producer }, consumers: [{ dir: "./gone", stack: STACKS.checkout }] }),
        /consumers\[0\]\.dir: .*gone does not exist.*relative to the plan file/],
      ["no-producer.yaml", "consumers:\n  - {dir: ./checkout, stack: organization/checkout/prod}\n", /producer: missing/],
    ];
    for (const [name, text, message] of cases) {
      const file = world.writePlan(name, text);
      const result = await world.tool(["rollout", "--json", "--plan", file]);
      assert.equal(result.code, 2, `${name}: ${result.stderr}`);
      assert.match(result.stderr, message, name);
      const report = parseReport(result);
      assert.equal(report.ok, false);
      assert.match(report.error ?? "", message, `${name}: the JSON document carries the error`);
    }
    assert.deepEqual(Object.values(await updates()), [-1, -1, -1, -1], "a bad plan created a stack");
    assert.equal(await rotateCalls(world.emulator), 0);
  });

  it("a first rollout deploys the producer, then every consumer, each onto the new secret", async () => {
    const result = await world.tool(["rollout", "--json", "--parallel", "3", "--plan", PLAN]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const report = parseReport(result);
    assert.equal(report.ok, true);
    assert.equal(report.producer.result, "rotated");
    assert.equal(report.producer.accepted, true);
    assert.ok(report.producer.rotatedAt && report.producer.previousSecretExpiresAt, "the producer's dates are reported");
    for (const consumer of report.consumers) {
      assert.deepEqual([consumer.holds, consumer.accepted, consumer.validUntil, consumer.result, consumer.error], ["current", true, null, "updated", null], consumer.stack);
    }
    assert.deepEqual(report.before?.consumers.map((c) => c.holds), ["none", "none", "none"], "before: what was behind");
    assert.equal(await rotateCalls(world.emulator), 1, "creating the producer rotated once");
    const secret = liveSecret(world.emulator, world.sitekey);
    seen.push(secret);
    const shown = await world.cli.outputs(path.join(world.example, "checkout"), STACKS.checkout, true);
    assertSameSecret((shown.serverSettings as { TURNSTILE_SECRET_KEY?: string }).TURNSTILE_SECRET_KEY, secret, "checkout's server settings");
    for (const stack of Object.values(STACKS)) assert.match(result.stderr, new RegExp(`^${stack}: `, "m"), `no progress line for ${stack}`);
    assert.match(result.stderr, /^organization\/checkout\/prod: updated \(\d+s\)$/m, "progress shows each update's time");
  });

  it("status then: exit 0, every consumer current and accepted (text report)", async () => {
    const result = await world.tool(["status", "--plan", PLAN]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /^OK: every consumer holds the current secret and Cloudflare accepts it\.$/m);
    for (const stack of [STACKS.checkout, STACKS.login, STACKS.statusPage]) assert.match(result.stdout, new RegExp(`${stack} +current$`, "m"));
  });

  it("bad input against deployed stacks (output not exported, stacks it cannot decrypt) fails before any pulumi up", async () => {
    // Stacks of consumers whose secrets another passphrase protects: one never deployed (its secret
    // config is what cannot be decrypted), one deployed (a YAML stack deploys even when it cannot
    // read the producer's secret).
    const stranger = new PulumiCli({
      engineBin: await findEngine(), workDir: world.workDir, passphrase: "another-teams-passphrase",
      backendUrl: world.cli.env.PULUMI_BACKEND_URL, extraBins: [yamlHostBin()],
    });
    await stranger.initStack(path.join(world.example, "checkout"), "organization/checkout/other", {});
    await stranger.setSecret(path.join(world.example, "checkout"), "organization/checkout/other", "databasePassword", STRANGER_SECRET);
    await stranger.initStack(path.join(world.example, "status-page"), "organization/status-page/other", { producerStack: STACKS.producer });
    await stranger.run(["up", "--yes", "--stack", "organization/status-page/other"], path.join(world.example, "status-page"));
    const before = await updates();
    const calls = await rotateCalls(world.emulator);

    const wrongOutput = world.writePlan("wrong-output.yaml", fs.readFileSync(world.plan, "utf8").replace("output: turnstileSecret", "output: turnstileSecretKey"));
    let result = await world.tool(["rollout", "--plan", wrongOutput]);
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stderr, /producer\.output: stack organization\/rollout-producer\/prod exports no string output turnstileSecretKey \(its outputs: turnstileSecret\)/);

    const strangers = world.writePlan("strangers.yaml", `${fs.readFileSync(world.plan, "utf8")}  - dir: ./checkout\n    stack: organization/checkout/other\n  - dir: ./status-page\n    stack: organization/status-page/other\n`);
    result = await world.tool(["rollout", "--json", "--plan", strangers]);
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stderr, /consumers\[3\]\.stack organization\/checkout\/other: this process cannot decrypt the stack's secrets .*PULUMI_CONFIG_PASSPHRASE/);
    assert.match(result.stderr, /consumers\[4\]\.stack organization\/status-page\/other: this process cannot decrypt the stack's secrets/);
    assert.doesNotMatch(result.stderr, /consumers\[[0-2]\]/, "the stacks it can decrypt are not reported");
    assert.deepEqual(await updates(), before, "a pulumi up ran");
    assert.equal(await rotateCalls(world.emulator), calls);
  });

  it("a trigger change rotates once; a failing consumer is reported with its error and the previous secret, the others are updated", async () => {
    world.emulator.advanceClock(GRACE_SECONDS + 60);
    await world.cli.run(["config", "set", "--stack", STACKS.producer, "rotationTrigger", "2"], world.producer);
    const previous = liveSecret(world.emulator, world.sitekey);
    fs.writeFileSync(loginProgram, `raise RuntimeError("the login app's build is broken")\n${fs.readFileSync(loginProgram, "utf8")}`);
    const calls = await rotateCalls(world.emulator);

    const result = await world.tool(["rollout", "--json", "--parallel", "2", "--plan", PLAN]);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    const report = parseReport(result);
    assert.equal(report.ok, false);
    assert.equal(report.producer.result, "rotated");
    assert.equal(await rotateCalls(world.emulator), calls + 1, "exactly one rotation");
    const current = liveSecret(world.emulator, world.sitekey);
    seen.push(current);
    assert.notEqual(current, previous);
    for (const stack of [STACKS.checkout, STACKS.statusPage]) {
      const consumer = consumerOf(report, stack);
      assert.deepEqual([consumer.result, consumer.holds, consumer.accepted], ["updated", "current", true], stack);
    }
    const login = consumerOf(report, STACKS.login);
    assert.equal(login.result, "failed");
    assert.match(login.error ?? "", /^error: Program failed with an unhandled exception: RuntimeError: the login app's build is broken$/, "the error says why");
    assert.deepEqual([login.holds, login.accepted, login.validUntil], ["previous", true, report.producer.previousSecretExpiresAt]);
    assert.equal(Date.parse(login.validUntil ?? ""), Date.parse(report.producer.rotatedAt ?? "") + GRACE_SECONDS * 1000);
    assert.equal(consumerOf(report.before ?? assert.fail("no before"), STACKS.login).holds, "current", "before the rotation it was current");
  });

  it("status: the failed consumer holds the previous secret until the grace period ends, then a rejected one", async () => {
    let result = await world.tool(["status", "--json", "--plan", PLAN]);
    assert.equal(result.code, 1);
    let login = consumerOf(parseReport(result), STACKS.login);
    assert.deepEqual([login.holds, login.accepted], ["previous", true]);

    world.emulator.advanceClock(GRACE_SECONDS + 1);
    result = await world.tool(["status", "--json", "--plan", PLAN]);
    assert.equal(result.code, 1);
    const report = parseReport(result);
    login = consumerOf(report, STACKS.login);
    assert.deepEqual([login.holds, login.accepted, login.validUntil], ["rejected", false, null]);
    assert.equal(report.producer.accepted, true);
    assert.equal(consumerOf(report, STACKS.checkout).holds, "current");
  });

  it("after the fix a rerun rotates nothing and updates only the consumer that was behind", async () => {
    fs.writeFileSync(loginProgram, fs.readFileSync(loginProgram, "utf8").replace(/^raise RuntimeError.*\n/, ""));
    const before = await updates();
    const calls = await rotateCalls(world.emulator);

    const result = await world.tool(["rollout", "--json", "--plan", PLAN]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const report = parseReport(result);
    assert.equal(report.producer.result, "unchanged");
    assert.equal(await rotateCalls(world.emulator), calls, "a rerun rotated");
    assert.deepEqual(report.consumers.map((c) => [c.stack, c.result, c.holds]), [
      [STACKS.checkout, "skipped", "current"], [STACKS.login, "updated", "current"], [STACKS.statusPage, "skipped", "current"],
    ]);
    const after = await updates();
    assert.deepEqual(after, { ...before, producer: before.producer + 1, login: before.login + 1 }, "only the producer and login were updated");
  });

  it("a producer that fails stops the rollout before any consumer, with its error", async () => {
    await world.cli.run(["config", "set", "--stack", STACKS.producer, "accountId", "not-an-account-id"], world.producer);
    const before = await updates();
    const calls = await rotateCalls(world.emulator);
    const result = await world.tool(["rollout", "--json", "--plan", PLAN]);
    await world.cli.run(["config", "set", "--stack", STACKS.producer, "accountId", world.emulator.accountId], world.producer);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    const report = parseReport(result);
    assert.equal(report.producer.result, "failed");
    assert.match(report.producer.error ?? "", /^error: .*accountId/);
    assert.deepEqual(report.consumers.map((c) => [c.result, c.holds]), Array(3).fill(["not-run", "current"]));
    assert.equal(await rotateCalls(world.emulator), calls);
    // The backend records the producer's failed update in its history; no consumer has a new one.
    assert.deepEqual(await updates(), { ...before, producer: before.producer + 1 }, "a consumer was updated");
  });

  it("no secret or token appears in anything the command or the CLI printed", () => {
    assert.ok(world.cli.transcript.filter((entry) => entry.startsWith("$ turnstile-rotation")).length >= 10);
    assertNothingLeaked(world, seen);
  });
});
