/**
 * The model's world: Cloudflare (the in-process emulator on a manual clock) with two widgets,
 * two stacks that may manage the same widget, each through one front door, and a record of
 * every rotation Cloudflare committed and who caused it. Nothing here decides: the engine
 * stand-in (engine.ts) runs operations, the invariants (invariants.ts) judge them.
 */
import { unwrapRpcSecret } from "@pulumi/pulumi/runtime";
import { createEmulator, createSeededRandom, ManualClock, type Emulator } from "../../emulator";
import type { RotationState } from "../../provider/core/state";
import type { DoorKind } from "./doors";

export const ACCOUNT_ID = "023e105f4ecef8ad9ca31a8372d0c353";
const ADMIN_TOKEN = "model-admin-token";
/** The attempt deadline of the model's clients, in seconds: a deadline that fires moves the clock by that much. */
export const ATTEMPT_SECONDS = 30;
/** The rotation deadline of the model's clients, in seconds: past it, no new rotate call starts. */
export const ROTATION_DEADLINE_SECONDS = 45;
/** How the model's provider processes page the widget list: two pages of five (see World.start). */
export const LIST_PAGING = { pageSize: 5, maxPages: 2 } as const;

/** See StackModel.tokenVia. */
export type TokenVia = "env" | "input" | "config";

/** One rotation Cloudflare committed. */
export interface RotationRecord {
  readonly secret: string;
  readonly sitekey: string;
  readonly atMs: number;
  readonly immediately: boolean;
  /** `stack:change` of the run whose request made it (even late, after that run ended), or `outside`. */
  readonly by: string;
  /** When it committed, in Cloudflare's order of handling (see World.tick). */
  readonly tick: number;
}

/** What the engine keeps of a resource: its id, inputs, outputs (values as the door returned them) and which outputs it encrypts. */
export interface EngineState {
  readonly id: string;
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
  readonly encrypted: ReadonlySet<string>;
  /** A failed create or update left this partial state: the next `up` updates it whatever the diff says. */
  readonly initErrors: boolean;
  /** The change (see StackModel.change) whose run created this resource. */
  readonly createdFor: number;
}

/** A stack: its program, its door, its state. */
export interface StackModel {
  readonly name: string;
  readonly door: DoorKind;
  /**
   * How the token and base URL reach the provider: its environment, the resource's secret
   * `apiToken` input, or the provider configuration (Configure for the plugin, `configure` for the dynamic provider).
   */
  readonly tokenVia: TokenVia;
  /** The token the program gives now (one of `tokens`: renewing it changes nothing at Cloudflare). */
  token: string;
  readonly tokens: readonly [string, string];
  /** The program: which widget, the trigger's label, the mode, and rotateOnCreate. */
  widget: 0 | 1;
  trigger: number;
  invalidate: boolean;
  rotateOnCreate: boolean;
  /** The program sends the trigger as a number (a YAML or Python `rotationTrigger: 3`). */
  readonly numericTrigger: boolean;
  /** A typo in the program (an empty trigger) or in an import id: the run must fail at check, changing nothing. */
  typo: boolean;
  /** Counts every change asking for a rotation: a trigger change (a revert too) or a new widget. */
  change: number;
  /** Cloudflare time at which the first run trying each change began. */
  readonly firstTry: Map<number, number>;
  /** Changes whose create was killed after it sent rotate_secret (limit E5: each may cause one more rotation). */
  readonly killedCreates: Map<number, number>;
  /** Each secret the state recorded as the answer to a change, with the first change that recorded it. */
  readonly recorded: Map<string, number>;
  state?: EngineState;
}

export class World {
  readonly clock = new ManualClock(Date.UTC(2026, 10, 1));
  readonly tokens: Record<string, string[]> = {};
  readonly emulator: Emulator;
  readonly rotations: RotationRecord[] = [];
  readonly stacks: StackModel[];
  /** What the provider processes printed (the doors' servers log failed calls). */
  readonly printed: string[] = [];
  /** Every secret Cloudflare ever issued for the model's widgets: none may leak. */
  readonly secrets = new Set<string>();
  readonly sitekeys: string[] = [];
  baseUrl = "";
  /** Who the request being delivered to Cloudflare belongs to (deliveries happen one at a time). */
  private deliveringFor = "outside";
  /** The request being delivered carries a rival fault: the next rotation is the rival's. */
  private rivalFirst = false;
  /** Counts what Cloudflare handles, one request or outside action at a time: its order of events. */
  private ticks = 0;

  constructor(seed: number, doors: readonly [DoorKind, DoorKind], tokenVia: readonly [TokenVia, TokenVia], numeric: readonly [boolean, boolean] = [false, false],
    immediate: readonly [boolean, boolean] = [false, false]) {
    this.emulator = createEmulator({
      apiToken: ADMIN_TOKEN, tokens: this.tokens, clock: this.clock, random: createSeededRandom(seed),
      rateLimit: { requests: 1_000_000, windowSeconds: 300 },
    });
    const store = this.emulator.store;
    const rotateSecret = store.rotateSecret.bind(store);
    store.rotateSecret = (accountId, sitekey, immediately) => {
      // A `rival` fault rotates as another actor just before the request it rides on.
      const by = this.rivalFirst ? "outside" : this.deliveringFor;
      this.rivalFirst = false;
      const widget = rotateSecret(accountId, sitekey, immediately);
      this.secrets.add(widget.secret);
      this.rotations.push({ secret: widget.secret, sitekey, atMs: this.clock.now(), immediately, by, tick: this.ticks });
      return widget;
    };
    const take = this.emulator.faults.take.bind(this.emulator.faults);
    this.emulator.faults.take = (route, method) => {
      const fault = take(route, method);
      this.rivalFirst = fault?.kind === "rival" && fault.action.startsWith("rotate");
      return fault;
    };
    const stack = (name: string, index: 0 | 1): StackModel => {
      const tokens = [`model-token-${name.toLowerCase()}-0123456789`, `model-token-${name.toLowerCase()}-renewed-456789`] as const;
      for (const token of tokens) this.tokens[token] = [ACCOUNT_ID];
      const token = tokens[0];
      return {
        name, door: doors[index], tokenVia: tokenVia[index], token, tokens, widget: 0, trigger: 1, invalidate: immediate[index], rotateOnCreate: true,
        numericTrigger: numeric[index], typo: false,
        change: 1, firstTry: new Map(), killedCreates: new Map(), recorded: new Map(),
      };
    };
    this.stacks = [stack("A", 0), stack("B", 1)];
  }

  /** Says whose request Cloudflare handles from now on (undefined: nobody's); returns its place in Cloudflare's order. */
  delivering(tag: string | undefined): number {
    this.deliveringFor = tag ?? "outside";
    if (tag === undefined) this.rivalFirst = false;
    else this.tick();
    return this.ticks;
  }

  /**
   * One more thing Cloudflare handles, a millisecond after the previous one: Cloudflare's clock
   * never stands still between two changes, so each moves `modified_on` (the batched read's
   * assumption, provider/core/widget-snapshots.ts), which the emulator's manual clock only keeps
   * when it moves.
   */
  private tick(): void {
    this.ticks++;
    this.clock.advance(0.001);
  }

  async start(): Promise<void> {
    this.baseUrl = (await this.emulator.listen(0, "127.0.0.1")).baseUrl;
    // Other widgets of the account after the model's two, so the batched read finds them on page 1
    // of LIST_PAGING, and a lookup of a deleted one walks full pages up to the page limit.
    const names = ["login", "signup", ..."abcdefghi"].map((name) => (name.length > 1 ? name : `other-${name}`));
    for (const name of names) {
      const widget = this.emulator.store.create(ACCOUNT_ID, { name, domains: ["example.com"], mode: "managed" });
      if (!name.startsWith("other-")) this.sitekeys.push(widget.sitekey);
      this.secrets.add(widget.secret);
    }
  }

  stop(): Promise<void> {
    return this.emulator.close();
  }

  /** Cloudflare's view of a widget (undefined once deleted). */
  widget(sitekey: string) {
    return this.emulator.store.findBySitekey(sitekey);
  }

  /** True when Cloudflare accepts `secret` for the widget now (current, or previous inside its grace period). */
  accepts(sitekey: string, secret: string): boolean {
    return this.emulator.store.accepts(sitekey, secret);
  }

  /** The rotation state a stack's engine state holds, with secrets unwrapped. */
  stateOf(stack: StackModel): RotationState | undefined {
    if (!stack.state) return undefined;
    const plain: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(stack.state.outputs)) plain[key] = unwrapSecret(value);
    return plain as unknown as RotationState;
  }

  /** Another actor acts on a widget as the dashboard or another tool would (refusals included). */
  actOutside(action: "rotate" | "rotate_immediately" | "edit" | "delete", widget: 0 | 1): void {
    const sitekey = this.sitekeys[widget];
    const record = this.widget(sitekey);
    if (!record) return;
    const previous = this.deliveringFor;
    this.deliveringFor = "outside";
    this.rivalFirst = false;
    this.tick();
    try {
      if (action === "delete") this.emulator.store.delete(ACCOUNT_ID, sitekey);
      else if (action === "edit") this.emulator.store.update(ACCOUNT_ID, sitekey, { name: `${record.name}+`, domains: record.domains, mode: record.mode });
      else if (record.graceEndsMs === undefined || this.clock.now() >= record.graceEndsMs) this.emulator.store.rotateSecret(ACCOUNT_ID, sitekey, action === "rotate_immediately");
    } finally {
      this.deliveringFor = previous;
    }
  }
}

/** A value with its wire secret wrapper (if any) removed. */
export function unwrapSecret(value: unknown): unknown {
  return unwrapRpcSecret(value);
}
