/**
 * The plan file: what a team writes (YAML or JSON, paths relative to the file) becomes a checked
 * plan, and every mistake is reported at once, each naming its field, the problem and the fix.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_OUTPUT, RolloutInputError, checkPlan, loadPlan } from "../../rollout";

/** A directory with Pulumi projects `producer`, `checkout`, `login` (project names as given). */
function projects(names: Record<string, string> = { producer: "producer", checkout: "checkout", login: "login" }): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-plan-"));
  for (const [dir, name] of Object.entries(names)) {
    fs.mkdirSync(path.join(root, dir));
    fs.writeFileSync(path.join(root, dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\n`);
  }
  return root;
}

const GOOD = `
producer:
  dir: ./producer
  stack: organization/producer/prod
consumers:
  - dir: ./checkout
    stack: organization/checkout/prod
  - dir: login
    stack: organization/login/prod
`;

/** The problems a plan document is refused for. */
function problemsOf(document: unknown, root: string): readonly string[] {
  try {
    checkPlan(document, path.join(root, "plan.yaml"));
  } catch (error) {
    assert.ok(error instanceof RolloutInputError, String(error));
    return error.problems;
  }
  return assert.fail("the plan was accepted");
}

describe("rollout: the plan file", () => {
  let root: string;
  beforeEach(() => {
    root = projects();
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("reads a YAML plan: directories resolved against the plan file, the output defaulting to turnstileSecret", () => {
    fs.writeFileSync(path.join(root, "plan.yaml"), GOOD);
    const plan = loadPlan(path.join(root, "plan.yaml"));
    assert.equal(plan.file, path.join(root, "plan.yaml"));
    assert.deepEqual(plan.producer, { field: "producer", dir: path.join(root, "producer"), stack: "organization/producer/prod", output: DEFAULT_OUTPUT });
    assert.deepEqual(plan.consumers.map((c) => [c.field, c.dir, c.stack]), [
      ["consumers[0]", path.join(root, "checkout"), "organization/checkout/prod"],
      ["consumers[1]", path.join(root, "login"), "organization/login/prod"],
    ]);
  });

  it("reads the same plan as JSON, with another output name", () => {
    const document = {
      producer: { dir: "producer", stack: "organization/producer/prod", output: "loginSecret" },
      consumers: [{ dir: "checkout", stack: "organization/checkout/prod" }],
    };
    fs.writeFileSync(path.join(root, "plan.json"), JSON.stringify(document));
    const plan = loadPlan(path.join(root, "plan.json"));
    assert.equal(plan.producer.output, "loginSecret");
    assert.equal(plan.consumers.length, 1);
  });

  it("reports every missing or unknown field at once, each with its fix", () => {
    const problems = problemsOf({
      producer: { dir: "./producer", stak: "organization/producer/prod" },
      consumers: [{ stack: "organization/checkout/prod" }, "login"],
      extra: true,
    }, root);
    assert.deepEqual(problems, [
      "extra: unknown field; a plan has producer and consumers",
      "producer.stak: unknown field; a producer has dir, stack, output",
      "producer.stack: missing or not a full stack name; write <org>/<project>/<stack>, e.g. organization/checkout/prod on a self-managed backend",
      "consumers[0].dir: missing; give the Pulumi project directory, relative to the plan file",
      "consumers[1]: must be a mapping with dir and stack",
    ]);
  });

  it("refuses a plan without producer or consumers", () => {
    assert.deepEqual(problemsOf({ consumers: [] }, root), [
      "producer: missing; name the stack that rotates the secret (dir, stack, output)",
      "consumers: missing or empty; list each consumer stack as a mapping with dir and stack",
    ]);
    assert.deepEqual(problemsOf(["producer"], root), ["must be a mapping with producer and consumers"]);
  });

  it("refuses a short stack name, naming what it got", () => {
    const [problem] = problemsOf({ producer: { dir: "producer", stack: "prod" }, consumers: [{ dir: "checkout", stack: "organization/checkout/prod" }] }, root);
    assert.match(problem, /^producer\.stack: missing or not a full stack name \(got "prod"\); write <org>\/<project>\/<stack>/);
  });

  it("refuses a directory that does not exist, or is not a Pulumi project", () => {
    fs.mkdirSync(path.join(root, "empty"));
    const problems = problemsOf({
      producer: { dir: "producer", stack: "organization/producer/prod" },
      consumers: [{ dir: "./gone", stack: "organization/gone/prod" }, { dir: "empty", stack: "organization/empty/prod" }],
    }, root);
    assert.equal(problems.length, 2);
    assert.match(problems[0], new RegExp(`^consumers\\[0\\]\\.dir: ${path.join(root, "gone")} does not exist or is not a directory; point it at the stack's Pulumi project directory, relative to the plan file$`));
    assert.match(problems[1], /^consumers\[1\]\.dir: .*empty has no Pulumi\.yaml, so it is not a Pulumi project directory/);
  });

  it("refuses a stack whose project is not the directory's", () => {
    const [problem] = problemsOf({
      producer: { dir: "producer", stack: "organization/producer/prod" },
      consumers: [{ dir: "checkout", stack: "organization/login/prod" }],
    }, root);
    assert.equal(problem, "consumers[0].stack: organization/login/prod belongs to project login, but checkout is project checkout; fix the stack name or the directory");
  });

  it("refuses a stack named twice, or the producer as a consumer", () => {
    const problems = problemsOf({
      producer: { dir: "producer", stack: "organization/producer/prod" },
      consumers: [
        { dir: "checkout", stack: "organization/checkout/prod" },
        { dir: "checkout", stack: "organization/checkout/prod" },
        { dir: "producer", stack: "organization/producer/prod" },
      ],
    }, root);
    assert.deepEqual(problems, [
      "consumers[1].stack: organization/checkout/prod is already consumers[0]; name each stack once",
      "consumers[2].stack: organization/producer/prod is already producer; name each stack once",
    ]);
  });

  it("refuses an empty output name", () => {
    const [problem] = problemsOf({ producer: { dir: "producer", stack: "organization/producer/prod", output: "" }, consumers: [{ dir: "checkout", stack: "organization/checkout/prod" }] }, root);
    assert.equal(problem, "producer.output: must be the name of the producer's stack output (default turnstileSecret)");
  });

  it("names the file when it cannot be read or parsed", () => {
    assert.throws(() => loadPlan(path.join(root, "missing.yaml")), /plan .*missing\.yaml: cannot be read; check the path given to --plan/);
    fs.writeFileSync(path.join(root, "bad.yaml"), "producer: [unclosed\n");
    assert.throws(() => loadPlan(path.join(root, "bad.yaml")), /plan .*bad\.yaml: is not valid YAML: /);
    fs.writeFileSync(path.join(root, "bad.json"), "{ producer: }");
    assert.throws(() => loadPlan(path.join(root, "bad.json")), /plan .*bad\.json: is not valid JSON: /);
  });

  it("the message lists every problem under the plan's name", () => {
    fs.writeFileSync(path.join(root, "plan.yaml"), "consumers: []\n");
    assert.throws(() => loadPlan(path.join(root, "plan.yaml")), (error: Error) => {
      assert.equal(error.message, `plan ${path.join(root, "plan.yaml")}:\n  - producer: missing; name the stack that rotates the secret (dir, stack, output)\n` +
        "  - consumers: missing or empty; list each consumer stack as a mapping with dir and stack");
      assert.equal(error.name, "RolloutInputError");
      return true;
    });
  });
});
