/**
 * schema.json (what every generated SDK and YAML program sees) against the TypeScript front door
 * (what TypeScript programs see): same inputs, outputs, types, required-ness and secrets. Change
 * one without the other and this fails, naming the property.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { PLUGIN_CONFIG_KEYS } from "../../../provider/plugin/config";
import { loadSchema, PACKAGE_NAME, ROTATION_TYPE } from "../../../provider/plugin/schema";
import { arrayLiteralStrings, classOutputShapes, interfaceShapes, type Shape } from "./ts-shapes";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const WIDGET_TYPE = `${PACKAGE_NAME}:index:TurnstileWidgetInfo`;

interface PropertySpec { type?: string; $ref?: string; items?: PropertySpec; secret?: boolean }
interface Spec {
  name: string;
  version?: string;
  config: { variables: Record<string, PropertySpec> };
  provider: { inputProperties: Record<string, PropertySpec> };
  types: Record<string, { properties: Record<string, PropertySpec>; required?: string[] }>;
  resources: Record<string, { inputProperties: Record<string, PropertySpec>; requiredInputs?: string[]; properties: Record<string, PropertySpec>; required?: string[] }>;
}

const spec = JSON.parse(fs.readFileSync(path.join(ROOT, "schema.json"), "utf8")) as Spec;
const resource = spec.resources[ROTATION_TYPE]!;

function typeName(property: PropertySpec): string {
  if (property.$ref) return `ref<${property.$ref.replace(`#/types/${PACKAGE_NAME}:index:`, "")}>`;
  if (property.type === "array" && property.items) return `array<${typeName(property.items)}>`;
  return property.type ?? "?";
}

function schemaShapes(properties: Record<string, PropertySpec>, required: readonly string[] = []): Record<string, Shape> {
  return Object.fromEntries(Object.entries(properties).map(([name, p]) => [name, { type: typeName(p), required: required.includes(name) }]));
}

describe("plugin schema: schema.json matches the TypeScript types", () => {
  it("inputs: TurnstileSecretRotationArgs", () => {
    const ts = interfaceShapes("provider/dynamic/resource.ts", "TurnstileSecretRotationArgs");
    assert.deepEqual(schemaShapes(resource.inputProperties, resource.requiredInputs), ts);
  });

  it("outputs: the declared properties of TurnstileSecretRotation", () => {
    const ts = classOutputShapes("provider/dynamic/resource.ts", "TurnstileSecretRotation");
    // The one difference on purpose: only the plugin can import, and an imported state has no
    // trigger until the first `pulumi up` records one.
    ts.rotationTrigger = { ...ts.rotationTrigger!, required: false };
    assert.deepEqual(schemaShapes(resource.properties, resource.required), ts);
  });

  it("the widget output: TurnstileWidgetInfo", () => {
    const widget = spec.types[WIDGET_TYPE]!;
    assert.deepEqual(schemaShapes(widget.properties, widget.required), interfaceShapes("provider/core/state.ts", "TurnstileWidgetInfo"));
  });

  it("secrets: the schema marks secret exactly what the TypeScript resource makes secret", () => {
    const tsSecrets = arrayLiteralStrings("provider/dynamic/resource.ts", "secretOutputs").sort();
    assert.deepEqual([...loadSchema(ROOT).secretProperties].sort(), tsSecrets);
    assert.equal(spec.config.variables.apiToken?.secret, true, "the provider's apiToken config must be secret");
    assert.equal(spec.provider.inputProperties.apiToken?.secret, true, "the provider's apiToken input must be secret");
  });

  it("config keys and version: what the plugin reads, and the npm package's version", () => {
    const keys = Object.keys(spec.config.variables).map((k) => `${spec.name}:${k}`).sort();
    assert.deepEqual(keys, Object.values(PLUGIN_CONFIG_KEYS).sort());
    assert.deepEqual(Object.keys(spec.provider.inputProperties).sort(), Object.keys(spec.config.variables).sort());
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    assert.equal(spec.version, undefined, "schema.json holds no version: package.json's is put in where it is served and generated");
    const served = loadSchema(ROOT);
    assert.equal(served.version, pkg.version);
    assert.equal((JSON.parse(served.text) as { version: string }).version, pkg.version, "the served schema carries package.json's version");
  });
});
