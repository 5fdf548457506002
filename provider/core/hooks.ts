/**
 * The provider's hooks: the rotation core as the engine calls it, through either front door (the
 * dynamic provider, or the plugin adapting the provider protocol to these same hooks).
 * `createHooks` builds them over injected time, environment and warnings; provider/hooks.ts holds
 * the instance a provider process runs. No hook keeps anything in the state but plain data, so
 * the code may change between runs without changing what is stored.
 */
import type * as pulumi from "@pulumi/pulumi";
import { createHookContext, type HookDeps } from "./hook-context";
import { checkInputs, describeFailures, isUnknown, parseInputs, type RotationInputs } from "./inputs";
import { diffRotation, triggerChanged } from "./diff";
import { assertRotationPossible, replacedWarning, rotatesImmediately, secretReplaced, warnIfCreateMayBeRefused } from "./preview-checks";
import { GRACE_PERIOD_TEXT, holdsNothingButProvider, parseState, stateFor, UNKNOWN_GRACE, type RotationState } from "./state";
import { TurnstileRotationError } from "./errors";
import { readHook } from "./read";
import { ConcurrentRotationError, OpenOutcomeError, rotate } from "./rotation";

export type { HookDeps } from "./hook-context";

/** The resource's id: the widget it rotates. */
export function rotationId(inputs: Pick<RotationInputs, "accountId" | "sitekey">): string {
  return `${inputs.accountId}/${inputs.sitekey}`;
}

/** The `apiToken` input when given as a string (it is validated by `check`). */
function explicitToken(news: Record<string, unknown>): string | undefined {
  return typeof news.apiToken === "string" ? news.apiToken : undefined;
}

/**
 * A rotation that met another actor, or whose create stays unsettled, fails the operation but
 * records a state (partial state): Cloudflare's current secret, or the create's pending record.
 * The dynamic provider stores these properties as they are, so they carry the serialized
 * provider when the engine gave one (the plugin door adds its own wrapping instead).
 */
function keepingState(error: unknown, id: string, news: Record<string, unknown>): unknown {
  if (!(error instanceof ConcurrentRotationError || error instanceof OpenOutcomeError) || error.state === undefined) return error;
  const provider = typeof news.__provider === "string" ? { __provider: news.__provider } : {};
  return Object.assign(error, { id, properties: { ...error.state, ...provider }, reasons: [error.message] });
}

/**
 * The hooks the core implements: the dynamic provider's `ResourceProvider`, with every hook
 * present and every result complete, so a front door adapts them without guessing.
 */
export interface RotationHooks extends pulumi.dynamic.ResourceProvider {
  configure(req: pulumi.dynamic.ConfigureRequest): Promise<void>;
  check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ inputs: Record<string, unknown> }>;
  diff(id: string, olds: unknown, news: Record<string, unknown>): Promise<pulumi.dynamic.DiffResult>;
  create(news: Record<string, unknown>): Promise<{ id: string; outs: RotationState }>;
  /** No `id`: the widget is gone (refresh); otherwise its state, and on import the inputs to record. */
  read(id: string, props: unknown): Promise<{ id?: string; props?: RotationState; inputs?: Record<string, unknown> }>;
  update(id: string, olds: unknown, news: Record<string, unknown>): Promise<{ outs: RotationState }>;
  delete(id: string, props: unknown): Promise<void>;
}

/** Builds the hooks over `deps`; each call is one independent provider process. */
export function createHooks(deps: HookDeps): RotationHooks {
  const context = createHookContext(deps);
  const { clientFor, rotationEnv } = context;
  const hook = context.run;

  return {
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
      context.configure(req.config);
    },
    check: (olds: Record<string, unknown>, news: Record<string, unknown>) => hook(async (warn) => {
      const { inputs, failures } = checkInputs(news);
      if (failures.length > 0) throw new TurnstileRotationError(describeFailures(failures));
      const creating = holdsNothingButProvider(olds);
      // A create always calls Cloudflare: without a token it fails here, at preview. Anything else
      // needs a token only when a call would be made (a preview with nothing to do needs none).
      if (creating && !isUnknown(news.apiToken)) clientFor(explicitToken(news));
      if (creating && news.rotateOnCreate !== false && typeof news.sitekey === "string" && !isUnknown(news.sitekey)) {
        warn(`widget ${news.sitekey}: creating this resource rotates the widget's live secret; apps still using the current ` +
          `one keep it for ${GRACE_PERIOD_TEXT}${news.invalidateImmediately === true ? " (not at all: invalidateImmediately is true)" : ""}. ` +
          "To record the current secret and rotate later, set rotateOnCreate: false.");
        // An immediate create inside someone's grace period fails (a default one records the secret): say so at preview.
        const known = [news.accountId, news.apiToken].every((value) => !isUnknown(value));
        if (news.invalidateImmediately === true && known) {
          await warnIfCreateMayBeRefused(news.sitekey, String(news.accountId), clientFor(explicitToken(news)), deps.now(), warn);
        }
      }
      return { inputs };
    }),
    diff: (_id: string, olds: unknown, news: Record<string, unknown>) => hook(async (warn) => {
      const state = parseState(olds);
      const diff = diffRotation(state, news);
      if (diff.replaces.length > 0 || isUnknown(news.apiToken)) return diff;
      const client = () => clientFor(explicitToken(news)); // a call needs a token: say so at preview
      if (state.rotationTrigger === undefined) {
        if (diff.changes) warn(`widget ${state.sitekey}: this update records rotationTrigger for the first time (after \`pulumi import\`): no rotation`);
        return diff;
      }
      if (!isUnknown(news.rotationTrigger) && triggerChanged(state, news)) {
        client();
        await assertRotationPossible(state, client, deps.now(), warn);
        return diff;
      }
      if (!diff.changes && rotatesImmediately(state, news) && await secretReplaced(state, client(), context.snapshots)) return { ...diff, changes: true };
      return diff;
    }),
    create: (news: Record<string, unknown>) => hook(async (warn) => {
      const inputs = parseInputs(news);
      const id = rotationId(inputs);
      if (inputs.rotateOnCreate === false) {
        // Put a live widget under management: record its current secret, rotate at the next trigger change.
        const widget = await clientFor(inputs.apiToken).getWidget(inputs.accountId, inputs.sitekey);
        return { id, outs: stateFor(inputs, widget, { grace: UNKNOWN_GRACE }) };
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
      if (rotatesImmediately(state, news)) {
        // diff saw Cloudflare's secret replaced (or the settings changed): record what Cloudflare holds.
        const widget = await clientFor(inputs.apiToken).getWidget(inputs.accountId, inputs.sitekey);
        if (widget.secret !== state.secret) {
          warn(replacedWarning(inputs.sitekey, widget.modified_on));
          return { outs: stateFor(inputs, widget, { grace: UNKNOWN_GRACE, previous: state.widget }) };
        }
      }
      return { outs: { ...kept, rotationTrigger: inputs.rotationTrigger, invalidateImmediately: inputs.invalidateImmediately, ...token } };
    }),
    read: readHook(context),
    delete: (_id: string, props: unknown) => hook(async (warn) => {
      // A secret cannot be un-rotated: deleting the resource only forgets it; the widget and its
      // current secret stay as they are at Cloudflare. No API call.
      warn(`widget ${String((props as { sitekey?: unknown }).sitekey)}: removed from this stack only; the widget and its current secret stay at Cloudflare and keep ` +
        "working. Creating the resource again rotates the secret (or records it, with rotateOnCreate: false).");
    }),
  };
}
