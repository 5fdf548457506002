/**
 * A stand-in for the Pulumi engine, calling a stack's door the way the real engine does for one
 * resource: `preview` (check, diff), `up` (check with the old inputs, diff with the old outputs,
 * then create, update, or a replacement that creates before it deletes; a resource left with
 * a partial state is updated whatever the diff says), `refresh` (read, dropping the resource when
 * the read says it is gone), `up --refresh` (refresh, then up, in one provider process),
 * `destroy` (delete) and `import` (read with no state). It saves after every resource operation,
 * as the engine's checkpoint does, so a kill loses exactly what had not been saved. It records
 * how the real engine stores each output: encrypted when the door returned it wrapped as a secret
 * (plugin), or when it is the dynamic resource's `secret` (additionalSecretOutputs) or a secret input.
 */
import { createHooks } from "../../provider/hooks";
import { DoorClient, DoorError, serializedProvider } from "./doors";
import type { Process, ScheduledNetwork } from "./network";
import { ACCOUNT_ID, ATTEMPT_SECONDS, LIST_PAGING, ROTATION_DEADLINE_SECONDS, type EngineState, type StackModel, type World } from "./world";
import * as runtime from "@pulumi/pulumi/runtime";

/** What an operator runs. */
export type Op = "preview" | "up" | "refresh" | "up --refresh" | "destroy" | "import";

/** What one operation did, for the invariants. */
export interface OpReport {
  readonly op: Op;
  readonly stack: StackModel;
  readonly process: Process;
  readonly warnings: string[];
  error?: Error;
  killed: boolean;
  done: boolean;
  /** The state before the operation. */
  readonly before: EngineState | undefined;
  /** The change the program asked for when the operation began. */
  readonly change: number;
  readonly startMs: number;
  /** Whether the program's trigger differs from the state's when the operation began. */
  readonly triggerChanged: boolean;
  /** Cloudflare's view when it began: its secret was the stack's, not adopted (nothing to take over). */
  readonly currentBefore: boolean;
  /** The widget's grace period was open when it began. */
  readonly graceOpenAtStart: boolean;
  /** Cloudflare accepted the state's secret when it began. */
  readonly acceptedBefore: boolean;
}

/** Thrown into an operation whose process was killed. */
class Killed extends Error {}

/** The program's inputs, as the language host registers them (secrets wrapped for a door that accepts them). */
function programInputs(world: World, stack: StackModel): Record<string, unknown> {
  const inputs: Record<string, unknown> = {
    accountId: ACCOUNT_ID, sitekey: world.sitekeys[stack.widget],
    rotationTrigger: stack.typo ? "" : stack.numericTrigger ? stack.trigger : String(stack.trigger),
    invalidateImmediately: stack.invalidate, ...(stack.rotateOnCreate ? {} : { rotateOnCreate: false }),
  };
  if (stack.tokenVia === "input") inputs.apiToken = stack.door === "plugin" ? wrap(stack.token) : stack.token;
  if (stack.door === "dynamic") inputs.__provider = serializedProvider(stack.name);
  return inputs;
}

function wrap(value: unknown): unknown {
  return { [runtime.specialSigKey]: runtime.specialSecretSig, value };
}

/** The outputs the engine encrypts, as described in the module comment. */
function encryptedKeys(stack: StackModel, outputs: Record<string, unknown>): Set<string> {
  if (stack.door === "plugin") return new Set(Object.keys(outputs).filter((key) => runtime.isRpcSecret(outputs[key])));
  return new Set(["secret", ...(stack.tokenVia === "input" ? ["apiToken"] : [])]);
}

/** The hooks of one provider process serving `stacks`' resources; `serving` picks the process (and report) of the calling one. */
export function processHooks(world: World, network: ScheduledNetwork, stacks: readonly StackModel[], skewMs: number,
  serving: () => { process: Process; report: OpReport }): ReturnType<typeof createHooks> {
  const [first] = stacks;
  const viaEnv = stacks.some((stack) => stack.tokenVia !== "config");
  return createHooks({
    env: {
      TURNSTILE_ROTATION_TIMEOUT: String(ATTEMPT_SECONDS), TURNSTILE_ROTATION_DEADLINE: String(ROTATION_DEADLINE_SECONDS),
      ...(viaEnv ? { CLOUDFLARE_BASE_URL: world.baseUrl } : {}),
      ...(first.tokenVia === "env" || (stacks.length > 1 && viaEnv) ? { CLOUDFLARE_API_TOKEN: first.token } : {}),
    },
    now: () => world.clock.now() + skewMs,
    warn: async (message) => {
      const { process, report } = serving();
      void (process.killed || report.warnings.push(message));
    },
    rateLimiterFor: () => undefined,
    sleep: async (ms) => world.clock.advance(ms / 1000),
    transport: network.transportFor(() => serving().process),
    listPaging: LIST_PAGING,
  });
}

/**
 * Starts `op` on `stack` in a fresh provider process, or in `shared`, one serving another stack's
 * resource at the same time (as one stack's two resources); the returned report fills in as it runs.
 */
export function startOp(world: World, network: ScheduledNetwork, stack: StackModel, op: Op, process: Process, skewMs: number,
  route: (stack: string, hooks: ReturnType<typeof createHooks>) => void, shared?: ReturnType<typeof createHooks>): { report: OpReport; finished: Promise<void>; drained: () => Promise<void> } {
  const sitekey = world.sitekeys[stack.widget];
  const record = world.widget(sitekey);
  const state = world.stateOf(stack);
  const report: OpReport = {
    op, stack, process, warnings: [], killed: false, done: false, before: stack.state, change: stack.change, startMs: world.clock.now(),
    // An imported state records its first trigger without rotating: that is no trigger change.
    triggerChanged: state !== undefined && state.rotationTrigger !== undefined && String(state.rotationTrigger) !== String(stack.trigger),
    currentBefore: state !== undefined && record?.secret === state.secret && state.adoptedAt === undefined && state.sitekey === sitekey,
    graceOpenAtStart: record?.graceEndsMs !== undefined && world.clock.now() < record.graceEndsMs,
    acceptedBefore: state !== undefined && world.accepts(state.sitekey, state.secret),
  };
  const hooks = shared ?? processHooks(world, network, [stack], skewMs, () => ({ process, report }));
  route(stack.name, hooks);
  if (op !== "refresh" && op !== "preview" && !stack.firstTry.has(stack.change)) stack.firstTry.set(stack.change, world.clock.now());
  const client = new DoorClient(stack.door, stack.name);
  const killed = process.whenKilled().then(() => Promise.reject(new Killed()));
  killed.catch(() => {});
  // Calls still running in a killed process: drained before the next command, as a dead process is gone by then.
  const running = new Set<Promise<unknown>>();
  const call = <T>(work: Promise<T>): Promise<T> => {
    const settled = work.then(() => undefined, () => undefined);
    running.add(settled);
    void settled.then(() => running.delete(settled));
    return Promise.race([work, killed]);
  };
  const save = (next: EngineState | undefined) => void (stack.state = next);
  const keep = (id: string, inputs: Record<string, unknown>, outputs: Record<string, unknown>, initErrors: boolean, createdFor: number): EngineState =>
    ({ id, inputs, outputs, encrypted: encryptedKeys(stack, outputs), initErrors, createdFor });

  async function create(inputs: Record<string, unknown>): Promise<void> {
    try {
      const { id, outs } = await call(client.create(inputs));
      save(keep(id, inputs, outs, false, stack.change));
    } catch (error) {
      if (error instanceof DoorError && error.partial) save(keep(error.partial.id, inputs, error.partial.properties, true, stack.change));
      throw error;
    }
  }

  /** The provider configuration as each door receives it when its process starts. */
  async function configure(): Promise<void> {
    if (stack.door === "plugin") return call(client.configure({ apiToken: wrap(stack.token), baseUrl: world.baseUrl }));
    // The SDK's dynamic provider hands the whole stack config to `configure` once per process.
    const keys: Record<string, string> = { "cloudflare:apiToken": stack.token, "cloudflare:baseUrl": world.baseUrl };
    await hooks.configure({ config: { get: (key: string) => keys[key] } } as unknown as Parameters<typeof hooks.configure>[0]);
  }

  async function refresh(): Promise<void> {
    const current = stack.state;
    if (!current) return;
    const read = await call(client.read(current.id, current.outputs, current.inputs));
    // The engine replaces the state with what the read returned, a failed operation's mark included.
    save(read.id === "" ? undefined : keep(read.id, read.inputs ?? current.inputs, read.props, false, current.createdFor));
  }

  async function up(previewOnly: boolean): Promise<void> {
    const news = programInputs(world, stack);
    const current = stack.state;
    if (!current) {
      const { inputs } = await call(client.check({}, news));
      if (!previewOnly) await create(inputs);
      return;
    }
    const { inputs } = await call(client.check(current.inputs, news));
    const diff = await call(client.diff(current.id, current.outputs, inputs));
    if (previewOnly) return;
    if (diff.replaces.length > 0) {
      await create(inputs);
      await call(client.delete(current.id, current.outputs));
      return;
    }
    if (!diff.changes && !current.initErrors) return;
    try {
      const { outs } = await call(client.update(current.id, current.outputs, inputs));
      save(keep(current.id, inputs, outs, false, current.createdFor));
    } catch (error) {
      if (error instanceof DoorError && error.partial) save(keep(current.id, inputs, error.partial.properties, true, current.createdFor));
      throw error;
    }
  }

  async function run(): Promise<void> {
    if (stack.tokenVia === "config") await configure();
    switch (op) {
      case "preview":
        return up(true);
      case "up":
        return up(false);
      case "refresh":
        return refresh();
      case "up --refresh":
        await refresh();
        return up(false);
      case "destroy":
        if (stack.state) await call(client.delete(stack.state.id, stack.state.outputs));
        return save(undefined);
      case "import": {
        if (stack.state || stack.door !== "plugin") return;
        const read = await call(client.read(`${stack.typo ? ACCOUNT_ID.toUpperCase() : ACCOUNT_ID}/${sitekey}`, {}, {}));
        return save(keep(read.id, read.inputs ?? {}, read.props, false, stack.change));
      }
    }
  }

  const finished = run().then(
    () => undefined,
    (error: unknown) => {
      if (error instanceof Killed) return;
      report.error = error instanceof Error ? error : new Error(String(error));
    },
  ).finally(() => {
    report.killed = process.killed;
    report.done = true;
  });
  return { report, finished, drained: async () => void (await Promise.all([...running])) };
}
