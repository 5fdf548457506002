/**
 * The promises of docs/reliability.md as checks over one step of the model (one or two engine
 * operations, maybe an outside actor, then every request still in flight delivered). Each check
 * names the promise it keeps; each exemption names the documented limit that allows it, and
 * nothing else is exempt.
 */
import { PENDING_TRIGGER } from "../../provider/core/state";
import type { OpReport } from "./engine";
import { REFUSED } from "./network";
import { unwrapSecret, type StackModel, type World } from "./world";

/** A broken promise, with what the model saw. */
export class InvariantViolation extends Error {}

function fail(promise: string, report: OpReport | undefined, detail: string): never {
  const where = report ? `${report.stack.name} (${report.stack.door}) \`${report.op}\`: ` : "";
  throw new InvariantViolation(`${promise}: ${where}${detail}`);
}

/** What happened in one step besides the operations themselves. */
export interface StepFacts {
  /** Another operation or an outside actor ran during the step. */
  readonly concurrent: boolean;
  /** No fault, fate, kill or concurrency: the network and Cloudflare behaved. */
  readonly faultless: boolean;
  /** Rotations committed before the step began (their index). */
  readonly rotationsBefore: number;
}

/** Warnings by which a run says it recorded a secret it did not make for this change (limit E2). */
const TOOK_OVER = /taken as this trigger change's rotation|That secret is recorded instead|no longer accepts the secret in state|recorded as this run's rotation. Had someone/;
/** An error that says the outcome may still change and what resolves it. */
const OUTCOME_OPEN = /may still reach Cloudflare|is unknown/;
/** Signs of an error that escaped unexplained (a bug, or a door that did not convert it). */
const UNEXPLAINED = /TypeError|Unexpected struct|Cannot read prop|is not a function|is not defined|Maximum call stack|RangeError/;
/** A way out every failure must name. */
const NEXT_STEP = /pulumi (up|refresh|preview|cancel|import)|rotationTrigger|run the command again|config set/;

const tagOf = (report: OpReport) => `${report.stack.name}:${report.change}`;
const immediate = (report: OpReport) => report.stack.invalidate || report.before?.outputs.invalidateImmediately === true;

/** Promise 2: no secret or token in plain text in what the run showed or what the engine stores unencrypted. */
function checkNoLeak(world: World, report: OpReport): void {
  const values = [...world.secrets, ...world.stacks.flatMap((s) => s.tokens)];
  const shown = [...report.warnings, report.error?.message ?? "", ...world.printed];
  const state = report.stack.state;
  if (state) {
    for (const [key, value] of Object.entries(state.outputs)) if (!state.encrypted.has(key)) shown.push(`${key}=${JSON.stringify(value)}`);
    if (state.inputs.apiToken !== undefined && report.stack.door === "plugin" && unwrapSecret(state.inputs.apiToken) === state.inputs.apiToken) {
      fail("2 no leak", report, "the apiToken input is stored without the secret wrapper");
    }
  }
  for (const text of shown) {
    const leaked = values.find((value) => text.includes(value));
    if (leaked) fail("2 no leak", report, `a secret or token (${leaked.length} chars) appears in plain text: ${text.split(leaked).join("<LEAKED>").slice(0, 300)}`);
  }
}

/**
 * Limit E4, two rotations with invalidateImmediately at the same instant: this run's rotate answer
 * was lost, the secret it read back was another party's rotation of that moment (it said it could
 * not tell), and its own request, still on its way, then killed that secret. No protocol can tell
 * the two apart without a conditional rotation at Cloudflare.
 */
function twoAtOnce(world: World, report: OpReport, facts: StepFacts): boolean {
  const state = world.stateOf(report.stack);
  const made = world.rotations.slice(facts.rotationsBefore).find((r) => r.secret === state?.secret);
  const ownLater = world.rotations.slice(facts.rotationsBefore).some((r) => r.by === tagOf(report) && r.immediately && made !== undefined && r.tick > made.tick);
  return made !== undefined && made.by !== tagOf(report) && ownLater && report.warnings.some((w) => /Had someone else rotated/.test(w));
}

/** Checks one operation of a step, after the step (and every late delivery) ended. */
export function checkOp(world: World, report: OpReport, facts: StepFacts): void {
  const { stack, op, process } = report;
  const sent = process.sent;
  const state = world.stateOf(stack);
  const before = report.before ? (Object.fromEntries(Object.entries(report.before.outputs).map(([k, v]) => [k, unwrapSecret(v)])) as Record<string, unknown>) : undefined;
  checkNoLeak(world, report);

  if (report.error && !report.killed) {
    if (UNEXPLAINED.test(report.error.message) || !NEXT_STEP.test(report.error.message)) fail("1 fails loudly", report, `an error without a way out: ${report.error.message}`);
    // "Says what happened": the attempts it counts are the rotate calls it made (a call's own
    // retries after a 429 go out back to back; each attempt is followed by a read).
    const counted = /failed \((\d+) attempts?\)/.exec(report.error.message);
    const attempts = sent.filter((route, i) => route === "widgets.rotate_secret" && sent[i - 1] !== "widgets.rotate_secret").length;
    if (counted && Number(counted[1]) !== attempts) fail("1 fails loudly", report, `the error counts ${counted[1]} attempts, the run made ${attempts}`);
  }

  // What a run says happened is true: another party's rotation when it says so, none of its own
  // when it says nothing changed, and a rotate call that could have committed when it says its
  // answer was lost (not only 429s and refusals, which prove the call did nothing).
  const during = world.rotations.slice(facts.rotationsBefore).filter((r) => r.sitekey === world.sitekeys[stack.widget]);
  const mine = during.some((r) => r.by === tagOf(report));
  const others = during.some((r) => r.by !== tagOf(report));
  const message = report.error?.message ?? "";
  if (/rotated by someone else/.test(message) && !others) fail("1 says what happened", report, `no one else rotated: ${message}`);
  if (!report.killed && /[Nn]othing was changed/.test(message) && mine) fail("1 says what happened", report, `this run did rotate: ${message}`);
  const couldCommit = sent.some((route, i) => route === "widgets.rotate_secret" && ![429, 400, 403, 409, REFUSED].includes(process.received[i] ?? -1));
  if (report.warnings.some((w) => /answer to this run's rotate call was lost/.test(w)) && !mine && !couldCommit) {
    fail("1 says what happened", report, `no rotate call of this run could have committed: ${report.warnings.join(" | ")}`);
  }

  // I3: a resource leaves state only through destroy, or when Cloudflare says the widget is gone.
  if (before && !state && op !== "destroy" && world.widget(String(before.sitekey))) fail("I3 nothing forgotten", report, "the resource was dropped although the widget exists");

  // Promise 3: only a create, a trigger change or a new widget rotates; a no-change run in the default mode calls nothing.
  const rotated = sent.includes("widgets.rotate_secret");
  if ((op === "preview" || op === "refresh" || op === "import" || op === "destroy") && rotated) fail("3 no surprise", report, "it called rotate_secret");
  const sitekeyChanged = before !== undefined && before.sitekey !== world.sitekeys[stack.widget];
  if ((op === "up" || op === "up --refresh") && before && !report.triggerChanged && !sitekeyChanged && rotated) {
    fail("3 no surprise", report, "rotate_secret without a trigger change");
  }
  if (op === "up" && before && !report.triggerChanged && !sitekeyChanged && !report.before?.initErrors && !immediate(report) && sent.length > 0) {
    fail("3 no surprise", report, `a no-change pulumi up called Cloudflare: ${sent.join(", ")}`);
  }

  // I6: rotate_secret is never repeated without reading the widget in between, unless the last one provably did nothing (429, refused).
  for (let i = 0, last = -1; i < sent.length; i++) {
    if (sent[i] !== "widgets.rotate_secret") continue;
    const provablyNothing = last >= 0 && (process.received[last] === 429 || process.received[last] === REFUSED);
    if (last >= 0 && !provablyNothing && !sent.slice(last, i).includes("widgets.get")) fail("I6 ambiguity is ambiguity", report, `a blind repeat: ${sent.join(", ")}`);
    last = i;
  }

  const live = state ? world.widget(state.sitekey) : undefined;
  // Another party's rotation after this run last read the widget, when that read came after its own
  // rotate call: no run can see it (limits E3, E4). After a rotate call not read back, nothing is exempt.
  const readBack = process.lastRotate === 0 || process.lastRead > process.lastRotate;
  const othersRotated = readBack && world.rotations.some((r) => r.by !== tagOf(report) && r.sitekey === state?.sitekey && r.tick > process.lastRead &&
    world.rotations.indexOf(r) >= facts.rotationsBefore);
  const acted = op !== "preview" && op !== "destroy" && !(op === "import" && report.before);
  if (state && live && acted) {
    const accepted = world.accepts(state.sitekey, state.secret);
    // A failed or killed run must not make things worse: a secret Cloudflare accepted stays accepted,
    // unless another party's rotation during the run killed it (the run never got to record the new one).
    const othersDuringRun = world.rotations.slice(facts.rotationsBefore).some((r) => r.by !== tagOf(report) && r.sitekey === state.sitekey);
    // Nor is it the run's doing when the state still holds the secret it held, which an earlier
    // rotation had already made the previous one, and whose grace period ran out while the run took
    // its time (waits and retries move the clock): limit E3.
    const expiredMeanwhile = report.graceOpenAtStart && !report.currentBefore && state.secret === before?.secret &&
      live.previousSecret === state.secret && !(world.clock.now() < (live.graceEndsMs ?? 0));
    const worse = report.acceptedBefore && !accepted && !othersDuringRun && !expiredMeanwhile;
    if (report.killed) {
      // Limit E1: with invalidateImmediately, a kill between Cloudflare's commit and the save.
      const ownCommit = world.rotations.slice(facts.rotationsBefore).some((r) => r.by === tagOf(report) && r.immediately);
      if (worse && !(ownCommit && immediate(report))) fail("I1 known secret", report, "a killed run left a secret Cloudflare rejects");
    } else if (report.error) {
      if (worse && !OUTCOME_OPEN.test(report.error.message)) {
        fail("I1 known secret", report, `a failed run left a rejected secret without saying the outcome is open: ${report.error.message}`);
      }
    } else if (!accepted && !othersRotated && !(sent.length === 0 && !immediate(report)) && !twoAtOnce(world, report, facts)) {
      // Limit E3 aside (a default-mode run that called nothing cannot notice another actor), success means an accepted secret.
      fail("I1 known secret", report, "a successful run left a secret Cloudflare rejects");
    } else if (sent.length > 0 && !facts.concurrent && !othersRotated && state.secret !== live.secret) {
      fail("I1 known secret", report, "a successful run that called Cloudflare left a secret that is not Cloudflare's current one");
    }
  }

  // Promise 5: a rotation Cloudflare refuses is refused (or, when it cannot be known, warned of) at
  // preview, before anything runs; the local clock's skew aside.
  // A create counts too: nothing can be taken over, so a refusal is the preview's to foresee.
  if (facts.faultless && report.error && /^Cloudflare refused to rotate/.test(report.error.message) && (report.currentBefore || report.before === undefined)) {
    const expires = Date.parse(String(before?.previousSecretExpiresAt));
    const warned = report.warnings.some((w) => /may refuse this rotation/.test(w));
    // (The Date header's one-second resolution aside.)
    if (!warned && !(Math.abs(expires - world.clock.now()) <= 2000)) fail("5 clear errors at preview", report, "Cloudflare refused a rotation the preview let through");
  }

  // I4: with Cloudflare behaving, an up converges at once whatever came before.
  if (facts.faultless && (op === "up" || op === "up --refresh") && report.error) {
    const refusal = /refused to rotate|refuses to rotate/.test(report.error.message);
    const nothingToTake = report.before === undefined || report.currentBefore || sitekeyChanged;
    const gone = !world.widget(world.sitekeys[stack.widget]);
    if (!(refusal && report.graceOpenAtStart && nothingToTake) && !gone) fail("I4 converges at once", report, report.error.message);
  }

  // I5: a secret recorded for a change was made by that change's rotation, or the run said it took another.
  // The state this run saved answers what the program asks (its trigger, for its widget).
  const answersProgram = state !== undefined && stack.state !== report.before && String(state.rotationTrigger) === String(stack.trigger) &&
    state.sitekey === world.sitekeys[stack.widget];
  const asked = report.before === undefined || report.triggerChanged || sitekeyChanged;
  // A trigger change of a resource yields a secret no earlier change recorded: taking the last one again is no rotation.
  // (Completing a create whose outcome stayed open, see PENDING_TRIGGER, is a create, not a trigger change.)
  const completesCreate = before?.rotationTrigger === PENDING_TRIGGER;
  if (state && answersProgram && report.before && !completesCreate && report.triggerChanged && (op === "up" || op === "up --refresh") && state.adoptedAt === undefined) {
    const earlier = stack.recorded.get(state.secret);
    if (earlier !== undefined && earlier < report.change) fail("I5 fresh", report, `change ${report.change} kept the secret change ${earlier} recorded`);
  }
  if (state && answersProgram && asked && (op === "up" || op === "up --refresh") && state.secret !== before?.secret && state.adoptedAt === undefined) {
    const made = world.rotations.find((r) => r.secret === state.secret);
    const firstTry = stack.firstTry.get(report.change) ?? Infinity;
    const ours = made !== undefined && made.by === tagOf(report) && made.atMs >= firstTry;
    const said = report.warnings.some((w) => TOOK_OVER.test(w)) || /rotated by someone else/.test(report.error?.message ?? "");
    // A create with rotateOnCreate: false (a new resource, or a replacement's) records the live secret.
    const recordsByDesign = (report.before === undefined || sitekeyChanged) && !stack.rotateOnCreate;
    if (!ours && !said && !recordsByDesign) fail("I5 fresh", report, `change ${report.change} recorded a secret made by ${made?.by ?? "nobody known"} without saying so`);
  }
}

/** I2: one change (a trigger change or a new widget) causes at most one rotation, plus one per killed create (limit E5). */
export function checkOncePerChange(world: World, stack: StackModel): void {
  const counts = new Map<string, number>();
  for (const rotation of world.rotations) {
    if (!rotation.by.startsWith(`${stack.name}:`)) continue;
    const key = `${rotation.by}@${rotation.sitekey}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const [key, count] of counts) {
    const change = Number(key.split("@")[0].split(":")[1]);
    if (count > 1 + (stack.killedCreates.get(change) ?? 0)) fail("I2 once per change", undefined, `${key} rotated ${count} times`);
  }
}
