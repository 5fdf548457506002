/**
 * Progress while a rollout runs, on a clock the test moves: plain lines for logs; on a terminal a
 * table redrawn every second with each stack's state, the time its update has taken, and the time
 * left in the grace window. No real time passes.
 */
import assert from "node:assert/strict";
import { plainProgress, progressFor, terminalProgress, type Clock, type ProgressStream } from "../../rollout";
import { duration, graceLeft } from "../../rollout/clock";

/** A clock that moves only when told; sleepers wake as it passes their time. */
class TestClock implements Clock {
  private sleepers: Array<{ at: number; wake: () => void }> = [];
  constructor(private time: number) {}
  now = () => this.time;
  sleep = (ms: number) => new Promise<void>((wake) => this.sleepers.push({ at: this.time + ms, wake }));
  /** Moves the clock and lets every woken sleeper run. */
  async advance(ms: number): Promise<void> {
    this.time += ms;
    const due = this.sleepers.filter((s) => s.at <= this.time);
    this.sleepers = this.sleepers.filter((s) => s.at > this.time);
    for (const sleeper of due) sleeper.wake();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A stream that keeps what was written. */
function captured(isTTY: boolean): ProgressStream & { text: () => string } {
  const chunks: string[] = [];
  return { isTTY, write: (chunk: string) => chunks.push(chunk), text: () => chunks.join("") };
}

const START = Date.parse("2026-12-01T06:00:00.000Z");

describe("rollout: progress", () => {
  it("durations and the grace window read as people say them", () => {
    assert.equal(duration(0), "0s");
    assert.equal(duration(42_900), "42s");
    assert.equal(duration(185_000), "3m 05s");
    assert.equal(duration((60 + 52) * 60_000), "1h 52m");
    assert.equal(graceLeft("2026-12-01T08:00:00.000Z", START + 8 * 60_000), "1h 52m left");
    assert.equal(graceLeft("2026-12-01T08:00:00.000Z", START + 125 * 60_000), "ended 5m 00s ago");
    assert.equal(graceLeft(null, START), undefined);
    assert.equal(graceLeft("not a date", START), undefined);
  });

  it("plain lines: one per change, an update's time when it ends, the grace window when known", async () => {
    const clock = new TestClock(START);
    const stream = captured(false);
    const display = plainProgress(stream, clock);
    display.onProgress({ kind: "stack", stack: "organization/checkout/prod", state: "behind (holds previous)" });
    display.onProgress({ kind: "grace", expiresAt: "2026-12-01T08:00:00.000Z" });
    display.onProgress({ kind: "stack", stack: "organization/checkout/prod", state: "pulumi up", running: true });
    await clock.advance(12_000);
    display.onProgress({ kind: "stack", stack: "organization/checkout/prod", state: "updated" });
    display.onProgress({ kind: "stack", stack: "organization/checkout/prod", state: "holds current" });
    await display.stop();
    assert.equal(stream.text(), [
      "organization/checkout/prod: behind (holds previous)",
      "grace window: 2h 00m left (the previous secret is accepted until 2026-12-01T08:00:00.000Z)",
      "organization/checkout/prod: pulumi up",
      "organization/checkout/prod: updated (12s)",
      "organization/checkout/prod: holds current",
      "",
    ].join("\n"));
  });

  it("on a terminal: a line per stack with its elapsed time and the grace window, redrawn each second", async () => {
    const clock = new TestClock(START);
    const stream = captured(true);
    const display = progressFor(stream, clock);
    display.onProgress({ kind: "grace", expiresAt: "2026-12-01T08:00:00.000Z" });
    display.onProgress({ kind: "stack", stack: "organization/producer/prod", state: "rotated" });
    display.onProgress({ kind: "stack", stack: "organization/login/prod", state: "pulumi up", running: true });
    await clock.advance(1000);
    await clock.advance(1000);
    const frames = stream.text().split(/\x1b\[\d+F\x1b\[J/);
    // Drawn at start (nothing yet), then once per second, each frame over the one before.
    assert.equal(frames.length, 2);
    assert.equal(frames[1], [
      "organization/producer/prod  rotated",
      "organization/login/prod     pulumi up              2s",
      "grace window: 1h 59m left (the previous secret is accepted until 2026-12-01T08:00:00.000Z)",
      "",
    ].join("\n"));
    display.onProgress({ kind: "stack", stack: "organization/login/prod", state: "updated" });
    await clock.advance(5000);
    await display.stop();
    const last = stream.text().split(/\x1b\[\d+F\x1b\[J/).pop();
    assert.match(last ?? "", /^organization\/login\/prod {5}updated {16}2s$/m, "the time stops when the update ends");
    assert.match(last ?? "", /^grace window: 1h 59m left/m);
  });

  it("a terminal display stops redrawing once stopped", async () => {
    const clock = new TestClock(START);
    const stream = captured(true);
    const display = terminalProgress(stream, clock, 1000);
    await display.stop();
    const written = stream.text();
    await clock.advance(10_000);
    assert.equal(stream.text(), written);
  });
});
