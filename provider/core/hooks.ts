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
import { diffRotation, graceBlocksRotation, triggerChanged } from "./diff";
import { GRACE_PERIOD_TEXT, holdsNothingButProvider, parseState, stateFor, type RotationState } from "./state";
import { TurnstileRotationError } from "./errors";
import { readHook } from "./read";
import { ConcurrentRotationError, rotate } from "./rotation";

export type { HookDeps } from "./hook-context";

/** The resource's id: the widget it rotates. */
export function rotationId(inputs: Pick<RotationInputs, "accountId" | "sitekey">): string {
  return `${inputs.accountId}/${inputs.sitekey}`;
}

/** The `apiToken` input when given as a string (it is validated by `check`). */
function explicitToken(news: Record<string, unknown>): string | undefined {
  return typeof news.apiToken === "string" ? news.apiToken : undefined;
}

/** A concurrent rotation fails the operation but records Cloudflare's current secret (partial state). */
function keepingState(error: unknown, id: string, news: Record<string, unknown>): unknown {
  if (!(error instanceof ConcurrentRotationError)) return error;
  return Object.assign(error, { id, properties: { ...error.state, __provider: news.__provider }, reasons: [error.message] });
}

/** Builds the hooks over `deps`; each call is one independent provider process. */
export function createHooks(deps: HookDeps): pulumi.dynamic.ResourceProvider {
  const context = createHookContext(deps);
  const { clientFor, rotationEnv } = context;
  const hook = context.run;

  /**
   * Fails a trigger change Cloudflare would refuse, so `pulumi preview` says so before anything
   * runs. One read, only when the local clock says the recorded grace period is still open, to
   * ask Cloudflare's clock (its Date header), which is the one that counts.
   */
  async function assertRotationPossible(state: RotationState, apiToken: string | undefined): Promise<void> {
    if (state.adoptedAt !== undefined || !graceBlocksRotation(state, deps.now())) return; // an adopted secret is taken, not rotated
    const cloudflareNow = await clientFor(apiToken).readCloudflareNow(state.accountId, state.sitekey);
    const blocked = graceBlocksRotation(state, cloudflareNow ?? deps.now());
    if (blocked) throw new TurnstileRotationError(blocked);
  }

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
    read: readHook(context),
    delete: (_id: string, props: unknown) => hook(async (warn) => {
      // A secret cannot be un-rotated: deleting the resource only forgets it; the widget and its
      // current secret stay as they are at Cloudflare. No API call.
      const sitekey = typeof (props as { sitekey?: unknown })?.sitekey === "string" ? (props as { sitekey: string }).sitekey : "(unknown)";
      warn(`widget ${sitekey}: removed from this stack only; the widget and its current secret stay at Cloudflare and keep ` +
        "working. Creating the resource again rotates the secret (or records it, with rotateOnCreate: false).");
    }),
  };
}
