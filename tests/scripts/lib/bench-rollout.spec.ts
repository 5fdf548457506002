/**
 * The rollout benchmark's arithmetic and flags (`npm run bench:rollout`); the benchmark itself is
 * a script, run by hand, never a timed test.
 */
import assert from "node:assert/strict";
import { renderRolloutBench } from "../../../scripts/lib/bench-rollout";
import { parseRolloutBenchArgs } from "../../../scripts/bench-rollout";

describe("bench: the rollout benchmark's report and flags", () => {
  it("reports the medians of each side and their ratio", () => {
    const table = renderRolloutBench({
      options: { consumers: 20, parallel: 4, repeat: 3 },
      toolSeconds: [70, 50, 55], handSeconds: [60, 40, 50], statusSeconds: [8, 7, 9],
      load: { start: [1, 2, 3], end: [4, 5, 6] },
    });
    assert.match(table, /^\| `turnstile-rotation rollout --parallel 4` \| 55\.00 \| 70\.00, 50\.00, 55\.00 \|$/m);
    assert.match(table, /^\| the same `pulumi up --skip-preview`s by hand .* \| 50\.00 \| 60\.00, 40\.00, 50\.00 \|$/m);
    assert.match(table, /^\| ratio \(the tool's overhead\) \| 1\.10 \| \|$/m);
    assert.match(table, /^\| `turnstile-rotation status` \(21 stacks\) \| 8\.00 \|/m);
    assert.match(table, /Load average \(1\/5\/15 min\): 1\.00 2\.00 3\.00 at the start, 4\.00 5\.00 6\.00 at the end\./);
  });

  it("parses its flags, with the issue's defaults", () => {
    assert.deepEqual(parseRolloutBenchArgs([]).options, { consumers: 20, parallel: 4, repeat: 2 });
    const parsed = parseRolloutBenchArgs(["--consumers", "5", "--parallel", "2", "--repeat", "1", "--out", "x.json"]);
    assert.deepEqual(parsed.options, { consumers: 5, parallel: 2, repeat: 1 });
    assert.match(parsed.out, /x\.json$/);
    assert.throws(() => parseRolloutBenchArgs(["--parallel", "0"]), /--parallel needs an integer >= 1/);
    assert.throws(() => parseRolloutBenchArgs(["--bogus"]));
  });
});
