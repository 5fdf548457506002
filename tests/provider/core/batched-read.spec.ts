/**
 * The batched read (provider/core/widget-snapshots.ts, baseline.ts) against the emulator: a
 * fleet's rotations in one process share a page of the widget list, and every case where the list
 * proves nothing falls back to reading the widget. The model (tests/model) proves the promises
 * over generated sequences; this spec pins the request counts each case costs.
 */
import assert from "node:assert/strict";
import { TurnstileClient } from "../../../provider/cloudflare";
import type { RotationInputs } from "../../../provider/core/inputs";
import { rotate, type KnownSecret, type RotationEnv } from "../../../provider/core/rotation";
import { stateFor, UNKNOWN_GRACE } from "../../../provider/core/state";
import { SNAPSHOT_REUSE_MS, WidgetSnapshots } from "../../../provider/core/widget-snapshots";
import { createTestWidget, startEmulator, type RunningEmulator } from "../../helpers/emulator";
import { editOutside, inject, liveSecret, requestCounts } from "../../helpers/control";

describe("batched read: one page of the widget list for a fleet's rotations", () => {
  let emulator: RunningEmulator;
  let client: TurnstileClient;
  let clock: number;
  let snapshots: WidgetSnapshots;
  let warnings: string[];
  let env: RotationEnv;

  beforeEach(async () => {
    emulator = await startEmulator();
    clock = Date.now();
    warnings = [];
    client = new TurnstileClient({ apiToken: emulator.apiToken, baseUrl: emulator.baseUrl, sleep: async () => {}, timeoutMs: 2000 });
    snapshots = new WidgetSnapshots(() => clock);
    env = { client, now: () => clock, warn: (message) => warnings.push(message), deadlineMs: 60_000, snapshots };
  });
  afterEach(async () => {
    client.close();
    await emulator.stop();
  });

  /** A widget and the state a rotation of this stack recorded for it. */
  async function managed(): Promise<{ inputs: RotationInputs; known: KnownSecret }> {
    const widget = await createTestWidget(emulator);
    const inputs = { accountId: emulator.accountId, sitekey: widget.sitekey, rotationTrigger: "2", invalidateImmediately: false };
    return { inputs, known: stateFor({ ...inputs, rotationTrigger: "1" }, widget, { grace: UNKNOWN_GRACE, previous: undefined }) };
  }

  const calls = async () => {
    const { byRoute } = await requestCounts(emulator);
    return { list: byRoute["widgets.list"] ?? 0, get: byRoute["widgets.get"] ?? 0, rotate: byRoute["widgets.rotate_secret"] ?? 0 };
  };

  it("rotates 5 widgets with one list request and 5 rotate calls, each recording Cloudflare's new secret", async () => {
    const fleet = await Promise.all([1, 2, 3, 4, 5].map(() => managed()));
    const states = await Promise.all(fleet.map(({ inputs, known }) => rotate(env, inputs, known)));
    assert.deepEqual(await calls(), { list: 1, get: 0, rotate: 5 });
    fleet.forEach(({ inputs }, i) => assert.ok(states[i].secret === liveSecret(emulator, inputs.sitekey)));
    assert.deepEqual(warnings, []);
  });

  it("reads the widget itself when its modified_on moved (a settings edit, or another actor's rotation)", async () => {
    const [edited, untouched] = [await managed(), await managed()];
    emulator.advanceClock(5);
    editOutside(emulator, edited.inputs.sitekey);
    await rotate(env, edited.inputs, edited.known);
    await rotate(env, untouched.inputs, untouched.known);
    assert.deepEqual(await calls(), { list: 1, get: 1, rotate: 2 });
  });

  for (const [what, fault] of [
    ["the page fails", { route: "widgets.list", kind: "status", status: 400, code: 10001 }],
    ["the page has no Date header", { route: "widgets.list", kind: "no_date" }],
    ["the page leaves the widget out", { route: "widgets.list", kind: "commit_garble", body: "missing_item" }],
    ["the page is not JSON", { route: "widgets.list", kind: "commit_garble", body: "html" }],
  ] as const) {
    it(`falls back to reading the widget when ${what}`, async () => {
      const { inputs, known } = await managed();
      await inject(emulator, fault);
      const state = await rotate(env, inputs, known);
      assert.ok(state.secret === liveSecret(emulator, inputs.sitekey));
      assert.deepEqual(await calls(), { list: 1, get: 1, rotate: 1 });
    });
  }

  it("takes over, as the read does, a secret the state adopted, without asking the list", async () => {
    const { inputs, known } = await managed();
    await rotate(env, inputs, { ...known, adoptedAt: new Date(clock).toISOString() });
    assert.deepEqual(await calls(), { list: 0, get: 1, rotate: 0 });
    assert.equal(warnings.length, 1);
  });

  it("no page speaks for a widget this process sent a rotate call for; a page is reused only for a short window", async () => {
    const [a, b] = [await managed(), await managed()];
    await rotate(env, a.inputs, a.known);
    assert.equal(await snapshots.unchanged(client, emulator.accountId, a.inputs.sitekey, String(a.known.widget?.modifiedOn)), undefined);
    assert.ok(await snapshots.unchanged(client, emulator.accountId, b.inputs.sitekey, String(b.known.widget?.modifiedOn)));
    assert.equal((await calls()).list, 1);
    clock += SNAPSHOT_REUSE_MS;
    assert.ok(await snapshots.unchanged(client, emulator.accountId, b.inputs.sitekey, String(b.known.widget?.modifiedOn)));
    assert.equal((await calls()).list, 2);
  });

  it("walks the pages until the widget, a short page or the page limit", async () => {
    const fleet = [];
    for (let i = 0; i < 7; i++) fleet.push(await managed());
    const paged = new WidgetSnapshots(() => clock, { pageSize: 5, maxPages: 2 });
    const last = fleet[6];
    assert.ok(await paged.unchanged(client, emulator.accountId, last.inputs.sitekey, String(last.known.widget?.modifiedOn)));
    assert.equal((await calls()).list, 2);
    assert.equal(await paged.unchanged(client, emulator.accountId, "0x4AAAAAAAnotlisted", "x"), undefined);
    assert.equal((await calls()).list, 2, "page 2 was short: nothing more to read");
    const capped = new WidgetSnapshots(() => clock, { pageSize: 5, maxPages: 1 });
    assert.equal(await capped.unchanged(client, emulator.accountId, last.inputs.sitekey, String(last.known.widget?.modifiedOn)), undefined);
    assert.equal((await calls()).list, 3);
  });
});
