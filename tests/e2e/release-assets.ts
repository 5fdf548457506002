/**
 * The release as users get it, for the end-to-end tests: `npm run release` built once per test
 * run into a temporary directory (shared by every spec that needs it), a local HTTP server over
 * that directory standing in for the project's GitHub releases, and a PATH with nothing of this
 * clone on it.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../../scripts/lib/engine";

/** The version being released (package.json's). */
export const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;

let built: string | undefined;

/** The release directory, built by `npm run release` the first time it is asked for. */
export function releaseDir(): string {
  if (built) return built;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "turnstile-release-assets-"));
  const result = spawnSync(path.join(REPO_ROOT, "node_modules", ".bin", "ts-node"), [path.join(REPO_ROOT, "scripts", "release.ts"), "--out", out], {
    cwd: REPO_ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024,
  });
  const printed = result.stdout.trim().split("\n").pop();
  if (result.status !== 0 || printed !== out) {
    throw new Error(`npm run release failed (exit ${result.status}, last line ${printed}):\n${result.stdout}\n${result.stderr}`);
  }
  built = out;
  process.once("exit", () => fs.rmSync(out, { recursive: true, force: true }));
  return out;
}

/** A local stand-in for the release server. */
export interface ReleaseServer {
  /** e.g. `http://127.0.0.1:41234`: what `--server` and a download override name. */
  readonly url: string;
  /** The paths requested so far, in order (e.g. `/pulumi-resource-...-linux-amd64.tar.gz`). */
  readonly requested: string[];
  close(): Promise<void>;
}

/** Serves the files of `dir` over HTTP on 127.0.0.1 (404 for anything else). */
export async function serveRelease(dir: string): Promise<ReleaseServer> {
  const requested: string[] = [];
  const server = http.createServer((request, response) => {
    const urlPath = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    requested.push(urlPath);
    const file = path.join(dir, path.normalize(urlPath));
    if (!file.startsWith(dir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      response.writeHead(404).end("not found");
      return;
    }
    response.writeHead(200, { "content-type": "application/octet-stream", "content-length": fs.statSync(file).size });
    fs.createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requested,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The directories of PATH outside this clone where `command` is found, first match only. */
function outsideClone(command: string): string | undefined {
  const repo = fs.realpathSync(REPO_ROOT);
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (!dir || !fs.existsSync(candidate)) continue;
    const real = fs.realpathSync(candidate);
    if (!real.startsWith(repo + path.sep)) return real;
  }
  return undefined;
}

/**
 * A PATH as on a user's machine: a directory with links to the machine's own `node` and `python3`
 * (never this clone's), then the system's directories. Fails naming what the machine lacks.
 */
export function userPath(workDir: string): string[] {
  const bin = path.join(workDir, "user-bin");
  fs.mkdirSync(bin, { recursive: true });
  for (const command of ["node", "python3"]) {
    const found = outsideClone(command);
    if (!found) throw new Error(`this test needs the machine's own ${command} on PATH, outside ${REPO_ROOT}`);
    fs.symlinkSync(found, path.join(bin, command));
  }
  return [bin, "/usr/bin", "/bin"];
}
