/**
 * The library's layout (docs/development.md, Layout): each room of provider/ one job, arrows only
 * downward, no file over 200 lines. The core never reaches into a front door, the Cloudflare
 * client knows nothing of the rotation but the error base it extends, and the two front doors
 * (dynamic/, plugin/) never import each other.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../scripts/lib/engine";

const LIBRARY = path.join(REPO_ROOT, "provider");
const MAX_LINES = 200;

/** The library's modules, relative to provider/ without `.ts` (e.g. `core/hooks`). */
function modules(dir = LIBRARY): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return modules(full);
    return entry.name.endsWith(".ts") ? [path.relative(LIBRARY, full).replace(/\.ts$/, "").split(path.sep).join("/")] : [];
  });
}

/** The library modules `module` imports or requires, resolved like Node (`x` or `x/index`). */
function importsOf(module: string, known: ReadonlySet<string>): string[] {
  const text = fs.readFileSync(path.join(LIBRARY, `${module}.ts`), "utf8");
  const specs = [...text.matchAll(/(?:from |import |require\(|import\()"(\.{1,2}\/[^"]*|\.{1,2})"/g)].map((match) => match[1]);
  return specs.map((spec) => {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(module), spec));
    const resolved = [target, `${target}/index`].find((candidate) => known.has(candidate));
    assert.ok(resolved, `${module} imports ${spec}, which is not a library module`);
    return resolved;
  });
}

/** The room a module lives in: its folder, or the module itself at the root. */
const room = (module: string) => (module.includes("/") ? module.split("/")[0] : module);

/** What each room may import besides itself. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  // The Cloudflare client extends the package's error base, and nothing else of it.
  cloudflare: ["core/errors"],
  core: ["cloudflare"],
  // The serialized provider is a reference to the stable entry: the state contract (hooks.ts).
  dynamic: ["core", "cloudflare", "hooks"],
  // The plugin runs the stable entry's hooks.
  plugin: ["core", "hooks"],
  schedule: ["core/errors"],
  consume: ["core/errors"],
  hooks: ["core", "cloudflare"],
  index: ["core", "cloudflare", "dynamic", "schedule", "consume"],
};

describe("package: the library's layout", () => {
  const all = modules();
  const known = new Set(all);

  it("has the rooms docs/development.md describes", () => {
    assert.deepEqual([...new Set(all.map(room))].sort(), Object.keys(ALLOWED).sort());
  });

  it("imports only downward", () => {
    for (const module of all) {
      for (const target of importsOf(module, known)) {
        if (room(target) === room(module)) continue;
        const allowed = ALLOWED[room(module)].some((entry) => target === entry || room(target) === entry);
        assert.ok(allowed, `${module} imports ${target}: ${room(module)}/ may import only ${ALLOWED[room(module)].join(", ")}`);
      }
    }
  });

  it(`has no file over ${MAX_LINES} lines`, () => {
    for (const module of all) {
      const lines = fs.readFileSync(path.join(LIBRARY, `${module}.ts`), "utf8").split("\n").length;
      assert.ok(lines <= MAX_LINES + 1, `provider/${module}.ts has ${lines} lines`);
    }
  });
});
