/**
 * CI smoke test of the benchmark: a tiny run (N=2, one repetition) through the real engine, only
 * to see that every measurement still works. It checks what the run did (rotations, API calls,
 * figures present), never how fast: timings are the benchmark's to print (`npm run bench`).
 */
import assert from "node:assert/strict";
import { runBenchmark } from "../../scripts/lib/bench-runner";
import { goals, renderReport } from "../../scripts/lib/bench-report";
import { parseBenchArgs } from "../../scripts/bench";

describe("benchmark smoke (npm run bench -- --quick)", function () {
  this.timeout(10 * 60 * 1000);

  it("parses its flags", () => {
    const quick = parseBenchArgs(["--quick"]);
    assert.deepEqual(quick.options.sizes, [2]);
    assert.equal(quick.options.repeat, 1);
    const full = parseBenchArgs(["--sizes", "1,10,100,300", "--parallel", "16", "--out", "x.json"]);
    assert.deepEqual(full.options.sizes, [1, 10, 100, 300]);
    assert.equal(full.options.detailSize, 100);
    assert.equal(full.options.limitedSize, 300);
    assert.deepEqual(full.options.serverLimit, { requests: 20, windowSeconds: 1 });
    assert.equal(full.options.parallel, 16);
    assert.match(full.out, /x\.json$/);
    assert.throws(() => parseBenchArgs(["--sizes", "1,zero"]), /--sizes/);
    assert.throws(() => parseBenchArgs(["--bogus"]));
  });

  it("measures every figure through the engine at N=2", async () => {
    const { options } = parseBenchArgs(["--quick"]);
    const results = await runBenchmark(options);

    assert.equal(results.create.length, 1);
    const [create] = results.create;
    assert.equal(create.n, 2);
    assert.ok(create.floorSeconds > 0 && create.mirrorSeconds > 0 && create.rotationSeconds > 0);
    assert.ok(Number.isFinite(create.ratio) && Number.isFinite(create.mirrorRatio));
    assert.equal(create.apiCalls["POST rotate_secret"], 2, "each rotation is one API call");

    assert.equal(results.noChangePreview?.apiCalls, 0, "a no-change preview calls no API");
    assert.equal(results.noChangeUp?.apiCalls, 0, "a no-change up calls no API");
    assert.equal(results.rotateAll?.apiCallsByKind["POST rotate_secret"], 2, "the trigger change rotates every widget once");

    assert.ok(results.state && results.state.bytesPerResource > 0 && results.state.providerBytes > 0);
    assert.ok(results.floor.packageProviderBytes > 0, "the warm-up measured the package's serialized provider");
    assert.equal(results.limited.length, 2);
    for (const run of results.limited) assert.equal(run.failures, 0, `${run.variant}: no failures`);

    const report = renderReport(results);
    for (const heading of ["Create N resources", "no-change preview", "State per resource", "low emulator rate limit", "Goals"]) {
      assert.ok(report.includes(heading), `the report shows ${heading}`);
    }
    assert.ok(goals(results).length >= 6);
  });
});
