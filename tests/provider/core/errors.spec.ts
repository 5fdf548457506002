/**
 * The error policy: every failure a user can act on is a `TurnstileRotationError` subclass named
 * one way (on its prototype, spelled out), provider-side ones lose their stack trace in the hooks,
 * and program-side ones are reported by the SDK like a `pulumi.RunError`.
 */
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import * as cloudflare from "../../../provider/cloudflare";
import * as consume from "../../../provider/consume";
import * as credentials from "../../../provider/core/credentials";
import * as errors from "../../../provider/core/errors";
import * as rotationErrors from "../../../provider/core/rotation-errors";

/** Every exported class that extends Error, by export name. */
function errorClasses(...modules: object[]): Array<[string, Function]> {
  return modules.flatMap((module) => Object.entries(module))
    .filter((entry): entry is [string, Function] => typeof entry[1] === "function" && entry[1].prototype instanceof Error);
}

describe("error policy", () => {
  const classes = errorClasses(cloudflare, consume, credentials, errors, rotationErrors);

  it("every exported error class is a TurnstileRotationError named after its class, on the prototype", () => {
    assert.ok(classes.length >= 15, `found only ${classes.map(([name]) => name).join(", ")}`);
    for (const [name, errorClass] of classes) {
      assert.ok(errorClass === errors.TurnstileRotationError || errorClass.prototype instanceof errors.TurnstileRotationError, name);
      assert.equal(Object.prototype.hasOwnProperty.call(errorClass.prototype, "name"), true, `${name}: name not on its prototype`);
      assert.equal(errorClass.prototype.name, name);
    }
  });

  it("the hooks strip the stack of user-facing errors and keep it on bugs", async () => {
    const userError = await errors.userFacing(async () => { throw new errors.UnreadableStateError("run `pulumi refresh`"); }).catch((e: Error) => e);
    assert.equal(userError.stack, "");
    const bug = await errors.userFacing(async () => { throw new TypeError("a bug"); }).catch((e: Error) => e);
    assert.match(bug.stack ?? "", /\n\s+at /);
  });

  it("program errors are RunErrors to the SDK and carry no stack frames", () => {
    const error = new errors.InvalidArgumentError("months must be a whole number");
    assert.ok(pulumi.RunError.isInstance(error));
    assert.equal(error.stack, "InvalidArgumentError: months must be a whole number");
    assert.ok(!pulumi.RunError.isInstance(new errors.UnreadableStateError("x")), "provider-side errors are not program errors");
  });
});
