/**
 * What every end-to-end test needs: the real engine (or a failure saying why it is missing), an
 * emulator, a widget, a work directory with a file backend, and the emulator's request counters.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findEngine } from "../../scripts/lib/engine";
import { PulumiCli } from "../../scripts/lib/pulumi-cli";
import { liveSecret, requestCounts } from "../helpers/control";
import { createTestWidget, startEmulator, type RunningEmulator } from "../helpers/emulator";

/** A producer and a consumer stack wired to one emulator. */
export interface E2eWorld {
  readonly emulator: RunningEmulator;
  readonly cli: PulumiCli;
  readonly workDir: string;
  readonly sitekey: string;
  readonly producer: string;
  readonly consumer: string;
  /** Removes the work directory and stops the emulator. */
  dispose(): Promise<void>;
}

/** The stack names, as a StackReference spells them on a local backend. */
export const PRODUCER = "organization/producer/dev";
export const CONSUMER = "organization/consumer/dev";

/** Engine operations are slow on 2 cores: generous per-test timeout for e2e suites. */
export const E2E_TIMEOUT_MS = 10 * 60 * 1000;

/** How a world passes credentials to the provider. */
export interface WorldOptions {
  /** Put the API token in CLOUDFLARE_API_TOKEN (default true); otherwise a stack must supply one. */
  readonly tokenInEnvironment?: boolean;
  /** The state backend (e.g. `postgres://...`); defaults to a file backend in the work directory. */
  readonly backendUrl?: string;
  /** More directories for the CLI's PATH (the YAML language host, the provider plugin). */
  readonly extraBins?: readonly string[];
  /** Create the producer and consumer stacks with their config (default true). */
  readonly initStacks?: boolean;
}

/** Starts everything; by default credentials reach the provider through the environment. */
export async function createWorld(options: WorldOptions = {}): Promise<E2eWorld> {
  const engineBin = await findEngine();
  const emulator = await startEmulator();
  const widget = await createTestWidget(emulator, { name: "login form" });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "turnstile-e2e-"));
  const cli = new PulumiCli({
    engineBin,
    workDir,
    passphrase: "e2e-passphrase",
    ...(options.backendUrl === undefined ? {} : { backendUrl: options.backendUrl }),
    ...(options.extraBins === undefined ? {} : { extraBins: options.extraBins }),
    env: {
      CLOUDFLARE_BASE_URL: emulator.baseUrl,
      ...(options.tokenInEnvironment === false ? {} : { CLOUDFLARE_API_TOKEN: emulator.apiToken }),
    },
  });
  const producer = cli.prepareProject("producer");
  const consumer = cli.prepareProject("consumer");
  if (options.initStacks !== false) {
    await cli.initStack(producer, PRODUCER, { accountId: emulator.accountId, sitekey: widget.sitekey, rotationTrigger: "1" });
    await cli.initStack(consumer, CONSUMER, { producerStack: PRODUCER });
  }
  return {
    emulator, cli, workDir, sitekey: widget.sitekey, producer, consumer,
    async dispose() {
      await emulator.stop();
      fs.rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/** A {@link createWorld} whose producer has had its first `pulumi up` (created, rotated once). */
export async function createDeployedWorld(options: WorldOptions = {}): Promise<E2eWorld> {
  const world = await createWorld(options);
  await world.cli.run(["up", "--yes", "--stack", PRODUCER], world.producer);
  return world;
}

/**
 * Searches everything the CLI printed (except deliberate `--show-secrets` reads) for the API token
 * and for every secret the widget had: current, previous, and those the tests saw.
 */
export function assertNothingLeaked(world: E2eWorld, seen: Iterable<string> = []): void {
  const record = world.emulator.emulator.store.findBySitekey(world.sitekey);
  const values = new Set([world.emulator.apiToken, ...seen]);
  if (record?.secret) values.add(record.secret);
  if (record?.previousSecret) values.add(record.previousSecret);
  if (world.cli.transcript.length === 0) throw new Error("the transcript is empty: nothing was checked");
  for (const entry of world.cli.transcript) {
    for (const value of values) {
      const at = entry.indexOf(value);
      if (at < 0) continue;
      const context = entry.slice(Math.max(0, at - 160), at + value.length + 40).split(value).join("<LEAKED>");
      throw new Error(`\`${entry.split("\n")[0]}\` printed a secret or the token (${value.length} chars) in plain text: …${context}…`);
    }
  }
}

/**
 * Runs `pulumi up` on the producer and asserts it rotated the widget exactly once, as an in-place
 * update (no replacement, no create). Returns Cloudflare's new secret.
 */
export async function upRotatesOnceInPlace(world: E2eWorld, stack: string): Promise<string> {
  const before = await requestCounts(world.emulator);
  const result = await world.cli.run(["up", "--yes", "--stack", stack], world.producer);
  assert.match(result.stdout, /1 updated/);
  assert.doesNotMatch(result.stdout, /replaced|created/);
  const after = await requestCounts(world.emulator);
  assert.equal(after.byRoute["widgets.rotate_secret"], (before.byRoute["widgets.rotate_secret"] ?? 0) + 1);
  return liveSecret(world.emulator, world.sitekey);
}

/** The secret the rotation resource holds in a stack's state (not its stack output), decrypted. */
export async function stateSecret(world: E2eWorld, stack: string, project = world.producer): Promise<string | undefined> {
  const { stdout } = await world.cli.run(["stack", "export", "--show-secrets", "--stack", stack], project);
  const deployment = JSON.parse(stdout) as { deployment: { resources?: Array<{ type: string; outputs?: Record<string, unknown> }> } };
  const resource = deployment.deployment.resources?.find((r) => r.type.endsWith("TurnstileSecretRotation"));
  const secret = resource?.outputs?.secret;
  if (secret === undefined) return undefined;
  if (typeof secret === "string") return secret;
  const plaintext = (secret as { plaintext?: string }).plaintext; // JSON text of the value
  return plaintext === undefined ? undefined : String(JSON.parse(plaintext));
}

