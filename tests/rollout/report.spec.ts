/**
 * The report as people read it (text) and as CI reads it (one JSON document): verdicts, versions
 * and times, what each update did and why one failed.
 */
import assert from "node:assert/strict";
import { renderJson, renderText, type RolloutReport, type StatusReport } from "../../rollout";

const NOW = Date.parse("2026-12-01T06:08:00.000Z");
const producer = {
  stack: "organization/producer/prod", output: "turnstileSecret", deployed: true, rotatedAt: "2026-12-01T06:00:00.000Z",
  previousSecretExpiresAt: "2026-12-01T08:00:00.000Z", accepted: true, note: null,
};
const consumer = (stack: string, holds: StatusReport["consumers"][number]["holds"], more: Partial<StatusReport["consumers"][number]> = {}) => ({
  stack, deployed: true, holds, accepted: holds === "current" || holds === "previous" ? true : holds === "rejected" ? false : null,
  validUntil: holds === "previous" ? producer.previousSecretExpiresAt : null, note: null, ...more,
});

describe("rollout: the report", () => {
  it("a status with everyone current says OK", () => {
    const report: StatusReport = { ok: true, producer, consumers: [consumer("organization/checkout/prod", "current")] };
    assert.equal(renderText(report, NOW), [
      "producer organization/producer/prod (output turnstileSecret)",
      "  current secret made 2026-12-01T06:00:00.000Z; Cloudflare accepts it: yes",
      "  previous secret accepted until 2026-12-01T08:00:00.000Z (1h 52m left)",
      "consumers",
      "  organization/checkout/prod  current",
      "OK: every consumer holds the current secret and Cloudflare accepts it.",
      "",
    ].join("\n"));
  });

  it("a status with stacks behind says which, until when, and why", () => {
    const report: StatusReport = {
      ok: false, producer, consumers: [
        consumer("organization/a/prod", "previous"),
        consumer("organization/bb/prod", "rejected", { note: "Cloudflare no longer accepts the secret it holds" }),
        consumer("organization/c/prod", "none", { deployed: false, note: "the stack does not exist yet" }),
      ],
    };
    const text = renderText(report, NOW);
    assert.match(text, /^ {2}organization\/a\/prod {3}previous, accepted until 2026-12-01T08:00:00\.000Z \(1h 52m left\)$/m);
    assert.match(text, /^ {2}organization\/bb\/prod {2}rejected: Cloudflare no longer accepts the secret it holds$/m);
    assert.match(text, /^ {2}organization\/c\/prod {3}none: the stack does not exist yet$/m);
    assert.match(text, /^NOT OK: 3 of 3 consumers do not hold the current secret\.$/m);
  });

  it("a rollout shows what each update did and the error of the one that failed", () => {
    const before: StatusReport = { ok: false, producer, consumers: [] };
    const report: RolloutReport = {
      ok: false, before,
      producer: { ...producer, result: "rotated", error: null },
      consumers: [
        { ...consumer("organization/a/prod", "current"), result: "updated", error: null },
        { ...consumer("organization/b/prod", "previous"), result: "failed", error: "error: Program failed with an unhandled exception: RuntimeError: broken" },
      ],
    };
    const text = renderText(report, NOW);
    assert.match(text, /^producer organization\/producer\/prod \(output turnstileSecret\): rotated$/m);
    assert.match(text, /^ {2}organization\/a\/prod {2}current {2}\[updated\]$/m);
    assert.match(text, /^ {2}organization\/b\/prod {2}previous, accepted until .* \[failed\]\n {23}error: Program failed .*RuntimeError: broken$/m);
    assert.match(text, /^NOT OK: 1 of 2 consumers do not hold the current secret; 1 pulumi up failed\.$/m);
  });

  it("a failed producer update is shown with its error", () => {
    const report: RolloutReport = {
      ok: false, before: { ok: false, producer, consumers: [] },
      producer: { ...producer, result: "failed", error: "error: accountId must be 32 hexadecimal characters" },
      consumers: [{ ...consumer("organization/a/prod", "current"), result: "not-run", error: null }],
    };
    const text = renderText(report, NOW);
    assert.match(text, /: failed\n {2}error: accountId must be 32 hexadecimal characters\n/);
    assert.match(text, /\[not-run\]/);
    assert.match(text, /^NOT OK: 1 pulumi up failed\.$/m);
  });

  it("an unclear verdict on the producer's secret is not OK", () => {
    const report: StatusReport = { ok: false, producer: { ...producer, accepted: null, note: "siteverify answered HTTP 503" }, consumers: [consumer("organization/a/prod", "current", { accepted: null })] };
    const text = renderText(report, NOW);
    assert.match(text, /Cloudflare accepts it: unknown\n.*\n {2}siteverify answered HTTP 503\n/);
    assert.match(text, /current \(Cloudflare accepts it: unknown\)/);
    assert.match(text, /^NOT OK: Cloudflare's verdict on the current secret: unknown\.$/m);
  });

  it("JSON is the report itself, one document", () => {
    const report: StatusReport = { ok: true, producer, consumers: [consumer("organization/a/prod", "current")] };
    assert.deepEqual(JSON.parse(renderJson(report)), report);
    assert.deepEqual(JSON.parse(renderJson({ ok: false, error: "plan x: producer: missing" })), { ok: false, error: "plan x: producer: missing" });
  });
});
