import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { applyMutation, MUTATIONS } from "../../../scripts/lib/mutations";

const REPO = path.resolve(__dirname, "../../..");

describe("the mutations the model must catch (npm run mutants)", () => {
  it("are named once each and describe their defect", () => {
    assert.equal(new Set(MUTATIONS.map((m) => m.name)).size, MUTATIONS.length);
    for (const mutation of MUTATIONS) assert.ok(mutation.defect.length > 20 && mutation.edits.length > 0, mutation.name);
  });

  for (const mutation of MUTATIONS) {
    it(`${mutation.name} still applies to today's sources, each edit exactly once`, () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mutation-"));
      try {
        for (const edit of mutation.edits) {
          fs.mkdirSync(path.dirname(path.join(dir, edit.file)), { recursive: true });
          fs.copyFileSync(path.join(REPO, edit.file), path.join(dir, edit.file));
        }
        applyMutation(dir, mutation);
        for (const edit of mutation.edits) assert.ok(fs.readFileSync(path.join(dir, edit.file), "utf8").includes(edit.to), edit.file);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
