/**
 * The package schema (`schema.json` at the package root) as the plugin serves it to the engine
 * (`pulumi package get-schema`, YAML programs, SDK generation), and the facts the plugin door takes
 * from it: which properties are inputs and which are secret. Reading them from the schema keeps one
 * source: the drift test (tests/provider/plugin/schema-drift.spec.ts) ties it to the TypeScript types.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The package name: the first part of type tokens and the provider's config namespace. */
export const PACKAGE_NAME = "turnstile-rotation";
/** The type token of the rotation resource. */
export const ROTATION_TYPE = `${PACKAGE_NAME}:index:TurnstileSecretRotation`;

/** The parts of a resource's schema the plugin door relies on. */
interface ResourceSpec {
  readonly inputProperties: Record<string, { readonly secret?: boolean; readonly type?: string }>;
  readonly properties: Record<string, { readonly secret?: boolean }>;
}

/** What the plugin needs from the schema. */
export interface PluginSchema {
  /** The schema as JSON text, as served: schema.json with the package's version. */
  readonly text: string;
  /** The package version (package.json's), reported to the engine as the plugin's version. */
  readonly version: string;
  /** The rotation resource's input property names. */
  readonly inputs: readonly string[];
  /** Input and output properties the schema marks secret: always wrapped as secrets on the way out. */
  readonly secretProperties: readonly string[];
  /** Inputs the schema types as strings (a number given for one is recorded as its text). */
  readonly stringInputs: readonly string[];
}

/**
 * The package root: the nearest directory above this module holding `schema.json` and this
 * package's `package.json` (two levels up in a source checkout, three from `dist/`, the bundle's
 * own directory in a release archive).
 */
export function packageRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(path.join(dir, "schema.json")) && fs.existsSync(manifest)) {
      const { name } = JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string };
      if (name === "pulumi-turnstile-rotation") return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`schema.json of pulumi-turnstile-rotation not found above ${from}`);
  }
}

/**
 * Reads and digests the schema once, when the plugin starts. The committed schema.json carries
 * no version: package.json's is the one source, put into the schema here and in every SDK
 * (scripts/gen-sdk.sh), so a release never serves one version and reports another.
 */
export function loadSchema(root: string = packageRoot()): PluginSchema {
  const { version } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };
  const parsed = JSON.parse(fs.readFileSync(path.join(root, "schema.json"), "utf8")) as { resources: Record<string, ResourceSpec> };
  const spec = { ...parsed, version };
  const text = JSON.stringify(spec);
  const resource = spec.resources[ROTATION_TYPE];
  if (!resource) throw new Error(`schema.json does not describe ${ROTATION_TYPE}`);
  const secret = (props: ResourceSpec["properties"]) => Object.keys(props).filter((name) => props[name]?.secret === true);
  return {
    text,
    version,
    inputs: Object.keys(resource.inputProperties),
    secretProperties: [...new Set([...secret(resource.inputProperties), ...secret(resource.properties)])],
    stringInputs: Object.keys(resource.inputProperties).filter((name) => resource.inputProperties[name]?.type === "string"),
  };
}
