/**
 * The benchmark's hands on the engine: fresh stacks of the bench program, timed `pulumi` commands
 * with the peak memory of their CLI and dynamic provider, the state they leave. Credentials reach
 * the provider through the environment or secret config only, and are never printed.
 */
import { performance } from "node:perf_hooks";
import type { PulumiCli } from "./pulumi-cli";
import type { PeakRssSampler } from "./bench-proc";
import type { BenchEmulator } from "./bench-emulator";
import type { Timed } from "./bench-types";
import { RATE_LIMIT_ENV } from "../../provider/cloudflare/rate-limiter";

/** A resource of `pulumi stack export`. */
export interface ExportedResource {
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

/** A timed run, with what the CLI answered. */
export type TimedRun = Timed & { readonly code: number; readonly stdout: string };

/** Operations per second between the first and the last of `times` (ms); undefined below 2. */
export function opsPerSecond(times: readonly number[]): number | undefined {
  if (times.length < 2) return undefined;
  const span = Math.max(...times) - Math.min(...times);
  return span > 0 ? ((times.length - 1) * 1000) / span : undefined;
}

export class BenchStacks {
  #count = 0;

  constructor(
    readonly cli: PulumiCli,
    readonly app: string,
    private readonly sampler: PeakRssSampler,
    readonly parallel: number,
  ) {}

  /** The provider's environment: the emulator's token and URL; the limiter at its default unless `extra` says otherwise. */
  env(emulator: BenchEmulator, extra: Record<string, string> = {}): Record<string, string> {
    return { CLOUDFLARE_API_TOKEN: emulator.running.apiToken, CLOUDFLARE_BASE_URL: emulator.running.baseUrl, [RATE_LIMIT_ENV]: "", ...extra };
  }

  /** A fresh stack with plain config, and secret config passed on stdin. */
  async stack(prefix: string, config: Record<string, string>, secrets: Record<string, string> = {}): Promise<string> {
    this.#count += 1;
    const name = `${prefix}-${this.#count}`;
    await this.cli.run(["stack", "init", name], this.app);
    const pairs = Object.entries(config).flatMap(([key, value]) => ["--plaintext", `bench:${key}=${value}`]);
    await this.cli.run(["config", "set-all", "--stack", name, ...pairs], this.app);
    for (const [key, value] of Object.entries(secrets)) await this.cli.setSecret(this.app, name, `bench:${key}`, value);
    return name;
  }

  async setConfig(stack: string, key: string, value: string): Promise<void> {
    await this.cli.run(["config", "set", "--stack", stack, `bench:${key}`, value], this.app);
  }

  /** Runs `pulumi <args>` on a stack, timing it and sampling its processes' memory. */
  async timed(args: string[], stack: string, env: Record<string, string>, allowFailure = false): Promise<TimedRun> {
    this.sampler.start();
    const start = performance.now();
    const result = await this.cli.run([...args, "--stack", stack], this.app, { env, allowFailure }).catch((error: unknown) => {
      this.sampler.stop();
      throw error;
    });
    const seconds = (performance.now() - start) / 1000;
    const usage = this.sampler.stop();
    const cpu = { cli: usage.cli?.cpuSeconds, program: usage.program?.cpuSeconds, provider: usage.provider?.cpuSeconds };
    return {
      seconds, code: result.code, stdout: result.stdout,
      ...(usage.provider ? { providerPeakRssBytes: usage.provider.peakRssBytes } : {}),
      ...(usage.cli ? { cliPeakRssBytes: usage.cli.peakRssBytes } : {}),
      ...(usage.cli || usage.program || usage.provider ? { cpuSeconds: cpu } : {}),
    };
  }

  up(stack: string, env: Record<string, string>, allowFailure = false, parallel = this.parallel): Promise<TimedRun> {
    return this.timed(["up", "--yes", "--skip-preview", "--parallel", String(parallel)], stack, env, allowFailure);
  }

  preview(stack: string, env: Record<string, string>, allowFailure = false): Promise<TimedRun> {
    return this.timed(["preview", "--parallel", String(this.parallel)], stack, env, allowFailure);
  }

  refresh(stack: string, env: Record<string, string>): Promise<TimedRun> {
    return this.timed(["refresh", "--yes", "--skip-preview", "--parallel", String(this.parallel)], stack, env);
  }

  async exported(stack: string): Promise<ExportedResource[]> {
    const { stdout } = await this.cli.run(["stack", "export", "--stack", stack], this.app);
    return (JSON.parse(stdout) as { deployment: { resources?: ExportedResource[] } }).deployment.resources ?? [];
  }

  /** The engine's own rate for do-nothing creates: from the `createdAt` each create recorded. */
  async floorOpsPerSecond(stack: string): Promise<number | undefined> {
    const times = (await this.exported(stack))
      .filter((r) => r.type.endsWith(":NoopRotation"))
      .map((r) => Number(r.outputs?.createdAt))
      .filter((t) => Number.isFinite(t));
    return opsPerSecond(times);
  }
}

/** Keeps only the figures of a timed run. */
export function strip(timed: Timed): Timed {
  return {
    seconds: timed.seconds,
    ...(timed.providerPeakRssBytes !== undefined ? { providerPeakRssBytes: timed.providerPeakRssBytes } : {}),
    ...(timed.cliPeakRssBytes !== undefined ? { cliPeakRssBytes: timed.cliPeakRssBytes } : {}),
    ...(timed.cpuSeconds !== undefined ? { cpuSeconds: timed.cpuSeconds } : {}),
  };
}
