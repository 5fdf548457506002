/**
 * The provider's hooks as they run inside the engine's dynamic-provider process. The serialized
 * provider (`provider.ts`) only forwards here, so this module is loaded from the installed package
 * at run time and nothing in it is ever stored in state.
 */
import type * as pulumi from "@pulumi/pulumi";
import { checkInputs, parseInputs, type RotationInputs } from "./inputs";
import { diffRotation, triggerChanged } from "./diff";
import { parseState, rotatedState, widgetFields, type RotationState, type WidgetAnswer } from "./state";
import { resolveConnection, type ConfigSource } from "./credentials";
import { TurnstileClient, NotFoundError } from "./client";

/** The stack config of this provider process, handed over once by the engine through `configure`. */
let stackConfig: ConfigSource | undefined;

/** One client per token and base URL: keep-alive connections are shared by every resource. */
const clients = new Map<string, TurnstileClient>();

function clientFor(explicitToken?: string): TurnstileClient {
  const connection = resolveConnection(stackConfig, process.env, explicitToken);
  const key = `${connection.baseUrl}\n${connection.apiToken}`;
  let client = clients.get(key);
  if (!client) {
    client = new TurnstileClient({ apiToken: connection.apiToken, baseUrl: connection.baseUrl });
    clients.set(key, client);
  }
  return client;
}

/** The resource's id: the widget it rotates. */
export function rotationId(inputs: Pick<RotationInputs, "accountId" | "sitekey">): string {
  return `${inputs.accountId}/${inputs.sitekey}`;
}

/** Cloudflare's own time of the rotation, so grace periods follow Cloudflare's clock. */
function rotationTime(widget: WidgetAnswer): Date {
  const modified = Date.parse(widget.modified_on);
  return Number.isNaN(modified) ? new Date() : new Date(modified);
}

async function rotate(inputs: RotationInputs): Promise<RotationState> {
  const widget = await clientFor().rotateSecret(inputs.accountId, inputs.sitekey, {
    invalidateImmediately: inputs.invalidateImmediately,
  });
  return rotatedState(inputs, widget, rotationTime(widget));
}

/** The hooks object: module-level, capturing nothing but its imports. */
export const hooks: pulumi.dynamic.ResourceProvider = {
  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    stackConfig = req.config;
  },

  async check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
    const { inputs, failures } = checkInputs(news);
    if (failures.length === 0) clientFor(); // fails at preview when no token is configured
    return { inputs, failures: failures.map(({ property, reason }) => ({ property, reason })) };
  },

  async diff(_id: string, olds: unknown, news: Record<string, unknown>): Promise<pulumi.dynamic.DiffResult> {
    return diffRotation(parseState(olds), news);
  },

  async create(news: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
    const inputs = parseInputs(news);
    return { id: rotationId(inputs), outs: await rotate(inputs) };
  },

  async update(_id: string, olds: unknown, news: Record<string, unknown>): Promise<pulumi.dynamic.UpdateResult> {
    const state = parseState(olds);
    const inputs = parseInputs(news);
    if (triggerChanged(state, news)) return { outs: await rotate(inputs) };
    return { outs: { ...state, invalidateImmediately: inputs.invalidateImmediately } };
  },

  async read(id: string, props: unknown): Promise<pulumi.dynamic.ReadResult> {
    const state = parseState(props);
    try {
      const widget = await clientFor().getWidget(state.accountId, state.sitekey);
      const secret = widget.secret ?? state.secret;
      return { id, props: { ...state, ...widgetFields(widget), secret } };
    } catch (error) {
      if (error instanceof NotFoundError) return {};
      throw error;
    }
  },

  async delete(): Promise<void> {
    // A secret cannot be un-rotated: deleting the resource only forgets it; the widget and its
    // current secret stay as they are at Cloudflare.
  },
};
