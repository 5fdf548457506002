/**
 * The `read` hook: `pulumi refresh` of a recorded rotation, and `pulumi import` (a read with no
 * state), which records a live widget's secret with zero rotate calls.
 */
import type * as pulumi from "@pulumi/pulumi";
import { NotFoundError, type SecretWidget } from "../cloudflare";
import { TurnstileRotationError } from "./errors";
import type { HookContext } from "./hook-context";
import { holdsNothingButProvider, parseState, stateFor, UNKNOWN_GRACE, widgetFields } from "./state";

/** The id an import names: `<accountId>/<sitekey>`. */
const IMPORT_ID = /^([0-9a-f]{32})\/([^/]+)$/;

/** `pulumi import <accountId>/<sitekey>`: records the live secret, zero rotate calls, no trigger yet. */
async function importWidget(context: HookContext, id: string): Promise<pulumi.dynamic.ReadResult> {
  const match = IMPORT_ID.exec(id);
  if (!match) {
    throw new TurnstileRotationError("the import id must be <accountId>/<sitekey>: the account id (32 lower-case hexadecimal " +
      "characters), a slash, and the widget's sitekey; run `pulumi import` again with it");
  }
  const [, accountId, sitekey] = match;
  let widget: SecretWidget;
  try {
    widget = await context.clientFor().getWidget(accountId, sitekey);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    throw new TurnstileRotationError(`cannot import ${id}: no such Turnstile widget in that account for this token ` +
      `(${error.message}); check the account id and the sitekey, then run \`pulumi import\` again`, { cause: error });
  }
  const props = stateFor({ accountId, sitekey, invalidateImmediately: false }, widget, { grace: UNKNOWN_GRACE });
  return { id, props, inputs: { accountId, sitekey, invalidateImmediately: false } };
}

/** The `read` hook over `context`. */
export function readHook(context: HookContext): NonNullable<pulumi.dynamic.ResourceProvider["read"]> {
  return (id, props) => context.run(async (warn): Promise<pulumi.dynamic.ReadResult> => {
    if (holdsNothingButProvider(props)) return importWidget(context, id);
    const state = parseState(props);
    try {
      const client = context.clientFor(state.apiToken);
      const widget = await client.getWidget(state.accountId, state.sitekey);
      if (widget.secret === state.secret) return { id, props: { ...state, widget: widgetFields(widget, state.widget) } };
      // Rotated outside this resource's completed runs: record Cloudflare's secret, marked adopted.
      const adoptedAt = new Date(client.cloudflareNow() ?? context.now()).toISOString();
      warn(`widget ${state.sitekey}: its secret changed outside this stack's completed runs (Cloudflare modified it at ` +
        `${widget.modified_on}); the state now holds Cloudflare's current secret. Run \`pulumi up\` to publish it to the ` +
        "stack outputs (`pulumi up --refresh` does both at once).");
      return { id, props: stateFor(state, widget, { grace: UNKNOWN_GRACE, previous: state.widget, adoptedAt }) };
    } catch (error) {
      if (error instanceof NotFoundError) return {};
      throw error;
    }
  });
}
