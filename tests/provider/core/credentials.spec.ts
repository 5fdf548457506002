import assert from "node:assert/strict";
import { DEFAULT_BASE_URL } from "../../../provider/cloudflare";
import { MissingCredentialsError, resolveConnection } from "../../../provider/core/credentials";
import { InvalidSettingError } from "../../../provider/core/errors";

const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });

describe("credentials", () => {
  it("reads the token and base URL from stack config first", () => {
    const connection = resolveConnection(
      config({ "cloudflare:apiToken": "from-config", "cloudflare:baseUrl": "http://127.0.0.1:9/client/v4/" }),
      { CLOUDFLARE_API_TOKEN: "from-env", CLOUDFLARE_BASE_URL: "http://env.invalid" },
    );
    assert.deepEqual(connection, { apiToken: "from-config", baseUrl: "http://127.0.0.1:9/client/v4" });
  });

  it("falls back to the environment, then to Cloudflare's URL", () => {
    assert.deepEqual(resolveConnection(config({}), { CLOUDFLARE_API_TOKEN: "from-env" }), { apiToken: "from-env", baseUrl: DEFAULT_BASE_URL });
  });

  it("prefers an explicit token over config and environment", () => {
    assert.equal(resolveConnection(config({ "cloudflare:apiToken": "c" }), { CLOUDFLARE_API_TOKEN: "e" }, "explicit").apiToken, "explicit");
  });

  it("fails with both places to set a token when there is none", () => {
    assert.throws(() => resolveConnection(undefined, { CLOUDFLARE_API_TOKEN: " " }), (error: unknown) => {
      assert.ok(error instanceof MissingCredentialsError);
      assert.match(error.message, /cloudflare:apiToken/);
      assert.match(error.message, /CLOUDFLARE_API_TOKEN/);
      return true;
    });
  });

  it("rejects a base URL that is not http(s), without quoting the token", () => {
    assert.throws(() => resolveConnection(undefined, { CLOUDFLARE_API_TOKEN: "tok-123", CLOUDFLARE_BASE_URL: "ftp://x" }), (error: unknown) => {
      assert.match(String(error), /must use http or https/);
      assert.ok(!String(error).includes("tok-123"));
      return true;
    });
    assert.throws(() => resolveConnection(undefined, { CLOUDFLARE_API_TOKEN: "t", CLOUDFLARE_BASE_URL: "not a url" }), /not a valid URL/);
  });

  it("checks the base URL and token with the client's rules, naming where they are set and never quoting them", () => {
    const fails = (env: Record<string, string>, pattern: RegExp) =>
      assert.throws(() => resolveConnection(undefined, env), (error: unknown) => {
        assert.ok(error instanceof InvalidSettingError, String(error));
        assert.match(error.message, pattern);
        assert.ok(!error.message.includes("hunter2"));
        return true;
      });
    fails({ CLOUDFLARE_API_TOKEN: "t", CLOUDFLARE_BASE_URL: "https://u:hunter2@example.com" }, /base URL \(cloudflare:baseUrl or CLOUDFLARE_BASE_URL\) must not contain credentials/);
    fails({ CLOUDFLARE_API_TOKEN: "t", CLOUDFLARE_BASE_URL: "https://example.com/?k=hunter2" }, /must not have a query string/);
    fails({ CLOUDFLARE_API_TOKEN: "hunter2 x" }, /the Cloudflare API token contains spaces/);
  });
});
