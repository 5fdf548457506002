/**
 * The schema's breaking-change check against the last released schema (tests/fixtures/schema-*,
 * the baseline), by schema-tools' rules (scripts/lib/schema-compat.ts): every program and SDK
 * written against the baseline keeps working. The rules are pinned on small schemas first, so
 * the check itself can fail.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../scripts/lib/engine";
import { breakingChanges, type SchemaSpec } from "../../scripts/lib/schema-compat";

const BASELINE = path.join(REPO_ROOT, "tests", "fixtures", "schema-0.1.0", "schema.json");
const read = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as SchemaSpec & Record<string, unknown>;
const T = "pkg:index:Thing";

/** A schema as plain, editable JSON. */
interface Editable {
  config?: unknown;
  types?: unknown;
  resources: Record<string, Record<string, unknown>>;
}

/** A small schema: one resource, one type, one config variable. */
function schema(): Editable {
  return {
    config: { variables: { apiToken: { type: "string", secret: true } } },
    types: { "pkg:index:Info": { properties: { name: { type: "string" } }, required: ["name"] } },
    resources: {
      [T]: {
        inputProperties: { name: { type: "string" }, size: { type: "integer" }, tags: { type: "array", items: { type: "string" } } },
        requiredInputs: ["name"],
        properties: { secret: { type: "string", secret: true }, info: { $ref: "#/types/pkg:index:Info" } },
        required: ["secret", "info"],
      },
    },
  };
}

/** `schema()` changed by `edit`. */
function edited(edit: (s: Editable) => void): SchemaSpec {
  const copy = schema();
  edit(copy);
  return copy as SchemaSpec;
}
const base = () => schema() as SchemaSpec;

describe("package: schema breaking-change check", () => {
  it("finds nothing between a schema and itself, or after additions", () => {
    assert.deepEqual(breakingChanges(base(), base()), []);
    const added = edited((s) => {
      (s.resources[T]!.inputProperties as Record<string, unknown>).color = { type: "string" };
      (s.resources[T]!.properties as Record<string, unknown>).extra = { type: "string" };
      s.resources["pkg:index:Other"] = {};
    });
    assert.deepEqual(breakingChanges(base(), added), []);
  });

  it("finds each kind of break", () => {
    const cases: Array<[string, SchemaSpec]> = [
      [`resource ${T} missing`, edited((s) => delete s.resources[T])],
      [`${T} inputs: "size" missing`, edited((s) => delete (s.resources[T]!.inputProperties as Record<string, unknown>).size)],
      [`${T} inputs: "size" type changed from integer to string`, edited((s) => ((s.resources[T]!.inputProperties as Record<string, unknown>).size = { type: "string" }))],
      [`${T} inputs: "tags" type changed from array<string> to array<integer>`, edited((s) => ((s.resources[T]!.inputProperties as Record<string, unknown>).tags = { type: "array", items: { type: "integer" } }))],
      [`${T} inputs: "size" has become required`, edited((s) => (s.resources[T]!.requiredInputs = ["name", "size"]))],
      [`${T} outputs: "info" is no longer required`, edited((s) => (s.resources[T]!.required = ["secret"]))],
      [`${T} outputs: "secret" is no longer secret`, edited((s) => ((s.resources[T]!.properties as Record<string, unknown>).secret = { type: "string" }))],
      [`config: "apiToken" is no longer secret`, edited((s) => (s.config = { variables: { apiToken: { type: "string" } } }))],
      [`type pkg:index:Info: "name" is no longer required`, edited((s) => (s.types = { "pkg:index:Info": { properties: { name: { type: "string" } } } }))],
      [`type pkg:index:Info missing`, edited((s) => (s.types = {}))],
    ];
    for (const [expected, changed] of cases) assert.deepEqual(breakingChanges(base(), changed), [expected]);
  });

  it("schema.json breaks nothing of the last released schema", () => {
    assert.deepEqual(breakingChanges(read(BASELINE), read(path.join(REPO_ROOT, "schema.json"))), []);
  });

  it("the baseline is the schema of release 0.1.0, as published", () => {
    const baseline = read(BASELINE);
    assert.equal(baseline.version, "0.1.0");
    assert.ok(baseline.resources?.["turnstile-rotation:index:TurnstileSecretRotation"], "the baseline describes the rotation resource");
  });
});
