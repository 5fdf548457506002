/**
 * The producer/consumer scenario with the state in PostgreSQL (Pulumi's `postgres://` DIY backend), as a
 * team would share it: a throwaway server from Debian's packages (scripts/postgres.sh) is started
 * here and stopped after; the producer rotates, the consumer reads through a StackReference, a
 * trigger change rotates again and the consumer follows; the table holds only encrypted secrets;
 * and two `pulumi up` at once are serialised by the backend's lock. Never skipped: without
 * PostgreSQL the suite fails with the reason.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import { gunzipSync } from "node:zlib";
import { assertSameSecret, inject, liveSecret, requestCounts } from "../helpers/control";
import { CONSUMER, PRODUCER, E2E_TIMEOUT_MS, createWorld, upRotatesOnceInPlace, type E2eWorld } from "./harness";
import { POSTGRES_SCRIPT, startPostgres, type RunningPostgres } from "./postgres";

/**
 * Every row of the backend's table with its blob decoded, keyed like the file backend's paths
 * (`.pulumi/stacks/...`): the backend prefixes keys with the URL's path, here the database name.
 */
function stateRows(pgDir: string): Promise<Map<string, string>> {
  const sql = "SELECT key, data->>'data' FROM pulumi_state ORDER BY key";
  return new Promise((resolve, reject) => {
    execFile("bash", [POSTGRES_SCRIPT, "psql", pgDir, "-tA", "-F", "\t", "-c", sql], { maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`reading pulumi_state failed: ${stderr}`));
      const rows = new Map<string, string>();
      for (const line of stdout.split("\n").filter(Boolean)) {
        const [fullKey, base64 = ""] = line.split("\t");
        const key = fullKey.slice(Math.max(0, fullKey.indexOf(".pulumi/")));
        const raw = Buffer.from(base64, "base64");
        rows.set(key, (key.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8"));
      }
      resolve(rows);
    });
  });
}

const lockKeys = (rows: Map<string, string>): string[] => [...rows.keys()].filter((key) => key.startsWith(".pulumi/locks/"));

describe("e2e: producer and consumer with the state in PostgreSQL", function () {
  this.timeout(E2E_TIMEOUT_MS);
  let postgres: RunningPostgres | undefined;
  let pgDir: string;
  let backendUrl: string;
  let world: E2eWorld;
  let firstSecret: string;
  let secondSecret: string;

  before(async () => {
    postgres = await startPostgres();
    ({ dir: pgDir, backendUrl } = postgres);
    world = await createWorld({ backendUrl });
  });

  after(async () => {
    await world?.dispose();
    await postgres?.stop();
  });

  it("the stacks live in PostgreSQL, not on disk", async () => {
    // Outside any project, so every stack is listed by its full name.
    const { stdout } = await world.cli.run(["stack", "ls", "--all", "--json"], world.workDir);
    const names = (JSON.parse(stdout) as { name: string }[]).map((s) => s.name).sort();
    assert.deepEqual(names, [CONSUMER, PRODUCER]);
    const keys = [...(await stateRows(pgDir)).keys()];
    assert.ok(keys.includes(".pulumi/stacks/producer/dev.json"), `no producer stack row in pulumi_state: ${keys.join(", ")}`);
    assert.ok(keys.includes(".pulumi/stacks/consumer/dev.json"), `no consumer stack row in pulumi_state: ${keys.join(", ")}`);
    assert.deepEqual(fs.readdirSync(world.cli.backendDir), [], "the file backend directory should stay empty");
  });

  it("pulumi up rotates once and exports Cloudflare's new secret as a secret", async () => {
    const before = liveSecret(world.emulator, world.sitekey);
    await world.cli.run(["up", "--yes", "--stack", PRODUCER], world.producer);
    assert.equal((await requestCounts(world.emulator)).byRoute["widgets.rotate_secret"], 1);
    firstSecret = liveSecret(world.emulator, world.sitekey);
    assert.notEqual(firstSecret, before, "the widget's secret did not change");
    assertSameSecret((await world.cli.outputs(world.producer, PRODUCER, true)).turnstileSecret, firstSecret, "producer output");
    assert.equal((await world.cli.outputs(world.producer, PRODUCER, false)).turnstileSecret, "[secret]");
  });

  it("the consumer reads the secret through a StackReference from PostgreSQL and keeps it secret", async () => {
    await world.cli.run(["up", "--yes", "--stack", CONSUMER], world.consumer);
    assertSameSecret((await world.cli.outputs(world.consumer, CONSUMER, true)).turnstileSecret, firstSecret, "consumer output");
    const masked = await world.cli.outputs(world.consumer, CONSUMER, false);
    assert.equal(masked.turnstileSecret, "[secret]");
    assert.equal(masked.secretFingerprint, "[secret]");
  });

  it("after the grace period a changed trigger rotates in place and the consumer reads the new secret", async () => {
    world.emulator.advanceClock(2 * 3600 + 60);
    await world.cli.run(["config", "set", "--stack", PRODUCER, "rotationTrigger", "2"], world.producer);
    secondSecret = await upRotatesOnceInPlace(world, PRODUCER);
    assert.notEqual(secondSecret, firstSecret, "the widget's secret did not change");
    assertSameSecret((await world.cli.outputs(world.producer, PRODUCER, true)).turnstileSecret, secondSecret, "producer output");

    await world.cli.run(["up", "--yes", "--stack", CONSUMER], world.consumer);
    assertSameSecret((await world.cli.outputs(world.consumer, CONSUMER, true)).turnstileSecret, secondSecret, "consumer output");
  });

  it("the pulumi_state table holds neither secret nor token in plain text", async () => {
    const rows = await stateRows(pgDir);
    const stackRows = [...rows].filter(([key]) => key.startsWith(".pulumi/stacks/"));
    assert.ok(stackRows.length >= 2, "no stack rows in pulumi_state");
    for (const [key, text] of stackRows) {
      if (key.endsWith("/dev.json")) assert.ok(text.includes("ciphertext"), `${key} should hold the secret encrypted`);
    }
    // Every row: current state, backups and update history.
    for (const [key, text] of rows) {
      assert.ok(!text.includes(secondSecret), `${key} holds the current secret in plain text`);
      assert.ok(!text.includes(firstSecret), `${key} holds the previous secret in plain text`);
      assert.ok(!text.includes(world.emulator.apiToken), `${key} holds the API token`);
    }
    for (const [cwd, stack] of [[world.producer, PRODUCER], [world.consumer, CONSUMER]] as const) {
      const { stdout } = await world.cli.run(["stack", "export", "--stack", stack], cwd);
      assert.ok(stdout.includes("ciphertext"), `${stack}'s export should hold the secret encrypted`);
      assert.ok(!stdout.includes(secondSecret) && !stdout.includes(firstSecret), `${stack}'s export holds a secret in plain text`);
    }
  });

  it("a second pulumi up during an update is refused by the backend's lock; pulumi cancel clears a stale lock", async () => {
    world.emulator.advanceClock(2 * 3600 + 60);
    await world.cli.run(["config", "set", "--stack", PRODUCER, "rotationTrigger", "3"], world.producer);
    // Hold the first update inside the rotation call long enough for a second one to start.
    await inject(world.emulator, { route: "widgets.rotate_secret", kind: "latency", latencyMs: 8000, times: 1 });
    const before = await requestCounts(world.emulator);

    const first = world.cli.run(["up", "--yes", "--stack", PRODUCER], world.producer);
    first.catch(() => undefined); // awaited below; avoid an unhandled rejection while polling
    let held: string[] = [];
    for (let i = 0; i < 150 && held.length === 0; i++) {
      held = lockKeys(await stateRows(pgDir));
      if (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(held.length, 1, "the first update never took the lock");
    assert.match(held[0], /^\.pulumi\/locks\/organization\/producer\/dev\/[0-9a-f-]+\.json$/);
    // What a crashed `pulumi up` leaves behind: a copy of the lock that nobody will delete.
    await new Promise<void>((resolve, reject) => {
      const sql = "INSERT INTO pulumi_state (key, data) SELECT replace(key, '.json', '-stale.json'), data FROM pulumi_state WHERE key LIKE '%.pulumi/locks/%'";
      execFile("bash", [POSTGRES_SCRIPT, "psql", pgDir, "-q", "-c", sql], (error, _stdout, stderr) => (error ? reject(new Error(stderr)) : resolve()));
    });

    const second = await world.cli.run(["up", "--yes", "--stack", PRODUCER], world.producer, { allowFailure: true });
    assert.notEqual(second.code, 0, "a second pulumi up ran while the stack was locked");
    const message = second.stdout + second.stderr;
    assert.match(message, /the stack is currently locked by \d+ lock\(s\)/);
    assert.match(message, /postgres:\/\/\*{4}:\*{4}@/, "the lock message should name the lock with the credentials masked");
    assert.ok(!message.includes(backendUrl), "the lock message shows the backend password");

    const firstResult = await first;
    assert.match(firstResult.stdout, /1 updated/);
    const after = await requestCounts(world.emulator);
    assert.equal(after.byRoute["widgets.rotate_secret"], (before.byRoute["widgets.rotate_secret"] ?? 0) + 1, "exactly one rotation");
    assertSameSecret((await world.cli.outputs(world.producer, PRODUCER, true)).turnstileSecret, liveSecret(world.emulator, world.sitekey), "producer output");

    // The finished update removed its own lock; the stale one blocks every update until cancelled.
    assert.deepEqual(lockKeys(await stateRows(pgDir)), [held[0].replace(".json", "-stale.json")]);
    const blocked = await world.cli.run(["up", "--yes", "--stack", PRODUCER], world.producer, { allowFailure: true });
    assert.notEqual(blocked.code, 0);
    assert.match(blocked.stdout + blocked.stderr, /currently locked/);
    await world.cli.run(["cancel", "--yes", "--stack", PRODUCER], world.producer);
    assert.deepEqual(lockKeys(await stateRows(pgDir)), []);
    const unblocked = await world.cli.run(["up", "--yes", "--stack", PRODUCER], world.producer);
    assert.doesNotMatch(unblocked.stdout, /updated|created|replaced/);
  });
});
