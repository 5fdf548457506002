/**
 * A rotation's first step: the baseline (the widget, its secret included, before the rotate call)
 * and the fence (Cloudflare's clock then, less the `Date` header's one-second resolution), so no
 * secret older than this run can pass for its rotation. From the account's widget list when it
 * proves the state's secret is still Cloudflare's (widget-snapshots.ts), else by reading the widget.
 */
import type { SecretWidget, TurnstileClient } from "../cloudflare";
import type { RotationInputs } from "./inputs";
import type { TurnstileWidgetInfo } from "./state";
import type { ListedWidget, WidgetSnapshots } from "./widget-snapshots";

/** Slack for the Date header's one-second resolution when comparing it with `modified_on`. */
export const CLOCK_SLACK_MS = 1000;

/** Where a rotation starts from; see the module comment. */
export interface Baseline {
  readonly widget: SecretWidget;
  /** Undefined when Cloudflare's answer carried no Date header: the local clock may be off, so none is guessed. */
  readonly fenceMs: number | undefined;
}

/** What the state recorded: the secret, and the widget's `modified_on` read with it. */
export interface Recorded {
  readonly accountId: string;
  readonly sitekey: string;
  readonly secret: string;
  readonly widget?: Pick<TurnstileWidgetInfo, "modifiedOn">;
}

/** The list's word that `recorded.secret` is still Cloudflare's (its `modified_on` has not moved), or undefined. */
export function listedUnchanged(snapshots: WidgetSnapshots, client: TurnstileClient, recorded: Recorded): Promise<ListedWidget | undefined> {
  const modifiedOn = recorded.widget?.modifiedOn;
  // Every state any version of this package wrote records it (tests/fixtures, release 0.1.0 on):
  // one without was edited by hand, and is read instead. No protocol path reaches it.
  /* c8 ignore next */
  if (modifiedOn === undefined) return Promise.resolve(undefined);
  return snapshots.unchanged(client, recorded.accountId, recorded.sitekey, modifiedOn);
}

/**
 * The baseline of a rotation of `inputs`' widget. `known`: the state's secret when the list may
 * stand for the read (a trigger change of a secret this stack recorded); undefined: read.
 */
export async function readBaseline(
  env: { readonly client: TurnstileClient; readonly snapshots: WidgetSnapshots },
  inputs: Pick<RotationInputs, "accountId" | "sitekey">, known: Recorded | undefined,
): Promise<Baseline> {
  if (known !== undefined) {
    const listed = await listedUnchanged(env.snapshots, env.client, known);
    // The page's own Date: the moment it proved the secret unchanged, whatever other answers said since.
    if (listed !== undefined) return { widget: { ...listed.widget, secret: known.secret }, fenceMs: listed.dateMs - CLOCK_SLACK_MS };
  }
  const widget = await env.client.getWidget(inputs.accountId, inputs.sitekey);
  const cloudflareNow = env.client.cloudflareNow();
  return { widget, fenceMs: cloudflareNow === undefined ? undefined : cloudflareNow - CLOCK_SLACK_MS };
}
