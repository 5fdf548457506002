/**
 * A small driver for the real Pulumi CLI, shared by the demo, the end-to-end tests and the
 * benchmark: one local file backend per work directory, a passphrase secrets provider, and
 * example projects copied next to a `node_modules` link so they resolve this package.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./engine";

/** The result of one CLI invocation. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options for a {@link PulumiCli}. */
export interface PulumiCliOptions {
  /** Directory with the engine binaries (see `findEngine`). */
  readonly engineBin: string;
  /** Work directory: holds the backend, the Pulumi home and the projects. */
  readonly workDir: string;
  /** Passphrase of the stacks' secrets provider. */
  readonly passphrase: string;
  /** Extra environment, e.g. CLOUDFLARE_BASE_URL and CLOUDFLARE_API_TOKEN. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * State backend URL, e.g. `postgres://user:pass@127.0.0.1:5432/db?sslmode=disable`; defaults to
   * a file backend in `<workDir>/backend`.
   */
  readonly backendUrl?: string;
  /** More directories to search for plugins and language hosts, after the engine's (e.g. the YAML host). */
  readonly extraBins?: readonly string[];
  /**
   * The whole PATH after the engine's directory and `extraBins`, instead of this repository's
   * node_modules/.bin and the caller's PATH: a machine as a user's, with nothing of the clone.
   */
  readonly path?: readonly string[];
}

/** Runs `pulumi` against a local file backend inside a work directory. */
export class PulumiCli {
  readonly backendDir: string;
  /** Everything the CLI printed, except output of commands run with `--show-secrets`. */
  readonly transcript: string[] = [];
  /** The environment every command runs with: PATH to the engine, backend, passphrase, home. */
  readonly env: NodeJS.ProcessEnv;

  constructor(private readonly options: PulumiCliOptions) {
    this.backendDir = path.join(options.workDir, "backend");
    const home = path.join(options.workDir, "pulumi-home");
    fs.mkdirSync(this.backendDir, { recursive: true });
    fs.mkdirSync(home, { recursive: true });
    const nodeBin = path.join(REPO_ROOT, "node_modules", ".bin");
    this.env = {
      ...process.env,
      PATH: [options.engineBin, ...(options.extraBins ?? []), ...(options.path ?? [nodeBin, process.env.PATH ?? ""])].join(path.delimiter),
      PULUMI_HOME: home,
      PULUMI_BACKEND_URL: options.backendUrl ?? `file://${this.backendDir}`,
      PULUMI_CONFIG_PASSPHRASE: options.passphrase,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      ...options.env,
    };
  }

  /** The environment every command runs with (a copy). */
  environment(): NodeJS.ProcessEnv {
    return { ...this.env };
  }

  /** Copies an example project into the work directory and links it to this repository's modules. */
  prepareProject(example: string, as = example): string {
    const target = path.join(this.options.workDir, as);
    fs.cpSync(path.join(REPO_ROOT, "examples", example), target, { recursive: true });
    const link = path.join(this.options.workDir, "node_modules");
    if (!fs.existsSync(link)) fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), link, "dir");
    return target;
  }

  /**
   * Runs the CLI; rejects on a non-zero exit unless `allowFailure` is set. With `timeoutMs`, a run
   * still going after that long is a hang: the CLI and its plugins are killed and the call rejects.
   */
  run(
    args: readonly string[],
    cwd: string,
    opts: { allowFailure?: boolean; env?: Record<string, string>; input?: string; timeoutMs?: number } = {},
  ): Promise<CliResult> {
    return new Promise((resolve, reject) => {
      const child = spawn("pulumi", [...args, "--non-interactive"], { cwd, env: { ...this.env, ...opts.env }, detached: opts.timeoutMs !== undefined });
      let stdout = "";
      let stderr = "";
      let hung = false;
      const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => {
        hung = true;
        try {
          process.kill(-(child.pid as number), "SIGKILL");
        } catch {
          // already gone
        }
      }, opts.timeoutMs);
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("error", reject);
      child.stdin.end(opts.input ?? "");
      child.on("close", (code) => {
        clearTimeout(timer);
        if (hung) {
          reject(new Error(`pulumi ${args.join(" ")} hung: no result within ${(opts.timeoutMs ?? 0) / 1000} s, killed:\n${stdout}\n${stderr}`));
          return;
        }
        const result = { code: code ?? 1, stdout, stderr };
        // Deliberate reads of secrets (--show-secrets) are the caller's; everything else is kept
        // so tests can prove no secret or token ever shows up in what the CLI prints.
        if (!args.includes("--show-secrets")) this.transcript.push(`$ pulumi ${args.join(" ")}\n${stdout}\n${stderr}`);
        if (result.code !== 0 && !opts.allowFailure) {
          reject(new Error(`pulumi ${args.join(" ")} failed (exit ${result.code}):\n${stdout}\n${stderr}`));
        } else {
          resolve(result);
        }
      });
    });
  }

  /** Starts the CLI in its own process group (so a test can kill it and its plugins) without waiting. */
  spawn(args: readonly string[], cwd: string): ChildProcess {
    return spawn("pulumi", [...args, "--non-interactive"], { cwd, env: this.env, detached: true, stdio: "ignore" });
  }

  /** Creates (or selects) a stack and sets plain config values on it. */
  async initStack(cwd: string, stack: string, config: Readonly<Record<string, string>>): Promise<void> {
    const selected = await this.run(["stack", "select", stack], cwd, { allowFailure: true });
    if (selected.code !== 0) await this.run(["stack", "init", stack], cwd);
    for (const [key, value] of Object.entries(config)) {
      await this.run(["config", "set", "--stack", stack, key, value], cwd);
    }
  }

  /** Sets a secret config value, passing it on stdin so it never appears in a process list. */
  async setSecret(cwd: string, stack: string, key: string, value: string): Promise<void> {
    await this.run(["config", "set", "--secret", "--stack", stack, key], cwd, { input: value });
  }

  /** Reads a stack's outputs as JSON (secrets in plain text only with `showSecrets`). */
  async outputs(cwd: string, stack: string, showSecrets = false): Promise<Record<string, unknown>> {
    const args = ["stack", "output", "--json", "--stack", stack, ...(showSecrets ? ["--show-secrets"] : [])];
    const { stdout } = await this.run(args, cwd);
    return JSON.parse(stdout) as Record<string, unknown>;
  }
}
