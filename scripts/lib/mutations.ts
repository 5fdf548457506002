/**
 * Defects deliberately re-introduced into the code, one at a time, to show that the model-based
 * test finds each (`npm run mutants`; the table in docs/reliability.md). The first ones are the
 * defects the reliability issue found; the others are mistakes a change could plausibly make.
 * Each edit must match its file exactly once, so a mutation that no longer applies fails loudly
 * (tests/scripts/lib/mutations.spec.ts checks that on every run of the unit suite).
 */

import * as fs from "node:fs";
import * as path from "node:path";

/** One textual edit. */
export interface Edit {
  readonly file: string;
  readonly from: string;
  readonly to: string;
}

/** One re-introduced defect. */
export interface Mutation {
  readonly name: string;
  /** What it breaks, as a user would meet it. */
  readonly defect: string;
  readonly edits: readonly Edit[];
}

export const MUTATIONS: readonly Mutation[] = [
  {
    name: "plugin-partial-state-raw",
    defect: "the plugin door hands the core's partial state to the SDK as it is (`__provider: undefined`): the call is never answered",
    edits: [
      { file: "provider/core/hooks.ts", from: `const provider = typeof news.__provider === "string" ? { __provider: news.__provider } : {};`, to: `const provider = { __provider: news.__provider };` },
      { file: "provider/plugin/provider.ts", from: `Object.assign(error as object, { properties: wrap(props) });`, to: `Object.assign(error as object, { properties: partial });` },
    ],
  },
  {
    name: "plugin-partial-state-unwrapped",
    defect: "the plugin door returns a partial state without wrapping its secrets: the secret and token are stored in plain text",
    edits: [{ file: "provider/plugin/provider.ts", from: `Object.assign(error as object, { properties: wrap(props) });`, to: `Object.assign(error as object, { properties: props });` }],
  },
  {
    name: "immediate-retry-after-ambiguity",
    defect: "with invalidateImmediately, a rotate call is repeated after an answer that does not prove the first did nothing: a late commit makes two rotations",
    edits: [{ file: "provider/core/rotation.ts", from: `outOfTries || (invalidateImmediately && mayCommit)`, to: `outOfTries` }],
  },
  {
    name: "any-404-is-gone",
    defect: "any 404 in Cloudflare's envelope (7003, 10000, no code) counts as \"widget not found\": refresh forgets the resource",
    edits: [{ file: "provider/cloudflare/error-factory.ts", from: `errors.some((e) => e.code === WIDGET_NOT_FOUND_CODE)`, to: `errors.length > 0 && !errors.some((e) => e.code === 7000)` }],
  },
  {
    name: "create-concurrent-adopted",
    defect: "a create that meets another actor's rotation records the program's trigger marked adopted: the next trigger change rotates nothing",
    edits: [{ file: "provider/core/rotation.ts", from: `if (known === undefined) return stateFor(inputs, current, { grace: UNKNOWN_GRACE });`, to: `if (known === undefined) return stateFor(inputs, current, { grace: UNKNOWN_GRACE, adoptedAt: "2026-01-01T00:00:00.000Z" });` }],
  },
  {
    name: "immediate-no-diff-read",
    defect: "an invalidateImmediately resource with an unchanged trigger makes no call: after a killed run and a reverted trigger, up succeeds holding a dead secret",
    edits: [{ file: "provider/core/hooks.ts", from: `if (!diff.changes && rotatesImmediately(state, news) && await secretReplaced(state, client(), context.snapshots)) return`, to: `if (!diff.changes && false && await secretReplaced(state, client(), context.snapshots)) return` }],
  },
  {
    name: "grace-from-modified-on",
    defect: "the grace end is taken from the widget's modified_on on the read-back and takeover paths: a settings edit makes preview refuse a rotation Cloudflare accepts",
    edits: [
      { file: "provider/core/rotation.ts", from: `invalidateImmediately || fence === undefined ? UNKNOWN_GRACE : { kind: "between", fromMs: fence + CLOCK_SLACK_MS }`, to: `invalidateImmediately ? UNKNOWN_GRACE : graceFrom(after)` },
      { file: "provider/core/rotation.ts", from: `    env.warn(claimWarning(sitekey, start, known));\n    return record(start, UNKNOWN_GRACE);`, to: `    env.warn(claimWarning(sitekey, start, known));\n    return record(start, graceFrom(start));` },
    ],
  },
  {
    name: "attempts-overcounted",
    defect: "a failed rotation says \"(3 attempts)\" whatever it made",
    edits: [{ file: "provider/core/rotation.ts", from: `throw new RotationFailedError(sitekey, error, attempt, {`, to: `throw new RotationFailedError(sitekey, error, MAX_ROTATE_ATTEMPTS, {` }],
  },
  {
    name: "takeover-grace-none",
    defect: "a rotation taken over is recorded with no grace period: preview misses the refusal that follows",
    edits: [{ file: "provider/core/rotation.ts", from: `    env.warn(claimWarning(sitekey, start, known));\n    return record(start, UNKNOWN_GRACE);`, to: `    env.warn(claimWarning(sitekey, start, known));\n    return record(start, NO_GRACE);` }],
  },
  {
    name: "no-read-first",
    defect: "a secret in Cloudflare that the state did not record (an interrupted run's) is not taken: the next up rotates a second time",
    edits: [{ file: "provider/core/rotation.ts", from: `if (known && (start.secret !== known.secret || known.adoptedAt !== undefined)) {`, to: `if (known && known.adoptedAt !== undefined) {` }],
  },
  {
    name: "client-retries-rotate-on-5xx",
    defect: "the client repeats rotate_secret after a 5xx by itself, without reading the widget",
    edits: [{ file: "provider/cloudflare/retry.ts", from: `return idempotent || error.status === 429;`, to: `return true;` }],
  },
  {
    name: "should-retry-honoured-for-rotate",
    defect: "x-should-retry: true from Cloudflare repeats rotate_secret after a 5xx that committed",
    edits: [{ file: "provider/cloudflare/retry.ts", from: `if (error.shouldRetry === true && idempotent) return true;`, to: `if (error.shouldRetry === true) return true;` }],
  },
  {
    name: "plugin-secret-not-wrapped",
    defect: "the plugin door returns the secret output unwrapped: the engine stores it in plain text",
    edits: [{ file: "provider/plugin/provider.ts", from: `conceal({ ...outs }, [...schema.secretProperties, ...secretIn])`, to: `conceal({ ...outs }, [...secretIn])` }],
  },
  {
    name: "no-confirm-after-immediate",
    defect: "an immediate rotation is recorded without reading again: a rotation right after it leaves the stack holding a dead secret",
    edits: [{ file: "provider/core/rotation.ts", from: `if (invalidateImmediately) await confirmStillCurrent(`, to: `if (invalidateImmediately && false) await confirmStillCurrent(` }],
  },
  {
    name: "replaced-secret-not-recorded",
    defect: "an update without a trigger change keeps a secret Cloudflare no longer holds",
    edits: [{ file: "provider/core/hooks.ts", from: `        if (widget.secret !== state.secret) {`, to: `        if (widget.secret !== state.secret && false) {` }],
  },
  {
    name: "silent-takeover",
    defect: "a rotation this stack did not make is taken without a warning",
    edits: [{ file: "provider/core/rotation.ts", from: `    env.warn(claimWarning(sitekey, start, known));\n`, to: `    void claimWarning;\n` }],
  },
  {
    name: "failed-create-records-nothing",
    defect: "a create whose rotation may still commit records nothing: the next up creates, and rotates, again",
    edits: [{ file: "provider/core/rotation-errors.ts", from: `    if (pending !== undefined) this.state = pending;`, to: `` }],
  },
  {
    name: "gateway-5xx-proves-nothing-happened",
    defect: "a 5xx is taken as proof the rotate call did nothing: with invalidateImmediately, a gateway's 504 while the call still commits makes two rotations",
    edits: [{ file: "provider/core/rotation-rules.ts", from: `if (error instanceof RateLimitError || isRefusal(error as unknown)) return false;`, to: `if (error instanceof RateLimitError || isRefusal(error as unknown) || error.status !== undefined) return false;` }],
  },
  {
    name: "list-trusted-when-modified-on-moved",
    defect: "the batched read takes the list's word whatever modified_on says: a rotation an interrupted run made is rotated again instead of taken",
    edits: [{ file: "provider/core/widget-snapshots.ts", from: `if (listed === undefined || listed.widget.modified_on !== recorded || rotated()) return undefined;`, to: `if (listed === undefined || rotated()) return undefined;` }],
  },
  {
    name: "list-fence-from-local-clock",
    defect: "the batched read's fence comes from the local clock instead of the page's Date: with a clock ahead of Cloudflare's, the run's own lost answer is blamed on someone else",
    edits: [
      { file: "provider/core/baseline.ts", from: `readonly snapshots: WidgetSnapshots },`, to: `readonly snapshots: WidgetSnapshots; readonly now: () => number },` },
      { file: "provider/core/baseline.ts", from: `fenceMs: listed.dateMs - CLOCK_SLACK_MS`, to: `fenceMs: env.now() - CLOCK_SLACK_MS` },
    ],
  },
  {
    name: "lost-answer-judged-by-call-time",
    defect: "a changed secret after a lost answer counts as ours only if newer than the rotate call itself: every lost answer is reported as someone else's rotation",
    edits: [{ file: "provider/core/rotation.ts", from: `const ours = mayCommit && (fence === undefined || modifiedAt(after).getTime() >= fence);`, to: `const ours = mayCommit && modifiedAt(after).getTime() > (client.cloudflareNow() ?? env.now());` }],
  },
  {
    name: "proven-nothing-is-ours",
    defect: "a call that provably did nothing (a refusal, a 429) followed by someone else's rotation is recorded as this run's, its answer \"lost\"",
    edits: [{ file: "provider/core/rotation.ts", from: `const ours = mayCommit && (fence === undefined`, to: `const ours = (fence === undefined` }],
  },
  {
    name: "in-flight-forgotten",
    defect: "a retry forgets that the call before it may still commit: false \"nothing was changed\" or \"someone else\", and a create keeps no pending record",
    edits: [{ file: "provider/core/rotation.ts", from: `return tryRotating(attempt + 1, mayCommit);`, to: `return tryRotating(attempt + 1, false);` }],
  },
  {
    name: "preview-trusts-local-clock",
    defect: "the preview decides on the local clock alone near a grace period's end: a clock minutes fast lets through a rotation Cloudflare refuses",
    edits: [{ file: "provider/core/preview-checks.ts", from: `export const CLOCK_MARGIN_MS = 5 * 60 * 1000;`, to: `export const CLOCK_MARGIN_MS = 0;` }],
  },
  {
    name: "immediate-create-unwarned",
    defect: "a create with invalidateImmediately on a widget inside someone's grace period gets no warning at preview, then fails",
    edits: [{ file: "provider/core/hooks.ts", from: `if (news.invalidateImmediately === true && known) {`, to: `if (news.invalidateImmediately === true && known && false) {` }],
  },
];

/** Applies `mutation` to the sources under `root`; fails naming the edit that does not match exactly once. */
export function applyMutation(root: string, mutation: Mutation): void {
  for (const edit of mutation.edits) {
    const file = path.join(root, edit.file);
    const text = fs.readFileSync(file, "utf8");
    const matches = text.split(edit.from).length - 1;
    if (matches !== 1) throw new Error(`mutation ${mutation.name}: ${edit.file} holds its text ${matches} times, not once: update scripts/lib/mutations.ts`);
    fs.writeFileSync(file, text.replace(edit.from, () => edit.to));
  }
}
