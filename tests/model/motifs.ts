/**
 * Short chains of commands that set up an interleaving random generation reaches only rarely,
 * with their parameters still generated: a rotation taken over after a settings edit, a create
 * whose rotate call commits late, a kill right after Cloudflare committed, a trigger reverted
 * after a kill, two stacks creating at once, a lost answer read back after an edit, a
 * trigger change at the grace end from a machine whose clock is minutes off, another actor rotating
 * while Cloudflare's answers carry no date. The MOTIFS
 * profile strings them together with random commands between, so CI meets each every run.
 */
import fc from "fast-check";
import type { Actor, Command, Fault, RunSpec } from "./commands";
import type { Fate } from "./network";

const run = (stack: 0 | 1, extra: Partial<RunSpec> = {}, fault?: Fault, actors: Actor[] = []): Command => ({
  kind: "run", ops: [{ stack, op: "up", fates: [], skewMs: 0, dateless: false, ...extra }], ...(fault ? { fault } : {}), actors,
});
const change = (stack: 0 | 1, invalidate: boolean, revert = false): Command => ({ kind: "change", stack, invalidate, revert });
const clock = (seconds: number): Command => ({ kind: "clock", seconds });

const stackArb = fc.constantFrom<0 | 1>(0, 1);
const hours = fc.constantFrom(1800, 3600, 3600, 7200, 7201);

/** Someone rotates, then edits the widget's settings; a trigger change takes that rotation; another trigger change follows within hours. */
const takeoverAfterEdit = fc.tuple(stackArb, hours, hours).map(([stack, before, after]): Command[] => [
  run(stack), clock(7201), { kind: "outside", action: "rotate", widget: 0 }, clock(before), { kind: "outside", action: "edit", widget: 0 },
  change(stack, false), run(stack), change(stack, false), clock(after), run(stack),
]);

/** A create (or a rotation) whose rotate call meets a late commit, a lost request or a gateway, then the next up. */
const inFlight = fc.tuple(stackArb, fc.boolean(), fc.boolean(), fc.constantFrom<Fate>("late", "lost", "gateway")).map(([stack, immediate, created, fate]): Command[] => [
  change(stack, immediate), ...(created ? [run(stack), clock(7201), change(stack, immediate)] : []),
  run(stack, { fates: [[2, fate]] }), run(stack),
]);

/** A run killed right after Cloudflare committed its rotation, maybe the trigger reverted, then the next up (or refresh and up). */
const killAfterCommit = fc.tuple(stackArb, fc.boolean(), fc.boolean(), fc.integer({ min: 2, max: 5 }), fc.constantFrom<RunSpec["op"]>("up", "up --refresh")).map(
  ([stack, immediate, revert, killAt, recovery]): Command[] => [
    change(stack, immediate), run(stack), clock(7201), change(stack, immediate), run(stack, { killAt }),
    ...(revert ? [change(stack, immediate, true)] : []), run(stack, { op: recovery }),
  ]);

/** Both stacks create (or rotate) the same widget at once, one meeting another actor first. */
const bothAtOnce = fc.tuple(fc.boolean(), fc.constantFrom<Fault | undefined>(undefined, { route: "widgets.rotate_secret", kind: "rival" }, { route: "widgets.rotate_secret", kind: "rival", action: "rotate_immediately" })).map(
  ([immediate, fault]): Command[] => [
    change(0, immediate), change(1, immediate),
    { kind: "run", ops: [{ stack: 0, op: "up", fates: [], skewMs: 0, dateless: false }, { stack: 1, op: "up", fates: [], skewMs: 0, dateless: false }], ...(fault ? { fault } : {}), actors: [] },
    clock(7201), change(0, immediate), run(0), run(1),
  ]);

/** A lost answer to the rotate call, someone editing (or rotating) the widget before the read-back, then a trigger change near the grace end. */
const lostAnswerThenEdit = fc.tuple(stackArb, fc.constantFrom<"edit" | "rotate_immediately">("edit", "edit", "rotate_immediately"), fc.constantFrom(7199, 7200, 7201, 7230)).map(
  ([stack, actor, later]): Command[] => [
    run(stack), clock(7201), change(stack, false), run(stack, {}, { route: "widgets.rotate_secret", kind: "commit_drop" }, [actor]),
    change(stack, false), clock(later), run(stack),
  ]);

/** A trigger change moments before the grace period ends, run from a machine whose clock is minutes fast or slow. */
const fastClockAtGraceEnd = fc.tuple(stackArb, fc.boolean(), fc.constantFrom(7200 - 230, 7200 - 120, 7200 - 30, 7200 + 30), fc.constantFrom(240_000, -240_000, 240_000)).map(
  ([stack, immediate, later, skewMs]): Command[] => [
    run(stack), clock(7201), change(stack, false), run(stack), clock(later), change(stack, immediate), run(stack, { skewMs }),
  ]);

/** Another actor rotates during a rotation whose answers carry no Date header, so the run has no clock of Cloudflare's to go by. */
const rivalWithoutDate = fc.tuple(stackArb, fc.boolean(), fc.boolean(), fc.constantFrom<Actor>("rotate", "rotate_immediately")).map(
  ([stack, immediate, created, action]): Command[] => [
    change(stack, immediate), ...(created ? [run(stack), clock(7201), change(stack, immediate)] : []),
    run(stack, { dateless: true }, { route: "widgets.rotate_secret", kind: "rival", action }), run(stack),
  ]);

/** Every motif, for the MOTIFS profile. */
export const MOTIFS: ReadonlyArray<fc.Arbitrary<Command[]>> = [
  takeoverAfterEdit, inFlight, killAfterCommit, bothAtOnce, lostAnswerThenEdit, fastClockAtGraceEnd, rivalWithoutDate,
];
