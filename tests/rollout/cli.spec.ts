/**
 * The command line: its usage errors and exit codes, and what goes to stdout (the report, or one
 * JSON document) and stderr (progress, errors). Stack reads come from an in-memory {@link Stacks}
 * and verdicts from the emulator's siteverify; the same command through the real engine is
 * tests/e2e/rollout*.spec.ts.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EXIT, USAGE, main, parseInvocation, siteverifyProbe, type CliIo, type StackState, type Stacks } from "../../rollout";
import { createTestWidget, startEmulator, type RunningEmulator } from "../helpers/emulator";

const SIG = "4dabf18193072939515e22adb298388d";
const secret = (value: string) => ({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify(value) });
const PRODUCER = "organization/producer/prod";
const CONSUMER = "organization/checkout/prod";

/** Runs the command in-process, capturing both streams. */
async function run(argv: string[], io: Partial<CliIo> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) }, ...io });
  return { code, stdout, stderr };
}

describe("rollout: the command line", () => {
  let root: string;
  let plan: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-cli-"));
    for (const name of ["producer", "checkout"]) {
      fs.mkdirSync(path.join(root, name));
      fs.writeFileSync(path.join(root, name, "Pulumi.yaml"), `name: ${name}\n`);
    }
    plan = path.join(root, "plan.yaml");
    fs.writeFileSync(plan, `producer: {dir: producer, stack: ${PRODUCER}}\nconsumers:\n  - {dir: checkout, stack: ${CONSUMER}}\n`);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("parses the two commands and their options", () => {
    assert.deepEqual(parseInvocation(["status", "--plan", "p.yaml"]), { command: "status", plan: "p.yaml", json: false, parallel: 4 });
    assert.deepEqual(parseInvocation(["rollout", "--json", "--parallel", "8", "--plan", "p.yaml"]), { command: "rollout", plan: "p.yaml", json: true, parallel: 8 });
    assert.equal(parseInvocation(["--help"]).command, "help");
    assert.equal(parseInvocation(["help"]).command, "help");
  });

  it("refuses bad usage, every problem at once, with the fix", () => {
    assert.throws(() => parseInvocation(["deploy", "--parallel", "0"]), (error: Error) => {
      assert.match(error.message, /the command must be status or rollout, not "deploy"/);
      assert.match(error.message, /--plan FILE is required/);
      assert.match(error.message, /--parallel must be an integer >= 1, not "0"/);
      return true;
    });
    assert.throws(() => parseInvocation(["status", "--plan", "p", "--color"]), /Unknown option '--color'.*see turnstile-rotation --help/);
    assert.throws(() => parseInvocation(["status", "extra", "--plan", "p"]), /unexpected arguments: extra/);
    assert.throws(() => parseInvocation(["status", "--plan", "p", "--parallel", "1.5"]), /--parallel must be an integer/);
  });

  it("--help prints the usage and exits 0", async () => {
    const result = await run(["--help"]);
    assert.deepEqual([result.code, result.stdout, result.stderr], [EXIT.ok, USAGE, ""]);
    assert.match(USAGE, /Exit codes: 0 all current and accepted; 1 not; 2 the command could not run/);
  });

  it("bad usage or a bad plan exits 2 with the reason on stderr, and with --json one JSON document on stdout", async () => {
    const usage = await run(["status"]);
    assert.equal(usage.code, EXIT.cannotRun);
    assert.match(usage.stderr, /^turnstile-rotation: usage \(see turnstile-rotation --help\): --plan FILE is required/);
    assert.equal(usage.stdout, "");

    const missing = await run(["rollout", "--json", "--plan", path.join(root, "nope.yaml")], { stacks: async () => assert.fail("read stacks for a missing plan") });
    assert.equal(missing.code, EXIT.cannotRun);
    assert.match(missing.stderr, /nope\.yaml: cannot be read/);
    const document = JSON.parse(missing.stdout) as { ok: boolean; error: string };
    assert.equal(document.ok, false);
    assert.match(document.error, /nope\.yaml: cannot be read; check the path given to --plan/);
  });

  it("without a pulumi on PATH it exits 2 saying how to get one", async () => {
    const saved = process.env.PATH;
    process.env.PATH = root;
    try {
      const result = await run(["status", "--plan", plan]);
      assert.equal(result.code, EXIT.cannotRun);
      assert.match(result.stderr, /the Pulumi CLI: `pulumi version` failed .*put `pulumi` on PATH/);
    } finally {
      process.env.PATH = saved;
    }
  });

  describe("exit codes of status", () => {
    let running: RunningEmulator;
    let current: string;
    before(async () => {
      running = await startEmulator();
      current = (await createTestWidget(running)).secret;
    });
    after(() => running.stop());

    const stacksHolding = (held: string): Stacks => {
      const states: Record<string, StackState> = {
        [PRODUCER]: { kind: "present", deployment: { resources: [{ type: "pulumi:pulumi:Stack", outputs: { turnstileSecret: secret(current) } }] } },
        [CONSUMER]: { kind: "present", deployment: { resources: [
          { type: "pulumi:pulumi:Stack", outputs: {} },
          { type: "pulumi:pulumi:StackReference", outputs: { name: PRODUCER, outputs: { turnstileSecret: secret(held) } } },
        ] } },
      };
      return { read: async (target) => states[target.stack], up: () => assert.fail("status ran pulumi up") };
    };
    const io = (held: string): Partial<CliIo> => ({ stacks: async () => stacksHolding(held), probe: siteverifyProbe({ url: `${running.origin}/turnstile/v0/siteverify` }) });

    it("0 when every consumer holds the current secret and Cloudflare accepts it; the text report on stdout", async () => {
      const result = await run(["status", "--plan", plan], io(current));
      assert.equal(result.code, EXIT.ok, result.stderr);
      assert.match(result.stdout, /^OK: every consumer holds the current secret/m);
      assert.equal(result.stderr, "");
    });

    it("1 when a consumer is behind; --json prints the report alone", async () => {
      const result = await run(["status", "--json", "--plan", plan], io("0x4AAAAAAAsomethingElse000000000000"));
      assert.equal(result.code, EXIT.notOk);
      const report = JSON.parse(result.stdout) as { ok: boolean; consumers: Array<{ holds: string }> };
      assert.deepEqual([report.ok, report.consumers[0].holds], [false, "rejected"]);
      assert.ok(!result.stdout.includes(current), "the report holds the secret");
    });
  });
});
