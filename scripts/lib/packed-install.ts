/**
 * The package as users get it: `npm pack` of this repository, installed into a program's own
 * `node_modules`. Shared by the packed-install e2e test and the benchmark, because the serializer
 * treats code in `node_modules` differently from code in the source tree (state size, upgrades).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./engine";

function npm(args: string[], cwd: string): string {
  return execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** The version of `pkg` installed in this repository, so programs get the same ones. */
export function repoVersionOf(pkg: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string };
  return manifest.version;
}

/** Runs `npm pack` (its `prepare` script builds) into `destDir`; returns the tarball's path. */
export function packRepository(destDir: string): string {
  const tarball = npm(["pack", "--silent", "--pack-destination", destDir], REPO_ROOT).trim().split("\n").pop() ?? "";
  if (tarball === "") throw new Error("npm pack printed no tarball name");
  return path.join(destDir, tarball);
}

/** Options of {@link installPackedProgram}. */
export interface PackedProgramOptions {
  /** Directory the program is created in (as `<workDir>/<dirName>`); also receives the tarball. */
  readonly workDir: string;
  /** The example under `examples/` whose files (all but package.json) make the program. */
  readonly example: string;
  /** Name of the program's directory (default `app`). */
  readonly dirName?: string;
  /** A tarball from {@link packRepository}; packed now when absent. */
  readonly tarball?: string;
}

/**
 * Creates a program from an example and installs the packed package (plus the same @pulumi/pulumi,
 * TypeScript and ts-node as this repository) into its own node_modules; returns its directory.
 */
export function installPackedProgram(options: PackedProgramOptions): string {
  const tarball = options.tarball ?? packRepository(options.workDir);
  const app = path.join(options.workDir, options.dirName ?? "app");
  fs.mkdirSync(app);
  const source = path.join(REPO_ROOT, "examples", options.example);
  for (const entry of fs.readdirSync(source, { withFileTypes: true })) {
    if (entry.isFile() && entry.name !== "package.json" && entry.name !== "package-lock.json") {
      fs.copyFileSync(path.join(source, entry.name), path.join(app, entry.name));
    }
  }
  const manifest = {
    name: `packed-${options.example}`, private: true, main: "index.ts",
    dependencies: {
      "pulumi-turnstile-rotation": `file:${tarball}`,
      "@pulumi/pulumi": repoVersionOf("@pulumi/pulumi"),
    },
    devDependencies: { typescript: repoVersionOf("typescript"), "ts-node": repoVersionOf("ts-node"), "@types/node": repoVersionOf("@types/node") },
  };
  fs.writeFileSync(path.join(app, "package.json"), JSON.stringify(manifest, null, 2));
  npm(["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], app);
  return app;
}
