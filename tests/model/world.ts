/**
 * The model-based test's world: one widget at an in-process emulator (Cloudflare), two stacks
 * that manage it, and a small stand-in for the engine that runs the REAL hooks the way `pulumi up`,
 * `pulumi refresh` and `pulumi up --refresh` do. State is saved only when a hook returns; a kill
 * after any request discards everything the run had not saved yet.
 */
import { createEmulator, createSeededRandom, ManualClock, type Emulator } from "../../emulator";
import { createHooks } from "../../provider/hooks";
import type { RotationState } from "../../provider/core/state";

export const ACCOUNT_ID = "023e105f4ecef8ad9ca31a8372d0c353";
/** The token the test itself uses (never revoked). */
const ADMIN_TOKEN = "model-admin-token";

/** One committed rotation at Cloudflare and who made it. */
export interface RotationRecord {
  readonly secret: string;
  readonly atMs: number;
  /** `stack:trigger` of the run that made it, or `outside`. */
  readonly by: string;
}

/** A stack: its program's config and its saved state. */
export interface StackModel {
  readonly name: string;
  trigger: number;
  invalidate: boolean;
  state?: RotationState;
  /** Cloudflare time at which the first run trying each trigger began. */
  readonly firstTry: Map<string, number>;
  /** The last command of this stack failed (with a message) or was killed. */
  lastOutcome: "ok" | "failed" | "killed";
  /** The trigger of a create killed after it called rotate_secret (limit E5: a later create may rotate again). */
  killedCreate?: string;
}

/** What one run did, for the invariants. */
export interface RunReport {
  readonly requests: string[];
  readonly warnings: string[];
  readonly error?: Error;
  readonly killed: boolean;
  readonly graceOpenAtStart: boolean;
  readonly startMs: number;
  /** Cloudflare accepted the stack's secret when the run began. */
  readonly acceptedBefore: boolean;
  /** Cloudflare's current secret was the stack's when the run began (no unrecorded rotation). */
  readonly currentBefore: boolean;
}

export class World {
  readonly clock = new ManualClock(Date.UTC(2026, 10, 1));
  readonly tokens: Record<string, string[]> = {};
  readonly emulator: Emulator;
  readonly rotations: RotationRecord[] = [];
  readonly stacks: StackModel[];
  sitekey = "";
  baseUrl = "";
  private runTag = "outside";
  private requestLog: string[] | undefined;
  private onRequest: (() => void) | undefined;
  private runs = 0;

  constructor(seed: number) {
    this.emulator = createEmulator({ apiToken: ADMIN_TOKEN, tokens: this.tokens, clock: this.clock, random: createSeededRandom(seed) });
    const store = this.emulator.store;
    const rotateSecret = store.rotateSecret.bind(store);
    store.rotateSecret = (accountId, sitekey, immediately) => {
      const widget = rotateSecret(accountId, sitekey, immediately);
      this.rotations.push({ secret: widget.secret, atMs: this.clock.now(), by: this.runTag });
      return widget;
    };
    const countRoute = store.requests.countRoute.bind(store.requests);
    store.requests.countRoute = (route) => {
      countRoute(route);
      this.requestLog?.push(route);
      this.onRequest?.();
    };
    // A request answered 429 provably did nothing: the log marks it, so repeating it is no blind repeat.
    const take = this.emulator.faults.take.bind(this.emulator.faults);
    this.emulator.faults.take = (route, method) => {
      const fault = take(route, method);
      if (fault?.kind === "rate_limit" && this.requestLog) this.requestLog[this.requestLog.length - 1] += " (429)";
      return fault;
    };
    const stack = (name: string): StackModel => ({ name, trigger: 1, invalidate: false, firstTry: new Map(), lastOutcome: "ok" });
    this.stacks = [stack("A"), stack("B")];
  }

  async start(): Promise<void> {
    this.baseUrl = (await this.emulator.listen(0, "127.0.0.1")).baseUrl;
    this.sitekey = this.emulator.store.create(ACCOUNT_ID, { name: "model", domains: ["example.com"], mode: "managed" }).sitekey;
  }

  stop(): Promise<void> {
    return this.emulator.close();
  }

  /** Cloudflare's view of the widget. */
  widget() {
    return this.emulator.store.findBySitekey(this.sitekey);
  }

  /** True when Cloudflare accepts `secret` now (current, or previous inside its grace period). */
  accepts(secret: string): boolean {
    return this.emulator.store.accepts(this.sitekey, secret);
  }

  /** A rotation by someone outside Pulumi; refused (no-op) inside a grace period, as at Cloudflare. */
  rotateOutside(immediately: boolean): void {
    const record = this.widget();
    if (!record || (record.graceEndsMs !== undefined && this.clock.now() < record.graceEndsMs)) return;
    this.emulator.store.rotateSecret(ACCOUNT_ID, this.sitekey, immediately);
  }

  /**
   * Runs `pulumi up` (with `refresh` first for `up --refresh`, or a refresh alone) for a stack with
   * a fresh provider process, killing it when it attempts request number `killAfter + 1`.
   */
  async run(stack: StackModel, op: "up" | "refresh" | "up --refresh", killAfter: number | undefined, skewMs: number): Promise<RunReport> {
    const token = `model-run-${++this.runs}`;
    this.tokens[token] = [ACCOUNT_ID];
    const requests: string[] = [];
    const warnings: string[] = [];
    const record = this.widget();
    const startMs = this.clock.now();
    const graceOpenAtStart = record?.graceEndsMs !== undefined && startMs < record.graceEndsMs;
    const acceptedBefore = stack.state !== undefined && this.accepts(stack.state.secret);
    const currentBefore = stack.state !== undefined && record?.secret === stack.state.secret && stack.state.adoptedAt === undefined;
    this.requestLog = requests;
    this.onRequest = () => {
      // Killed once request number killAfter was answered: nothing it sends afterwards has an effect.
      if (killAfter !== undefined && requests.length > killAfter) delete this.tokens[token];
    };
    this.runTag = `${stack.name}:${stack.trigger}`;
    if (op !== "refresh" && !stack.firstTry.has(String(stack.trigger))) stack.firstTry.set(String(stack.trigger), startMs);
    const hooks = createHooks({
      // A hung call costs its deadline in real time: keep it short here.
      env: { CLOUDFLARE_API_TOKEN: token, CLOUDFLARE_BASE_URL: this.baseUrl, TURNSTILE_ROTATION_TIMEOUT: "0.2" },
      now: () => this.clock.now() + skewMs,
      warn: async (message) => void warnings.push(message),
      rateLimiterFor: () => undefined,
      sleep: async () => {},
    });
    // Saves, each with the number of requests made before it: a kill after request k keeps those before.
    const pending: Array<{ readonly after: number; readonly apply: () => void }> = [];
    const save = (apply: () => void) => void pending.push({ after: requests.length, apply });
    let error: Error | undefined;
    try {
      if (op !== "up" && stack.state) {
        const read = await hooks.read!(id(this.sitekey), { ...stack.state, __provider: "p" });
        const props = read.id === undefined ? undefined : strip(read.props);
        save(() => (stack.state = props));
      }
      if (op !== "refresh") await this.up(stack, hooks, save);
    } catch (caught) {
      error = caught as Error;
      const partial = (caught as { properties?: Record<string, unknown> }).properties;
      if (partial) save(() => (stack.state = strip(partial)));
    } finally {
      for (const { after, apply } of pending) if (killAfter === undefined || after < killAfter) apply();
      this.requestLog = undefined;
      this.onRequest = undefined;
      this.runTag = "outside";
      delete this.tokens[token];
    }
    // A kill after the run's last answer still drops its last save; one later than that is no kill.
    const killed = killAfter !== undefined && killAfter <= requests.length;
    stack.lastOutcome = killed ? "killed" : error ? "failed" : "ok";
    return { requests, warnings, error: killed ? undefined : error, killed, graceOpenAtStart, startMs, acceptedBefore, currentBefore };
  }

  private async up(stack: StackModel, hooks: ReturnType<typeof createHooks>, save: (apply: () => void) => void): Promise<void> {
    const news = { accountId: ACCOUNT_ID, sitekey: this.sitekey, rotationTrigger: String(stack.trigger), invalidateImmediately: stack.invalidate, __provider: "p" };
    const { inputs } = await hooks.check!({}, news);
    const checked = inputs as Record<string, unknown>;
    if (!stack.state) {
      const created = await hooks.create(checked);
      save(() => (stack.state = strip(created.outs)));
      return;
    }
    const olds = { ...stack.state, __provider: "p" };
    const diff = await hooks.diff!(id(this.sitekey), olds, checked);
    if (!diff.changes) return;
    const updated = await hooks.update!(id(this.sitekey), olds, checked);
    save(() => (stack.state = strip(updated.outs)));
  }
}

function id(sitekey: string): string {
  return `${ACCOUNT_ID}/${sitekey}`;
}

/** The outputs as the engine stores them (without the serialized provider). */
function strip(props: unknown): RotationState {
  const { __provider: _provider, ...rest } = props as Record<string, unknown>;
  return rest as unknown as RotationState;
}
