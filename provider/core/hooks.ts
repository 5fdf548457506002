/**
 * The provider's hooks: the rotation core as the engine calls it. `createHooks` builds them over
 * injected time, environment and warnings (tests build as many independent "provider processes"
 * as they like); `hooks` is the instance the engine's dynamic-provider process uses. The provider
 * handed to the engine (`provider.ts`) is this module, stored as a `require` of it, or forwards to
 * it: either way it is loaded from the installed package at run time and never stored in state.
 */
import type * as pulumi from "@pulumi/pulumi";
import { checkInputs, describeFailures, isUnknown, parseInputs, type RotationInputs } from "./inputs";
import { diffRotation, graceBlocksRotation, triggerChanged } from "./diff";
import { GRACE_PERIOD_TEXT, parseState, stateFor, widgetFields, type RotationState } from "./state";
import { resolveConnection, type ConfigSource } from "./credentials";
import { TurnstileClient, NotFoundError, type RequestLimiter, type SecretWidget } from "../cloudflare";
import { TurnstileRotationError, userFacing } from "./errors";
import { ConcurrentRotationError, rotate, type RotationEnv } from "./rotation";
import { readTimeouts } from "./timeouts";

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
}

/** The resource's id: the widget it rotates. */
export function rotationId(inputs: Pick<RotationInputs, "accountId" | "sitekey">): string {
  return `${inputs.accountId}/${inputs.sitekey}`;
}

/** The `apiToken` input when given as a string (it is validated by `check`). */
function explicitToken(news: Record<string, unknown>): string | undefined {
  return typeof news.apiToken === "string" ? news.apiToken : undefined;
}

function isEmptyState(props: unknown): boolean {
  return props === undefined || props === null || (typeof props === "object" && Object.keys(props).every((key) => key === "__provider"));
}

/** Builds the hooks over `deps`; each call is one independent provider process. */
export function createHooks(deps: HookDeps): pulumi.dynamic.ResourceProvider {
  let stackConfig: ConfigSource | undefined;
  const clients = new Map<string, TurnstileClient>();
  const timeouts = readTimeouts(deps.env);

  function clientFor(token?: string): TurnstileClient {
    const connection = resolveConnection(stackConfig, deps.env, token);
    const key = `${connection.baseUrl}\n${connection.apiToken}`;
    let client = clients.get(key);
    if (!client) {
      client = new TurnstileClient({
        apiToken: connection.apiToken, baseUrl: connection.baseUrl, timeoutMs: timeouts.attemptMs, now: deps.now,
        rateLimiter: deps.rateLimiterFor(connection.baseUrl, connection.apiToken),
        ...(deps.sleep ? { sleep: deps.sleep } : {}), ...(deps.random ? { random: deps.random } : {}),
      });
      clients.set(key, client);
    }
    return client;
  }

  /** Runs one hook: user-facing errors without a stack trace, and every warning delivered first. */
  async function hook<T>(work: (warn: (message: string) => void) => Promise<T>): Promise<T> {
    const pending: Promise<void>[] = [];
    try {
      return await userFacing(() => work((message) => pending.push(deps.warn(message))));
    } finally {
      await Promise.all(pending);
    }
  }

  function rotationEnv(inputs: RotationInputs, warn: (message: string) => void): RotationEnv {
    return { client: clientFor(inputs.apiToken), now: deps.now, warn, deadlineMs: timeouts.rotationMs };
  }

  /**
   * Fails a trigger change Cloudflare would refuse, so `pulumi preview` says so before anything
   * runs. One read, only when the local clock says the recorded grace period is still open, to
   * ask Cloudflare's clock (its Date header), which is the one that counts.
   */
  async function assertRotationPossible(state: RotationState, apiToken: string | undefined): Promise<void> {
    if (state.adoptedAt !== undefined || !graceBlocksRotation(state, deps.now())) return; // an adopted secret is taken, not rotated
    const client = clientFor(apiToken);
    await client.getWidget(state.accountId, state.sitekey);
    const blocked = graceBlocksRotation(state, client.cloudflareNow() ?? deps.now());
    if (blocked) throw new TurnstileRotationError(blocked);
  }

  /** A concurrent rotation fails the operation but records Cloudflare's current secret (partial state). */
  function keepingState(error: unknown, id: string, news: Record<string, unknown>): unknown {
    if (!(error instanceof ConcurrentRotationError)) return error;
    return Object.assign(error, { id, properties: { ...error.state, __provider: news.__provider }, reasons: [error.message] });
  }

  /** `pulumi import <accountId>/<sitekey>`: records the live secret, zero rotate calls, no trigger yet. */
  async function importWidget(id: string): Promise<pulumi.dynamic.ReadResult> {
    const match = /^([0-9a-f]{32})\/([^/]+)$/.exec(id);
    if (!match) throw new TurnstileRotationError("the import id must be <accountId>/<sitekey>: the account id (32 lower-case hexadecimal characters), a slash, and the widget's sitekey");
    const [, accountId, sitekey] = match;
    let widget: SecretWidget;
    try {
      widget = await clientFor().getWidget(accountId, sitekey);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      throw new TurnstileRotationError(`cannot import ${id}: no such Turnstile widget in that account for this token ` +
        `(${error.message}); check the account id and the sitekey`, { cause: error });
    }
    const props = stateFor({ accountId, sitekey, invalidateImmediately: false }, widget, { grace: false });
    return { id, props, inputs: { accountId, sitekey, invalidateImmediately: false } };
  }

  const read = (id: string, props: unknown) => hook(async (warn): Promise<pulumi.dynamic.ReadResult> => {
    if (isEmptyState(props)) return importWidget(id);
    const state = parseState(props);
    try {
      const widget = await clientFor(state.apiToken).getWidget(state.accountId, state.sitekey);
      if (widget.secret === state.secret) return { id, props: { ...state, widget: widgetFields(widget, state.widget) } };
      // Rotated outside this resource's completed runs: record Cloudflare's secret, marked adopted.
      const adoptedAt = new Date(clientFor(state.apiToken).cloudflareNow() ?? deps.now()).toISOString();
      warn(`widget ${state.sitekey}: its secret changed outside this stack's completed runs (Cloudflare modified it at ` +
        `${widget.modified_on}); the state now holds Cloudflare's current secret. Run \`pulumi up\` to publish it to the ` +
        "stack outputs (`pulumi up --refresh` does both at once).");
      return { id, props: stateFor(state, widget, { grace: false, previous: state.widget, adoptedAt }) };
    } catch (error) {
      if (error instanceof NotFoundError) return {};
      throw error;
    }
  });

  return {
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
      stackConfig = req.config;
    },
    check: (olds: Record<string, unknown>, news: Record<string, unknown>) => hook(async (warn) => {
      const { inputs, failures } = checkInputs(news);
      if (failures.length > 0) throw new TurnstileRotationError(describeFailures(failures));
      const creating = Object.keys(olds).every((key) => key === "__provider");
      // A create always calls Cloudflare: without a token it fails here, at preview. Anything else
      // needs a token only when a call would be made (a preview with nothing to do needs none).
      if (creating && !isUnknown(news.apiToken)) clientFor(explicitToken(news));
      if (creating && news.rotateOnCreate !== false && typeof news.sitekey === "string" && !isUnknown(news.sitekey)) {
        warn(`widget ${news.sitekey}: creating this resource rotates the widget's live secret; apps still using the current ` +
          `one keep it for ${GRACE_PERIOD_TEXT}${news.invalidateImmediately === true ? " (not at all: invalidateImmediately is true)" : ""}. ` +
          "To record the current secret and rotate later, set rotateOnCreate: false.");
      }
      return { inputs };
    }),
    diff: (_id: string, olds: unknown, news: Record<string, unknown>) => hook(async () => {
      const state = parseState(olds);
      const diff = diffRotation(state, news);
      const rotates = diff.replaces.length === 0 && state.rotationTrigger !== undefined && !isUnknown(news.rotationTrigger) &&
        triggerChanged(state, news);
      if (rotates && !isUnknown(news.apiToken)) {
        clientFor(explicitToken(news)); // a rotation needs a token: say so at preview
        await assertRotationPossible(state, explicitToken(news));
      }
      return diff;
    }),
    create: (news: Record<string, unknown>) => hook(async (warn) => {
      const inputs = parseInputs(news);
      const id = rotationId(inputs);
      if (inputs.rotateOnCreate === false) {
        // Put a live widget under management: record its current secret, rotate at the next trigger change.
        const widget = await clientFor(inputs.apiToken).getWidget(inputs.accountId, inputs.sitekey);
        return { id, outs: stateFor(inputs, widget, { grace: false }) };
      }
      try {
        return { id, outs: await rotate(rotationEnv(inputs, warn), inputs, undefined) };
      } catch (error) {
        throw keepingState(error, id, news);
      }
    }),
    update: (id: string, olds: unknown, news: Record<string, unknown>) => hook(async (warn) => {
      const state = parseState(olds);
      const inputs = parseInputs(news);
      if (state.rotationTrigger !== undefined && triggerChanged(state, news)) {
        try {
          return { outs: await rotate(rotationEnv(inputs, warn), inputs, state) };
        } catch (error) {
          throw keepingState(error, id, news);
        }
      }
      // No rotation: record the new settings (and, after an import, the program's first trigger).
      const { apiToken: _previousToken, ...kept } = state;
      const token = inputs.apiToken === undefined ? {} : { apiToken: inputs.apiToken };
      return { outs: { ...kept, rotationTrigger: inputs.rotationTrigger, invalidateImmediately: inputs.invalidateImmediately, ...token } };
    }),
    read,
    delete: (_id: string, props: unknown) => hook(async (warn) => {
      // A secret cannot be un-rotated: deleting the resource only forgets it; the widget and its
      // current secret stay as they are at Cloudflare. No API call.
      const sitekey = typeof (props as { sitekey?: unknown })?.sitekey === "string" ? (props as { sitekey: string }).sitekey : "(unknown)";
      warn(`widget ${sitekey}: removed from this stack only; the widget and its current secret stay at Cloudflare and keep ` +
        "working. Creating the resource again rotates the secret (or records it, with rotateOnCreate: false).");
    }),
  };
}
