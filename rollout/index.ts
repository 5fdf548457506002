/**
 * `pulumi-turnstile-rotation/rollout`: the `turnstile-rotation` command's functions, for a team's
 * own automation. Load a plan, then ask for its status or roll the secret out:
 *
 *   const plan = loadPlan("rollout.yaml");
 *   const stacks = automationStacks(await findPulumi());
 *   const report = await rollout(plan, { stacks, probe: siteverifyProbe(), parallel: 4 });
 *
 * Reports hold versions and verdicts only, never a secret.
 */

// The plan file.
export { loadPlan, checkPlan, DEFAULT_OUTPUT, type RolloutPlan, type PlannedStack, type PlannedProducer } from "./plan";

// Reading who holds what, and rolling out.
export { status, type StatusReport, type ProducerStatus, type ConsumerStatus, type Holds, type StatusDeps } from "./status";
export {
  rollout, type RolloutReport, type ProducerOutcome, type ConsumerOutcome, type ProducerResult, type ConsumerResult,
  type RolloutDeps, type ProgressEvent,
} from "./rollout";

// What they talk to: the stacks through the Automation API, Cloudflare's siteverify.
export { automationStacks, findPulumi, type Stacks, type StackState } from "./stacks";
export { siteverifyProbe, verdictOf, DEFAULT_SITEVERIFY_URL, SITEVERIFY_URL_ENV, type Probe, type Verdict, type SiteverifyOptions } from "./siteverify";

// Showing it.
export { renderJson, renderText } from "./report";
export { progressFor, plainProgress, terminalProgress, type ProgressDisplay, type ProgressStream } from "./progress";
export { systemClock, type Clock } from "./clock";

// The command itself, and what it throws on bad input.
export { main, parseInvocation, USAGE, EXIT, type CliIo, type Invocation } from "./cli";
export { RolloutInputError } from "./errors";
