/**
 * What the model-based test generates: operator commands (trigger changes and reverts, a new
 * widget, rotateOnCreate, a typo, `up`, `preview`, `refresh`, `up --refresh`, `destroy`,
 * `import`, kills between any two network events), a second actor (the other stack at the same
 * time, the dashboard rotating, editing or deleting the widget, during a run or between runs), a
 * hostile network (the emulator's faults; requests whose answer comes after the client's
 * deadline, never, or from a gateway while they go on; a proxy that drops the Date header) and
 * the clock. Profiles weight the mix: a general one, and some aimed at rare interleavings, so CI
 * reaches them with a few thousand sequences instead of millions.
 */
import fc from "fast-check";
import type { DoorKind } from "./doors";
import type { Op } from "./engine";
import type { Fate } from "./network";
import type { TokenVia } from "./world";
import { MOTIFS } from "./motifs";

/** A fault as the emulator's control route takes it. */
export type Fault = Readonly<Record<string, unknown>>;
/** What another actor does to the widget. */
export type Actor = "rotate" | "rotate_immediately" | "edit" | "delete";

/** One operation of a step. */
export interface RunSpec {
  readonly stack: 0 | 1;
  readonly op: Op;
  /** The fate of the operation's n-th request. */
  readonly fates: ReadonlyArray<readonly [number, Fate]>;
  /** Killed after this many network events of the step. */
  readonly killAt?: number;
  readonly skewMs: number;
  /** A proxy strips Cloudflare's `Date` header from every answer. */
  readonly dateless: boolean;
}

/** One step of a sequence. */
export type Command =
  | { readonly kind: "change"; readonly stack: 0 | 1; readonly invalidate: boolean; readonly revert: boolean }
  | { readonly kind: "retarget"; readonly stack: 0 | 1 }
  | { readonly kind: "onboard"; readonly stack: 0 | 1; readonly rotateOnCreate: boolean }
  | { readonly kind: "typo"; readonly stack: 0 | 1; readonly typo: boolean }
  /** invalidateImmediately flipped without a trigger change (it applies to the next rotation). */
  | { readonly kind: "mode"; readonly stack: 0 | 1 }
  /** The stack's token renewed (another token of the same account). */
  | { readonly kind: "token"; readonly stack: 0 | 1 }
  /** `shared`: two operations run in one provider process, as one stack's two resources (when one door serves both). */
  | { readonly kind: "run"; readonly ops: readonly RunSpec[]; readonly fault?: Fault; readonly actors: readonly Actor[]; readonly shared?: boolean }
  | { readonly kind: "outside"; readonly action: Actor; readonly widget: 0 | 1 }
  | { readonly kind: "clock"; readonly seconds: number };

/** A whole generated case: both stacks' doors, token routes and trigger types, then the commands. */
export interface Sequence {
  readonly doors: readonly [DoorKind, DoorKind];
  readonly tokenVia: readonly [TokenVia, TokenVia];
  /** Whether each stack's program gives its trigger as a number. */
  readonly numeric: readonly [boolean, boolean];
  /** Whether each stack's program starts with invalidateImmediately. */
  readonly immediate: readonly [boolean, boolean];
  readonly commands: readonly Command[];
}

const ROTATE = "widgets.rotate_secret";
const GET = "widgets.get";
const LIST = "widgets.list";

/** The emulator's faults the model uses: each fails a call before or after Cloudflare commits it. (Hangs are fates.) */
export const FAULTS: readonly Fault[] = [
  { route: ROTATE, kind: "commit_drop" },
  { route: ROTATE, kind: "status", status: 502 },
  { route: ROTATE, kind: "status", status: 503, times: 5 },
  { route: ROTATE, kind: "reset" },
  { route: ROTATE, kind: "rate_limit", retryAfterSeconds: 1 },
  { route: ROTATE, kind: "rate_limit", retryAfterSeconds: 1, times: 20 },
  { route: ROTATE, kind: "rate_limit", retryAfterSeconds: 20 },
  { route: ROTATE, kind: "status", status: 400, code: 10400 },
  { route: ROTATE, kind: "status", status: 409, code: 10409 },
  { route: ROTATE, kind: "commit_status", status: 503, shouldRetry: true },
  { route: ROTATE, kind: "commit_status", status: 500 },
  { route: ROTATE, kind: "commit_garble", body: "truncated" },
  { route: ROTATE, kind: "commit_garble", body: "null_fields" },
  { route: ROTATE, kind: "commit_garble", body: "success_false" },
  { route: ROTATE, kind: "commit_garble", body: "html" },
  { route: ROTATE, kind: "foreign_404" },
  { route: ROTATE, kind: "status", status: 403, code: 10000 },
  { route: GET, kind: "status", status: 503, times: 2 },
  { route: GET, kind: "status", status: 500, times: 8 },
  { route: GET, kind: "reset" },
  { route: GET, kind: "foreign_404" },
  { route: GET, kind: "status", status: 404, code: 7003 },
  { route: GET, kind: "status", status: 404, code: 10000 },
  { route: GET, kind: "status", status: 404, code: null },
  { route: GET, kind: "commit_garble", body: "html", times: 3 },
  { route: GET, kind: "status", status: 503, shouldRetry: true, times: 2 },
  { route: "*", kind: "status", status: 500, times: 3 },
  { route: "*", kind: "reset", times: 12 },
  // The batched read's page: failed, garbled, without Date, leaving a widget out (the list paged differently).
  { route: LIST, kind: "status", status: 503, times: 8 },
  { route: LIST, kind: "status", status: 400, code: 10001 },
  { route: LIST, kind: "reset", times: 3 },
  { route: LIST, kind: "rate_limit", retryAfterSeconds: 1 },
  { route: LIST, kind: "commit_garble", body: "truncated" },
  { route: LIST, kind: "commit_garble", body: "html" },
  { route: LIST, kind: "commit_garble", body: "null_fields" },
  { route: LIST, kind: "commit_garble", body: "missing_item", times: 2 },
  { route: LIST, kind: "commit_garble", body: "bad_items", times: 2 },
  { route: LIST, kind: "commit_garble", body: "not_a_list" },
  { route: LIST, kind: "no_date", times: 2 },
];

/** Another actor acting just before a request of the run (the emulator's `rival` faults). */
export const RIVALS: readonly Fault[] = [
  { route: ROTATE, kind: "rival" },
  { route: ROTATE, kind: "rival", action: "rotate_immediately" },
  { route: ROTATE, kind: "rival", action: "edit" },
  { route: ROTATE, kind: "rival", action: "delete" },
  { route: GET, kind: "rival" },
  { route: GET, kind: "rival", action: "rotate_immediately" },
  { route: GET, kind: "rival", action: "edit" },
  // A stale page: taken just before another actor rotates or edits the widget it shows first.
  { route: LIST, kind: "rival", times: 2 },
  { route: LIST, kind: "rival", action: "rotate_immediately", times: 2 },
  { route: LIST, kind: "rival", action: "edit", times: 2 },
];

/** How generated sequences are weighted. Weights are whole numbers against 8 for "nothing of the kind". */
export interface Profile {
  readonly name: string;
  readonly fault: number;
  readonly faults: readonly Fault[];
  readonly fate: number;
  /** The requests of a run a fate may hit (1 is the first). */
  readonly fateOn: readonly number[];
  readonly kill: number;
  /** The other stack at the same time, or an actor during a run. */
  readonly concurrency: number;
  /** Weight of changes that set invalidateImmediately (against 8 that do not). */
  readonly immediate: number;
  readonly clock: readonly number[];
  /** Weight of an outside actor between runs (against 16 for a run). */
  readonly outside: number;
  /** What outside actors do, as often as listed. */
  readonly actors: readonly Actor[];
  /** Weight of a motif (motifs.ts) among the commands (against 16 for a run); 0: none. */
  readonly motifs: number;
}

const CLOCK = [30, 1800, 3600, 7201, 7201, 7202];

/** The general mix. */
export const GENERAL: Profile = {
  name: "general", fault: 4, faults: [...FAULTS, ...RIVALS], fate: 2, fateOn: [1, 2, 3, 4, 5], kill: 2, concurrency: 2,
  immediate: 8, clock: CLOCK, outside: 2, actors: ["rotate", "rotate", "rotate_immediately", "edit", "delete"], motifs: 0,
};

/** Requests in flight: late commits, lost requests and gateway answers around the rotate call, mostly with invalidateImmediately. */
export const IN_FLIGHT: Profile = { ...GENERAL, name: "in flight", fault: 2, fate: 12, fateOn: [1, 2, 2, 2, 3, 4], kill: 2, immediate: 16 };

/** Another actor: rivals before a call, actors during runs, both stacks at once. */
export const RIVALRY: Profile = { ...GENERAL, name: "rivals", fault: 6, faults: RIVALS, fate: 2, kill: 1, concurrency: 12, outside: 4 };

/** Kills at every point of a run, then recoveries. */
export const KILLS: Profile = { ...GENERAL, name: "kills", fault: 2, fate: 2, kill: 16 };

/** The motifs of motifs.ts among random commands: each rare interleaving, every run. */
export const MOTIF: Profile = { ...GENERAL, name: "motifs", motifs: 8 };

/** Grace periods: clock steps around their ends, settings edits and outside rotations. */
export const GRACE: Profile = {
  ...GENERAL, name: "grace", fault: 2, fate: 1, kill: 1, clock: [60, 1800, 3600, 3600, 7199, 7200, 7201, 7202], outside: 8,
  actors: ["rotate", "rotate", "edit", "edit"],
};

const stackArb = fc.constantFrom<0 | 1>(0, 0, 0, 1);
const none = fc.constant(undefined);

function runSpecArb(profile: Profile, stack: fc.Arbitrary<0 | 1>): fc.Arbitrary<RunSpec> {
  const fate = fc.tuple(fc.constantFrom(...profile.fateOn), fc.constantFrom<Fate>("late", "late", "lost", "gateway"));
  return fc.record({
    stack,
    op: fc.constantFrom<Op>("up", "up", "up", "up", "preview", "refresh", "up --refresh", "up --refresh", "destroy", "import"),
    fates: fc.oneof(
      { weight: 8, arbitrary: fc.constant([] as Array<[number, Fate]>) },
      { weight: 1, arbitrary: fc.array(fc.tuple(fc.constantFrom(...profile.fateOn), fc.constantFrom<Fate>("refused", "dateless")), { minLength: 1, maxLength: 2 }) },
      { weight: profile.fate, arbitrary: fc.array(fate, { minLength: 1, maxLength: 2 }) },
    ),
    killAt: fc.oneof({ weight: 8, arbitrary: none }, { weight: profile.kill, arbitrary: fc.integer({ min: 0, max: 12 }) }),
    // Local clocks off by seconds, or by minutes (within the preview's margin of 5 minutes).
    skewMs: fc.constantFrom(-240_000, -5000, 0, 0, 5000, 240_000),
    dateless: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  });
}

function runArb(profile: Profile): fc.Arbitrary<Command> {
  return fc.record({
    kind: fc.constant("run" as const),
    ops: fc.oneof(
      { weight: 8, arbitrary: runSpecArb(profile, stackArb).map((spec) => [spec]) },
      { weight: profile.concurrency, arbitrary: fc.tuple(runSpecArb(profile, fc.constant<0 | 1>(0)), runSpecArb(profile, fc.constant<0 | 1>(1))) },
    ),
    fault: fc.oneof({ weight: 8, arbitrary: none }, { weight: profile.fault, arbitrary: fc.constantFrom(...profile.faults) }),
    actors: fc.oneof({ weight: 8, arbitrary: fc.constant([] as Actor[]) }, { weight: profile.concurrency, arbitrary: fc.array(fc.constantFrom(...profile.actors), { minLength: 1, maxLength: 2 }) }),
    shared: fc.boolean(),
  });
}

/** Commands, weighted toward runs; with motifs, a motif's chain counts as one. */
export function commandsArb(profile: Profile): fc.Arbitrary<Command[]> {
  const one = commandArb(profile).map((command) => [command]);
  return profile.motifs === 0 ? one : fc.oneof({ weight: 16, arbitrary: one }, { weight: profile.motifs, arbitrary: fc.oneof(...MOTIFS) });
}

/** Commands, weighted toward runs. */
export function commandArb(profile: Profile): fc.Arbitrary<Command> {
  const invalidate = fc.oneof({ weight: 8, arbitrary: fc.constant(false) }, { weight: profile.immediate, arbitrary: fc.constant(true) });
  return fc.oneof(
    { weight: 16, arbitrary: runArb(profile) },
    { weight: 6, arbitrary: fc.record({ kind: fc.constant("change" as const), stack: stackArb, invalidate, revert: fc.boolean() }) },
    { weight: profile.outside, arbitrary: fc.record({ kind: fc.constant("outside" as const), action: fc.constantFrom(...profile.actors), widget: fc.constantFrom<0 | 1>(0, 0, 1) }) },
    { weight: 6, arbitrary: fc.record({ kind: fc.constant("clock" as const), seconds: fc.constantFrom(...profile.clock) }) },
    { weight: 2, arbitrary: fc.oneof(
      fc.record({ kind: fc.constant("retarget" as const), stack: stackArb }),
      fc.record({ kind: fc.constant("onboard" as const), stack: stackArb, rotateOnCreate: fc.boolean() }),
      fc.record({ kind: fc.constant("typo" as const), stack: stackArb, typo: fc.boolean() }),
      fc.record({ kind: fc.constant("mode" as const), stack: stackArb }),
      fc.record({ kind: fc.constant("token" as const), stack: stackArb }),
    ) },
  );
}

/** Whole sequences: 1-25 commands, or 1-8 chains (a motif, or one command). */
export function sequenceArb(profile: Profile = GENERAL): fc.Arbitrary<Sequence> {
  const door = fc.constantFrom<DoorKind>("dynamic", "plugin");
  const via = fc.constantFrom<TokenVia>("env", "env", "input", "config");
  return fc.record({
    doors: fc.tuple(door, door),
    tokenVia: fc.tuple(via, via),
    numeric: fc.tuple(fc.boolean(), fc.boolean()),
    immediate: fc.tuple(fc.boolean(), fc.boolean()),
    commands: fc.array(commandsArb(profile), { minLength: 1, maxLength: profile.motifs === 0 ? 25 : 8 }).map((chains) => chains.flat()),
  });
}
