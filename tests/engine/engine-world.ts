/**
 * What every engine test needs: the engine under test (ours, or the one PULUMI_TURNSTILE_ENGINE_BIN
 * names), a work directory with its own file backend, and the tiny programs in fixtures/ copied
 * into it with this repository's node_modules reachable from them.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findEngine, REPO_ROOT } from "../../scripts/lib/engine";
import { PulumiCli } from "../../scripts/lib/pulumi-cli";

/** Engine runs are slow on 2 cores; each test still finishes well within this. */
export const ENGINE_TEST_TIMEOUT_MS = 3 * 60 * 1000;

/** True when the tests run against another engine (an official Pulumi install, say). */
export const OTHER_ENGINE = Boolean(process.env.PULUMI_TURNSTILE_ENGINE_BIN);

export interface ProjectOptions {
  /** The project's directory name in the work directory (default: the fixture's name). */
  readonly as?: string;
  /** Copy this directory instead of fixtures/<name> (e.g. one of examples/). */
  readonly from?: string;
  readonly modules?: "beside" | "inside" | "none";
  readonly config?: Record<string, string>;
}

export interface EngineWorld {
  readonly cli: PulumiCli;
  readonly workDir: string;
  /**
   * Copies fixtures/<name> into the work directory as a project and creates its stack `dev`.
   * This repository's node_modules is linked beside the project (the default), inside it (where
   * upstream's plugin scan looks), or nowhere.
   */
  project(name: string, options?: ProjectOptions): Promise<string>;
  dispose(): void;
}

export async function createEngineWorld(): Promise<EngineWorld> {
  const engineBin = await findEngine();
  const workDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "turnstile-engine-")));
  const cli = new PulumiCli({ engineBin, workDir, passphrase: "engine-tests" });
  const modules = path.join(REPO_ROOT, "node_modules");
  return {
    cli,
    workDir,
    async project(name, options = {}) {
      const dir = path.join(workDir, options.as ?? name);
      fs.cpSync(options.from ?? path.join(__dirname, "fixtures", name), dir, { recursive: true });
      const modulesAt = options.modules ?? "beside";
      const link = path.join(modulesAt === "inside" ? dir : workDir, "node_modules");
      if (modulesAt !== "none" && !fs.existsSync(link)) fs.symlinkSync(modules, link, "dir");
      await cli.initStack(dir, "dev", options.config ?? {});
      return dir;
    },
    dispose: () => fs.rmSync(workDir, { recursive: true, force: true }),
  };
}

/** Everything a CLI run printed, for assertion messages. */
export function printed(result: { stdout: string; stderr: string }): string {
  return `${result.stdout}\n${result.stderr}`;
}
