/**
 * The runner that replays one generated sequence (commands.ts) against a fresh world: each step's
 * operations and actors under fast-check's scheduler, then every request still in flight, then
 * every promise checked (invariants.ts).
 */
import fc from "fast-check";
import { parseFaultSpec } from "../../emulator";
import type { createHooks } from "../../provider/hooks";
import type { Command, Sequence } from "./commands";
import { WidgetSnapshots } from "../../provider/core/widget-snapshots";
import { callingStack, routeTo, startDoors } from "./doors";
import { processHooks, startOp, type OpReport } from "./engine";
import { checkOncePerChange, checkOp, InvariantViolation } from "./invariants";
import { Process, ScheduledNetwork } from "./network";
import { ATTEMPT_SECONDS, World } from "./world";

export type { Command, Profile, Sequence } from "./commands";


/** Real time the model waits for a door to answer before calling it a hang. */
const HANG_MS = 5000;

/** The processes of the step under way, by stack: whose batched-read lookup is whose (see Process.lookups). */
let stepProcesses = new Map<string, Process>();
const lookup = WidgetSnapshots.prototype.unchanged;
WidgetSnapshots.prototype.unchanged = async function (this: WidgetSnapshots, ...args: Parameters<typeof lookup>) {
  const process = stepProcesses.get(callingStack.getStore() ?? "");
  if (process) process.lookups++;
  try {
    return await lookup.apply(this, args);
  } finally {
    if (process) process.lookups--;
  }
};

/** Waits until every running operation waits for a network event (or is done); a door that never answers is a hang. */
async function settle(network: ScheduledNetwork, reports: readonly OpReport[]): Promise<void> {
  const started = Date.now();
  // Whatever the last event set going without I/O (a lookup between two pages) runs first.
  await new Promise((resolve) => setImmediate(resolve));
  while (!network.quiet(reports)) {
    if (Date.now() - started > HANG_MS) {
      const stuck = reports.filter((r) => !r.done && !r.process.killed).map((r) => `${r.stack.name} (${r.stack.door}) \`${r.op}\``);
      throw new InvariantViolation(`1 fails loudly: ${stuck.join(", ")} hung: a door never answered the engine (requests: ${reports.map((r) => r.process.sent.join(" ")).join(" | ")})`);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Runs one step: its operations and actors under the scheduler, then every request still in flight. */
async function runStep(world: World, network: ScheduledNetwork, command: Extract<Command, { kind: "run" }>, route: (stack: string, hooks: ReturnType<typeof createHooks>) => void, names: () => string): Promise<void> {
  const rotationsBefore = world.rotations.length;
  const ops = command.ops.filter((spec, i) => command.ops.findIndex((other) => other.stack === spec.stack) === i);
  if (command.fault) world.emulator.faults.add(parseFaultSpec(command.fault));
  command.actors.forEach((action, i) => network.scheduleOutside(`outside ${i} ${action}`, () => world.actOutside(action, 0)));
  const processes = ops.map((spec) => {
    const stack = world.stacks[spec.stack];
    return new Process(`${stack.name}${names()}`, `${stack.name}:${stack.change}`, new Map(spec.fates), spec.dateless);
  });
  stepProcesses = new Map(ops.map((spec, i) => [world.stacks[spec.stack].name, processes[i]]));
  // Both stacks' resources in one provider process (one stack's two resources), when one door serves them.
  const shared = command.shared === true && ops.length === 2 && world.stacks[0].door === world.stacks[1].door;
  const byStack = new Map<string, { process: Process; report: OpReport }>();
  const sharedHooks = shared ? processHooks(world, network, ops.map((spec) => world.stacks[spec.stack]), ops[0].skewMs,
    () => byStack.get(callingStack.getStore() ?? "") ?? [...byStack.values()][0]) : undefined;
  const runs = ops.map((spec, i) => {
    const stack = world.stacks[spec.stack];
    const run = { spec, ...startOp(world, network, stack, spec.op, processes[i], spec.skewMs, route, sharedHooks) };
    byStack.set(stack.name, { process: processes[i], report: run.report });
    return run;
  });
  const reports = runs.map((run) => run.report);
  for (let events = 0; ; events++) {
    for (const run of runs) {
      if (run.spec.killAt !== events || run.report.done) continue;
      // A shared provider process dies with every resource it serves.
      for (const other of shared ? runs : [run]) other.report.process.kill();
    }
    await settle(network, reports);
    if (reports.every((report) => report.done)) break;
    if (!(await network.releaseOne())) {
      const stuck = reports.filter((r) => !r.done).map((r) => `${r.stack.name} \`${r.op}\``);
      throw new InvariantViolation(`1 fails loudly: ${stuck.join(", ")} wait for nothing the network can deliver`);
    }
  }
  await Promise.all(runs.map((run) => run.finished));
  await Promise.all(runs.map((run) => run.drained()));
  // Whatever is still in flight arrives (or its answer is dropped) before the operator's next command.
  while ((await settle(network, []), await network.releaseOne()));
  world.emulator.faults.clear();
  for (const { report } of runs) {
    // A create (or a replacement's) killed after it sent rotate_secret, whose resource the engine forgot.
    const created = world.stateOf(report.stack)?.sitekey === world.sitekeys[report.stack.widget];
    const rotated = world.rotations.slice(rotationsBefore).some((r) => r.by === report.process.tag);
    if (report.killed && !created && rotated) {
      report.stack.killedCreates.set(report.change, (report.stack.killedCreates.get(report.change) ?? 0) + 1);
    }
    // A destroyed resource's successor is a new resource: its create is a rotation of its own.
    if (report.op === "destroy" && !report.stack.state) report.stack.change += 1;
  }
  const concurrent = runs.length > 1 || command.actors.length > 0;
  const disturbed = command.fault !== undefined || ops.some((spec) => spec.fates.length > 0 || spec.killAt !== undefined || world.stacks[spec.stack].typo);
  const facts = { concurrent, faultless: !concurrent && !disturbed, rotationsBefore };
  for (const { report } of runs) checkOp(world, report, facts);
  // What each state a run saved records as the answer to its program's change. A refresh's adoption
  // mark, or one a run only carried over, is not a record (the next trigger change may take that
  // secret, limit E2); a mark any other run set is.
  for (const { report } of runs) {
    const { stack } = report;
    const state = world.stateOf(stack);
    const adoptedBefore = report.before?.outputs.adoptedAt;
    const adoptedByRefresh = state?.adoptedAt !== undefined && (report.op === "refresh" || report.op === "up --refresh" || state.adoptedAt === adoptedBefore);
    if (state && stack.state !== report.before && !adoptedByRefresh && String(state.rotationTrigger) === String(stack.trigger) && !stack.recorded.has(state.secret)) {
      stack.recorded.set(state.secret, stack.change);
    }
  }
  for (const stack of world.stacks) checkOncePerChange(world, stack);
}

/** Replays `sequence` against a fresh world; throws `InvariantViolation` at the first broken promise. */
export async function runSequence(sequence: Sequence, scheduler: fc.Scheduler, seed = 1): Promise<void> {
  await startDoors();
  const world = new World(seed, sequence.doors, sequence.tokenVia, sequence.numeric, sequence.immediate);
  await world.start();
  const network = new ScheduledNetwork(scheduler, {
    onDeadline: () => world.clock.advance(ATTEMPT_SECONDS),
    delivering: (tag) => world.delivering(tag),
  });
  const current = new Map<string, ReturnType<typeof createHooks>>();
  routeTo((stack) => {
    const hooks = current.get(stack);
    if (!hooks) throw new Error(`no provider process for stack ${stack}`);
    return hooks;
  }, (config) => current.get(world.stacks.find((stack) => stack.tokens.includes(String(config.apiToken)))?.name ?? ""));
  let processes = 0;
  // What the doors' servers print (they log each failed call's error): shown to users, so scanned for leaks.
  const printError = console.error;
  console.error = (...args: unknown[]) => void world.printed.push(args.map(String).join(" "));
  try {
    for (const command of sequence.commands) {
      const stack = "stack" in command ? world.stacks[command.stack] : undefined;
      if (command.kind === "change" && stack) {
        stack.trigger = command.revert && stack.trigger > 1 ? stack.trigger - 1 : stack.trigger + 1;
        stack.invalidate = command.invalidate;
        stack.change += 1;
      } else if (command.kind === "retarget" && stack) {
        stack.widget = stack.widget === 0 ? 1 : 0;
        stack.change += 1;
      } else if (command.kind === "onboard" && stack) {
        stack.rotateOnCreate = command.rotateOnCreate;
      } else if (command.kind === "typo" && stack) {
        stack.typo = command.typo;
      } else if (command.kind === "mode" && stack) {
        stack.invalidate = !stack.invalidate;
      } else if (command.kind === "token" && stack) {
        stack.token = stack.token === stack.tokens[0] ? stack.tokens[1] : stack.tokens[0];
      } else if (command.kind === "outside") {
        world.actOutside(command.action, command.widget);
      } else if (command.kind === "clock") {
        world.clock.advance(command.seconds);
      } else if (command.kind === "run") {
        await runStep(world, network, command, (name, hooks) => current.set(name, hooks), () => String(++processes));
      }
    }
  } finally {
    console.error = printError;
    await world.stop();
  }
}
