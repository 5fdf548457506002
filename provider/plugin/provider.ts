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
import type * as provider from "@pulumi/pulumi/provider";
import { MissingCredentialsError } from "../core/credentials";
import type { RotationHooks } from "../core/hooks";
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
  /* c8 ignore next -- the engine sends a plugin only the types its schema declares; a guard against misuse, not a path */
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

/**
 * A failed create or update may carry the state to keep (`id`, `properties`: a partial state the
 * engine records, such as Cloudflare's current secret after a concurrent rotation). The SDK's
 * server converts those properties as they are, so here they leave the way outputs do: secrets
 * wrapped, and nothing the protocol cannot carry (the dynamic provider's `__provider`).
 */
async function keepingSecrets<T>(work: () => Promise<T>, wrap: (props: PropertyMap) => PropertyMap): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const partial = (error as { properties?: PropertyMap }).properties;
    if (partial !== undefined) {
      const { __provider: _provider, ...props } = partial;
      Object.assign(error as object, { properties: wrap(props) });
    }
    throw error;
  }
}

/** The provider plugin over the core `hooks`. */
export function rotationPlugin(hooks: RotationHooks, options: DoorOptions): provider.Provider {
  const { schema, configured } = options;
  /** Runs a hook once configured, in the plugin's wording. */
  const run = <T>(urn: string, work: () => Promise<T>): Promise<T> =>
    pluginWording(async () => {
      assertRotationType(urn);
      await configured();
      return work();
    });
  const outputs = (outs: object, secretIn: Iterable<string>) => conceal({ ...outs }, [...schema.secretProperties, ...secretIn]);

  return {
    version: schema.version,
    schema: schema.text,
    check: (urn, olds, news) => run(urn, async () => {
      const { plain, secretKeys } = reveal(news);
      const result = await hooks.check(reveal(olds).plain, plain); // invalid inputs throw, naming every field
      return { inputs: outputs(asSchemaTypes(result.inputs, schema.stringInputs), secretKeys), failures: [] };
    }),
    diff: (id, urn, olds, news) => run(urn, async () => {
      const { changes, replaces, deleteBeforeReplace } = await hooks.diff(id, reveal(olds).plain, reveal(news).plain);
      return { changes, replaces, deleteBeforeReplace };
    }),
    create: (urn, inputs) => run(urn, async () => {
      const { plain, secretKeys } = reveal(inputs);
      const result = await keepingSecrets(() => hooks.create(plain), (props) => outputs(props, secretKeys));
      return { id: result.id, outs: outputs(result.outs, secretKeys) };
    }),
    read: (id, urn, props) => run(urn, async () => {
      const { plain, secretKeys } = reveal(props);
      const result = await hooks.read(id, plain); // an import of a missing widget throws, naming it
      // On refresh, an empty id tells the engine the widget is gone.
      if (result.id === undefined || result.props === undefined) return { id: "", props: {} };
      const state = outputs(result.props, secretKeys);
      return result.inputs === undefined ? { id: result.id, props: state } : { id: result.id, props: state, inputs: outputs(importInputs({ ...result.props }, schema.inputs), []) };
    }),
    update: (id, urn, olds, news) => run(urn, async () => {
      const { plain, secretKeys } = reveal(news);
      const result = await keepingSecrets(() => hooks.update(id, reveal(olds).plain, plain), (props) => outputs(props, secretKeys));
      return { outs: outputs(result.outs, secretKeys) };
    }),
    delete: (id, urn, props) => run(urn, () => hooks.delete(id, reveal(props).plain)),
  };
}
