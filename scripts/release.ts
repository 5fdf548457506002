/**
 * `npm run release`: builds every release asset of the version in package.json into one
 * directory, and prints that directory as its last line. The assets:
 *
 * - the provider plugin for linux, darwin and windows on amd64 and arm64, under Pulumi's standard
 *   asset name `pulumi-resource-turnstile-rotation-v<version>-<os>-<arch>.tar.gz`;
 * - the schema as served (`schema.json`, with the version);
 * - the npm tarball; the Python wheel and sdist; the Go module as the Go proxy would serve it once
 *   `sdk/go/v<version>` is tagged (under `go/`, usable as `GOPROXY=file://<dir>/go`); the Java jar
 *   and pom;
 * - `checksums.txt` (SHA-256 of every other file).
 *
 * Usage: npm run release [-- --out <directory>]   (default: dist-release/v<version>)
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { packRepository } from "./lib/packed-install";
import { REPO_ROOT } from "./lib/engine";
import { writeChecksums, filesBelow } from "./lib/release/checksums";
import { buildJavaJar } from "./lib/release/java-jar";
import { bundlePlugin, writePluginArchives } from "./lib/release/plugin-archives";
import { buildPythonDists } from "./lib/release/python-dists";
import { run } from "./lib/release/run";
import { releaseVersion, versionedSchema } from "./lib/release/version";

/** The name of the checksums file in a release directory. */
const CHECKSUMS = "checksums.txt";

/** Runs one step, saying what it made and how long it took. */
async function step<T>(what: string, work: () => T | Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await work();
  process.stderr.write(`release: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  return result;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: "string" } } });
  const version = releaseVersion(REPO_ROOT);
  const out = path.resolve(values.out ?? path.join(REPO_ROOT, "dist-release", `v${version}`));
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "turnstile-release-"));
  try {
    const schemaText = versionedSchema(REPO_ROOT, version);
    const schema = JSON.parse(schemaText) as { pluginDownloadURL: string; language: { java: { basePackage: string } } };
    fs.writeFileSync(path.join(out, "schema.json"), schemaText);
    const bundle = await step("plugin bundled", () => bundlePlugin(REPO_ROOT));
    const license = fs.readFileSync(path.join(REPO_ROOT, "LICENSE"));
    await step("plugin archives for 6 platforms", () => writePluginArchives({ bundle, schemaText, version, license }, out));
    await step("npm tarball", () => packRepository(out));
    const sdk = path.join(scratch, "sdk");
    await step(`SDKs generated for ${version}`, () => run("bash", [path.join(REPO_ROOT, "scripts", "gen-sdk.sh"), sdk], REPO_ROOT));
    await step("Python wheel and sdist", () => buildPythonDists(path.join(sdk, "python"), out, scratch));
    const commitTime = spawnSync("git", ["log", "-1", "--format=%cI"], { cwd: REPO_ROOT, encoding: "utf8" }).stdout.trim() || new Date().toISOString();
    await step("Go module", () => run("go", ["run", ".", path.join(sdk, "go"), `v${version}`, commitTime, path.join(out, "go")], path.join(REPO_ROOT, "scripts", "release-go")));
    const java = { group: schema.language.java.basePackage, artifact: "turnstile-rotation", version };
    await step("Java jar", () => buildJavaJar(path.join(sdk, "java"), java, schema.pluginDownloadURL, out, scratch));
    writeChecksums(out, CHECKSUMS);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  for (const file of filesBelow(out)) process.stderr.write(`  ${file} (${fs.statSync(path.join(out, file)).size} bytes)\n`);
  console.log(out);
}

main().catch((error: unknown) => {
  console.error(`release: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
