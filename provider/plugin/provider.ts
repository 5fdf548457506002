/**
 * The plugin's front door: the `Provider` that `@pulumi/pulumi/provider` serves to the engine,
 * adapting the engine's resource calls to the same hooks the dynamic provider runs (one core, no
 * rule of its own). What it adds is what the provider protocol asks for and a dynamic provider
 * never sees:
 *
 * - secrets arrive wrapped and must leave wrapped: the core gets plain values, and every property
 *   the schema marks secret, or that came in secret, goes back secret (see secrets.ts);
 * - `pulumi import` reads with no prior state and needs inputs back, or the engine refuses the
 *   import (see {@link importInputs});
 * - the signatures differ (`diff(id, urn, olds, news)`, `create(urn, inputs)`, `read(id, urn, props)`).
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as provider from "@pulumi/pulumi/provider";
import { MissingCredentialsError } from "../core/credentials";
import { TurnstileRotationError } from "../core/errors";
import { PLUGIN_CONFIG_KEYS } from "./config";
import { ROTATION_TYPE, type PluginSchema } from "./schema";
import { conceal, reveal, type PropertyMap } from "./secrets";

/**
 * The trigger an imported resource's inputs carry. The engine checks an import's inputs and
 * writes them into the program it generates, so they must be complete; the state keeps no trigger,
 * and the core records whatever trigger the program gives on the next `pulumi up` without rotating.
 */
export const IMPORTED_TRIGGER = "imported";

/** What the door needs besides the hooks: the schema, and a wait for the engine's Configure call. */
export interface DoorOptions {
  readonly schema: PluginSchema;
  /** Resolves once the provider configuration has reached the core. */
  readonly configured: () => Promise<void>;
}

/**
 * Checked inputs as the schema types them: a number given for a string input (a YAML or Python
 * `rotationTrigger: 3`) becomes its decimal text, so every language reads back the declared type.
 * The core compares triggers by their text, so this never turns into a rotation.
 */
export function asSchemaTypes(inputs: PropertyMap, stringInputs: readonly string[]): PropertyMap {
  const typed: PropertyMap = { ...inputs };
  for (const name of stringInputs) if (typeof typed[name] === "number") typed[name] = String(typed[name]);
  return typed;
}

/** The inputs that reproduce an imported state: its input properties, and a trigger to record. */
export function importInputs(state: PropertyMap, inputNames: readonly string[]): PropertyMap {
  const inputs: PropertyMap = { rotationTrigger: IMPORTED_TRIGGER };
  for (const name of inputNames) if (state[name] !== undefined) inputs[name] = state[name];
  return inputs;
}

function assertRotationType(urn: string): void {
  const type = urn.split("::")[2]?.split("$").pop();
  if (type !== ROTATION_TYPE) throw new TurnstileRotationError(`unknown resource type ${type}: this provider serves ${ROTATION_TYPE} only`);
}

/** The core names the dynamic provider's config keys; a plugin user sets the plugin's. */
async function pluginWording<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof MissingCredentialsError)) throw error;
    const reworded = new TurnstileRotationError(
      `no Cloudflare API token: set it with \`pulumi config set --secret ${PLUGIN_CONFIG_KEYS.apiToken} <token>\`, ` +
        "give the resource or its provider an apiToken, or export CLOUDFLARE_API_TOKEN; " +
        'the token needs "Account > Turnstile > Edit" permission',
    );
    Object.defineProperty(reworded, "stack", { value: "", configurable: true, writable: true });
    throw reworded;
  }
}

function required<K extends keyof pulumi.dynamic.ResourceProvider>(hooks: pulumi.dynamic.ResourceProvider, name: K) {
  const hook = hooks[name];
  if (!hook) throw new Error(`the core hooks lack ${String(name)}`);
  return hook.bind(hooks) as NonNullable<pulumi.dynamic.ResourceProvider[K]>;
}

/** The provider plugin over the core `hooks`. */
export function rotationPlugin(hooks: pulumi.dynamic.ResourceProvider, options: DoorOptions): provider.Provider {
  const { schema, configured } = options;
  const check = required(hooks, "check");
  const diff = required(hooks, "diff");
  const create = required(hooks, "create");
  const read = required(hooks, "read");
  const update = required(hooks, "update");
  const remove = required(hooks, "delete");
  /** Runs a hook once configured, in the plugin's wording. */
  const run = <T>(urn: string, work: () => Promise<T>): Promise<T> =>
    pluginWording(async () => {
      assertRotationType(urn);
      await configured();
      return work();
    });
  const outputs = (outs: PropertyMap, secretIn: Iterable<string>) => conceal(outs, [...schema.secretProperties, ...secretIn]);

  return {
    version: schema.version,
    schema: schema.text,
    check: (urn, olds, news) => run(urn, async () => {
      const { plain, secretKeys } = reveal(news);
      const result = await check(reveal(olds).plain, plain);
      const inputs = asSchemaTypes(result.inputs ?? plain, schema.stringInputs);
      return { inputs: outputs(inputs, secretKeys), failures: [...(result.failures ?? [])] };
    }),
    diff: (id, urn, olds, news) => run(urn, async () => {
      const { changes, replaces, deleteBeforeReplace } = await diff(id, reveal(olds).plain, reveal(news).plain);
      return { changes, replaces, deleteBeforeReplace };
    }),
    create: (urn, inputs) => run(urn, async () => {
      const { plain, secretKeys } = reveal(inputs);
      const result = await create(plain);
      return { id: result.id, outs: outputs(result.outs ?? {}, secretKeys) };
    }),
    read: (id, urn, props) => run(urn, async () => {
      const { plain, secretKeys } = reveal(props);
      const importing = Object.keys(plain).length === 0;
      const result = await read(id, plain);
      // On refresh, an empty id tells the engine the widget is gone; an import of it fails, naming it.
      if (!result.id || !result.props) {
        if (importing) throw new TurnstileRotationError(`cannot import ${id}: no such Turnstile widget (expected <accountId>/<sitekey>)`);
        return { id: "", props: {} };
      }
      const state = outputs(result.props, secretKeys);
      return importing ? { id: result.id, props: state, inputs: outputs(importInputs(result.props, schema.inputs), []) } : { id: result.id, props: state };
    }),
    update: (id, urn, olds, news) => run(urn, async () => {
      const { plain, secretKeys } = reveal(news);
      const result = await update(id, reveal(olds).plain, plain);
      return { outs: outputs(result.outs ?? {}, secretKeys) };
    }),
    delete: (id, urn, props) => run(urn, () => remove(id, reveal(props).plain)),
  };
}
