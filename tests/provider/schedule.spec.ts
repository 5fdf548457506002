import assert from "node:assert/strict";
import { nextScheduledRotation, scheduledTrigger } from "../../provider/schedule";

const at = (iso: string) => new Date(iso);

describe("schedule", () => {
  it("monthly: one trigger per calendar month (UTC)", () => {
    assert.equal(scheduledTrigger({ months: 1 }, at("2026-11-01T00:00:00Z")), "2026-11");
    assert.equal(scheduledTrigger({ months: 1 }, at("2026-11-30T23:59:59Z")), "2026-11");
    assert.equal(scheduledTrigger({ months: 1 }, at("2026-12-01T00:00:00Z")), "2026-12");
  });

  it("quarterly: aligned to January", () => {
    assert.equal(scheduledTrigger({ months: 3 }, at("2026-11-15T00:00:00Z")), "2026-10");
    assert.equal(scheduledTrigger({ months: 3 }, at("2027-02-15T00:00:00Z")), "2027-01");
  });

  it("every 30 days from an anchor: the period's first day", () => {
    const period = { days: 30, anchor: "2026-01-01" };
    assert.equal(scheduledTrigger(period, at("2026-01-30T12:00:00Z")), "2026-01-01");
    assert.equal(scheduledTrigger(period, at("2026-01-31T00:00:00Z")), "2026-01-31");
    assert.equal(scheduledTrigger(period, at("2025-12-31T00:00:00Z")), "2025-12-02");
  });

  it("is deterministic and stable within a period", () => {
    const triggers = new Set([0, 1, 5, 29].map((d) => scheduledTrigger({ days: 30, anchor: "2026-01-01" }, new Date(Date.UTC(2026, 0, 1 + d, 6)))));
    assert.equal(triggers.size, 1);
  });

  it("tells when the next rotation becomes due", () => {
    assert.equal(nextScheduledRotation({ months: 1 }, at("2026-12-10T00:00:00Z")).toISOString(), "2027-01-01T00:00:00.000Z");
    assert.equal(nextScheduledRotation({ days: 7, anchor: "2026-11-02" }, at("2026-11-26T00:00:00Z")).toISOString(), "2026-11-30T00:00:00.000Z");
  });

  it("rejects nonsense periods with the field name", () => {
    assert.throws(() => scheduledTrigger({ months: 0 }), /months must be a whole number from 1 to 12, got 0/);
    assert.throws(() => scheduledTrigger({ days: 1.5 }), /days must be a whole number/);
    assert.throws(() => scheduledTrigger({ days: 30, anchor: "Jan 1" }), /anchor must be a date/);
  });
});
