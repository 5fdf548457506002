/**
 * What every hook of one provider process shares: the stack config from `configure`, one
 * Cloudflare client per token and base URL, the deadlines, and the way a hook runs (user-facing
 * errors without a stack trace, warnings delivered before it answers). Time, environment and
 * warnings are injected, so tests build as many independent provider processes as they like.
 */
import { CloudflareApiError, TurnstileClient, type ClientTransport, type RequestLimiter, type RetryEvent } from "../cloudflare";
import { resolveConnection, type ConfigSource } from "./credentials";
import { TurnstileRotationError, userFacing } from "./errors";
import type { RotationInputs } from "./inputs";
import type { RotationEnv } from "./rotation";
import { readTimeouts } from "./timeouts";
import { WidgetSnapshots, type ListPaging } from "./widget-snapshots";

/** What the hooks depend on; everything with a real-world default. */
export interface HookDeps {
  /** The provider process's environment (credentials, base URL, limits). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The local clock (ms). */
  readonly now: () => number;
  /** Shows a warning to the user; resolves when delivered. */
  readonly warn: (message: string) => Promise<void>;
  /** The limiter shared by every client for a base URL (and token), if any. */
  readonly rateLimiterFor: (baseUrl: string, apiToken: string) => RequestLimiter | undefined;
  /** Sleep and randomness of the client's retries (defaults: real ones). */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** How the clients' requests travel (default: the real network). */
  readonly transport?: ClientTransport;
  /** How the batched read pages the widget list (default: 1000 widgets a page, 10 pages). */
  readonly listPaging?: ListPaging;
}

/** Collects one hook's warnings; they are delivered before the hook answers. */
export type Warn = (message: string) => void;

/** The state one provider process's hooks share; see the module comment. */
export interface HookContext {
  readonly now: () => number;
  /** Remembers the stack config the engine handed to `configure`. */
  configure(config: ConfigSource | undefined): void;
  /** The client for the explicit token, else the configured one; fails when there is none. */
  clientFor(token?: string): TurnstileClient;
  /** What a rotation needs besides its inputs. */
  rotationEnv(inputs: RotationInputs, warn: Warn): RotationEnv;
  /** The process's batched read, shared by every hook (widget-snapshots.ts). */
  readonly snapshots: WidgetSnapshots;
  /** Runs one hook: user-facing errors without a stack trace, and every warning delivered first. */
  run<T>(work: (warn: Warn) => Promise<T>): Promise<T>;
}

/** `1.5 s`, `3 s`: a wait as a retry warning spells it. */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;
}

/**
 * The warning for a retry of a Cloudflare call, e.g. `429 from Cloudflare on "rotate the secret
 * of widget 0x4AAA…", retrying in 3 s`, so a user watching `pulumi up` sees why it waits. Built
 * from the sanitised error: status, operation and low-level code, never a secret or token.
 */
export function retryWarning(event: RetryEvent): string {
  const { error } = event;
  // Without a status no answer arrived, and the client always keeps the low-level cause then.
  const what = error.status !== undefined ? `${error.status} from Cloudflare` : `no answer from Cloudflare (${error.cause?.code})`;
  return `${what} on "${error.operation}", retrying in ${seconds(event.delayMs)}`;
}

/**
 * A Cloudflare call that failed outside a rotation's own accounting (a read, a refused call
 * before any rotate) changed nothing: the error says so, and what to run, after Cloudflare's
 * message and fix.
 */
async function withOutcome<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof CloudflareApiError)) throw error;
    throw new TurnstileRotationError(`${error.message}. Nothing was changed at Cloudflare or in the state: run the command ` +
      "again (`pulumi up`, `pulumi refresh`) once that is fixed.", { cause: error });
  }
}

/** Builds the shared state of one provider process over `deps`. */
export function createHookContext(deps: HookDeps): HookContext {
  let stackConfig: ConfigSource | undefined;
  const clients = new Map<string, TurnstileClient>();
  const timeouts = readTimeouts(deps.env);
  const snapshots = new WidgetSnapshots(deps.now, deps.listPaging);
  // Clients outlive hooks, so their retry warnings are not any one hook's: every hook waits for
  // those still on their way before it answers.
  const retryWarnings = new Set<Promise<void>>();
  const onRetry = (event: RetryEvent) => {
    const delivery = deps.warn(retryWarning(event)).finally(() => retryWarnings.delete(delivery));
    retryWarnings.add(delivery);
  };

  function clientFor(token?: string): TurnstileClient {
    const connection = resolveConnection(stackConfig, deps.env, token);
    const key = `${connection.baseUrl}\n${connection.apiToken}`;
    let client = clients.get(key);
    if (!client) {
      client = new TurnstileClient({
        apiToken: connection.apiToken, baseUrl: connection.baseUrl, timeoutMs: timeouts.attemptMs, now: deps.now,
        rateLimiter: deps.rateLimiterFor(connection.baseUrl, connection.apiToken), onRetry,
        sleep: deps.sleep, random: deps.random, transport: deps.transport,
      });
      clients.set(key, client);
    }
    return client;
  }

  return {
    now: deps.now,
    configure: (config) => {
      stackConfig = config;
    },
    clientFor,
    rotationEnv: (inputs, warn) => ({ client: clientFor(inputs.apiToken), now: deps.now, warn, deadlineMs: timeouts.rotationMs, snapshots }),
    snapshots,
    async run(work) {
      const pending: Promise<void>[] = [];
      try {
        return await userFacing(() => withOutcome(() => work((message) => pending.push(deps.warn(message)))));
      } finally {
        await Promise.all([...pending, ...retryWarnings]);
      }
    },
  };
}
