/**
 * A throwaway PostgreSQL server for the end-to-end tests of Pulumi's `postgres://` backend
 * (scripts/postgres.sh: Debian's packages, 127.0.0.1 only). Without PostgreSQL the tests fail
 * with the script's reason; they never skip.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../../scripts/lib/engine";
import { runCommand } from "../helpers/command";

/** scripts/postgres.sh, which starts, stops and queries the server. */
export const POSTGRES_SCRIPT = path.join(REPO_ROOT, "scripts", "postgres.sh");

/** Runs scripts/postgres.sh; resolves with its stdout, rejects with its own explanation (stderr). */
export async function postgresScript(args: readonly string[]): Promise<string> {
  const result = await runCommand("bash", [POSTGRES_SCRIPT, ...args], { cwd: REPO_ROOT });
  if (result.code === 0) return result.stdout;
  throw new Error(`scripts/postgres.sh ${args[0]} failed (exit ${result.code}), so the PostgreSQL backend cannot be tested:\n${result.stderr.trim()}`);
}

/** A running throwaway server. */
export interface RunningPostgres {
  /** Its data directory (scripts/postgres.sh's handle for psql and stop). */
  readonly dir: string;
  /** The `postgres://` backend URL for PULUMI_BACKEND_URL. */
  readonly backendUrl: string;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

/** Starts a server in a new temporary directory and checks the backend URL it prints. */
export async function startPostgres(): Promise<RunningPostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "turnstile-pg-"));
  const started = Date.now();
  const backendUrl = (await postgresScript(["start", dir])).trim().split("\n").pop() ?? "";
  assert.match(backendUrl, /^postgres:\/\/[^:]+:[^@]+@127\.0\.0\.1:\d+\/\w+\?sslmode=disable$/, "scripts/postgres.sh printed no backend URL");
  console.log(`      (PostgreSQL ready in ${Date.now() - started} ms)`);
  return {
    dir, backendUrl,
    async stop() {
      await postgresScript(["stop", dir]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
