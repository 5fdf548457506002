/**
 * Breaking changes between two package schemas, by the rules of Pulumi's schema-tools `compare`
 * (whose Go module the proxy reachable here does not serve), plus one of this package's own: a
 * property that was secret must stay secret, or new states would hold it in plain text.
 *
 * Breaking: a resource, function, type, config variable or property that disappears; a property
 * whose type changes; an input that becomes required; an output that stops being required (SDKs
 * typed it as always present). Additions are never breaking.
 */

/** A property as the schema describes it (the parts that decide compatibility). */
interface PropertySpec {
  readonly type?: string;
  readonly $ref?: string;
  readonly items?: PropertySpec;
  readonly additionalProperties?: PropertySpec;
  readonly secret?: boolean;
}

type Properties = Readonly<Record<string, PropertySpec>>;

/** The parts of a package schema the comparison reads. */
export interface SchemaSpec {
  readonly config?: { readonly variables?: Properties };
  readonly provider?: { readonly inputProperties?: Properties };
  readonly types?: Readonly<Record<string, { readonly properties?: Properties; readonly required?: readonly string[] }>>;
  readonly resources?: Readonly<Record<string, {
    readonly inputProperties?: Properties; readonly requiredInputs?: readonly string[];
    readonly properties?: Properties; readonly required?: readonly string[];
  }>>;
  readonly functions?: Readonly<Record<string, unknown>>;
}

/** A property's type as one comparable string, e.g. `array<string>` or `#/types/pkg:index:Widget`. */
function typeOf(property: PropertySpec | undefined): string {
  if (!property) return "nothing";
  if (property.$ref) return property.$ref;
  if (property.type === "array") return `array<${typeOf(property.items)}>`;
  if (property.type === "object" && property.additionalProperties) return `map<${typeOf(property.additionalProperties)}>`;
  return property.type ?? "any";
}

/** Compares one property map; `where` names it in messages. */
function compareProperties(where: string, olds: Properties = {}, news: Properties = {}): string[] {
  const problems: string[] = [];
  for (const [name, old] of Object.entries(olds)) {
    const now = news[name];
    if (!now) {
      problems.push(`${where}: "${name}" missing`);
      continue;
    }
    if (typeOf(old) !== typeOf(now)) problems.push(`${where}: "${name}" type changed from ${typeOf(old)} to ${typeOf(now)}`);
    if (old.secret === true && now.secret !== true) problems.push(`${where}: "${name}" is no longer secret`);
  }
  return problems;
}

/** Names in `now` not in `before`, or in `before` not in `now`, as a breaking message each. */
function requiredChanges(where: string, before: readonly string[] = [], now: readonly string[] = [], breaks: "added" | "removed"): string[] {
  const [from, to] = breaks === "added" ? [before, now] : [now, before];
  const wording = breaks === "added" ? "has become required" : "is no longer required";
  return to.filter((name) => !from.includes(name)).map((name) => `${where}: "${name}" ${wording}`);
}

/** Every breaking change from `old` to `now`; empty when `now` is compatible. */
export function breakingChanges(old: SchemaSpec, now: SchemaSpec): string[] {
  const problems = [
    ...compareProperties("config", old.config?.variables, now.config?.variables),
    ...compareProperties("provider inputs", old.provider?.inputProperties, now.provider?.inputProperties),
  ];
  for (const [token, resource] of Object.entries(old.resources ?? {})) {
    const current = now.resources?.[token];
    if (!current) {
      problems.push(`resource ${token} missing`);
      continue;
    }
    problems.push(
      ...compareProperties(`${token} inputs`, resource.inputProperties, current.inputProperties),
      ...compareProperties(`${token} outputs`, resource.properties, current.properties),
      ...requiredChanges(`${token} inputs`, resource.requiredInputs, current.requiredInputs, "added"),
      ...requiredChanges(`${token} outputs`, resource.required, current.required, "removed"),
    );
  }
  for (const [token, type] of Object.entries(old.types ?? {})) {
    const current = now.types?.[token];
    if (!current) {
      problems.push(`type ${token} missing`);
      continue;
    }
    // A type may serve as an input and as an output: both directions of `required` break someone.
    problems.push(
      ...compareProperties(`type ${token}`, type.properties, current.properties),
      ...requiredChanges(`type ${token}`, type.required, current.required, "added"),
      ...requiredChanges(`type ${token}`, type.required, current.required, "removed"),
    );
  }
  for (const token of Object.keys(old.functions ?? {})) {
    if (!now.functions?.[token]) problems.push(`function ${token} missing`);
  }
  return problems;
}
