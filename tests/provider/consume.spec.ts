/**
 * The consumer helper's checks, case by case. The engine's side (what a consumer with a wrong
 * passphrase really receives, and that the failure stops the preview) is proven through the real
 * engine in tests/e2e/consumer-helper.spec.ts.
 */
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { checkedTurnstileSecret, turnstileSecretFrom, type SecretLocation } from "../../provider/consume";

const SECRET = "0x4AAAAAAAconsumeSpecSecret000000000";
const STACK = "organization/producer/dev";
const AT: SecretLocation = { stack: STACK, outputName: "turnstileSecret" };

/** Asserts `read` throws a RunError matching `message` that quotes no value. */
function assertFails(read: () => unknown, message: RegExp, values: readonly string[] = [SECRET]): void {
  assert.throws(read, (error: unknown) => {
    assert.ok(pulumi.RunError.isInstance(error), `expected a RunError (reported without a stack trace), got ${String(error)}`);
    assert.match(error.message, message);
    // Frames would make the SDK spend 25-50 s formatting the error before the preview fails.
    assert.doesNotMatch(error.stack ?? "", /\n\s+at /, "the error should carry no stack frames");
    for (const value of values) assert.ok(!error.message.includes(value), "the message quotes a value");
    return true;
  });
}

describe("consume: checkedTurnstileSecret", () => {
  it("returns the secret a producer exports", () => {
    assert.equal(checkedTurnstileSecret({ turnstileSecret: SECRET, rotatedAt: "2026-11-01T00:00:00Z" }, AT), SECRET);
  });

  it("names the output, the stack and the fix when the engine elided an undecryptable secret", () => {
    // What a consumer with another passphrase receives under the pinned engine: `{}`.
    assertFails(
      () => checkedTurnstileSecret({ turnstileSecret: {}, rotatedAt: "2026-11-01T00:00:00Z" }, AT),
      /^cannot decrypt output 'turnstileSecret' of stack 'organization\/producer\/dev': .*PULUMI_CONFIG_PASSPHRASE.*secrets provider/,
    );
    // The map of a TurnstileSecretRotations is elided the same way.
    assertFails(() => checkedTurnstileSecret({ secrets: {} }, { ...AT, outputName: "secrets", key: "login" }), /^cannot decrypt output 'secrets'/);
  });

  it("says to deploy the producer, or lists its outputs, when the output is missing", () => {
    assertFails(() => checkedTurnstileSecret({}, AT), /stack 'organization\/producer\/dev' has no output 'turnstileSecret': run `pulumi up` on that stack first.*\(its outputs: none\)/);
    assertFails(
      () => checkedTurnstileSecret({ turnstilesecret: SECRET, sitekey: "0x4AAAAAAAsitekey" }, AT),
      /has no output 'turnstileSecret'.*\(its outputs: turnstilesecret, sitekey\)/,
      [SECRET, "0x4AAAAAAAsitekey"],
    );
  });

  it("reads one secret of a map by key, and names the keys when the key is wrong or missing", () => {
    const outputs = { secrets: { login: SECRET, signup: "0x4AAAAAAAsignupSecret" } };
    const secrets: SecretLocation = { ...AT, outputName: "secrets" };
    assert.equal(checkedTurnstileSecret(outputs, { ...secrets, key: "login" }), SECRET);
    const values = [SECRET, "0x4AAAAAAAsignupSecret"];
    assertFails(() => checkedTurnstileSecret(outputs, { ...secrets, key: "logn" }), /output 'secrets' of stack '.*' has no key 'logn' \(its keys: login, signup\)/, values);
    assertFails(() => checkedTurnstileSecret(outputs, secrets), /holds several values by name \(keys: login, signup\), not one secret: .*turnstileSecretFrom\(producer, "secrets", "login"\)/, values);
    assertFails(() => checkedTurnstileSecret({ turnstileSecret: SECRET }, { ...AT, key: "login" }), /is a string, not secrets by name: drop the key 'login'/);
  });

  it("refuses values that cannot be a secret, without quoting them", () => {
    for (const [value, shown] of [[42, "a number"], [null, "null"], ["", "an empty string"], [[SECRET], "a list"], [true, "a boolean"]] as const) {
      assertFails(() => checkedTurnstileSecret({ turnstileSecret: value }, AT), new RegExp(`output 'turnstileSecret' of stack '.*' is ${shown}, not a Turnstile secret`));
    }
  });
});

describe("consume: turnstileSecretFrom", () => {
  it("returns the secret as a Pulumi secret, even when the producer exported it in plain text", async () => {
    // The two members the helper reads; a real StackReference needs a running engine (see e2e).
    const reference = { name: pulumi.output(STACK), outputs: pulumi.output({ turnstileSecret: SECRET }) } as unknown as pulumi.StackReference;
    const secret = turnstileSecretFrom(reference, "turnstileSecret");
    assert.equal(await pulumi.isSecret(secret), true);
    assert.equal(await new Promise((resolve) => secret.apply(resolve)), SECRET);
  });
});
