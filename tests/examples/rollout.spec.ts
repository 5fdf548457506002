/**
 * examples/rollout as a team would copy it: its plan is valid and lists consumers in three
 * languages, and its CI workflow runs `status` every day (failing when a consumer is behind) and
 * `rollout` once a month, with the plan beside it. The stacks themselves run through the real
 * engine in tests/e2e/rollout.spec.ts.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { REPO_ROOT } from "../../scripts/lib/engine";
import { loadPlan } from "../../rollout";

const EXAMPLE = path.join(REPO_ROOT, "examples", "rollout");

interface Workflow {
  on: { schedule: Array<{ cron: string }> };
  jobs: Record<string, { env: Record<string, string>; steps: Array<{ name?: string; run?: string; "working-directory"?: string }> }>;
}

describe("example: rollout", () => {
  it("its plan is valid: a producer and consumers in TypeScript, Python and YAML", () => {
    const plan = loadPlan(path.join(EXAMPLE, "rollout.yaml"));
    const runtimeOf = (dir: string) => {
      const project = yaml.load(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as { runtime: string | { name: string } };
      return typeof project.runtime === "string" ? project.runtime : project.runtime.name;
    };
    assert.equal(runtimeOf(plan.producer.dir), "nodejs");
    assert.deepEqual(plan.consumers.map((consumer) => runtimeOf(consumer.dir)), ["nodejs", "python", "yaml"]);
  });

  it("every consumer reads the plan's producer stack and output by default", () => {
    const plan = loadPlan(path.join(EXAMPLE, "rollout.yaml"));
    for (const consumer of plan.consumers) {
      const program = fs.readdirSync(consumer.dir).filter((file) => /^(index\.ts|__main__\.py|Pulumi\.yaml)$/.test(file))
        .map((file) => fs.readFileSync(path.join(consumer.dir, file), "utf8")).join("\n");
      assert.ok(program.includes(plan.producer.stack), `${consumer.stack} does not default to ${plan.producer.stack}`);
      assert.ok(program.includes(plan.producer.output), `${consumer.stack} does not read ${plan.producer.output}`);
    }
  });

  it("its CI workflow runs status daily and rollout monthly, with the plan, and keeps the JSON report", () => {
    const workflow = yaml.load(fs.readFileSync(path.join(EXAMPLE, "ci", "github-actions.yml"), "utf8")) as Workflow;
    assert.deepEqual(workflow.on.schedule.map((entry) => entry.cron).sort(), ["0 6 1 * *", "0 7 * * *"]);
    const [job] = Object.values(workflow.jobs);
    assert.match(job.env.COMMAND, /'0 6 1 \* \*' && 'rollout' \|\| inputs\.command \|\| 'status'/);
    const step = job.steps.find((candidate) => candidate.run?.includes("turnstile-rotation")) ?? assert.fail("no step runs turnstile-rotation");
    assert.match(step.run ?? "", /turnstile-rotation "\$COMMAND" --plan rollout\.yaml --json/);
    // A non-zero exit fails the step, so the job: no `|| true`, no continue-on-error.
    assert.doesNotMatch(step.run ?? "", /\|\|/);
    assert.ok(fs.existsSync(path.join(REPO_ROOT, step["working-directory"] ?? "", "rollout.yaml")), "the step runs where the plan is");
  });
});
