/**
 * A user's first hour, through the real engine: putting a live widget under management without
 * rotating it (`rotateOnCreate: false`), the preview warning before a create rotates a live
 * secret, the destroy warning, the warning for a token in plain config, and a preview with nothing
 * to do that needs no token at all.
 */
import assert from "node:assert/strict";
import { liveSecret, requestCounts } from "../helpers/control";
import { E2E_TIMEOUT_MS, PRODUCER, assertNothingLeaked, createWorld, type E2eWorld } from "./harness";

const rotateCalls = async (world: E2eWorld) => (await requestCounts(world.emulator)).byRoute["widgets.rotate_secret"] ?? 0;

describe("e2e: putting a live widget under management", function () {
  this.timeout(E2E_TIMEOUT_MS);
  let world: E2eWorld;
  before(async () => (world = await createWorld()));
  after(async () => world?.dispose());

  it("the preview of a default create warns that the first up rotates the live secret", async () => {
    const { stdout } = await world.cli.run(["preview", "--stack", PRODUCER], world.producer);
    assert.match(stdout, new RegExp(`warning: widget ${world.sitekey}: creating this resource rotates the widget's live secret.*rotateOnCreate: false`, "s"));
  });

  it("rotateOnCreate: false records the live secret with zero rotate calls; the next trigger change rotates once", async () => {
    const live = liveSecret(world.emulator, world.sitekey);
    await world.cli.run(["config", "set", "--stack", PRODUCER, "rotateOnCreate", "false"], world.producer);
    const preview = await world.cli.run(["preview", "--stack", PRODUCER], world.producer);
    assert.doesNotMatch(preview.stdout, /creating this resource rotates/);
    await world.cli.run(["up", "--yes", "--stack", PRODUCER], world.producer);
    assert.equal(await rotateCalls(world), 0);
    assert.equal((await world.cli.outputs(world.producer, PRODUCER, true)).turnstileSecret, live);
    await world.cli.run(["config", "set", "--stack", PRODUCER, "rotationTrigger", "2"], world.producer);
    await world.cli.run(["up", "--yes", "--stack", PRODUCER], world.producer);
    assert.equal(await rotateCalls(world), 1);
    assert.notEqual(liveSecret(world.emulator, world.sitekey), live);
    assert.equal((await world.cli.outputs(world.producer, PRODUCER, true)).turnstileSecret, liveSecret(world.emulator, world.sitekey));
  });

  it("a preview with nothing to do needs no token", async () => {
    const before = (await requestCounts(world.emulator)).total;
    const result = await world.cli.run(["preview", "--stack", PRODUCER], world.producer, { env: { CLOUDFLARE_API_TOKEN: "" } });
    assert.doesNotMatch(result.stdout, /to update|to create|to replace/);
    assert.equal((await requestCounts(world.emulator)).total, before);
  });

  it("destroy calls nothing and warns that the widget and its secret stay at Cloudflare", async () => {
    const before = (await requestCounts(world.emulator)).total;
    const { stdout } = await world.cli.run(["destroy", "--yes", "--stack", PRODUCER], world.producer);
    assert.match(stdout, /removed from this stack only; the widget and its current secret stay at Cloudflare/);
    assert.equal((await requestCounts(world.emulator)).total, before);
  });

  it("nothing the CLI printed holds a secret or the token", () => assertNothingLeaked(world));
});

describe("e2e: a token in plain config", function () {
  this.timeout(E2E_TIMEOUT_MS);
  let world: E2eWorld;
  before(async () => (world = await createWorld({ tokenInEnvironment: false })));
  after(async () => world?.dispose());

  it("preview warns once that it is stored in plain text, and how to fix it; --secret silences it", async () => {
    // The CLI itself refuses a value that looks like a secret without --secret; --plaintext insists.
    await world.cli.run(["config", "set", "--plaintext", "--stack", PRODUCER, "cloudflare:apiToken"], world.producer, { input: world.emulator.apiToken });
    const plain = await world.cli.run(["preview", "--stack", PRODUCER], world.producer);
    const warnings = plain.stdout.match(/cloudflare:apiToken is a plain config value/g) ?? [];
    assert.ok(warnings.length >= 1, plain.stdout);
    assert.match(plain.stdout, /pulumi config set --secret cloudflare:apiToken/);
    await world.cli.setSecret(world.producer, PRODUCER, "cloudflare:apiToken", world.emulator.apiToken);
    const secret = await world.cli.run(["preview", "--stack", PRODUCER], world.producer);
    assert.doesNotMatch(secret.stdout, /plain config value/);
  });

  it("nothing the CLI printed holds the token", () => assertNothingLeaked(world));
});
