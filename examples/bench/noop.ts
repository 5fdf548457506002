// The engine's floor: a dynamic resource that does nothing, with the same inputs and a secret
// output like TurnstileSecretRotation, and a serialized provider of comparable size, so the
// benchmark's ratio measures only what the package adds. Two forms of the same seven hooks:
// - `inline` (here): serialized by value, about 1.8 KB, like a provider of one-line hooks;
// - `module` (noop-provider/, installed into node_modules by the benchmark): serialized as
//   `require("bench-noop-provider")`, about 0.3 KB, like a provider that is its package's module.
// Two shapes: `minimal` (the inputs, a secret and a timestamp: the engine's floor for a dynamic
// resource) and `mirror` (also the other outputs TurnstileSecretRotation declares, filled with
// widget-like values), which isolates what the package's code costs from what its outputs cost.
import * as pulumi from "@pulumi/pulumi";

/** The seven do-nothing hooks; createdAt lets the benchmark measure the engine's own rate from the state. */
export const inlineNoopProvider: pulumi.dynamic.ResourceProvider = {
  configure: async () => {},
  check: async (_olds, news) => ({ inputs: news }),
  diff: async (_id, olds, news) => ({ changes: String(olds.rotationTrigger) !== String(news.rotationTrigger) }),
  create: async (inputs) => ({ id: `${inputs.accountId}/${inputs.sitekey}`, outs: { ...inputs, secret: "noop", createdAt: Date.now() } }),
  read: async (id, props) => ({ id, props }),
  update: async (_id, _olds, news) => ({ outs: { ...news, secret: "noop", createdAt: Date.now() } }),
  delete: async () => {},
};

/** The outputs of the mirror shape: also values like a widget's. */
const mirrorOutputs = (i: Record<string, unknown>) => {
  const t = new Date().toISOString();
  const widget = { rotatedAt: t, previousSecretExpiresAt: t, invalidateImmediately: false, widget: { name: "bench", domains: ["example.com"], mode: "managed", region: "world", clearanceLevel: "no_clearance", botFightMode: false, ephemeralId: false, offlabel: false, createdOn: t, modifiedOn: t } };
  return { ...i, secret: "noop", createdAt: Date.now(), ...widget };
};

/** The same hooks for the mirror shape. */
const inlineMirrorProvider: pulumi.dynamic.ResourceProvider = {
  ...inlineNoopProvider,
  create: async (inputs) => ({ id: `${inputs.accountId}/${inputs.sitekey}`, outs: mirrorOutputs(inputs) }),
  update: async (_id, _olds, news) => ({ outs: mirrorOutputs(news) }),
};

/** The output names the mirror shape declares besides the inputs and the secret. */
const MIRRORED = ["rotatedAt", "previousSecretExpiresAt", "widget", "invalidateImmediately"];

/** The provider of the floor, by form and shape (`module` needs bench-noop-provider in node_modules). */
export function noopProvider(form: string, shape: string): pulumi.dynamic.ResourceProvider {
  if (shape !== "minimal" && shape !== "mirror") throw new Error(`config floorShape must be minimal or mirror, not ${JSON.stringify(shape)}`);
  if (form === "inline") return shape === "mirror" ? inlineMirrorProvider : inlineNoopProvider;
  // One module for both shapes: the `mirror` input tells it to add the widget-like outputs.
  if (form === "module") return require("bench-noop-provider") as pulumi.dynamic.ResourceProvider;
  throw new Error(`config floorProvider must be inline or module, not ${JSON.stringify(form)}`);
}

export interface NoopRotationArgs {
  readonly accountId: pulumi.Input<string>;
  readonly sitekey: pulumi.Input<string>;
  readonly rotationTrigger: pulumi.Input<string | number>;
}

/** Does nothing, through the same engine path as a rotation (check, diff, create/update, a secret output). */
export class NoopRotation extends pulumi.dynamic.Resource {
  declare public readonly secret: pulumi.Output<string>;

  constructor(name: string, args: NoopRotationArgs, provider: pulumi.dynamic.ResourceProvider, shape: string, opts?: pulumi.CustomResourceOptions) {
    const mirrored = shape === "mirror" ? { mirror: true, ...Object.fromEntries(MIRRORED.map((key) => [key, undefined])) } : {};
    const props = { secret: undefined, createdAt: undefined, ...mirrored, ...args };
    super(provider, name, props, { ...opts, additionalSecretOutputs: ["secret"] }, "bench", "NoopRotation");
  }
}
