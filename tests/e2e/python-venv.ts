/**
 * Python projects in end-to-end tests: their `virtualenv: venv` is pointed at a virtualenv under
 * the engine's cache, keyed by what decides its contents, so `pulumi install` downloads packages
 * only the first time. Without Python the tests fail with the reason.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** sha256 of a text, as hex. */
export const sha256 = (value: string): string => createHash("sha256").update(value, "utf8").digest("hex");

/** A virtualenv directory keyed by the Python that creates it and `contents` (e.g. requirements). */
export function cachedVenvDir(...contents: string[]): string {
  const python = process.env.PULUMI_PYTHON_CMD || "python3";
  let pythonVersion: string;
  try {
    pythonVersion = execFileSync(python, ["--version"], { encoding: "utf8" }).trim();
  } catch (error) {
    throw new Error(`Python projects need Python >= 3.10 on PATH (${python}): ${(error as Error).message}`);
  }
  const key = sha256([pythonVersion, `${process.platform}-${process.arch}`, ...contents].join("\n")).slice(0, 12);
  const cacheRoot = process.env.PULUMI_TURNSTILE_ENGINE_HOME
    ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "pulumi-turnstile-rotation");
  fs.mkdirSync(cacheRoot, { recursive: true });
  return path.join(cacheRoot, `python-venv-${key}`);
}

/**
 * Rewrites the project's `virtualenv: venv` to the cached virtualenv for `contents` (an absolute
 * path, as Pulumi.yaml allows: Python's venv refuses to build through a symlink).
 */
export function useCachedVenv(projectDir: string, ...contents: string[]): void {
  const projectFile = path.join(projectDir, "Pulumi.yaml");
  const project = fs.readFileSync(projectFile, "utf8");
  assert.match(project, /^ {4}virtualenv: venv$/m, `${projectFile} should use \`virtualenv: venv\``);
  fs.writeFileSync(projectFile, project.replace(/^ {4}virtualenv: venv$/m, `    virtualenv: ${cachedVenvDir(...contents)}`));
}

/** The text of every file under `dir`, with its relative path, in a stable order (a cache key). */
export function treeText(dir: string): string {
  const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
  return files.map((f) => `${f}\n${fs.readFileSync(path.join(dir, f), "utf8")}`).join("\n");
}
