import assert from "node:assert/strict";
import { startEmulator, createTestWidget, type RunningEmulator } from "../helpers/emulator";
import { api, call, firstError } from "./http-client";

const ACCOUNT_A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const ACCOUNT_B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

describe("emulator: authentication and routing", () => {
  let running: RunningEmulator;
  before(async () => {
    running = await startEmulator({ tokens: { "token-a": [ACCOUNT_A], "token-ab": [ACCOUNT_A, ACCOUNT_B] } });
  });
  after(async () => { await running.stop(); });

  it("missing or wrong bearer token: 403, code 10000", async () => {
    for (const token of [null, "wrong-token", running.apiToken + "x"]) {
      const reply = await api(running, "GET", "", undefined, { token });
      assert.equal(reply.status, 403, String(token));
      assert.deepEqual(reply.body.errors, [{ code: 10000, message: "Authentication error" }]);
      assert.equal(reply.body.success, false);
    }
  });

  it("malformed Authorization header: 400, 6003 with an error chain naming the header", async () => {
    for (const header of ["Basic dXNlcjpwYXNz", "Bearer", "Bearer a b", "token-a", "bearer token-a"]) {
      const reply = await api(running, "GET", "", undefined, { token: null, headers: { authorization: header } });
      assert.equal(reply.status, 400, header);
      const error = firstError(reply);
      assert.equal(error.code, 6003);
      assert.equal(error.message, "Invalid request headers");
      assert.ok(error.error_chain?.some((e) => /Authorization header/.test(e.message)), JSON.stringify(error));
    }
  });

  it("the global apiToken works on any account", async () => {
    assert.equal((await api(running, "GET", "", undefined, { accountId: ACCOUNT_A })).status, 200);
    assert.equal((await api(running, "GET", "", undefined, { accountId: ACCOUNT_B })).status, 200);
  });

  it("an account-scoped token works on its accounts only", async () => {
    assert.equal((await api(running, "GET", "", undefined, { token: "token-a", accountId: ACCOUNT_A })).status, 200);
    const other = await api(running, "GET", "", undefined, { token: "token-a", accountId: ACCOUNT_B });
    assert.deepEqual([other.status, firstError(other).code], [403, 10000]);
    assert.equal((await api(running, "GET", "", undefined, { token: "token-ab", accountId: ACCOUNT_B })).status, 200);
  });

  it("a token for A can neither read nor rotate B's widget", async () => {
    const w = await createTestWidget(running, { accountId: ACCOUNT_B });
    const get = await api(running, "GET", `/${w.sitekey}`, undefined, { token: "token-a", accountId: ACCOUNT_B });
    assert.equal(get.status, 403);
    const rotate = await api(running, "POST", `/${w.sitekey}/rotate_secret`, {}, { token: "token-a", accountId: ACCOUNT_B });
    assert.equal(rotate.status, 403);
    // Through its own account the widget simply does not exist.
    const viaA = await api(running, "GET", `/${w.sitekey}`, undefined, { token: "token-a", accountId: ACCOUNT_A });
    assert.equal(viaA.status, 404);
    assert.equal((await api(running, "GET", `/${w.sitekey}`, undefined, { accountId: ACCOUNT_B })).body.result.secret, w.secret);
  });

  it("an account id that is not 32 hex chars: 400, 7003 for known tokens; 403 for strangers", async () => {
    for (const bad of ["123", "023E105F4ECEF8AD9CA31A8372D0C353", "g".repeat(32)]) {
      const reply = await api(running, "GET", "", undefined, { accountId: bad });
      assert.equal(reply.status, 400, bad);
      assert.equal(firstError(reply).code, 7003);
      assert.match(firstError(reply).message, /identifier is invalid/);
    }
    assert.equal((await api(running, "GET", "", undefined, { accountId: "123", token: "nobody" })).status, 403);
  });

  it("unknown routes under /client/v4 get a 404 envelope; wrong methods a 405 envelope", async () => {
    for (const path of ["/client/v4", "/client/v4/zones", `/client/v4/accounts/${ACCOUNT_A}/challenges/widgets/x/y`,
      `/client/v4/accounts/${ACCOUNT_A}/challenges/widgets/x/rotate_secret/z`]) {
      const reply = await call(running, "GET", path, undefined, { authorization: `Bearer ${running.apiToken}` });
      assert.equal(reply.status, 404, path);
      assert.deepEqual([reply.body.success, reply.body.result, firstError(reply).code], [false, null, 7000]);
    }
    const patch = await api(running, "PATCH", "/0x4AAAAAAAabc", {});
    assert.deepEqual([patch.status, firstError(patch).code], [405, 7001]);
    assert.equal(patch.headers.get("allow"), "GET, PUT, DELETE");
    assert.equal((await api(running, "GET", "/x/rotate_secret")).status, 405);
  });

  it("tolerates a trailing slash and answers outside the API with a plain 404", async () => {
    assert.equal((await api(running, "GET", "/")).status, 200);
    assert.equal((await call(running, "GET", "/nothing-here")).status, 404);
  });

  it("every v4 answer carries a cf-ray header and JSON content type", async () => {
    const reply = await api(running, "GET", "");
    assert.match(reply.headers.get("cf-ray") ?? "", /^[0-9a-f]{16}-EMU$/);
    assert.match(reply.headers.get("content-type") ?? "", /^application\/json/);
  });
});
