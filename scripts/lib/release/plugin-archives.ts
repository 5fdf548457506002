/**
 * The provider plugin's release archives, one per platform under Pulumi's standard asset name
 * (what `pulumi plugin install` and the engine's automatic download look for). Each holds the
 * plugin bundled into one JavaScript file, run by the user's Node.js (20 or newer), so there is
 * nothing to install at first start and no native executable to sign: the archives differ only
 * in their launcher, a shell script, or on Windows a `.cmd` file (the engine looks for
 * `pulumi-resource-<name>` with `.exe` or `.cmd` there).
 */
import * as path from "node:path";
import { build } from "esbuild";
import { writeTarGz, type TarEntry } from "./tar";

/** The plugin's name as the engine knows it. */
export const PLUGIN = "pulumi-resource-turnstile-rotation";
/** The oldest Node.js the bundle runs on (tested: 20 and 22). */
export const MIN_NODE_MAJOR = 20;

/** Every platform a release serves. */
export const PLATFORMS = ["linux", "darwin", "windows"].flatMap((os) => ["amd64", "arm64"].map((arch) => ({ os, arch })));

/** Pulumi's standard asset name of the plugin archive for one platform. */
export function archiveName(version: string, os: string, arch: string): string {
  return `${PLUGIN}-v${version}-${os}-${arch}.tar.gz`;
}

/** The launcher for macOS and Linux: the engine runs it by its full path inside the plugin directory. */
export const SH_LAUNCHER = `#!/bin/sh
# Starts the Pulumi provider plugin turnstile-rotation with the Node.js on PATH (${MIN_NODE_MAJOR} or newer).
if ! command -v node >/dev/null 2>&1; then
  echo "${PLUGIN}: Node.js ${MIN_NODE_MAJOR} or newer must be on PATH (https://nodejs.org)" >&2
  exit 1
fi
exec node "$(dirname "$0")/plugin.js" "$@"
`;

/** The launcher for Windows, where the engine looks for `.exe` or `.cmd`. */
export const CMD_LAUNCHER = [
  "@echo off",
  `rem Starts the Pulumi provider plugin turnstile-rotation with the Node.js on PATH (${MIN_NODE_MAJOR} or newer).`,
  `node "%~dp0plugin.js" %*`,
  "",
].join("\r\n");

/** Refuses an older Node.js with a message, instead of a syntax error from deep inside the SDK. */
const NODE_CHECK = `if (Number(process.versions.node.split(".")[0]) < ${MIN_NODE_MAJOR}) {
  console.error("${PLUGIN}: needs Node.js ${MIN_NODE_MAJOR} or newer, found " + process.version);
  process.exit(1);
}`;

/** Bundles the plugin's entry and everything it loads into one file. */
export async function bundlePlugin(repoRoot: string): Promise<Buffer> {
  const result = await build({
    entryPoints: [path.join(repoRoot, "provider", "plugin", "main.ts")],
    bundle: true, platform: "node", target: `node${MIN_NODE_MAJOR}`, format: "cjs",
    write: false, logLevel: "warning", legalComments: "inline", banner: { js: NODE_CHECK },
  });
  const [file] = result.outputFiles;
  if (!file) throw new Error("esbuild produced no output");
  return Buffer.from(file.contents);
}

/** What the bundle reads next to itself: the schema (with the version) and the package's identity. */
export interface PluginFiles {
  readonly bundle: Buffer;
  readonly schemaText: string;
  readonly version: string;
  readonly license: Buffer;
}

/** The files of one platform's archive. */
export function archiveEntries(files: PluginFiles, os: string): TarEntry[] {
  const manifest = { name: "pulumi-turnstile-rotation", version: files.version, private: true, description: "The turnstile-rotation Pulumi provider plugin, bundled." };
  const launcher: TarEntry = os === "windows"
    ? { name: `${PLUGIN}.cmd`, data: Buffer.from(CMD_LAUNCHER), mode: 0o755 }
    : { name: PLUGIN, data: Buffer.from(SH_LAUNCHER), mode: 0o755 };
  return [
    launcher,
    { name: "plugin.js", data: files.bundle, mode: 0o644 },
    { name: "schema.json", data: Buffer.from(files.schemaText), mode: 0o644 },
    { name: "package.json", data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), mode: 0o644 },
    { name: "LICENSE", data: files.license, mode: 0o644 },
  ];
}

/** Writes every platform's archive into `outDir`; returns their file names. */
export function writePluginArchives(files: PluginFiles, outDir: string): string[] {
  return PLATFORMS.map(({ os, arch }) => {
    const name = archiveName(files.version, os, arch);
    writeTarGz(path.join(outDir, name), archiveEntries(files, os));
    return name;
  });
}
