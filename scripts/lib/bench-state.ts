/**
 * State bytes per resource in the packed-install layout: compact JSON of one resource in
 * `pulumi stack export`, and the checkpoint file on disk divided by N, for the rotation and the
 * floor. The engine rewrites the whole checkpoint after every step, so these bytes are what a
 * resource costs the engine at every later step of the same run.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { BenchStacks, ExportedResource } from "./bench-stacks";
import type { StateResult } from "./bench-types";

/** Average compact JSON size and serialized provider size of the resources of `type`. */
function measure(resources: ExportedResource[], type: string): { bytes: number; provider: number } {
  const mine = resources.filter((r) => r.type.endsWith(type));
  if (mine.length === 0) throw new Error(`no ${type} in the state`);
  const average = (values: number[]) => Math.round(values.reduce((a, b) => a + b, 0) / values.length);
  return {
    bytes: average(mine.map((r) => Buffer.byteLength(JSON.stringify(r)))),
    provider: average(mine.map((r) => Buffer.byteLength(String(r.inputs?.__provider ?? "")))),
  };
}

/** The file backend's checkpoint of a stack, wherever this engine version keeps it. */
function checkpointBytes(backendDir: string, stack: string): number | undefined {
  const stacksDir = path.join(backendDir, ".pulumi", "stacks");
  const file = [path.join(stacksDir, "bench", `${stack}.json`), path.join(stacksDir, `${stack}.json`)].find((f) => fs.existsSync(f));
  return file === undefined ? undefined : fs.statSync(file).size;
}

export async function measureState(stacks: BenchStacks, n: number, names: { rotation: string; floor: string }): Promise<StateResult> {
  const rotation = measure(await stacks.exported(names.rotation), ":TurnstileSecretRotation");
  const floor = measure(await stacks.exported(names.floor), ":NoopRotation");
  const perResource = (bytes: number | undefined) => (bytes === undefined ? undefined : Math.round(bytes / n));
  const checkpoint = perResource(checkpointBytes(stacks.cli.backendDir, names.rotation));
  const floorCheckpoint = perResource(checkpointBytes(stacks.cli.backendDir, names.floor));
  return {
    n,
    bytesPerResource: rotation.bytes,
    providerBytes: rotation.provider,
    floorBytesPerResource: floor.bytes,
    floorProviderBytes: floor.provider,
    ...(checkpoint !== undefined ? { checkpointBytesPerResource: checkpoint } : {}),
    ...(floorCheckpoint !== undefined ? { floorCheckpointBytesPerResource: floorCheckpoint } : {}),
  };
}
