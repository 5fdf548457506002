/**
 * `npm run demo`'s story, run as users run it (a child process through the real engine), against
 * an emulator that records every secret it ever issues: the demo succeeds, tells its story, and
 * prints none of those secrets nor the token.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "../../scripts/lib/engine";
import { startEmulator, type RunningEmulator } from "../helpers/emulator";
import { E2E_TIMEOUT_MS } from "./harness";

const run = promisify(execFile);

describe("e2e: the demo", function () {
  this.timeout(E2E_TIMEOUT_MS);
  let emulator: RunningEmulator;
  let workDir: string;
  const issued: string[] = [];

  before(async () => {
    emulator = await startEmulator();
    // Record every secret the emulator hands out (creation and each rotation).
    const store = emulator.emulator.store;
    for (const method of ["create", "rotateSecret"] as const) {
      const original = store[method].bind(store) as (...args: never[]) => { secret: string };
      (store as unknown as Record<string, unknown>)[method] = (...args: never[]) => {
        const widget = original(...args);
        issued.push(widget.secret);
        return widget;
      };
    }
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "turnstile-demo-"));
  });
  after(async () => {
    await emulator?.stop();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("rotates, refuses inside the grace period, rotates again, and never prints a secret or the token", async () => {
    const { stdout, stderr } = await run(
      path.join(REPO_ROOT, "node_modules", ".bin", "ts-node"),
      ["--transpile-only", "scripts/demo.ts", "--emulator-url", emulator.baseUrl, "--api-token", emulator.apiToken, "--work-dir", workDir],
      { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 },
    );
    const printed = stdout + stderr;
    assert.match(printed, /is refused/);
    assert.match(printed, /nothing changed: producer and Cloudflare both still hold 0x4AAA…\(3\d chars\) #2/);
    assert.match(printed, /organization\/producer\/dev {3}0x4AAA…\(3\d chars\) #3 {2}\(current\)/);
    assert.match(printed, /organization\/consumer\/dev {3}0x4AAA…\(3\d chars\) #3 {2}\(current\)/);
    assert.equal(issued.length, 3, "one creation and two rotations");
    for (const secret of [...issued, emulator.apiToken]) assert.ok(!printed.includes(secret), "the demo printed a secret or the token");
  });
});
