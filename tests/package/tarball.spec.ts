/**
 * What users download: `npm pack` of this repository (its `prepare` script builds) holds exactly
 * what an installed package needs. The built modules must be the ones the package's entry points
 * reach (`exports`, `main`, the plugin launcher, the `turnstile-rotation` command), each with its
 * type declarations; no source maps (they would point at sources the package does not ship), no
 * demo or test code, and the LICENSE and CHANGELOG that package.json promises.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../scripts/lib/engine";

interface PackedFile {
  readonly path: string;
  readonly mode: number;
}

interface Manifest {
  readonly version: string;
  readonly license: string;
  readonly main: string;
  readonly types: string;
  readonly exports: Record<string, string | Record<string, string>>;
  readonly bin: Record<string, string>;
}

/** The files `npm pack` puts in the tarball (building first, as it does for users). */
function packedFiles(): PackedFile[] {
  const stdout = execFileSync("npm", ["pack", "--dry-run", "--json"], { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const [pack] = JSON.parse(stdout) as Array<{ files: PackedFile[] }>;
  return pack.files;
}

/** The compiled modules `entry` loads, itself included, following relative `require`s. */
function requireClosure(entries: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const pending = [...entries];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
    for (const [, spec] of text.matchAll(/require\("(\.{1,2}\/[^"]*)"\)/g)) {
      const base = path.posix.join(path.posix.dirname(file), spec);
      const target = [`${base}.js`, `${base}/index.js`, base].find((candidate) => fs.existsSync(path.join(REPO_ROOT, candidate)));
      assert.ok(target, `${file} requires ${spec}, which was not built`);
      pending.push(target);
    }
  }
  return seen;
}

describe("package: the npm tarball", function () {
  this.timeout(120_000);
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as Manifest;
  let files: string[];

  before(() => {
    files = packedFiles().map((file) => file.path).sort();
  });

  it("holds the package files, the plugin launcher and built modules only", () => {
    const outside = files.filter((file) => !file.startsWith("dist/provider/") && !file.startsWith("dist/rollout/"));
    assert.deepEqual(outside, [
      "CHANGELOG.md", "LICENSE", "README.md", "bin/pulumi-resource-turnstile-rotation", "package.json", "schema.json",
    ]);
    const kinds = new Set(files.filter((file) => file.startsWith("dist/")).map((file) => file.replace(/^.*?((\.d)?\.[a-z]+)$/, "$1")));
    assert.deepEqual([...kinds].sort(), [".d.ts", ".js"], "no source maps: the sources they point at are not shipped");
  });

  it("ships exactly the modules its entry points load, each with its declarations", () => {
    const exported = Object.values(manifest.exports).flatMap((target) => (typeof target === "string" ? [target] : Object.values(target)));
    const launcher = fs.readFileSync(path.join(REPO_ROOT, manifest.bin["pulumi-resource-turnstile-rotation"]), "utf8");
    const launched = /entry="\$root\/(dist\/[^"]+\.js)"/.exec(launcher)?.[1];
    assert.ok(launched, "the launcher names its entry module");
    const command = manifest.bin["turnstile-rotation"];
    const entries = [manifest.main, launched, command, ...exported.filter((target) => target.endsWith(".js"))].map((file) => path.posix.normalize(file));
    const needed = [...requireClosure(entries)].sort();
    assert.deepEqual(files.filter((file) => file.endsWith(".js")), needed, "a shipped module nothing loads, or a loaded one not shipped");
    for (const module of needed) assert.ok(files.includes(module.replace(/\.js$/, ".d.ts")), `${module} has no declarations`);
    for (const target of [manifest.types, ...exported]) assert.ok(files.includes(path.posix.normalize(target)), `${target} is not in the tarball`);
  });

  it("ships the turnstile-rotation command as a Node.js script, and its functions as ./rollout", () => {
    const command = manifest.bin["turnstile-rotation"];
    assert.ok(files.includes(command), `${command} is not in the tarball`);
    assert.match(fs.readFileSync(path.join(REPO_ROOT, command), "utf8"), /^#!\/usr\/bin\/env node\n/, "npm links it as an executable: it needs its interpreter line");
    const rollout = manifest.exports["./rollout"];
    assert.deepEqual(rollout, { types: "./dist/rollout/index.d.ts", default: "./dist/rollout/index.js" });
  });

  it("keeps demo-only Cloudflare calls out of the client (listing widgets is the batched read's)", () => {
    const client = fs.readFileSync(path.join(REPO_ROOT, "dist", "provider", "cloudflare", "turnstile-client.js"), "utf8");
    for (const call of ["createWidget", "deleteWidget"]) assert.ok(!client.includes(call), `${call} ships in the client`);
  });

  it("carries the license package.json names and a changelog entry for this version", () => {
    assert.equal(manifest.license, "Apache-2.0");
    const license = fs.readFileSync(path.join(REPO_ROOT, "LICENSE"), "utf8");
    assert.match(license, /Apache License\s+Version 2\.0, January 2004/);
    assert.match(license, /END OF TERMS AND CONDITIONS/);
    const changelog = fs.readFileSync(path.join(REPO_ROOT, "CHANGELOG.md"), "utf8");
    assert.match(changelog, new RegExp(`^## ${manifest.version.replace(/\./g, "\\.")}\\b`, "m"));
  });
});
