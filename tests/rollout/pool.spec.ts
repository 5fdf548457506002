/**
 * The pool the rollout updates consumers with: never more than N at a time, results in the items'
 * order whatever order they finish in, and a task that throws stops the run (the rollout's tasks
 * catch their own failures, so one consumer never stops the others).
 */
import assert from "node:assert/strict";
import { runPool } from "../../rollout/pool";

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("rollout: the pool", () => {
  it("runs at most N tasks at once and keeps the items' order", async () => {
    let running = 0;
    let peak = 0;
    const results = await runPool([30, 5, 20, 1, 10, 2, 8], 3, async (ms, index) => {
      running += 1;
      peak = Math.max(peak, running);
      await tick(ms);
      running -= 1;
      return `${index}:${ms}`;
    });
    assert.equal(peak, 3);
    assert.deepEqual(results, ["0:30", "1:5", "2:20", "3:1", "4:10", "5:2", "6:8"]);
  });

  it("starts every task when N is larger than the list, and none for an empty list", async () => {
    let started = 0;
    await runPool([1, 2], 10, async () => (started += 1));
    assert.equal(started, 2);
    assert.deepEqual(await runPool([], 4, async () => assert.fail("ran")), []);
  });

  it("a task that throws rejects the run after the started ones settle, and starts no more", async () => {
    const finished: number[] = [];
    await assert.rejects(runPool([1, 2, 3, 4, 5], 2, async (item) => {
      if (item === 2) throw new Error("task 2 broke");
      await tick(5);
      finished.push(item);
    }), /task 2 broke/);
    assert.deepEqual(finished, [1], "task 1 finished; nothing started after the failure");
  });

  it("refuses a parallelism below 1", async () => {
    await assert.rejects(runPool([1], 0, async () => 1), RangeError);
  });
});
