/**
 * The stacks, through Pulumi's Automation API and the `pulumi` on PATH, with whatever backend and
 * secrets settings the environment gives it (PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE, cloud
 * credentials): read a stack's state, and run `pulumi up` on it.
 */
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { RolloutInputError, errorLines } from "./errors";
import type { PlannedStack } from "./plan";
import { isDeployed, type ExportedDeployment } from "./state";

/** A stack's state as read: absent (never created), or its deployment with secrets revealed. */
export type StackState =
  | { readonly kind: "missing" }
  | { readonly kind: "present"; readonly deployment: ExportedDeployment };

/** What the rollout needs from Pulumi; {@link automationStacks} is the real one. */
export interface Stacks {
  /**
   * The stack's state, secrets revealed in memory.
   * @throws RolloutInputError when this process cannot decrypt the stack's secrets.
   */
  read(target: PlannedStack): Promise<StackState>;
  /** `pulumi up` on the stack, creating it first if it does not exist; rejects with the CLI's error. */
  up(target: PlannedStack): Promise<void>;
}

const SECRETS_PROBLEM = /passphrase|decrypt|secrets manager|secrets provider/i;

/** Finds the `pulumi` on PATH, or says how to get one. */
export async function findPulumi(): Promise<PulumiCommand> {
  try {
    return await PulumiCommand.get();
  } catch (error) {
    throw new RolloutInputError("the Pulumi CLI", [
      `\`pulumi version\` failed (${errorLines(error)}); install Pulumi (https://www.pulumi.com/docs/install/) and put \`pulumi\` on PATH`,
    ]);
  }
}

/** {@link Stacks} over LocalWorkspace: one workspace per project directory, one CLI for all. */
export function automationStacks(pulumi: PulumiCommand): Stacks {
  const workspaces = new Map<string, Promise<LocalWorkspace>>();
  const workspace = (dir: string) => {
    let found = workspaces.get(dir);
    if (!found) {
      found = LocalWorkspace.create({ workDir: dir, pulumiCommand: pulumi });
      workspaces.set(dir, found);
    }
    return found;
  };
  return {
    async read(target) {
      const ws = await workspace(target.dir);
      try {
        const { deployment } = (await ws.exportStack(target.stack)) as { deployment: ExportedDeployment };
        // An empty state needs no decryption, so its export proves nothing: decrypting the config
        // does, before a `pulumi up` would fail on it.
        if (!isDeployed(deployment)) await ws.getAllConfig(target.stack);
        return { kind: "present", deployment };
      } catch (error) {
        const reason = errorLines(error);
        if (/no stack named/i.test(reason)) return { kind: "missing" };
        const problem = SECRETS_PROBLEM.test(reason)
          ? `this process cannot decrypt the stack's secrets (${reason}); run with that stack's passphrase in PULUMI_CONFIG_PASSPHRASE ` +
            "(or PULUMI_CONFIG_PASSPHRASE_FILE), or with access to its secrets provider (e.g. decrypt permission on its KMS key)"
          : `its state cannot be read: ${reason}`;
        throw new RolloutInputError(`${target.field}.stack ${target.stack}`, [problem]);
      }
    },
    async up(target) {
      const stack = await Stack.createOrSelect(target.stack, await workspace(target.dir));
      await stack.up({ color: "never" });
    },
  };
}
