import assert from "node:assert/strict";
import { toCloudflareError } from "../../../provider/cloudflare";
import { retryWarning } from "../../../provider/core/hook-context";

describe("retry warnings", () => {
  const request = { method: "GET", path: "/accounts/a/challenges/widgets/k", operation: "read widget k", idempotent: true };

  it("name the status or the missing answer, the operation and the wait", () => {
    const reset = toCloudflareError({ error: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }) }, request);
    assert.equal(retryWarning({ retry: 1, delayMs: 1500, error: reset }), 'no answer from Cloudflare (ECONNRESET) on "read widget k", retrying in 1.5 s');
    const limited = toCloudflareError({ response: { status: 429, body: {}, headers: { "retry-after": "30" } } }, request);
    assert.equal(retryWarning({ retry: 2, delayMs: 30_000, error: limited }), '429 from Cloudflare on "read widget k", retrying in 30 s');
  });
});
