/**
 * CI smoke test of the benchmark: a tiny run (N=2 and 3, one repetition, 20 ms of injected
 * latency) through the real engine, only to see that every measurement still works and that the
 * package does what the figures rest on: the API calls per operation the protocol states, none on
 * a no-change run, one rotation per widget, each token within its own budget, a bound computed for
 * every rotation and a plot drawn. It never checks how fast: timings are `npm run bench`'s to print.
 */
import assert from "node:assert/strict";
import { runBenchmark } from "../../scripts/lib/bench-runner";
import { goals, renderReport } from "../../scripts/lib/bench-report";
import { callsAsStated } from "../../scripts/lib/bench-goals";
import { fleetSeries, renderPlot } from "../../scripts/lib/bench-plot";
import { CALLS_PER_ROTATION, fleetBound, rateLimitSeconds } from "../../scripts/lib/bench-bound";
import { peakInWindow } from "../../scripts/lib/bench-stats";
import { parseBenchArgs } from "../../scripts/bench";

describe("benchmark smoke (npm run bench -- --quick)", function () {
  this.timeout(15 * 60 * 1000);

  it("parses its flags", () => {
    const quick = parseBenchArgs(["--quick"]);
    assert.deepEqual(quick.options.sizes, [2]);
    assert.deepEqual(quick.options.fleetSizes, [2, 3]);
    assert.equal(quick.options.repeat, 1);
    const full = parseBenchArgs(["--sizes", "1,10,100,300", "--fleet", "300,1000", "--latencies", "0,300", "--parallel", "16", "--out", "x.json"]);
    assert.deepEqual(full.options.sizes, [1, 10, 100, 300]);
    assert.deepEqual(full.options.fleetSizes, [300, 1000]);
    assert.deepEqual(full.options.latenciesMs, [0, 300]);
    assert.equal(full.options.tokensSize, 300);
    assert.equal(full.options.limitedSize, 300);
    assert.deepEqual(full.options.serverLimit, { requests: 20, windowSeconds: 1 });
    assert.equal(full.options.parallel, 16);
    assert.equal(full.options.wideParallel, 32);
    assert.equal(parseBenchArgs(["--wide-parallel", "64"]).options.wideParallel, 64);
    assert.match(full.out, /x\.json$/);
    assert.throws(() => parseBenchArgs(["--sizes", "1,zero"]), /--sizes/);
    assert.throws(() => parseBenchArgs(["--latencies", "-1"]), /--latencies/);
    assert.throws(() => parseBenchArgs(["--bogus"]));
  });

  it("computes the bound from its three terms", () => {
    assert.equal(rateLimitSeconds(1200), 0, "Cloudflare's 1200 fit one window");
    assert.equal(rateLimitSeconds(2000), 300, "the 1201st request waits a window");
    assert.equal(rateLimitSeconds(2401), 600);
    const latency = fleetBound({ n: 300, engineSeconds: 5, latencyMs: 300, parallel: 8, callsPerRotation: 2 });
    assert.equal(latency.boundBy, "latency");
    assert.equal(latency.seconds, 38 * 2 * 0.3, "ceil(300 / 8) rounds of two calls");
    const limited = fleetBound({ n: 1000, engineSeconds: 40, latencyMs: 100, parallel: 8, callsPerRotation: 2 });
    assert.deepEqual([limited.boundBy, limited.seconds], ["rate limit", 300]);
    const twoTokens = fleetBound({ n: 1200, engineSeconds: 40, latencyMs: 0, parallel: 8, callsPerRotation: 2, tokens: 2 });
    assert.deepEqual([twoTokens.boundBy, twoTokens.seconds], ["engine", 40], "each token's 1200 calls fit its own window");
    const listed = fleetBound({ n: 300, engineSeconds: 1, latencyMs: 300, parallel: 32, callsPerRotation: 1, sharedCalls: 1 });
    assert.equal(listed.latencySeconds, (10 + 1) * 0.3, "one page of the list, then ceil(300 / 32) rounds of one call");
    const fleet1000 = fleetBound({ n: 1000, engineSeconds: 40, latencyMs: 0, parallel: 8, callsPerRotation: 1, sharedCalls: 1 });
    assert.deepEqual([fleet1000.boundBy, fleet1000.rateLimitSeconds], ["engine", 0], "1001 requests fit one window");
    assert.equal(peakInWindow([0, 100, 250, 400, 401], 300), 3);
  });

  it("measures every figure through the engine at N=2 and 3", async () => {
    const { options } = parseBenchArgs(["--quick"]);
    const results = await runBenchmark({ ...options, plot: undefined });

    assert.equal(results.create.length, 1);
    const [create] = results.create;
    assert.equal(create.n, 2);
    assert.ok(create.floorSeconds > 0 && create.mirrorSeconds > 0 && create.rotationSeconds > 0);
    assert.ok(Number.isFinite(create.ratio) && Number.isFinite(create.mirrorRatio));
    assert.deepEqual(create.apiCalls, { "GET widget": 2, "POST rotate_secret": 2 }, "a rotation is a read, then the rotate call");

    assert.ok(results.calls.length >= 7);
    for (const c of results.calls) assert.ok(callsAsStated(c), `${c.operation}: ${JSON.stringify(c.byKind)}`);
    const rotate = results.calls.find((c) => c.operation === "rotate, grace period open by the provider's clock");
    assert.deepEqual(rotate?.byKind, { "GET widget": 2, "GET widgets": 1, "POST rotate_secret": 2 }, "the diff's read of Cloudflare's clock, one page of the list for both, each rotate call");
    for (const c of results.calls) assert.equal(c.exitCode, 0, `${c.operation} succeeds`);
    // The preview's read (may Cloudflare refuse an immediate create?), then GET, POST, GET.
    assert.equal(results.calls.find((c) => c.operation === "create (invalidateImmediately)")?.byKind["GET widget"], 6, "preview GET, then GET, POST, GET");

    assert.deepEqual(results.fleet.map((f) => f.n), [2, 3]);
    for (const fleet of results.fleet) {
      const by = (operation: string) => fleet.runs.filter((r) => r.operation === operation);
      assert.equal(by("no-change preview")[0]?.apiCalls, 0, "a no-change preview calls no API");
      assert.equal(by("no-change up")[0]?.apiCalls, 0, "a no-change up calls no API");
      assert.deepEqual(by("refresh")[0]?.apiCallsByKind, { "GET widget": fleet.n }, "a refresh reads each widget once");
      const rotations = by("rotate all");
      assert.deepEqual(rotations.map((r) => r.latencyMs), [0, 20]);
      for (const run of rotations) {
        assert.equal(run.apiCallsByKind["POST rotate_secret"], fleet.n, "the trigger change rotates every widget once");
        assert.deepEqual(Object.keys(run.apiCallsByKind).sort(), ["GET widgets", "POST rotate_secret"], "no widget read: the list vouches for every one");
        assert.ok(run.apiCallsByKind["GET widgets"] >= 1);
        assert.ok(run.bound && run.bound.seconds > 0 && Number.isFinite(run.ratioToBound ?? NaN));
      }
      assert.ok(rotations[1].rotation.seconds >= (CALLS_PER_ROTATION.default * 20) / 1000, "the latency was injected");
      assert.ok(fleet.state.bytesPerResource > 0 && fleet.state.floorBytesPerResource > 0);
    }

    assert.ok(results.tokens);
    assert.equal(results.tokens.failures, 0);
    assert.equal(results.tokens.rotations, 4);
    assert.deepEqual(results.tokens.peakWindowRequestsPerToken, [4, 4], "each token made its own widgets' calls");
    assert.equal(results.limited.length, 2);
    for (const run of results.limited) assert.equal(run.failures, 0, `${run.variant}: no failures`);

    const report = renderReport(results);
    for (const heading of ["Create N resources", "API calls per operation", "Fleet", "State per resource", "Rate budgets per token", "low emulator rate limit", "Goals"]) {
      assert.ok(report.includes(heading), `the report shows ${heading}`);
    }
    assert.ok(goals(results).length >= 10);
    const svg = renderPlot("smoke", fleetSeries(results.fleet));
    assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.equal((svg.match(/<polyline /g) ?? []).length, 1 + 2 * 2, "floor, and rotation and bound per latency");
  });
});
