/**
 * The library's layout (docs/development.md, Layout): each room of provider/ one job, arrows only
 * downward, no file over 200 lines. The core never reaches into a front door, the Cloudflare
 * client knows nothing of the rotation but the error base it extends, and the two front doors
 * (dynamic/, plugin/) never import each other. The rollout command (rollout/) is a room of its
 * own beside the library: it uses only the library's public API, and the library never uses it.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../scripts/lib/engine";

const LIBRARY = path.join(REPO_ROOT, "provider");
const ROLLOUT = path.join(REPO_ROOT, "rollout");
const MAX_LINES = 200;

/** The modules under `root`, relative to it without `.ts` (e.g. `core/hooks`). */
function modules(root = LIBRARY, dir = root): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return modules(root, full);
    return entry.name.endsWith(".ts") ? [path.relative(root, full).replace(/\.ts$/, "").split(path.sep).join("/")] : [];
  });
}

/**
 * The modules `module` (under `root`) imports or requires, resolved like Node (`x` or `x/index`)
 * among `known`, which are relative to `root` too (`../provider/index` for a rollout module).
 */
function importsOf(module: string, known: ReadonlySet<string>, root = LIBRARY): string[] {
  const text = fs.readFileSync(path.join(root, `${module}.ts`), "utf8");
  const specs = [...text.matchAll(/(?:from |import |require\(|import\()"(\.{1,2}\/[^"]*|\.{1,2})"/g)].map((match) => match[1]);
  return specs.map((spec) => {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(module), spec));
    const resolved = [target, `${target}/index`].find((candidate) => known.has(candidate));
    assert.ok(resolved, `${path.basename(root)}/${module} imports ${spec}, which is not a module it may use`);
    return resolved;
  });
}

/** Line count of each module under `root` that is over the limit. */
function overLong(root: string): string[] {
  return modules(root).flatMap((module) => {
    const lines = fs.readFileSync(path.join(root, `${module}.ts`), "utf8").split("\n").length;
    return lines <= MAX_LINES + 1 ? [] : [`${path.basename(root)}/${module}.ts has ${lines} lines`];
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
    assert.deepEqual(overLong(LIBRARY), []);
  });
});

describe("package: the rollout command's layout", () => {
  const own = modules(ROLLOUT);

  it("uses its own modules and the library's public API only (provider/index)", () => {
    const known = new Set([...own, "../provider/index"]);
    const used = new Set(own.flatMap((module) => importsOf(module, known, ROLLOUT)));
    assert.ok(used.has("../provider/index"), "rollout/ no longer uses the library: update this test");
  });

  it("is never imported by the library", () => {
    for (const module of modules()) {
      const text = fs.readFileSync(path.join(LIBRARY, `${module}.ts`), "utf8");
      assert.doesNotMatch(text, /["'](?:\.\.\/)+rollout(?:\/[^"']*)?["']/, `provider/${module} imports rollout/`);
    }
  });

  it(`has no file over ${MAX_LINES} lines`, () => {
    assert.deepEqual(overLong(ROLLOUT), []);
  });
});
