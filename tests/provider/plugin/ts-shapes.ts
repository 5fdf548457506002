/**
 * Reads the shapes of the TypeScript front door (the args interface, the resource class's output
 * properties, the widget info interface) with the TypeScript compiler, as schema-like property
 * descriptions, so the schema drift test compares them with schema.json.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";

/** A property as both sides describe it: its schema type and whether it is always present. */
export interface Shape {
  readonly type: string;
  readonly required: boolean;
}

const ROOT = path.resolve(__dirname, "..", "..", "..");

function parse(file: string): ts.SourceFile {
  const full = path.join(ROOT, file);
  return ts.createSourceFile(full, fs.readFileSync(full, "utf8"), ts.ScriptTarget.ES2022, true);
}

/** Strips `pulumi.Input<...>` / `pulumi.Output<...>` and maps the rest to a schema type name. */
function schemaType(node: ts.TypeNode): { type: string; nullable: boolean } {
  if (ts.isTypeReferenceNode(node) && /^pulumi\.(Input|Output)$/.test(node.typeName.getText()) && node.typeArguments?.[0]) {
    return schemaType(node.typeArguments[0]);
  }
  if (ts.isTypeOperatorNode(node)) return schemaType(node.type); // readonly T[]
  if (ts.isArrayTypeNode(node)) return { type: `array<${schemaType(node.elementType).type}>`, nullable: false };
  if (ts.isUnionTypeNode(node)) {
    const members = node.types.map((t) => t.getText());
    const nullable = members.includes("null");
    const rest = members.filter((m) => m !== "null");
    // The schema has no unions: a value that may be a string or a number is a string (see rotationTrigger).
    const type = rest.length === 1 ? schemaType(node.types.find((t) => t.getText() === rest[0]) as ts.TypeNode).type
      : rest.includes("string") ? "string" : rest.join("|");
    return { type, nullable };
  }
  const text = node.getText();
  return { type: ["string", "number", "boolean"].includes(text) ? text : `ref<${text}>`, nullable: false };
}

function find<T extends ts.Node>(file: ts.SourceFile, match: (node: ts.Node) => node is T, name: string): T {
  let found: T | undefined;
  const visit = (node: ts.Node): void => {
    if (!found && match(node) && (node as unknown as { name?: ts.Identifier }).name?.text === name) found = node;
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (!found) throw new Error(`${name} not found in ${file.fileName}`);
  return found;
}

/** Shapes of the typed properties among `members` that `keep` accepts. */
function memberShapes(members: readonly ts.Node[], keep: (member: ts.PropertySignature | ts.PropertyDeclaration) => boolean): Record<string, Shape> {
  const shapes: Record<string, Shape> = {};
  for (const member of members) {
    if (!(ts.isPropertySignature(member) || ts.isPropertyDeclaration(member)) || !member.type || !keep(member)) continue;
    const { type, nullable } = schemaType(member.type);
    shapes[member.name.getText()] = { type, required: !member.questionToken && !nullable };
  }
  return shapes;
}

/** The properties of an interface: optional ones (`?`) are not required, nor are nullable ones. */
export function interfaceShapes(file: string, name: string): Record<string, Shape> {
  return memberShapes(find(parse(file), ts.isInterfaceDeclaration, name).members, () => true);
}

/** The `declare`d output properties of a resource class. */
export function classOutputShapes(file: string, name: string): Record<string, Shape> {
  const isDeclared = (member: ts.PropertySignature | ts.PropertyDeclaration) =>
    ts.canHaveModifiers(member) && (ts.getModifiers(member) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword);
  return memberShapes(find(parse(file), ts.isClassDeclaration, name).members, isDeclared);
}

/** The string literals of the array a variable named `variable` is initialised with, in `file`. */
export function arrayLiteralStrings(file: string, variable: string): string[] {
  const decl = find(parse(file), ts.isVariableDeclaration, variable);
  const values: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node)) values.push(node.text);
    ts.forEachChild(node, visit);
  };
  if (decl.initializer) visit(decl.initializer);
  return values;
}
