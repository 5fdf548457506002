/**
 * THE helper for driving the provider plugin in-process over gRPC, as the engine drives it: the
 * plugin is served by `@pulumi/pulumi/provider`'s own server (`provider.main`), reached through
 * the engine's `ResourceProvider` client stub, and configured through a real ConfigureRequest, so
 * everything between the wire and the core (secrets wrapped on the wire, the Configure hook of
 * provider/plugin/config.ts, the SDK's request handling) runs as in `pulumi up`; no engine, no
 * child process.
 *
 * Each {@link startPlugin} serves its plugin on a server of its own, over hooks of its own (a fake
 * clock, a custom environment, see `createHooks`). Configure calls reach the plugin through the
 * process-wide hook of provider/plugin/config.ts, so run one plugin at a time: the latest started.
 *
 * Values: pass secrets as {@link secret}(value); results come back as the engine receives them,
 * secrets wrapped (see {@link unwrapSecrets}).
 */
import * as grpc from "@grpc/grpc-js";
import type { RotationHooks } from "../../provider/core/hooks";
import * as provider from "@pulumi/pulumi/provider";
import { ResourceProviderClient, ResourceProviderService } from "@pulumi/pulumi/proto/provider_grpc_pb";
import type { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import * as proto from "@pulumi/pulumi/proto/provider_pb";
import { isRpcSecret, specialSecretSig, specialSigKey, unwrapRpcSecret } from "@pulumi/pulumi/runtime/rpc";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { onProviderConfigure } from "../../provider/plugin/config";
import { createPlugin, type RotationPlugin } from "../../provider/plugin/plugin";
import { ROTATION_TYPE } from "../../provider/plugin/schema";

/** A property map as it travels on the wire (secrets wrapped). */
export type WireProperties = Record<string, unknown>;

/** The outcome of a Diff, as the engine reads it. */
export interface WireDiff {
  readonly changes: "none" | "some" | "unknown";
  readonly replaces: readonly string[];
  readonly deleteBeforeReplace: boolean;
}

/** The resource calls of the provider protocol, as the engine makes them. */
export interface PluginCalls {
  /** GetSchema: the schema the plugin serves, as JSON text. */
  getSchema(): Promise<string>;
  /** GetPluginInfo: the version the plugin reports to the engine. */
  getPluginInfo(): Promise<string>;
  /** Configure; a token is sent as a secret (as `pulumi config set --secret` does) unless `plainToken`. */
  configure(config: { apiToken?: string; baseUrl?: string }, options?: { plainToken?: boolean }): Promise<void>;
  /** Check: the checked inputs and the failures (an invalid input set rejects, naming every field). */
  check(urn: string, olds: WireProperties, news: WireProperties): Promise<{ inputs: WireProperties; failures: Array<{ property: string; reason: string }> }>;
  /** Diff of the old state against new inputs. */
  diff(id: string, urn: string, olds: WireProperties, news: WireProperties): Promise<WireDiff>;
  /** Create: the new resource's id and state. */
  create(urn: string, inputs: WireProperties): Promise<{ id: string; properties: WireProperties }>;
  /** Read as a refresh does (`properties` = the state) or as an import does (`properties` = {}). */
  read(id: string, urn: string, properties: WireProperties): Promise<{ id: string; properties: WireProperties; inputs?: WireProperties }>;
  /** Update: the new state. */
  update(id: string, urn: string, olds: WireProperties, news: WireProperties): Promise<{ properties: WireProperties }>;
  /** Delete. */
  delete(id: string, urn: string, properties: WireProperties): Promise<void>;
}

/** A plugin being served in this process, and the client the test drives it with. */
export interface InProcessPlugin extends PluginCalls {
  readonly plugin: RotationPlugin;
  /** Closes the client and stops the plugin's server. */
  close(): void;
}

/** A value wrapped as a secret, as the engine sends a secret input. */
export function secret(value: unknown): WireProperties {
  return { [specialSigKey]: specialSecretSig, value };
}

/** The plain values of a result, and which top-level properties were wrapped as secrets. */
export function unwrapSecrets(properties: WireProperties): { plain: Record<string, unknown>; secretKeys: string[] } {
  const plain: Record<string, unknown> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(properties)) {
    if (isRpcSecret(value)) secretKeys.push(key);
    plain[key] = unwrapRpcSecret(value);
  }
  return { plain, secretKeys: secretKeys.sort() };
}

/** The URN the engine gives a rotation resource named `name`. */
export function rotationUrn(name: string, stack = "dev", project = "plugin-test"): string {
  return `urn:pulumi:${stack}::${project}::${ROTATION_TYPE}::${name}`;
}

/** The constructor of `@pulumi/pulumi/provider`'s implementation of the ResourceProvider service. */
type ServiceImplementation = new (engineAddr: string | undefined, provider: provider.Provider, uncaughtErrors: Set<Error>) => grpc.UntypedServiceImplementation;

let current: RotationPlugin | undefined;
let implementation: Promise<ServiceImplementation> | undefined;

/**
 * The SDK's service implementation, taken from the one server `provider.main` starts (the SDK
 * exports no other way to it), which is then shut down: every plugin gets a server of its own
 * that the test can stop, and a running server would keep mocha from exiting. Also hands every
 * Configure call the process serves to the current plugin, through the plugin's own hook.
 */
function serviceImplementation(): Promise<ServiceImplementation> {
  implementation ??= (async () => {
    onProviderConfigure((config) => current?.configure(config));
    const addService = grpc.Server.prototype.addService;
    const log = console.log;
    let taken: { server: grpc.Server; service: object } | undefined;
    grpc.Server.prototype.addService = function (this: grpc.Server, definition, service) {
      taken = { server: this, service };
      return addService.call(this, definition, service);
    };
    console.log = () => {}; // provider.main announces its port, as the engine expects
    try {
      await provider.main({ version: "0.0.0" }, []);
    } finally {
      grpc.Server.prototype.addService = addService;
      console.log = log;
    }
    if (!taken) throw new Error("provider.main registered no service: @pulumi/pulumi/provider changed");
    taken.server.forceShutdown();
    return taken.service.constructor as ServiceImplementation;
  })();
  return implementation;
}

/** Serves `plugin` on 127.0.0.1 with the SDK's service; resolves with the port and a stop function. */
async function serve(plugin: RotationPlugin): Promise<{ port: number; stop(): void }> {
  const Implementation = await serviceImplementation();
  // The SDK's service listens for uncaught errors to fail in-flight calls; its listeners go with it.
  const listening = new Set([...process.listeners("uncaughtException"), ...process.listeners("unhandledRejection")]);
  const server = new grpc.Server();
  server.addService(ResourceProviderService, new Implementation(undefined, plugin.provider, new Set()));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))));
  return {
    port,
    stop() {
      server.forceShutdown();
      for (const listener of process.listeners("uncaughtException")) if (!listening.has(listener)) process.off("uncaughtException", listener);
      for (const listener of process.listeners("unhandledRejection")) if (!listening.has(listener)) process.off("unhandledRejection", listener);
    },
  };
}

/** Sends one unary call and resolves with its response (gRPC errors reject with the provider's message). */
function call<Req, Res>(client: ResourceProviderClient, method: string, request: Req): Promise<Res> {
  const fn = (client as unknown as Record<string, (r: Req, cb: (e: grpc.ServiceError | null, v?: Res) => void) => void>)[method]!;
  return new Promise((resolve, reject) => fn.call(client, request, (error, value) => (error ? reject(new Error(error.details || error.message)) : resolve(value as Res))));
}

const struct = (value: WireProperties) => Struct.fromJavaScript(value as Parameters<typeof Struct.fromJavaScript>[0]);
const plainOf = (value: Struct | undefined): WireProperties => (value?.toJavaScript() ?? {}) as WireProperties;
const DIFF_CHANGES: Record<number, WireDiff["changes"]> = { 0: "unknown", 1: "none", 2: "some" };

/**
 * Serves a plugin over `hooks` (the process's by default) in this process and connects to it.
 * `env` is the environment the plugin door reads besides the hooks (default: the process's).
 */
export async function startPlugin(hooks?: RotationHooks, env?: Readonly<Record<string, string | undefined>>): Promise<InProcessPlugin> {
  const plugin = createPlugin(hooks, undefined, env);
  const server = await serve(plugin);
  current = plugin;
  const client = new ResourceProviderClient(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
  const resourceRequest = <T extends { setId(id: string): T; setUrn(urn: string): T }>(request: T, id: string, urn: string) => request.setId(id).setUrn(urn);
  return {
    plugin,
    close() {
      client.close();
      server.stop();
      if (current === plugin) current = undefined;
    },
    getSchema: async () => (await call<proto.GetSchemaRequest, proto.GetSchemaResponse>(client, "getSchema", new proto.GetSchemaRequest())).getSchema(),
    getPluginInfo: async () => (await call<Empty, PluginInfo>(client, "getPluginInfo", new Empty())).getVersion(),
    async configure(config, options = {}) {
      const args: WireProperties = {};
      if (config.apiToken !== undefined) args.apiToken = options.plainToken ? config.apiToken : secret(config.apiToken);
      if (config.baseUrl !== undefined) args.baseUrl = config.baseUrl;
      const request = new proto.ConfigureRequest().setArgs(struct(args)).setAcceptsecrets(true).setAcceptresources(true);
      await call(client, "configure", request);
    },
    async check(urn, olds, news) {
      const response = await call<proto.CheckRequest, proto.CheckResponse>(client, "check", new proto.CheckRequest().setUrn(urn).setOlds(struct(olds)).setNews(struct(news)));
      return { inputs: plainOf(response.getInputs()), failures: response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })) };
    },
    async diff(id, urn, olds, news) {
      const response = await call<proto.DiffRequest, proto.DiffResponse>(client, "diff", resourceRequest(new proto.DiffRequest(), id, urn).setOlds(struct(olds)).setNews(struct(news)));
      return { changes: DIFF_CHANGES[response.getChanges()] ?? "unknown", replaces: response.getReplacesList(), deleteBeforeReplace: response.getDeletebeforereplace() };
    },
    async create(urn, inputs) {
      const response = await call<proto.CreateRequest, proto.CreateResponse>(client, "create", new proto.CreateRequest().setUrn(urn).setProperties(struct(inputs)));
      return { id: response.getId(), properties: plainOf(response.getProperties()) };
    },
    async read(id, urn, properties) {
      const response = await call<proto.ReadRequest, proto.ReadResponse>(client, "read", resourceRequest(new proto.ReadRequest(), id, urn).setProperties(struct(properties)));
      const inputs = response.getInputs();
      return { id: response.getId(), properties: plainOf(response.getProperties()), ...(inputs ? { inputs: plainOf(inputs) } : {}) };
    },
    async update(id, urn, olds, news) {
      const response = await call<proto.UpdateRequest, proto.UpdateResponse>(client, "update", resourceRequest(new proto.UpdateRequest(), id, urn).setOlds(struct(olds)).setNews(struct(news)));
      return { properties: plainOf(response.getProperties()) };
    },
    async delete(id, urn, properties) {
      await call(client, "delete", resourceRequest(new proto.DeleteRequest(), id, urn).setProperties(struct(properties)));
    },
  };
}
