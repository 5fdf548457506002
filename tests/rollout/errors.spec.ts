/**
 * What the rollout keeps of a failed command: the engine's `error:` lines with the exception a
 * program raised, without colours, frames or progress; and the last guard that replaces any
 * secret it knows before anything is printed.
 */
import assert from "node:assert/strict";
import { RolloutInputError } from "../../rollout";
import { errorLines, redact } from "../../rollout/errors";
import { TurnstileRotationError } from "../../provider";

/** An Automation API failure as it reads (CommandResult's text), around the engine's diagnostics. */
const commandError = (diagnostics: string) => new Error(`code: 1
 stdout:
 stderr: Command failed with exit code 1: pulumi up --yes --skip-preview --stack organization/login/prod
Updating (prod):

 +  pulumi:pulumi:Stack login-prod creating (0s) error: Program failed with an unhandled exception:
Diagnostics:
  pulumi:pulumi:Stack (login-prod):
${diagnostics}

Resources:
    1 errored
`);

describe("rollout: errors", () => {
  it("keeps a Python program's error line with the exception it raised", () => {
    const error = commandError(`    error: Program failed with an unhandled exception:
    Traceback (most recent call last):
      File "/work/login/__main__.py", line 1, in <module>
        raise RuntimeError("the login app's build is broken")
    RuntimeError: the login app's build is broken`);
    assert.equal(errorLines(error), "error: Program failed with an unhandled exception: RuntimeError: the login app's build is broken");
  });

  it("keeps a Node.js program's error line with its exception, without colours or frames", () => {
    const error = commandError(`    error: Running program '/work/checkout/index.ts' failed with an unhandled exception:
    Error: checkout broken
        at Object.<anonymous> \x1b[90m(/work/checkout/\x1b[39mindex.ts:1:7\x1b[90m)\x1b[39m
    \x1b[90m    at Module._compile (node:internal/modules/cjs/loader:1781:14)\x1b[39m`);
    assert.equal(errorLines(error), "error: Running program '/work/checkout/index.ts' failed with an unhandled exception: Error: checkout broken");
  });

  it("keeps the problems a provider lists under its error line", () => {
    const error = commandError(`    error: invalid TurnstileSecretRotation inputs (nothing was changed):
      - accountId must be 32 hexadecimal characters, got 17 characters
      - rotationTrigger must not be empty

  pulumi:pulumi:Stack (producer-prod):
    error: update failed`);
    assert.equal(errorLines(error), "error: invalid TurnstileSecretRotation inputs (nothing was changed): " +
      "- accountId must be 32 hexadecimal characters, got 17 characters - rotationTrigger must not be empty error: update failed");
  });

  it("keeps every distinct error line once, and the last line of a message without any", () => {
    assert.equal(errorLines(new Error("stderr: error: a\nerror: b\n    error: a\n")), "error: a error: b");
    assert.equal(errorLines(new Error("spawn pulumi ENOENT")), "spawn pulumi ENOENT");
    assert.equal(errorLines("first\nlast\n"), "last");
    assert.equal(errorLines(new Error(`error: ${"x".repeat(700)}`)).length, 601, "long messages are cut");
  });

  it("redacts every known secret, however often it appears", () => {
    const secrets = ["0x4AAAAAAAsecretOne000000000000000", "0x4AAAAAAAsecretTwo000000000000000"];
    assert.equal(redact(`a ${secrets[0]} b ${secrets[1]} c ${secrets[0]}`, [...secrets, ""]), "a [secret] b [secret] c [secret]");
  });

  it("bad input is a TurnstileRotationError that lists its problems", () => {
    const error = new RolloutInputError("plan p.yaml", ["producer: missing", "consumers: missing"]);
    assert.ok(error instanceof TurnstileRotationError);
    assert.equal(error.name, "RolloutInputError");
    assert.deepEqual(error.problems, ["producer: missing", "consumers: missing"]);
    assert.equal(new RolloutInputError("usage", ["one"]).message, "usage: one");
  });
});
