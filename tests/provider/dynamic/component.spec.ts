/**
 * `TurnstileSecretRotations` under `pulumi.runtime.setMocks`: what it registers (its type token,
 * one rotation per widget under it, the URNs every deployed stack holds), what it passes down and
 * what it exports. Mocks do not run dynamic providers; the rotations themselves are proven
 * through the engine in tests/e2e.
 */
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { InvalidArgumentError } from "../../../provider/core/errors";
import { TurnstileSecretRotations } from "../../../provider/dynamic/component";

const ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353";
const COMPONENT = "pulumi-turnstile-rotation:index:TurnstileSecretRotations";
const ROTATION = "pulumi-nodejs:dynamic/turnstile:TurnstileSecretRotation";

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

describe("TurnstileSecretRotations (mocked engine)", () => {
  const registered: pulumi.runtime.MockResourceArgs[] = [];

  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource(args) {
          registered.push(args);
          const state = args.type === ROTATION
            ? { ...args.inputs, secret: `secret-of-${args.inputs.sitekey}`, previousSecretExpiresAt: `expiry-of-${args.inputs.sitekey}` }
            : {};
          return { id: `${args.name}-id`, state };
        },
        call: (args) => args.inputs,
      },
      "components",
      "dev",
      false,
    );
  });

  it("registers itself and one rotation per widget under it, with the URNs deployed stacks hold", async () => {
    const forms = new TurnstileSecretRotations("forms", {
      accountId: ACCOUNT, sitekeys: { login: "0x4AAAlogin", signup: "0x4AAAsignup" }, rotationTrigger: "2026-11",
    });
    assert.equal(await valueOf(forms.urn), `urn:pulumi:dev::components::${COMPONENT}::forms`);
    assert.equal(await valueOf(forms.rotations.login.urn), `urn:pulumi:dev::components::${COMPONENT}$${ROTATION}::forms-login`);
    assert.equal(await valueOf(forms.rotations.signup.urn), `urn:pulumi:dev::components::${COMPONENT}$${ROTATION}::forms-signup`);
    assert.deepEqual(registered.filter((r) => r.type === ROTATION).map((r) => r.name).sort(), ["forms-login", "forms-signup"]);
  });

  it("passes the shared settings to every rotation, the token as a secret", async () => {
    registered.length = 0;
    const forms = new TurnstileSecretRotations("shared", {
      accountId: ACCOUNT, sitekeys: { login: "0x4AAAlogin" }, rotationTrigger: 7,
      invalidateImmediately: true, rotateOnCreate: false, apiToken: "token-value",
    });
    await valueOf(forms.secrets);
    const [login] = registered.filter((r) => r.type === ROTATION);
    assert.equal(login.inputs.accountId, ACCOUNT);
    assert.equal(login.inputs.sitekey, "0x4AAAlogin");
    assert.equal(login.inputs.rotationTrigger, 7);
    assert.equal(login.inputs.invalidateImmediately, true);
    assert.equal(login.inputs.rotateOnCreate, false);
    // Sent to the engine as a secret (the wire form of one), so the state holds it encrypted.
    assert.deepEqual(login.inputs.apiToken, { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "token-value" });
  });

  it("exports every secret by name as one secret, and every expiry by name", async () => {
    const forms = new TurnstileSecretRotations("outputs", {
      accountId: ACCOUNT, sitekeys: { login: "0x4AAAlogin", signup: "0x4AAAsignup" }, rotationTrigger: "2026-11",
    });
    assert.deepEqual(await valueOf(forms.secrets), { login: "secret-of-0x4AAAlogin", signup: "secret-of-0x4AAAsignup" });
    assert.equal(await pulumi.isSecret(forms.secrets), true);
    assert.deepEqual(await valueOf(forms.previousSecretExpiresAt), { login: "expiry-of-0x4AAAlogin", signup: "expiry-of-0x4AAAsignup" });
  });

  it("refuses an empty sitekeys as a program error (reported without a stack trace)", () => {
    assert.throws(() => new TurnstileSecretRotations("empty", { accountId: ACCOUNT, sitekeys: {}, rotationTrigger: "1" }), (error: unknown) => {
      assert.ok(error instanceof InvalidArgumentError && pulumi.RunError.isInstance(error));
      assert.match(error.message, /TurnstileSecretRotations empty: sitekeys is empty; list at least one widget/);
      return true;
    });
  });
});
