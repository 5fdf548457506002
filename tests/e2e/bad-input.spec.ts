/**
 * Bad and hostile input through `pulumi preview` on the real engine: every case fails before any
 * API call, names the field and the fix, never echoes a hostile value, and no request reaches a
 * different API path.
 */
import assert from "node:assert/strict";
import { requestCounts } from "../helpers/control";
import { E2E_TIMEOUT_MS, PRODUCER, createWorld, type E2eWorld } from "./harness";

const LONG = "x".repeat(5000);

/** [case, config overrides, the field the error must name, what it must say]. */
const CASES: ReadonlyArray<readonly [string, Record<string, string>, string, RegExp]> = [
  ["short accountId", { accountId: "12345" }, "accountId", /32 hexadecimal characters, got 5/],
  ["non-hex accountId", { accountId: "g".repeat(32) }, "accountId", /only hexadecimal/],
  ["upper-case accountId", { accountId: "023E105F4ECEF8AD9CA31A8372D0C353" }, "accountId", /must be lower-case/],
  ["very long accountId", { accountId: LONG }, "accountId", /got 5000 characters/],
  ["oversized sitekey", { sitekey: LONG }, "sitekey", /at most 32 characters, got 5000/],
  ["path traversal in sitekey", { sitekey: "../../../user/tokens" }, "sitekey", /must not contain \/ \? # %/],
  ["query in sitekey", { sitekey: "0x4AAA?page=2" }, "sitekey", /must not contain \/ \? # %/],
  ["encoded slash in sitekey", { sitekey: "0x4AAA%2F..%2F" }, "sitekey", /must not contain \/ \? # %/],
  ["unicode sitekey", { sitekey: "0x4AAAÄÖ😀" }, "sitekey", /printable ASCII/],
  ["empty trigger", { rotationTrigger: "   " }, "rotationTrigger", /must not be empty/],
  ["very long trigger", { rotationTrigger: LONG }, "rotationTrigger", /at most 256 characters, got 5000/],
];

describe("e2e: bad input fails at pulumi preview, before any API call", function () {
  this.timeout(E2E_TIMEOUT_MS);
  let world: E2eWorld;
  let valid: Record<string, string>;

  before(async () => {
    world = await createWorld();
    valid = { accountId: world.emulator.accountId, sitekey: world.sitekey, rotationTrigger: "1" };
  });
  after(async () => world?.dispose());

  for (const [name, overrides, field, message] of CASES) {
    it(`${name}: names ${field} and the problem`, async () => {
      await world.cli.initStack(world.producer, PRODUCER, { ...valid, ...overrides });
      const before = await requestCounts(world.emulator);
      const result = await world.cli.run(["preview", "--stack", PRODUCER], world.producer, { allowFailure: true });
      const printed = result.stdout + result.stderr;
      assert.notEqual(result.code, 0, "preview must fail");
      // The field's own line: "  - <field> <problem and fix>", so the field is named where the problem is.
      assert.match(printed, new RegExp(`- ${field} [^\\n]*${message.source}`));
      // The CLI itself shows config-derived stack outputs; the error never echoes a value.
      const diagnostics = printed.split("\n").filter((line) => /error|must|got/.test(line));
      assert.ok(diagnostics.length > 0);
      for (const value of Object.values(overrides).filter((v) => v.trim().length >= 4)) {
        for (const line of diagnostics) assert.ok(!line.includes(value), `the message echoes the value: ${line.slice(0, 200)}`);
      }
      assert.deepEqual(await requestCounts(world.emulator), before, "no API call");
    });
  }

  it("a non-boolean invalidateImmediately from code is named", async () => {
    await world.cli.initStack(world.producer, PRODUCER, valid);
    const index = `${world.producer}/index.ts`;
    const fs = await import("node:fs");
    const original = fs.readFileSync(index, "utf8");
    fs.writeFileSync(index, original.replace('config.getBoolean("invalidateImmediately") ?? false', '"yes" as unknown as boolean'));
    try {
      const result = await world.cli.run(["preview", "--stack", PRODUCER], world.producer, { allowFailure: true });
      assert.notEqual(result.code, 0);
      assert.match(result.stdout, /invalidateImmediately.*must be true or false, got a string/);
    } finally {
      fs.writeFileSync(index, original);
    }
  });

  it("missing credentials fail at preview with both ways to set them", async () => {
    await world.cli.initStack(world.producer, PRODUCER, valid);
    const result = await world.cli.run(["preview", "--stack", PRODUCER], world.producer, { allowFailure: true, env: { CLOUDFLARE_API_TOKEN: "" } });
    assert.notEqual(result.code, 0);
    assert.match(result.stdout, /no Cloudflare API token: set it with `pulumi config set --secret cloudflare:apiToken <token>` or export CLOUDFLARE_API_TOKEN/);
  });

  it("the valid configuration previews cleanly (the cases above fail for their own reason)", async () => {
    await world.cli.initStack(world.producer, PRODUCER, valid);
    const result = await world.cli.run(["preview", "--stack", PRODUCER], world.producer);
    assert.match(result.stdout, /\+ 2 to create/);
  });
});
