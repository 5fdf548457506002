/**
 * The Python SDK as a wheel and an sdist, built by PyPA's `build` from the generated pyproject.
 * `build` comes from a virtualenv cached under the engine's cache directory, keyed by its pinned
 * requirements, so only the first release on a machine downloads it; the build itself runs
 * without isolation in that virtualenv, so it downloads nothing.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run } from "./run";

/** What builds the dists (its setuptools satisfies the generated pyproject's `setuptools>=61`). */
const BUILD_REQUIREMENTS = ["build>=1.2,<2", "setuptools>=75,<81", "wheel>=0.44"];

/** The cached virtualenv's python, created on first use. */
function buildPython(): string {
  const python = process.env.PULUMI_PYTHON_CMD || "python3";
  const version = run(python, ["--version"], os.tmpdir()).trim();
  const key = createHash("sha256").update([version, ...BUILD_REQUIREMENTS].join("\n")).digest("hex").slice(0, 12);
  const cache = process.env.PULUMI_TURNSTILE_ENGINE_HOME
    ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "pulumi-turnstile-rotation");
  const venv = path.join(cache, `release-python-${key}`);
  const bin = path.join(venv, process.platform === "win32" ? "Scripts" : "bin", "python");
  fs.mkdirSync(cache, { recursive: true });
  if (!fs.existsSync(path.join(venv, ".complete"))) {
    fs.rmSync(venv, { recursive: true, force: true });
    run(python, ["-m", "venv", venv], cache);
    run(bin, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", ...BUILD_REQUIREMENTS], cache);
    fs.writeFileSync(path.join(venv, ".complete"), "");
  }
  return bin;
}

/** Builds the wheel and the sdist of the generated SDK in `sdkDir` into `outDir`; returns their names. */
export function buildPythonDists(sdkDir: string, outDir: string, scratch: string): string[] {
  // The build writes build/ and *.egg-info next to the sources: build a copy.
  const source = path.join(scratch, "python-sdk");
  fs.cpSync(sdkDir, source, { recursive: true });
  const dists = path.join(scratch, "python-dists");
  run(buildPython(), ["-m", "build", "--no-isolation", "--sdist", "--wheel", "--outdir", dists, source], scratch);
  const names = fs.readdirSync(dists).sort();
  for (const name of names) fs.copyFileSync(path.join(dists, name), path.join(outDir, name));
  return names;
}
