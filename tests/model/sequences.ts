/**
 * Generated sequences for the model-based test: operator commands (trigger changes, `up`,
 * `refresh`, `up --refresh`, kills at any request), outside events (a rotation by someone else,
 * the clock) and a hostile network (a fault on any call, before or after Cloudflare commits).
 * `runSequence` replays one sequence against a fresh world and checks every promise after each step.
 */
import fc from "fast-check";
import { parseFaultSpec } from "../../emulator";
import { ACCOUNT_ID, World } from "./world";
import { checkConverges, checkOncePerTrigger, checkRun } from "./invariants";

/** A fault as the emulator's control route takes it. */
export type Fault = Readonly<Record<string, unknown>>;

/** One step of a sequence. */
export type Command =
  | { readonly kind: "change"; readonly stack: number; readonly invalidate: boolean }
  | { readonly kind: "up" | "refresh" | "up --refresh"; readonly stack: number; readonly fault?: Fault; readonly killAfter?: number; readonly skewMs: number }
  | { readonly kind: "outside"; readonly invalidate: boolean }
  | { readonly kind: "clock"; readonly seconds: number }
  | { readonly kind: "delete" };

const ROTATE = "widgets.rotate_secret";
const GET = "widgets.get";

/** Faults that fail a call before or after Cloudflare committed it. */
export const FAULTS: readonly Fault[] = [
  { route: ROTATE, kind: "commit_drop" },
  { route: ROTATE, kind: "status", status: 502 },
  { route: ROTATE, kind: "status", status: 503, times: 5 },
  { route: ROTATE, kind: "reset" },
  { route: ROTATE, kind: "rate_limit", retryAfterSeconds: 1 },
  { route: GET, kind: "status", status: 503, times: 2 },
  { route: GET, kind: "status", status: 500, times: 8 },
  { route: GET, kind: "reset" },
  { route: "*", kind: "status", status: 500, times: 3 },
  { route: "*", kind: "reset", times: 12 },
  { route: ROTATE, kind: "commit_status", status: 503, shouldRetry: true },
  { route: ROTATE, kind: "commit_status", status: 500 },
  { route: ROTATE, kind: "commit_garble", body: "truncated" },
  { route: ROTATE, kind: "commit_garble", body: "null_fields" },
  { route: ROTATE, kind: "commit_garble", body: "success_false" },
  { route: ROTATE, kind: "commit_garble", body: "html" },
  { route: ROTATE, kind: "commit_hang" },
  { route: ROTATE, kind: "hang" },
  { route: GET, kind: "foreign_404" },
  { route: GET, kind: "commit_garble", body: "html", times: 3 },
  { route: GET, kind: "status", status: 503, shouldRetry: true, times: 2 },
];

const stackArb = fc.constantFrom(0, 0, 0, 1); // the second stack on the same widget, less often
const runArb = fc.record({
  kind: fc.constantFrom("up" as const, "up" as const, "refresh" as const, "up --refresh" as const),
  stack: stackArb,
  // Most runs meet a normal network and finish; a third meet a fault, a fifth are killed.
  fault: fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...FAULTS) }),
  killAfter: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 4 }) }),
  skewMs: fc.constantFrom(-5000, 0, 5000),
});

/** Arbitrary commands, weighted toward runs. */
export const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: runArb },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("change" as const), stack: stackArb, invalidate: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("outside" as const), invalidate: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("clock" as const), seconds: fc.constantFrom(30, 1800, 7201, 7201) }) },
  { weight: 1, arbitrary: fc.constantFrom({ kind: "delete" as const }, { kind: "clock" as const, seconds: 60 }, { kind: "clock" as const, seconds: 60 }) },
);

/** Sequences of 1-30 commands. */
export const sequenceArb = fc.array(commandArb, { minLength: 1, maxLength: 30 });

/** Replays `commands` against a fresh world; throws `InvariantViolation` at the first broken promise. */
export async function runSequence(commands: readonly Command[], seed = 1): Promise<void> {
  const world = new World(seed);
  await world.start();
  try {
    for (const command of commands) {
      if (command.kind === "change") {
        const stack = world.stacks[command.stack];
        stack.trigger += 1;
        stack.invalidate = command.invalidate;
      } else if (command.kind === "outside") {
        world.rotateOutside(command.invalidate);
      } else if (command.kind === "clock") {
        world.clock.advance(command.seconds);
      } else if (command.kind === "delete") {
        if (world.widget()) world.emulator.store.delete(ACCOUNT_ID, world.sitekey);
      } else {
        const stack = world.stacks[command.stack];
        if (command.kind !== "up" && !stack.state) continue;
        const before = stack.state;
        // The control route's own parser, so the model uses exactly what tests over HTTP use.
        if (command.fault) world.emulator.faults.add(parseFaultSpec(command.fault));
        const report = await world.run(stack, command.kind, command.killAfter, command.skewMs);
        world.emulator.faults.clear();
        if (report.killed && !before && report.requests.includes(ROTATE)) stack.killedCreate = `${stack.name}:${stack.trigger}`;
        checkRun(world, stack, command.kind, before, report);
        for (const each of world.stacks) checkOncePerTrigger(world, each);
        if (command.kind !== "refresh") checkConverges(report, command.fault === undefined && command.killAfter === undefined && world.widget() !== undefined, before === undefined);
      }
    }
  } finally {
    await world.stop();
  }
}
