/**
 * The plugin door on its own, over fake hooks: what it adds to the core (secret wrapping, import
 * inputs, schema types, config, wording) and that it adds no rule of its own.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import type { RotationHooks } from "../../../provider/core/hooks";
import { ConfigureRequest } from "@pulumi/pulumi/proto/provider_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { CONFIG_KEYS, MissingCredentialsError } from "../../../provider/core/credentials";
import { configFromRequest, coreConfigSource } from "../../../provider/plugin/config";
import { IMPORTED_TRIGGER, asSchemaTypes, importInputs, rotationPlugin } from "../../../provider/plugin/provider";
import { loadSchema, ROTATION_TYPE } from "../../../provider/plugin/schema";
import { asSecret, conceal, isWireSecret, reveal } from "../../../provider/plugin/secrets";

const schema = loadSchema(path.resolve(__dirname, "..", "..", ".."));
const URN = `urn:pulumi:dev::proj::${ROTATION_TYPE}::login`;
const ID = "023e105f4ecef8ad9ca31a8372d0c353/0x4AAAAAAAtest";
const STATE = { accountId: "023e105f4ecef8ad9ca31a8372d0c353", sitekey: "0x4AAAAAAAtest", invalidateImmediately: false, secret: "0x4AAA-the-secret", rotatedAt: "2026-11-27T00:00:00.000Z" };

/** Hooks that record their calls and answer with `answers`. */
function fakeHooks(answers: Partial<Record<keyof RotationHooks, unknown>> = {}) {
  const calls: Array<[string, unknown[]]> = [];
  const record = (name: string, answer: (...args: unknown[]) => unknown) => async (...args: unknown[]) => {
    calls.push([name, args]);
    return answer(...args);
  };
  const hooks = {
    check: record("check", (_o, news) => ({ inputs: news })),
    diff: record("diff", () => ({ changes: true, replaces: [], deleteBeforeReplace: false, stables: [] })),
    create: record("create", () => ({ id: ID, outs: { ...STATE, rotationTrigger: "1" } })),
    read: record("read", (id) => ({ id, props: STATE })),
    update: record("update", (_id, _o, news) => ({ outs: { ...STATE, ...(news as object) } })),
    delete: record("delete", () => undefined),
    ...answers,
  } as RotationHooks;
  return { hooks, calls };
}

const door = (hooks: RotationHooks, configured = () => Promise.resolve()) => rotationPlugin(hooks, { schema, configured });

describe("plugin door: secrets on the wire", () => {
  it("reveals nested secrets and remembers which properties held one", () => {
    const { plain, secretKeys } = reveal({ a: asSecret("x"), b: { c: [asSecret(1)] }, d: "plain" });
    assert.deepEqual(plain, { a: "x", b: { c: [1] }, d: "plain" });
    assert.deepEqual([...secretKeys].sort(), ["a", "b"]);
  });

  it("conceals only the properties present, once", () => {
    const out = conceal({ secret: "s", apiToken: asSecret("t"), sitekey: "k" }, ["secret", "apiToken", "missing"]);
    assert.ok(isWireSecret(out.secret) && isWireSecret(out.apiToken) && !isWireSecret((out.apiToken as { value: unknown }).value));
    assert.equal(out.sitekey, "k");
    assert.ok(!("missing" in out));
  });
});

describe("plugin door: the engine's calls over the core hooks", () => {
  it("check hands the core plain values and returns the token secret and a numeric trigger as text", async () => {
    const { hooks, calls } = fakeHooks();
    const result = await door(hooks).check!(URN, {}, { ...STATE, rotationTrigger: 3, apiToken: asSecret("tok") });
    assert.deepEqual((calls[0]![1][1] as Record<string, unknown>).apiToken, "tok");
    assert.equal(result.inputs.rotationTrigger, "3");
    assert.ok(isWireSecret(result.inputs.apiToken));
    assert.deepEqual(asSchemaTypes({ rotationTrigger: 7, invalidateImmediately: true }, schema.stringInputs), { rotationTrigger: "7", invalidateImmediately: true });
  });

  it("create and update return the secret (and a given token) wrapped as secrets", async () => {
    const { hooks } = fakeHooks();
    const created = await door(hooks).create!(URN, { ...STATE, rotationTrigger: "1" });
    assert.equal(created.id, ID);
    assert.ok(isWireSecret(created.outs.secret));
    const updated = await door(hooks).update!(ID, URN, conceal(STATE, ["secret"]), { rotationTrigger: "2", apiToken: "tok" });
    assert.ok(isWireSecret(updated.outs.secret) && isWireSecret(updated.outs.apiToken));
  });

  it("diff passes the core's decision on, without `stables`", async () => {
    const { hooks, calls } = fakeHooks();
    const diff = await door(hooks).diff!(ID, URN, conceal(STATE, ["secret"]), { rotationTrigger: "2" });
    assert.deepEqual(diff, { changes: true, replaces: [], deleteBeforeReplace: false });
    assert.equal((calls[0]![1][1] as Record<string, unknown>).secret, STATE.secret, "the core sees the old secret unwrapped");
  });

  it("an import (read without state) returns the inputs the engine requires, with a trigger to record", async () => {
    // The core answers an import with the inputs it read (see core/read.ts); the door completes them.
    const { hooks } = fakeHooks({ read: async (id: string) => ({ id, props: STATE, inputs: { accountId: STATE.accountId, sitekey: STATE.sitekey } }) });
    const read = await door(hooks).read!(ID, URN, {});
    assert.ok(isWireSecret(read.props.secret));
    assert.deepEqual(read.inputs, { rotationTrigger: IMPORTED_TRIGGER, accountId: STATE.accountId, sitekey: STATE.sitekey, invalidateImmediately: false });
    assert.deepEqual(importInputs({ ...STATE, apiToken: "t" }, schema.inputs).apiToken, "t");
  });

  it("a refresh returns no inputs, and an empty id when the widget is gone", async () => {
    const { hooks } = fakeHooks({ read: async () => ({}) });
    assert.deepEqual(await door(hooks).read!(ID, URN, STATE), { id: "", props: {} });
    const present = await door(fakeHooks().hooks).read!(ID, URN, conceal(STATE, ["secret"]));
    assert.ok(!("inputs" in present));
  });

  it("serves its own type only, and waits for the provider configuration", async () => {
    const { hooks, calls } = fakeHooks();
    await assert.rejects(door(hooks).create!("urn:pulumi:dev::proj::other:index:Thing::x", {}), /unknown resource type other:index:Thing/);
    let release!: () => void;
    const configured = new Promise<void>((resolve) => (release = resolve));
    const pending = door(hooks, () => configured).create!(URN, STATE);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(calls.length, 0, "no hook runs before Configure reached the core");
    release();
    await pending;
  });

  it("names the plugin's config key when no token is configured", async () => {
    const { hooks } = fakeHooks({ create: async () => { throw new MissingCredentialsError(); } });
    await assert.rejects(door(hooks).create!(URN, STATE), (error: Error) => {
      assert.match(error.message, /turnstile-rotation:apiToken.*CLOUDFLARE_API_TOKEN/);
      assert.doesNotMatch(error.message, /cloudflare:apiToken/);
      return true;
    });
  });
});

describe("plugin door: provider configuration", () => {
  it("reads args (secrets unwrapped), else the older variables map, and answers the core's keys", () => {
    const request = new ConfigureRequest();
    request.setArgs(Struct.fromJavaScript({ apiToken: asSecret("tok") as never }));
    request.getVariablesMap().set("turnstile-rotation:config:baseUrl", "http://127.0.0.1:1/client/v4");
    const config = configFromRequest(request);
    assert.deepEqual(config, { apiToken: "tok", baseUrl: "http://127.0.0.1:1/client/v4" });
    const source = coreConfigSource(config);
    assert.equal(source.get(CONFIG_KEYS.apiToken), "tok");
    assert.equal(source.get(CONFIG_KEYS.baseUrl), "http://127.0.0.1:1/client/v4");
    assert.equal(source.get("turnstile-rotation:apiToken"), undefined, "the core asks only for its own keys");
  });
});
