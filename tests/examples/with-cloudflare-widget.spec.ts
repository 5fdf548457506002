/**
 * The @pulumi/cloudflare example with `pulumi.runtime.setMocks`: its plugin cannot be installed
 * here, and mocks do not run dynamic providers, so this proves the wiring (the widget's sitekey
 * and account flow into the rotation, the rotated secret is exported). The rotation itself is
 * proven through the real engine in tests/e2e.
 */
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";

const ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353";
const SITEKEY = "0x4AAAAAAAmockedSitekey1";

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

describe("example: with-cloudflare-widget (mocked @pulumi/cloudflare)", () => {
  const registered: pulumi.runtime.MockResourceArgs[] = [];
  type Example = typeof import("../../examples/with-cloudflare-widget/index");
  let example: Example;

  before(async () => {
    pulumi.runtime.setConfig("with-cloudflare-widget:accountId", ACCOUNT);
    await pulumi.runtime.setMocks(
      {
        newResource(args) {
          registered.push(args);
          const state = args.type === "cloudflare:index/turnstileWidget:TurnstileWidget"
            ? { ...args.inputs, sitekey: SITEKEY, secret: "0x4AAAAAAAcreationSecret00000000000" }
            : { ...args.inputs, secret: "0x4AAAAAAArotatedSecret000000000000" };
          return { id: `${args.name}-id`, state };
        },
        call: (args) => args.inputs,
      },
      "with-cloudflare-widget",
      "dev",
      false,
    );
    example = await import("../../examples/with-cloudflare-widget/index");
  });

  it("passes the widget's sitekey and account to the rotation", async () => {
    assert.equal(await valueOf(example.sitekey), SITEKEY);
    await valueOf(example.turnstileSecret);
    const rotation = registered.find((r) => r.type.endsWith(":TurnstileSecretRotation"));
    assert.ok(rotation, "the rotation resource was registered");
    assert.equal(rotation.inputs.sitekey, SITEKEY);
    assert.equal(rotation.inputs.accountId, ACCOUNT);
    assert.equal(rotation.inputs.rotationTrigger, "2026-11");
  });

  // Secretness comes from the engine (additionalSecretOutputs), which mocks do not run: the
  // end-to-end tests check that `turnstileSecret` shows as [secret].
  it("exports the rotated secret, not the widget's creation secret", async () => {
    assert.equal(await valueOf(example.turnstileSecret), "0x4AAAAAAArotatedSecret000000000000");
  });
});
