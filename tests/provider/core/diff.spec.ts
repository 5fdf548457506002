import assert from "node:assert/strict";
import { diffRotation, graceBlocksRotation } from "../../../provider/core/diff";
import { UNKNOWN } from "../../../provider/core/inputs";
import type { RotationState } from "../../../provider/core/state";

const OLDS = {
  accountId: "023e105f4ecef8ad9ca31a8372d0c353",
  sitekey: "0x4AAAAAAABn0R22HWm-YUc",
  rotationTrigger: "2026-11",
  invalidateImmediately: false,
  secret: "0x4AAAAAAABn0R22HWm098HVBjhdsYUc",
} as unknown as RotationState;
const NEWS = { accountId: OLDS.accountId, sitekey: OLDS.sitekey, rotationTrigger: "2026-11", invalidateImmediately: false };

describe("diff rules", () => {
  it("reports no change when the inputs are the same", () => {
    assert.deepEqual(diffRotation(OLDS, NEWS), { changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("ignores a new serialized provider (a package upgrade)", () => {
    assert.equal(diffRotation(OLDS, { ...NEWS, __provider: "exports.handler = something new" }).changes, false);
  });

  it("updates in place when the trigger changes", () => {
    assert.deepEqual(diffRotation(OLDS, { ...NEWS, rotationTrigger: "2026-12" }), { changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("treats 1 and \"1\" as the same trigger", () => {
    assert.equal(diffRotation({ ...OLDS, rotationTrigger: 1 }, { ...NEWS, rotationTrigger: "1" }).changes, false);
  });

  it("replaces when the sitekey or the account changes", () => {
    assert.deepEqual(diffRotation(OLDS, { ...NEWS, sitekey: "0x4AAAAAAAother" }).replaces, ["sitekey"]);
    assert.deepEqual(diffRotation(OLDS, { ...NEWS, accountId: "f".repeat(32) }).replaces, ["accountId"]);
  });

  it("records invalidateImmediately alone as an update", () => {
    assert.deepEqual(diffRotation(OLDS, { ...NEWS, invalidateImmediately: true }), { changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("shows an unknown trigger as a change and an unknown sitekey as a replacement", () => {
    assert.equal(diffRotation(OLDS, { ...NEWS, rotationTrigger: UNKNOWN }).changes, true);
    assert.deepEqual(diffRotation(OLDS, { ...NEWS, sitekey: UNKNOWN }).replaces, ["sitekey"]);
  });
});

describe("grace guard", () => {
  const rotated = { ...OLDS, rotatedAt: "2026-11-26T10:00:00.000Z", previousSecretExpiresAt: "2026-11-26T12:00:00.000Z" } as RotationState;

  it("blocks a rotation before the previous secret expires, naming the time and the way out", () => {
    const message = graceBlocksRotation(rotated, Date.parse("2026-11-26T11:59:59Z")) ?? "";
    assert.match(message, /until 2026-11-26T12:00:00.000Z/);
    assert.match(message, /Nothing was changed/);
    assert.match(message, /invalidateImmediately: true/);
  });

  it("allows it from the expiry on, and after an immediate invalidation", () => {
    assert.equal(graceBlocksRotation(rotated, Date.parse("2026-11-26T12:00:00Z")), undefined);
    assert.equal(graceBlocksRotation({ ...rotated, previousSecretExpiresAt: null }, Date.parse("2026-11-26T10:00:01Z")), undefined);
  });
});
