/**
 * What the provider-plugin end-to-end tests add to the harness: upstream's YAML language host and
 * the plugin launcher on the CLI's PATH, and producer projects in other languages whose stacks the
 * TypeScript consumer reads. The world's `producer` is the other-language project, so the
 * harness's helpers (e.g. upRotatesOnceInPlace) work on it unchanged.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "../../scripts/lib/engine";
import { CONSUMER, createWorld, type E2eWorld } from "./harness";

/** The launcher's directory: the engine finds `pulumi-resource-turnstile-rotation` on PATH. */
export const PLUGIN_BIN = path.join(REPO_ROOT, "bin");

let yamlHost: string | undefined;

/**
 * The directory of `pulumi-language-yaml` (scripts/yaml-host.sh: built from Go modules the first
 * time, then cached). Fails with the script's explanation when it cannot be had.
 */
export function yamlHostBin(): string {
  if (yamlHost) return yamlHost;
  const result = spawnSync("bash", [path.join(REPO_ROOT, "scripts", "yaml-host.sh")], { encoding: "utf8" });
  const dir = result.stdout.trim().split("\n").pop();
  if (result.status !== 0 || !dir) {
    throw new Error(`upstream's YAML language host is not available (yaml-host.sh exit ${result.status}):\n${result.stderr.trim()}`);
  }
  yamlHost = dir;
  return dir;
}

/** A world whose producer is an example project declaring the resource through the plugin. */
export interface PluginWorld extends E2eWorld {
  /** The producer's stack, as a StackReference names it. */
  readonly producerStack: string;
}

/**
 * Starts the emulator and the CLI with the plugin on PATH, copies `example` (its Pulumi.yaml
 * `name` is `project`) as the producer, and points the TypeScript consumer at its stack. `prepare`
 * adjusts the copy (e.g. a virtualenv) before the stack is created.
 */
export async function createPluginWorld(
  example: string, project: string, prepare: (dir: string, world: E2eWorld) => Promise<void> = async () => {},
): Promise<PluginWorld> {
  const world = await createWorld({ extraBins: [yamlHostBin(), PLUGIN_BIN] });
  const producer = world.cli.prepareProject(example, project);
  const producerStack = `organization/${project}/dev`;
  await prepare(producer, world);
  await world.cli.initStack(producer, producerStack, { accountId: world.emulator.accountId, sitekey: world.sitekey, rotationTrigger: "1" });
  await world.cli.initStack(world.consumer, CONSUMER, { producerStack });
  return { ...world, producer, producerStack };
}
