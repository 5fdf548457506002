/**
 * The siteverify probe against the emulator's siteverify: accepted for the current secret and
 * the previous one inside the grace period, rejected after it or for a secret Cloudflare never
 * made, and unknown, never accepted, for every answer outside that rule (testing secrets, server
 * errors, no answer). No verdict ever carries the secret.
 */
import assert from "node:assert/strict";
import * as net from "node:net";
import { siteverifyProbe, verdictOf, SITEVERIFY_URL_ENV, type Probe, type Verdict } from "../../rollout";
import { TESTING } from "../../emulator";
import { inject, previousSecret, rotateOutside } from "../helpers/control";
import { createTestWidget, startEmulator, type RunningEmulator } from "../helpers/emulator";

const GRACE_SECONDS = 2 * 3600;

/** The probe's verdict, checked to hold nothing of the secret. */
async function verdictFor(probe: Probe, secret: string): Promise<Verdict> {
  const verdict = await probe(secret);
  assert.ok(!JSON.stringify(verdict).includes(secret), "the verdict carries the secret");
  return verdict;
}

describe("rollout: the siteverify probe", () => {
  let running: RunningEmulator;
  let sitekey: string;
  let probe: Probe;
  beforeEach(async () => {
    running = await startEmulator();
    sitekey = (await createTestWidget(running)).sitekey;
    probe = siteverifyProbe({ url: `${running.origin}/turnstile/v0/siteverify` });
  });
  afterEach(() => running.stop());

  it("the current secret is accepted; after a rotation the previous one too, until the grace period ends", async () => {
    const first = running.emulator.store.findBySitekey(sitekey)?.secret ?? assert.fail("no widget");
    assert.deepEqual(await verdictFor(probe, first), { kind: "accepted" });
    const second = rotateOutside(running, sitekey);
    assert.equal(previousSecret(running, sitekey), first);
    assert.deepEqual(await verdictFor(probe, second), { kind: "accepted" });
    assert.deepEqual(await verdictFor(probe, first), { kind: "accepted" });
    running.advanceClock(GRACE_SECONDS + 1);
    assert.deepEqual(await verdictFor(probe, first), { kind: "rejected" });
    assert.deepEqual(await verdictFor(probe, second), { kind: "accepted" });
  });

  it("a secret Cloudflare never made is rejected", async () => {
    assert.deepEqual(await verdictFor(probe, "0x4AAAAAAAneverIssued000000000000000"), { kind: "rejected" });
  });

  it("answers outside the rule are unknown, never accepted: Cloudflare's testing secrets", async () => {
    assert.deepEqual(await verdictFor(probe, TESTING.passSecret), { kind: "unknown", why: "siteverify answered success for a token that cannot be valid" });
    assert.deepEqual(await verdictFor(probe, TESTING.spentSecret), { kind: "unknown", why: "siteverify answered error codes [timeout-or-duplicate]" });
  });

  it("a server error or no answer in time is unknown", async () => {
    const secret = running.emulator.store.findBySitekey(sitekey)?.secret ?? assert.fail("no widget");
    await inject(running, { route: "siteverify", kind: "status", status: 503 });
    assert.deepEqual(await verdictFor(probe, secret), { kind: "unknown", why: "siteverify answered HTTP 503" });
    await inject(running, { route: "siteverify", kind: "latency", latencyMs: 500 });
    const impatient = siteverifyProbe({ url: `${running.origin}/turnstile/v0/siteverify`, timeoutMs: 100 });
    const verdict = await verdictFor(impatient, secret);
    assert.equal(verdict.kind, "unknown");
    assert.match(verdict.kind === "unknown" ? verdict.why : "", /could not be reached .*\(ECONNABORTED\)/);
  });

  it("an address nothing listens on is unknown, and says where it tried", async () => {
    const port = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, "127.0.0.1", () => {
        const { port: free } = server.address() as net.AddressInfo;
        server.close(() => resolve(free));
      });
    });
    const verdict = await verdictFor(siteverifyProbe({ url: `http://127.0.0.1:${port}/siteverify` }), "0x4AAAAAAAwhatever00000000000000000");
    assert.deepEqual(verdict, { kind: "unknown", why: `siteverify could not be reached at http://127.0.0.1:${port}/siteverify (ECONNREFUSED)` });
  });

  it(`${SITEVERIFY_URL_ENV} points the default probe elsewhere`, async () => {
    const saved = process.env[SITEVERIFY_URL_ENV];
    process.env[SITEVERIFY_URL_ENV] = `${running.origin}/turnstile/v0/siteverify`;
    try {
      const secret = running.emulator.store.findBySitekey(sitekey)?.secret ?? assert.fail("no widget");
      assert.deepEqual(await verdictFor(siteverifyProbe(), secret), { kind: "accepted" });
    } finally {
      if (saved === undefined) delete process.env[SITEVERIFY_URL_ENV];
      else process.env[SITEVERIFY_URL_ENV] = saved;
    }
  });

  it("reads a verdict only from exactly the documented codes", () => {
    assert.deepEqual(verdictOf(200, { success: false, "error-codes": ["invalid-input-response"] }), { kind: "accepted" });
    assert.deepEqual(verdictOf(200, { success: false, "error-codes": ["invalid-input-secret"] }), { kind: "rejected" });
    assert.deepEqual(verdictOf(200, { success: false, "error-codes": ["invalid-input-secret", "invalid-input-response"] }), { kind: "rejected" });
    assert.equal(verdictOf(200, { success: false, "error-codes": ["invalid-input-response", "internal-error"] }).kind, "unknown");
    assert.equal(verdictOf(200, { success: false, "error-codes": [] }).kind, "unknown");
    assert.equal(verdictOf(200, "<html>").kind, "unknown");
    assert.equal(verdictOf(429, { success: false, "error-codes": ["invalid-input-response"] }).kind, "unknown");
  });
});
