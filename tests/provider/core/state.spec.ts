import assert from "node:assert/strict";
import { parseState } from "../../../provider/core/state";
import { UnreadableStateError } from "../../../provider/core/errors";

describe("parseState: a state the engine hands back", () => {
  const valid = { accountId: "023e105f4ecef8ad9ca31a8372d0c353", sitekey: "0x4AAAAAAAkey", secret: "0x4AAA-s", rotationTrigger: "1" };

  it("is carried over whole when the fields the hooks decide on are there", () => {
    assert.deepEqual(parseState({ ...valid, extra: 1 }), { ...valid, extra: 1 });
  });

  for (const [name, value] of [
    ["not an object", "text"],
    ["an array", []],
    ["without secret", { ...valid, secret: undefined }],
    ["with a sitekey that is not a string", { ...valid, sitekey: 3 }],
    ["with a trigger that is an object", { ...valid, rotationTrigger: {} }],
  ] as const) {
    it(`${name}: fails saying to run pulumi refresh, never quoting the state`, () => {
      assert.throws(() => parseState(value), (error: Error) => {
        assert.ok(error instanceof UnreadableStateError);
        assert.match(error.message, /run `pulumi refresh`/);
        assert.ok(!error.message.includes("0x4AAA-s"));
        return true;
      });
    });
  }
});
