/**
 * The release's version: package.json's, the one place it is written. A tag on the released
 * commit (`v<version>`, as GitHub releases and `pluginDownloadURL` expect) must agree with it, so
 * a tag can never publish assets of another version.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** The version to release, checked against the `v*` tags at HEAD, if any. */
export function releaseVersion(repoRoot: string): string {
  const { version } = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string };
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) throw new Error(`package.json's version "${version}" is not a semantic version`);
  const tags = spawnSync("git", ["tag", "--points-at", "HEAD", "--list", "v*"], { cwd: repoRoot, encoding: "utf8" });
  const mismatched = (tags.status === 0 ? tags.stdout.split("\n").filter(Boolean) : []).filter((tag) => tag !== `v${version}`);
  if (mismatched.length > 0) {
    throw new Error(`HEAD is tagged ${mismatched.join(", ")} but package.json says ${version}: set the version with \`npm version\` and tag v${version}`);
  }
  return version;
}

/** The schema as a release serves it: schema.json with the version put in. */
export function versionedSchema(repoRoot: string, version: string): string {
  const spec = JSON.parse(fs.readFileSync(path.join(repoRoot, "schema.json"), "utf8")) as Record<string, unknown>;
  return `${JSON.stringify({ ...spec, version }, null, 2)}\n`;
}
