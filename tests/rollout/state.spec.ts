/**
 * Reading exported state (`pulumi stack export --show-secrets`, shaped as the engine writes it):
 * the producer's outputs and rotation dates, and the value a consumer's StackReference holds.
 */
import assert from "node:assert/strict";
import { heldSecret, isDeployed, namesStack, revealed, rotationDates, stackOutputs, type ExportedDeployment } from "../../rollout/state";

const SIG = "4dabf18193072939515e22adb298388d";
/** A secret as `--show-secrets` exports it. */
const secret = (value: unknown) => ({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify(value) });

const CURRENT = "0x4AAAAAAAcurrentSecret000000000000";
const PRODUCER = "organization/producer/prod";

const producerExport: ExportedDeployment = {
  resources: [
    { type: "pulumi:pulumi:Stack", outputs: { turnstileSecret: secret(CURRENT), rotatedAt: "2026-12-01T06:00:00.000Z" } },
    { type: "pulumi:providers:pulumi-nodejs" },
    {
      type: "pulumi-nodejs:dynamic/turnstile:TurnstileSecretRotation",
      outputs: { secret: secret(CURRENT), rotatedAt: "2026-12-01T06:00:00.000Z", previousSecretExpiresAt: "2026-12-01T08:00:00.000Z" },
    },
  ],
};

/** A consumer whose StackReference to `name` read `outputs`. */
function consumerExport(name: string, outputs: Record<string, unknown>): ExportedDeployment {
  return {
    resources: [
      { type: "pulumi:pulumi:Stack", outputs: { serverSettings: secret({ TURNSTILE_SECRET_KEY: CURRENT }) } },
      { type: "pulumi:providers:pulumi" },
      { type: "pulumi:pulumi:StackReference", inputs: { name }, outputs: { name, outputs, secretOutputNames: ["turnstileSecret"] } },
    ],
  };
}

describe("rollout: reading exported state", () => {
  it("reveals secrets wherever they sit, leaving plain values as they are", () => {
    assert.deepEqual(revealed({ a: secret("s"), b: [secret({ c: 1 }), "plain"], d: null }), { a: "s", b: [{ c: 1 }, "plain"], d: null });
    assert.equal(revealed({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:..." }), undefined, "an undecrypted secret is no value");
  });

  it("a stack is deployed once it has its Stack resource", () => {
    assert.equal(isDeployed(producerExport), true);
    assert.equal(isDeployed({ resources: [] }), false);
    assert.equal(isDeployed({}), false);
  });

  it("reads the producer's outputs and the dates of the rotation that made its secret", () => {
    assert.equal(stackOutputs(producerExport).turnstileSecret, CURRENT);
    assert.deepEqual(rotationDates(producerExport, CURRENT), { rotatedAt: "2026-12-01T06:00:00.000Z", previousSecretExpiresAt: "2026-12-01T08:00:00.000Z" });
    assert.deepEqual(rotationDates(producerExport, "another"), { rotatedAt: null, previousSecretExpiresAt: null });
    const plugin: ExportedDeployment = { resources: [{ type: "turnstile-rotation:index:TurnstileSecretRotation", outputs: { secret: secret(CURRENT), rotatedAt: "x", previousSecretExpiresAt: null } }] };
    assert.deepEqual(rotationDates(plugin, CURRENT), { rotatedAt: "x", previousSecretExpiresAt: null }, "the plugin's resource counts too");
  });

  it("reads the secret a consumer's StackReference holds", () => {
    assert.deepEqual(heldSecret(consumerExport(PRODUCER, { turnstileSecret: secret(CURRENT) }), PRODUCER, "turnstileSecret"), { kind: "secret", secret: CURRENT });
    assert.deepEqual(heldSecret(consumerExport("producer/prod", { turnstileSecret: secret(CURRENT) }), PRODUCER, "turnstileSecret"), { kind: "secret", secret: CURRENT },
      "a reference without the organization names the same stack");
  });

  it("says why a consumer holds none", () => {
    assert.deepEqual(heldSecret({ resources: [] }, PRODUCER, "turnstileSecret"), { kind: "none", why: "not deployed" });
    assert.deepEqual(heldSecret(consumerExport("organization/other/prod", { turnstileSecret: secret(CURRENT) }), PRODUCER, "turnstileSecret"),
      { kind: "none", why: `no StackReference to ${PRODUCER}` });
    assert.deepEqual(heldSecret(consumerExport(PRODUCER, { rotatedAt: "x" }), PRODUCER, "turnstileSecret"),
      { kind: "none", why: `its StackReference to ${PRODUCER} holds no output turnstileSecret` });
    // What a consumer that could not decrypt the producer's state deployed: a placeholder object.
    assert.equal(heldSecret(consumerExport(PRODUCER, { turnstileSecret: secret({}) }), PRODUCER, "turnstileSecret").kind, "none");
  });

  it("matches stack names in full or without the organization, never by a shorter suffix", () => {
    assert.equal(namesStack(PRODUCER, PRODUCER), true);
    assert.equal(namesStack("producer/prod", PRODUCER), true);
    assert.equal(namesStack("prod", PRODUCER), false);
    assert.equal(namesStack("organization/producer/prod2", PRODUCER), false);
    assert.equal(namesStack("other-producer/prod", PRODUCER), false);
  });
});
