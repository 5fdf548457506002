import assert from "node:assert/strict";
import { maskSecret } from "../../../scripts/lib/mask";

describe("maskSecret", () => {
  it("shows at most 6 leading characters and the length", () => {
    assert.equal(maskSecret("0x4AAAAAAAB5cdefghijklmnopqrstuvwxy"), "0x4AAA…(35 chars)");
    assert.equal(maskSecret("x".repeat(1000)), "xxxxxx…(1000 chars)");
  });

  it("never shows more than a fifth of the value", () => {
    assert.equal(maskSecret("abcdefghij"), "ab…(10 chars)");
    assert.equal(maskSecret("abcd"), "…(4 chars)");
    for (let length = 0; length <= 40; length += 1) {
      const value = "s".repeat(length);
      const shown = maskSecret(value).split("…")[0];
      assert.ok(shown.length <= Math.min(6, length / 5), `length ${length}: ${shown.length}`);
    }
  });

  it("is safe for empty and one-character values and does not split surrogate pairs", () => {
    assert.equal(maskSecret(""), "…(0 chars)");
    assert.equal(maskSecret("z"), "…(1 char)");
    assert.equal(maskSecret("😀😀😀😀😀😀😀😀😀😀"), "😀😀…(10 chars)");
  });
});
