/**
 * Both front doors of the rotation core, served in this process by the SDK's real gRPC servers
 * and called the way the engine calls them:
 * - the provider plugin: `@pulumi/pulumi/provider`'s `main` serving `rotationPlugin(hooks)`
 *   (secrets wrapped on the wire, as the engine sends them to a plugin that accepts secrets);
 * - the dynamic provider: `@pulumi/pulumi/cmd/dynamic-provider`, which deserializes the
 *   `__provider` string stored in every resource and calls its hooks.
 * Each server lives once per process (both SDK entry points start their server on load), so a
 * call is routed to the provider process the model runs for that stack at that moment. Whatever
 * the servers do to a result or an error (struct conversion, partial state of a failed create)
 * happens here exactly as under the engine.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import * as path from "node:path";
import type { RotationHooks } from "../../provider/core/hooks";
import type * as providerApi from "@pulumi/pulumi/provider";
import { onProviderConfigure, type PluginConfig } from "../../provider/plugin/config";
import { createPlugin, type RotationPlugin } from "../../provider/plugin/plugin";
import { loadSchema, ROTATION_TYPE } from "../../provider/plugin/schema";

/** Which door a stack's resource goes through. */
export type DoorKind = "dynamic" | "plugin";

const pulumiRoot = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
// The SDK's own gRPC and protobuf modules, so the client speaks exactly what its servers expect.
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiRoot] })) as typeof import("@grpc/grpc-js");
const providerGrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const providerProto = require("@pulumi/pulumi/proto/provider_pb");
const statusProto = require("@pulumi/pulumi/proto/status_pb");
const structProto = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiRoot] }));

/** The hooks serving one stack right now (the model's current provider process for it). */
export type HookRouter = (stack: string) => RotationHooks;

/**
 * The stack whose resource a hook call serves, for everything that call does (its requests, its
 * warnings): one provider process may serve two stacks' resources at once (see Command `shared`).
 */
export const callingStack = new AsyncLocalStorage<string>();

/** A failed call as the engine sees it: the message, and the partial state of a failed create/update. */
export class DoorError extends Error {
  constructor(message: string, readonly partial?: { readonly id: string; readonly properties: Record<string, unknown> }) {
    super(message);
  }
}

/** The `__provider` the dynamic door stores for a stack: it asks the model for that stack's current hooks. */
export function serializedProvider(stack: string): string {
  return `exports.handler = () => globalThis.__turnstileModelDoors.dynamic(${JSON.stringify(stack)});`;
}

/** The URN the engine gives a stack's rotation resource. */
export function urnOf(stack: string, door: DoorKind): string {
  const type = door === "plugin" ? ROTATION_TYPE : "pulumi-nodejs:dynamic:Resource";
  return `urn:pulumi:${stack}::model::${type}::login-form`;
}

function stackOf(urn: string): string {
  return urn.split("::")[0].replace(/^urn:pulumi:/, "");
}

let router: HookRouter = () => {
  throw new Error("no model provider process is running");
};
const clients = new Map<DoorKind, Promise<unknown>>();

/** Starts `start`, reading the port its server prints on stdout. */
async function servedPort(start: () => unknown): Promise<number> {
  const log = console.log;
  let printed = "";
  console.log = (...args: unknown[]) => void (printed += args.join(" "));
  try {
    await start();
    for (let i = 0; i < 2000 && !/^\d+$/.test(printed.trim()); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  } finally {
    console.log = log;
  }
  if (!/^\d+$/.test(printed.trim())) throw new Error(`a door server printed no port: ${printed}`);
  return Number(printed.trim());
}

let started: Promise<void> | undefined;

/** Starts both doors' servers, one after the other (each prints its port on the one stdout), once per process. */
export function startDoors(): Promise<void> {
  started ??= (async () => {
    for (const door of ["dynamic", "plugin"] as const) clients.set(door, Promise.resolve(await startDoor(door)));
  })();
  return started;
}

/** The gRPC client of a door. */
async function clientOf(door: DoorKind): Promise<unknown> {
  await startDoors();
  return clients.get(door);
}

async function startDoor(door: DoorKind): Promise<unknown> {
  (globalThis as Record<string, unknown>).__turnstileModelDoors = {
    dynamic: (stack: string) => {
      // Cached by the SDK per `__provider` string: route every call to the stack's process of the moment.
      const hooks = (name: "check" | "diff" | "create" | "read" | "update" | "delete") => (...args: unknown[]) =>
        callingStack.run(stack, () => (router(stack)[name] as (...a: unknown[]) => unknown)(...args));
      return { check: hooks("check"), diff: hooks("diff"), create: hooks("create"), read: hooks("read"), update: hooks("update"), delete: hooks("delete") };
    },
  };
  let port: number;
  if (door === "plugin") {
    const sdk = require("@pulumi/pulumi/provider") as typeof providerApi;
    // As the plugin's entry does: each Configure the engine sends goes to the plugin, here the
    // process of the stack whose token it carries.
    onProviderConfigure((config) => {
      const hooks = configRouter(config);
      if (hooks) pluginOf(hooks).configure(config);
    });
    const schema = loadSchema();
    const door = (urn: string) => pluginOf(router(stackOf(urn))).provider;
    const as = <T>(urn: string, work: () => T): T => callingStack.run(stackOf(urn), work);
    const routed: providerApi.Provider = {
      version: schema.version,
      schema: schema.text,
      check: (urn, olds, news) => as(urn, () => door(urn).check!(urn, olds, news)),
      diff: (id, urn, olds, news) => as(urn, () => door(urn).diff!(id, urn, olds, news)),
      create: (urn, inputs) => as(urn, () => door(urn).create!(urn, inputs)),
      read: (id, urn, props) => as(urn, () => door(urn).read!(id, urn, props)),
      update: (id, urn, olds, news) => as(urn, () => door(urn).update!(id, urn, olds, news)),
      delete: (id, urn, props) => as(urn, () => door(urn).delete!(id, urn, props)),
    };
    port = await servedPort(() => sdk.main(routed, []));
  } else {
    const argv = process.argv;
    process.argv = [argv[0], "dynamic-provider", "127.0.0.1:1"]; // the SDK starts its server on load, with the engine's address
    try {
      port = await servedPort(() => require("@pulumi/pulumi/cmd/dynamic-provider"));
    } finally {
      process.argv = argv;
    }
  }
  return new providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}

let configRouter: (config: PluginConfig) => RotationHooks | undefined = () => undefined;
const plugins = new WeakMap<RotationHooks, RotationPlugin>();

/** The plugin a provider process serves over its hooks, built as the plugin's entry builds it. */
function pluginOf(hooks: RotationHooks): RotationPlugin {
  let plugin = plugins.get(hooks);
  if (!plugin) {
    plugin = createPlugin(hooks, loadSchema(), {});
    plugins.set(hooks, plugin);
  }
  return plugin;
}

/** Routes every door's calls to `next` from now on, and each plugin Configure to `byConfig`'s answer. */
export function routeTo(next: HookRouter, byConfig: (config: PluginConfig) => RotationHooks | undefined = () => undefined): void {
  router = next;
  configRouter = byConfig;
}

function toStruct(value: Record<string, unknown>): unknown {
  return structProto.Struct.fromJavaScript(value);
}

/** The partial state an init failure carries in its gRPC status details, as the engine decodes it. */
function partialState(error: { metadata?: { get(key: string): unknown[] } }): DoorError["partial"] {
  const raw = error.metadata?.get("grpc-status-details-bin")?.[0];
  if (!(raw instanceof Uint8Array)) return undefined;
  const status = statusProto.Status.deserializeBinary(raw);
  for (const detail of status.getDetailsList()) {
    const failed = detail.unpack(providerProto.ErrorResourceInitFailed.deserializeBinary, "pulumirpc.ErrorResourceInitFailed");
    if (failed) return { id: failed.getId(), properties: failed.getProperties()?.toJavaScript() ?? {} };
  }
  return undefined;
}

/** Calls one method of a door's server and decodes the answer. */
async function call<T>(door: DoorKind, method: string, request: unknown, decode: (response: never) => T): Promise<T> {
  const client = (await clientOf(door)) as Record<string, (req: unknown, done: (error: unknown, response: never) => void) => void>;
  return new Promise<T>((resolve, reject) => {
    client[method](request, (error, response) => {
      if (error) {
        const details = (error as { details?: string }).details ?? String(error);
        reject(new DoorError(details, partialState(error as never)));
      } else {
        resolve(decode(response));
      }
    });
  });
}

/** The engine's side of a door: the provider protocol's resource calls, values as on the wire. */
export class DoorClient {
  constructor(readonly door: DoorKind, readonly stack: string) {}

  private get urn(): string {
    return urnOf(this.stack, this.door);
  }

  /** The checked inputs; check failures fail the call with their reasons, as the engine fails the step. */
  async check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ inputs: Record<string, unknown> }> {
    const request = new providerProto.CheckRequest();
    request.setUrn(this.urn);
    request.setOlds(toStruct(olds));
    request.setNews(toStruct(news));
    const response = await call(this.door, "check", request, (r: never) => r as {
      getInputs(): { toJavaScript(): Record<string, unknown> }; getFailuresList(): Array<{ getReason(): string }>;
    });
    const failures = response.getFailuresList().map((failure) => failure.getReason());
    if (failures.length > 0) throw new DoorError(failures.join("; "));
    return { inputs: response.getInputs().toJavaScript() };
  }

  diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ changes: boolean; replaces: string[] }> {
    const request = new providerProto.DiffRequest();
    request.setId(id);
    request.setUrn(this.urn);
    request.setOlds(toStruct(olds));
    request.setNews(toStruct(news));
    return call(this.door, "diff", request, (response: never) => {
      const r = response as { getChanges(): number; getReplacesList(): string[] };
      return { changes: r.getChanges() === providerProto.DiffResponse.DiffChanges.DIFF_SOME, replaces: r.getReplacesList() };
    });
  }

  create(properties: Record<string, unknown>): Promise<{ id: string; outs: Record<string, unknown> }> {
    const request = new providerProto.CreateRequest();
    request.setUrn(this.urn);
    request.setProperties(toStruct(properties));
    return call(this.door, "create", request, (response: never) => {
      const r = response as { getId(): string; getProperties(): { toJavaScript(): Record<string, unknown> } };
      return { id: r.getId(), outs: r.getProperties().toJavaScript() };
    });
  }

  read(id: string, properties: Record<string, unknown>, inputs: Record<string, unknown>): Promise<{ id: string; props: Record<string, unknown>; inputs?: Record<string, unknown> }> {
    const request = new providerProto.ReadRequest();
    request.setId(id);
    request.setUrn(this.urn);
    request.setProperties(toStruct(properties));
    request.setInputs(toStruct(inputs));
    return call(this.door, "read", request, (response: never) => {
      const r = response as { getId(): string; getProperties(): { toJavaScript(): Record<string, unknown> } | undefined; getInputs(): { toJavaScript(): Record<string, unknown> } | undefined };
      const readInputs = r.getInputs()?.toJavaScript();
      return { id: r.getId(), props: r.getProperties()?.toJavaScript() ?? {}, ...(readInputs ? { inputs: readInputs } : {}) };
    });
  }

  update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ outs: Record<string, unknown> }> {
    const request = new providerProto.UpdateRequest();
    request.setId(id);
    request.setUrn(this.urn);
    request.setOlds(toStruct(olds));
    request.setNews(toStruct(news));
    return call(this.door, "update", request, (response: never) => ({
      outs: (response as { getProperties(): { toJavaScript(): Record<string, unknown> } }).getProperties().toJavaScript(),
    }));
  }

  /** The engine's Configure call: the provider configuration, secrets wrapped. */
  configure(args: Record<string, unknown>): Promise<void> {
    const request = new providerProto.ConfigureRequest();
    request.setArgs(toStruct(args));
    request.setAcceptsecrets(true);
    return call(this.door, "configure", request, () => undefined);
  }

  delete(id: string, properties: Record<string, unknown>): Promise<void> {
    const request = new providerProto.DeleteRequest();
    request.setId(id);
    request.setUrn(this.urn);
    request.setProperties(toStruct(properties));
    return call(this.door, "delete", request, () => undefined);
  }
}
