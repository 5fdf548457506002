/**
 * The test commands: `npm run test:unit` (no engine, seconds) and `npm run test:e2e` (through the
 * real Pulumi engine) together run every spec exactly once, and `npm test`, the README's test
 * line, runs both.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../scripts/lib/engine";

const scripts = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

/** The quoted spec globs of an npm script. */
function globsOf(script: string): string[] {
  return [...scripts[script].matchAll(/'([^']+\.spec\.ts)'/g)].map((match) => match[1]);
}

/** Every spec file under tests/, relative to the repository. */
function specs(dir = "tests"): string[] {
  return fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "fixtures" ? [] : specs(relative);
    return entry.name.endsWith(".spec.ts") ? [relative] : [];
  });
}

describe("package: test commands", () => {
  // The model-based test runs in the unit suite, under its coverage gate.
  const unit = [...globsOf("test:unit"), ...globsOf("test:model")];
  const e2e = globsOf("test:e2e");

  it("the unit suite ends with the model-based test under its coverage gate", () => {
    assert.match(scripts["test:unit"], /&& npm run test:model$/);
    assert.match(scripts["test:model"], /^c8 --config \.c8rc\.model\.json mocha/);
  });

  it("npm test runs the unit and the end-to-end suites", () => {
    assert.match(scripts.test, /npm run test:unit && npm run test:e2e/);
  });

  it("every spec runs in exactly one suite", () => {
    const all = specs();
    assert.ok(all.length > 50, `only ${all.length} specs found`);
    for (const spec of all) {
      const suites = [unit.some((g) => path.matchesGlob(spec, g)) && "unit", e2e.some((g) => path.matchesGlob(spec, g)) && "e2e"].filter(Boolean);
      assert.equal(suites.length, 1, `${spec} runs in ${suites.length === 0 ? "no suite" : "both suites"}`);
    }
  });

  it("the unit suite starts no engine", () => {
    const engine = /\b(findEngine|PulumiCli|createWorld)\b/;
    const self = path.relative(REPO_ROOT, __filename).split(path.sep).join("/");
    for (const spec of specs().filter((file) => file !== self && unit.some((g) => path.matchesGlob(file, g)))) {
      assert.doesNotMatch(fs.readFileSync(path.join(REPO_ROOT, spec), "utf8"), engine, spec);
    }
    assert.doesNotMatch(scripts["test:unit"] + scripts["test:model"], /engine\.sh/);
  });
});
