/**
 * The README and docs/ link to each other by relative paths and anchors; pages move (the README
 * was split into docs/), so every relative link must reach a file, and every `#anchor` a heading
 * of its page (GitHub's slugs: lower case, punctuation dropped, spaces to hyphens).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../scripts/lib/engine";

/** The pages checked: the README, CHANGELOG and every page under docs/. */
const PAGES = ["README.md", "CHANGELOG.md", ...fs.readdirSync(path.join(REPO_ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
/** Pages other work adds later; a link to one is not broken yet. */
const PLANNED = new Set(["docs/rollout.md"]);

/** GitHub's anchor of a heading. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-");
}

/** The anchors of a markdown file's headings (outside code blocks). */
function anchors(file: string): Set<string> {
  const text = fs.readFileSync(file, "utf8").replace(/```[\s\S]*?```/g, "");
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) => slug(heading!)));
}

describe("package: links between the README and docs/", () => {
  for (const page of PAGES) {
    it(`${page}: every relative link reaches a file, and every anchor a heading`, () => {
      const text = fs.readFileSync(path.join(REPO_ROOT, page), "utf8").replace(/```[\s\S]*?```/g, "");
      const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map(([, target]) => target!).filter((t) => !/^[a-z]+:/.test(t));
      for (const link of links) {
        const [file, anchor] = link.split("#") as [string, string | undefined];
        const target = file === "" ? path.join(REPO_ROOT, page) : path.resolve(path.dirname(path.join(REPO_ROOT, page)), file);
        const relative = path.relative(REPO_ROOT, target);
        if (PLANNED.has(relative)) continue;
        assert.ok(fs.existsSync(target), `${page} links to ${link}, which does not exist`);
        if (anchor && target.endsWith(".md")) assert.ok(anchors(target).has(anchor), `${page} links to ${link}: no such heading in ${relative}`);
      }
    });
  }
});
