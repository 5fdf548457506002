/**
 * The provider's hooks as they run inside the engine's dynamic-provider process. The provider
 * handed to the engine (`provider.ts`) is this module, stored as a `require` of it, or forwards
 * to it: either way it is loaded from the installed package at run time and nothing in it is ever
 * stored in state.
 */
import type * as pulumi from "@pulumi/pulumi";
import { checkInputs, describeFailures, isUnknown, parseInputs, type RotationInputs } from "./inputs";
import { diffRotation, graceBlocksRotation, triggerChanged } from "./diff";
import { parseState, rotatedState, widgetFields, type RotationState } from "./state";
import { resolveConnection, type ConfigSource } from "./credentials";
import { TurnstileClient, NotFoundError, type Widget } from "./client";
import { sharedRateLimiter } from "./client/rate-limiter";
import { TurnstileRotationError, userFacing } from "./errors";
import { rotateSafely, rotationTime, type BeforeRotation } from "./rotation";

/** The stack config of this provider process, handed over once by the engine through `configure`. */
let stackConfig: ConfigSource | undefined;

/** This provider process serves one `pulumi up`: its start is the session's start. */
const SESSION = { startedAtMs: Date.now() - process.uptime() * 1000 };

/** One client per token and base URL: keep-alive connections are shared by every resource. */
const clients = new Map<string, TurnstileClient>();

function clientFor(explicitToken?: string): TurnstileClient {
  const connection = resolveConnection(stackConfig, process.env, explicitToken);
  const key = `${connection.baseUrl}\n${connection.apiToken}`;
  let client = clients.get(key);
  if (!client) {
    // One limiter per base URL for the whole process: every resource shares Cloudflare's budget.
    const rateLimiter = sharedRateLimiter(connection.baseUrl);
    client = new TurnstileClient({ apiToken: connection.apiToken, baseUrl: connection.baseUrl, rateLimiter });
    clients.set(key, client);
  }
  return client;
}

/** The `apiToken` input when given as a string (it is validated by `check`). */
function explicitToken(news: Record<string, unknown>): string | undefined {
  return typeof news.apiToken === "string" ? news.apiToken : undefined;
}

/** The resource's id: the widget it rotates. */
export function rotationId(inputs: Pick<RotationInputs, "accountId" | "sitekey">): string {
  return `${inputs.accountId}/${inputs.sitekey}`;
}

/**
 * Fails a trigger change that Cloudflare would refuse, so `pulumi preview` says so before anything
 * runs. Costs one read only when the local clock says the recorded grace period is still open, to
 * ask Cloudflare's clock (its Date header), which is the one that counts.
 */
async function assertRotationPossible(state: RotationState, apiToken: string | undefined): Promise<void> {
  if (!graceBlocksRotation(state, Date.now())) return;
  const client = clientFor(apiToken);
  await client.getWidget(state.accountId, state.sitekey); // refreshes the client's view of Cloudflare's clock
  const blocked = graceBlocksRotation(state, client.serverNow() ?? Date.now());
  if (blocked) throw new TurnstileRotationError(blocked);
}

function rotate(inputs: RotationInputs, before: BeforeRotation): Promise<RotationState> {
  return rotateSafely(clientFor(inputs.apiToken), inputs, before, SESSION);
}

/** The state after adopting a secret rotated outside this resource. */
function adoptedState(state: RotationState, widget: Widget): RotationState {
  return { ...state, ...rotatedState({ ...state, invalidateImmediately: false }, widget, rotationTime(widget)), invalidateImmediately: state.invalidateImmediately };
}

async function checkHook(news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
  const { inputs, failures } = checkInputs(news);
  if (failures.length > 0) throw new TurnstileRotationError(describeFailures(failures));
  // Fails at preview when no token is configured anywhere.
  if (!isUnknown(news.apiToken)) clientFor(explicitToken(news));
  return { inputs };
}

/** TEMP import stub (issue 10 lands the real one): an imported state has no trigger yet. */
function lacksTrigger(olds: unknown): boolean {
  return typeof olds === "object" && olds !== null && (olds as Record<string, unknown>).rotationTrigger === undefined;
}

async function diffHook(olds: unknown, news: Record<string, unknown>): Promise<pulumi.dynamic.DiffResult> {
  if (lacksTrigger(olds)) {
    const state = olds as RotationState;
    const replaces = ["accountId", "sitekey"].filter((p) => news[p] !== state[p as "accountId" | "sitekey"]);
    return { changes: true, replaces, deleteBeforeReplace: false };
  }
  const state = parseState(olds);
  const diff = diffRotation(state, news);
  const rotates = diff.replaces.length === 0 && !isUnknown(news.rotationTrigger) && triggerChanged(state, news);
  if (rotates && !isUnknown(news.apiToken)) await assertRotationPossible(state, explicitToken(news));
  return diff;
}

async function createHook(news: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
  const inputs = parseInputs(news);
  return { id: rotationId(inputs), outs: await rotate(inputs, {}) };
}

async function updateHook(olds: unknown, news: Record<string, unknown>): Promise<pulumi.dynamic.UpdateResult> {
  const inputs = parseInputs(news);
  if (lacksTrigger(olds)) {
    const token = inputs.apiToken === undefined ? {} : { apiToken: inputs.apiToken };
    return { outs: { ...(olds as RotationState), rotationTrigger: inputs.rotationTrigger, invalidateImmediately: inputs.invalidateImmediately, ...token } };
  }
  const state = parseState(olds);
  if (triggerChanged(state, news)) return { outs: await rotate(inputs, state) };
  const { apiToken: _previousToken, ...kept } = state;
  const token = inputs.apiToken === undefined ? {} : { apiToken: inputs.apiToken };
  return { outs: { ...kept, invalidateImmediately: inputs.invalidateImmediately, ...token } };
}

async function readHook(id: string, props: unknown): Promise<pulumi.dynamic.ReadResult> {
  if (props === undefined || (typeof props === "object" && props !== null && Object.keys(props).length === 0)) {
    const [accountId = "", sitekey = ""] = id.split("/");
    try {
      const widget = await clientFor().getWidget(accountId, sitekey);
      if (!widget.secret) throw new TurnstileRotationError(`Cloudflare's answer for widget ${sitekey} has no secret`);
      const state = { accountId, sitekey, invalidateImmediately: false, secret: widget.secret, rotatedAt: rotationTime(widget).toISOString(), previousSecretExpiresAt: null, widget: widgetFields(widget) };
      return { id, props: state };
    } catch (error) {
      if (error instanceof NotFoundError) return {};
      throw error;
    }
  }
  const state = parseState(props);
  try {
    const widget = await clientFor(state.apiToken).getWidget(state.accountId, state.sitekey);
    if (widget.secret === undefined || widget.secret === state.secret) return { id, props: { ...state, widget: widgetFields(widget) } };
    // Rotated outside this resource: adopt Cloudflare's secret. How the old one was invalidated is
    // unknown, so assume the default grace period (the safe guess for the preview guard).
    return { id, props: adoptedState(state, widget) };
  } catch (error) {
    if (error instanceof NotFoundError) return {};
    throw error;
  }
}

/**
 * The hooks object: module-level, capturing nothing but its imports. User-facing errors leave
 * without a stack trace (see errors.ts); anything else keeps its trace, as a bug should.
 */
export const hooks: pulumi.dynamic.ResourceProvider = {
  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    stackConfig = req.config;
  },
  check: (_olds: Record<string, unknown>, news: Record<string, unknown>) => userFacing(() => checkHook(news)),
  diff: (_id: string, olds: unknown, news: Record<string, unknown>) => userFacing(() => diffHook(olds, news)),
  create: (news: Record<string, unknown>) => userFacing(() => createHook(news)),
  update: (_id: string, olds: unknown, news: Record<string, unknown>) => userFacing(() => updateHook(olds, news)),
  read: (id: string, props: unknown) => userFacing(() => readHook(id, props)),
  async delete(): Promise<void> {
    // A secret cannot be un-rotated: deleting the resource only forgets it; the widget and its
    // current secret stay as they are at Cloudflare.
  },
};

// The hooks again as this module's own exports, so that the serialized provider of an installed
// package can be this module itself: the serializer stores a module in node_modules as
// `require("pulumi-turnstile-rotation/hooks")` (see provider.ts).
export const { configure, check, diff, create, read, update } = hooks;
const deleteHook = hooks.delete;
export { deleteHook as delete };
