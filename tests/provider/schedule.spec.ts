import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { InvalidArgumentError } from "../../provider/core/errors";
import { nextScheduledRotation, nextScheduledRotationAt, scheduledTrigger, type RotationPeriod } from "../../provider/schedule";

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

  it("gives the next rotation as an ISO string, the form a stack output can hold", () => {
    const next = nextScheduledRotationAt({ months: 1 }, at("2026-12-10T00:00:00Z"));
    assert.equal(next, "2027-01-01T00:00:00.000Z");
    assert.equal(typeof next, "string");
    assert.equal(nextScheduledRotationAt({ days: 7, anchor: "2026-11-02" }, at("2026-11-26T00:00:00Z")), "2026-11-30T00:00:00.000Z");
  });

  it("refuses a period with neither or both of months and days, saying which to give", () => {
    // JavaScript callers and config values (requireObject) bypass the types, hence the casts.
    assert.throws(() => scheduledTrigger({} as unknown as RotationPeriod), /give months or days, got neither/);
    // @ts-expect-error both fields: RotationPeriod must not accept it at compile time either
    assert.throws(() => scheduledTrigger({ months: 1, days: 3 }), /give months or days, not both/);
    assert.throws(() => nextScheduledRotation({ days: 3, months: 1 } as unknown as RotationPeriod), /give months or days, not both/);
    assert.throws(() => scheduledTrigger(undefined as unknown as RotationPeriod), /give months or days/);
    // @ts-expect-error anchor belongs to periods in days
    assert.throws(() => scheduledTrigger({ months: 1, anchor: "2026-01-01" }), /anchor applies to a period in days only/);
  });

  it("docs/usage.md's examples show the values the code computes", () => {
    // Lines like `scheduledTrigger({ months: 1 }), // "2026-11" from 2026-11-01 through 2026-11-30`.
    const readme = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "usage.md"), "utf8");
    const claims = [...readme.matchAll(/scheduledTrigger\((\{[^)]*\})\),?\s*\/\/ "([^"]+)" from (\S+) through (\S+)$/gm)];
    assert.ok(claims.length >= 2, "docs/usage.md should show the trigger of each scheduledTrigger example with its dates");
    for (const [line, literal, trigger, from, through] of claims) {
      const period = JSON.parse(literal.replace(/(\w+):/g, '"$1":')) as RotationPeriod;
      const first = at(`${from}T00:00:00Z`);
      const last = at(`${through}T23:59:59Z`);
      assert.equal(scheduledTrigger(period, first), trigger, line);
      assert.equal(scheduledTrigger(period, last), trigger, line);
      assert.notEqual(scheduledTrigger(period, new Date(first.getTime() - 1)), trigger, `${line}: the period starts later`);
      assert.equal(nextScheduledRotation(period, first).getTime(), last.getTime() + 1000, `${line}: the period ends elsewhere`);
    }
  });

  it("rejects nonsense periods with the field name", () => {
    assert.throws(() => scheduledTrigger({ months: 0 }), /months must be a whole number from 1 to 12, got 0/);
    assert.throws(() => scheduledTrigger({ days: 1.5 }), /days must be a whole number/);
    assert.throws(() => scheduledTrigger({ days: 30, anchor: "Jan 1" }), /anchor must be a date/);
  });

  it("fails as a program error: the SDK reports the message alone, without a stack trace", () => {
    assert.throws(() => scheduledTrigger({ months: 13 }), (error: unknown) => {
      assert.ok(error instanceof InvalidArgumentError);
      assert.ok(pulumi.RunError.isInstance(error));
      assert.doesNotMatch(error.stack ?? "", /\n\s+at /);
      return true;
    });
  });
});
