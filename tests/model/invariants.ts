/**
 * The promises of docs/reliability.md as checks over the model world, run after every command.
 * Each names the promise it checks; each documented limit it exempts is named too.
 */
import type { RunReport, StackModel, World } from "./world";

/** A broken promise, with what the model saw. */
export class InvariantViolation extends Error {}

function fail(promise: string, detail: string): never {
  throw new InvariantViolation(`${promise}: ${detail}`);
}

const CLAIM_WARNING = /taken as this trigger change's rotation|That secret is recorded instead/;

/** Checks after a run of `op` on `stack` (before: the stack's state before the run). */
export function checkRun(world: World, stack: StackModel, op: string, before: StackModel["state"], report: RunReport): void {
  const { state } = stack;
  const live = world.widget();
  // I3: a resource leaves state only when Cloudflare answered that the widget does not exist.
  if (before && !state && live) fail("I3 nothing forgotten", `${op} dropped the resource although the widget exists`);

  // I6: never a blind repeat of rotate_secret, never a blind give-up after an ambiguous answer.
  const sequence = report.requests;
  for (let i = 0, lastRotate = -1; i < sequence.length; i++) {
    if (sequence[i] !== "widgets.rotate_secret") continue;
    if (lastRotate >= 0 && !sequence.slice(lastRotate, i).some((call) => call === "widgets.get" || call.endsWith("(429)"))) {
      fail("I6 ambiguity is ambiguity", `rotate_secret repeated without reading the widget in between: ${sequence.join(", ")}`);
    }
    lastRotate = i;
  }
  if (report.error && !report.killed && sequence.at(-1) === "widgets.rotate_secret") {
    fail("I6 ambiguity is ambiguity", `gave up right after a failed rotate_secret without reading the widget: ${report.error.message}`);
  }

  // Promise 3: a refresh never rotates; an up whose trigger did not change calls nothing.
  if (op === "refresh" && sequence.includes("widgets.rotate_secret")) fail("nothing rotates by surprise", "a refresh called rotate_secret");

  if (report.killed) {
    // I1 with a kill: the secret in state was accepted before and stays accepted (it is at worst the
    // previous one, inside its grace period). Limit E1: with invalidateImmediately, a kill between
    // Cloudflare's commit and the save leaves a rejected secret until the next run.
    if (state && live && report.acceptedBefore && !stack.invalidate && !world.accepts(state.secret)) {
      fail("I1 known secret", "a killed run left a secret Cloudflare rejects in the default mode");
    }
    return;
  }
  if (report.error) {
    // I1 "or the command failed loudly": every failure says what to do.
    if (!/pulumi (up|refresh)|run `pulumi|wait|check|fix|set it|try again|Run /i.test(report.error.message)) {
      fail("I1 fails loudly", `an error without a way out: ${report.error.message}`);
    }
    if (state && live && report.acceptedBefore && !stack.invalidate && !world.accepts(state.secret)) {
      fail("I1 known secret", `a failed ${op} left a rejected secret in state`);
    }
    return;
  }
  // I1 (stronger, "nothing unknown"): a successful command that read or rotated leaves the state
  // holding Cloudflare's current secret.
  if (state && live && sequence.length > 0 && state.secret !== live.secret) {
    fail("I1 known secret", `a successful ${op} that called Cloudflare left a state secret that is not Cloudflare's current one`);
  }
  // I5: the secret recorded for a trigger was made by a run of this stack for that trigger, at or
  // after its first try began; limit E2: a rotation no completed run recorded is taken, with a warning.
  if (state && op !== "refresh" && state.secret !== before?.secret && state.adoptedAt === undefined) {
    const claimed = report.warnings.some((w) => CLAIM_WARNING.test(w));
    const made = world.rotations.find((r) => r.secret === state.secret);
    const trigger = String(state.rotationTrigger);
    const firstTry = stack.firstTry.get(trigger) ?? Infinity;
    if (!claimed && (!made || made.by !== `${stack.name}:${trigger}` || made.atMs < firstTry)) {
      fail("I5 fresh", `trigger ${trigger} recorded a secret made by ${made?.by ?? "nobody known"} without saying so`);
    }
  }
}

/** I2: one trigger change, at most one rotation at Cloudflare (limit E5 exempt: see reliability.md). */
export function checkOncePerTrigger(world: World, stack: StackModel): void {
  const counts = new Map<string, number>();
  for (const rotation of world.rotations) {
    if (!rotation.by.startsWith(`${stack.name}:`)) continue;
    counts.set(rotation.by, (counts.get(rotation.by) ?? 0) + 1);
  }
  for (const [by, count] of counts) {
    if (count > 1 && by !== stack.killedCreate) fail("I2 once per trigger", `${by} rotated ${count} times`);
  }
}

/**
 * I4: an up that meets no fault succeeds, whatever failed or was killed before. The one allowed
 * failure: Cloudflare's grace period forbids the rotation and it belongs to a rotation the state
 * recorded (or, on create, to someone else's), so there is nothing to converge to.
 */
export function checkConverges(report: RunReport, faultless: boolean, created: boolean): void {
  if (!faultless || report.killed || !report.error) return;
  const ownGrace = report.graceOpenAtStart && (created || report.currentBefore);
  if (ownGrace && /refuses? to rotate|refused to rotate/.test(report.error.message)) return;
  fail("I4 converges at once", `an up without faults failed: ${report.error.message}`);
}
