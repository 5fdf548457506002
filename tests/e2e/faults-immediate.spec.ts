/**
 * The answers that do not prove a rotation failed, through the real engine, with
 * `invalidateImmediately: true` (where a blind repeat would kill the secret just made): a 5xx
 * with `x-should-retry: true` after the commit, garbled 2xx bodies, a hang after the commit. Each
 * `pulumi up` succeeds with Cloudflare's real secret and exactly one committed rotation.
 */
import assert from "node:assert/strict";
import type { FaultSpec } from "../../emulator";
import { inject, liveSecret, requestCounts, assertSameSecret } from "../helpers/control";
import { E2E_TIMEOUT_MS, PRODUCER, assertNothingLeaked, createWorld, type E2eWorld } from "./harness";

const FAULTS: ReadonlyArray<readonly [string, Omit<FaultSpec, "route">]> = [
  ["503 with x-should-retry: true after the commit", { kind: "commit_status", status: 503, shouldRetry: true }],
  ["a truncated 2xx body after the commit", { kind: "commit_garble", body: "truncated" }],
  ["a 2xx whose widget has nulls in fields nothing decides on", { kind: "commit_garble", body: "null_fields" }],
  ["a 2xx saying success: false after the commit", { kind: "commit_garble", body: "success_false" }],
  ["no answer at all after the commit (hang)", { kind: "commit_hang" }],
];

describe("e2e: ambiguous answers with invalidateImmediately: true", function () {
  this.timeout(E2E_TIMEOUT_MS);
  let world: E2eWorld;
  let trigger = 1;
  const seen: string[] = [];
  const committed = async () => (await requestCounts(world.emulator)).rotations;

  before(async () => {
    world = await createWorld();
    await world.cli.run(["config", "set", "--stack", PRODUCER, "invalidateImmediately", "true"], world.producer);
    await world.cli.run(["up", "--yes", "--stack", PRODUCER], world.producer);
  });
  after(async () => world?.dispose());

  for (const [name, fault] of FAULTS) {
    it(`${name}: the real secret is recorded, rotated exactly once`, async () => {
      trigger += 1;
      await world.cli.run(["config", "set", "--stack", PRODUCER, "rotationTrigger", String(trigger)], world.producer);
      await inject(world.emulator, { route: "widgets.rotate_secret", ...fault });
      const before = await committed();
      // A hang costs one attempt deadline: keep it short here.
      await world.cli.run(["up", "--yes", "--stack", PRODUCER], world.producer, { env: { TURNSTILE_ROTATION_TIMEOUT: "3" } });
      const live = liveSecret(world.emulator, world.sitekey);
      seen.push(live);
      assert.equal((await world.cli.outputs(world.producer, PRODUCER, true)).turnstileSecret, live);
      assert.equal(await committed(), before + 1, "exactly one rotation committed");
    });
  }

  it("a rotate call that commits after the client gave up: the run fails saying the outcome is unknown, never rotates twice, and the next up takes that secret", async () => {
    trigger += 1;
    await world.cli.run(["config", "set", "--stack", PRODUCER, "rotationTrigger", String(trigger)], world.producer);
    // The request reaches Cloudflare but commits 4 s later, long after the client's 1 s deadline
    // and its read-back (which still shows the old secret).
    await inject(world.emulator, { route: "widgets.rotate_secret", kind: "commit_late", latencyMs: 4000 });
    const before = await committed();
    const env = { TURNSTILE_ROTATION_TIMEOUT: "1" };
    const failed = await world.cli.run(["up", "--yes", "--stack", PRODUCER], world.producer, { env, allowFailure: true });
    const deadline = Date.now() + 10_000;
    while ((await committed()) === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.equal(await committed(), before + 1, "the late request committed exactly one rotation; nothing rotated it again");
    assert.notEqual(failed.code, 0, "a run that cannot know whether its rotation happened must not report success");
    assert.match(failed.stdout + failed.stderr, /may still (be in flight|reach Cloudflare)[\s\S]*pulumi up/);
    const live = liveSecret(world.emulator, world.sitekey);
    seen.push(live);
    await world.cli.run(["up", "--yes", "--stack", PRODUCER], world.producer, { env });
    assertSameSecret((await world.cli.outputs(world.producer, PRODUCER, true)).turnstileSecret, live, "the next up records the late rotation");
    assert.equal(await committed(), before + 1, "still one rotation");
  });

  it("nothing the CLI printed holds a secret or the token", () => assertNothingLeaked(world, seen));
});
