/**
 * The answers that do not prove a rotation failed, through the real engine, with
 * `invalidateImmediately: true` (where a blind repeat would kill the secret just made): a 5xx
 * with `x-should-retry: true` after the commit, garbled 2xx bodies, a hang after the commit. Each
 * `pulumi up` succeeds with Cloudflare's real secret and exactly one committed rotation.
 */
import assert from "node:assert/strict";
import type { FaultSpec } from "../../emulator";
import { inject, liveSecret, requestCounts } from "../helpers/control";
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

  it("nothing the CLI printed holds a secret or the token", () => assertNothingLeaked(world, seen));
});
