/**
 * The plugin says where its base URL comes from when a request never reached the API and none was
 * set: a stack that sets only `cloudflare:baseUrl` (which never reaches a plugin) otherwise sees a
 * bare `ENOTFOUND api.cloudflare.com`. Driven in-process over gRPC, over hooks that fail as the
 * client does when DNS or the connection fails.
 */
import assert from "node:assert/strict";
import type { RotationHooks } from "../../../provider/core/hooks";
import { toCloudflareError } from "../../../provider/cloudflare/error-factory";
import { BASE_URL_HINT } from "../../../provider/plugin/base-url-hint";
import { rotationUrn, startPlugin, type InProcessPlugin } from "../../helpers/plugin-grpc";

const REQUEST = { method: "GET", path: "/accounts/x/challenges/widgets/y", operation: "read widget y", idempotent: true };
const INPUTS = { accountId: "023e105f4ecef8ad9ca31a8372d0c353", sitekey: "0x4AAAAAAAtest", rotationTrigger: "1" };

/** Hooks whose create fails with the client's error for `code` (ENOTFOUND: never sent; ECONNRESET: maybe sent). */
function failingHooks(code: string): RotationHooks {
  const error = Object.assign(new Error(`getaddrinfo ${code} api.cloudflare.com`), { code });
  const unused = async (): Promise<never> => { throw new Error("not called in this test"); };
  return {
    configure: async () => {},
    check: async (_olds, news) => ({ inputs: news }),
    create: async () => { throw toCloudflareError({ error }, REQUEST); },
    diff: unused, read: unused, update: unused, delete: unused,
  };
}

describe("plugin: the base-URL hint on a failure to reach the API", function () {
  this.timeout(20_000);
  let plugin: InProcessPlugin | undefined;
  afterEach(() => {
    plugin?.close();
    plugin = undefined;
  });

  async function createFails(code: string, config: { baseUrl?: string }, env: Record<string, string> = {}): Promise<string> {
    plugin?.close(); // one plugin at a time, each closed (an open one keeps the test process alive)
    plugin = await startPlugin(failingHooks(code), env);
    await plugin.configure({ apiToken: "t".repeat(40), ...config });
    const error = await plugin.create(rotationUrn("login"), INPUTS).then(() => undefined, (e: Error) => e);
    assert.ok(error, "the create should fail");
    return error.message;
  }

  it("names the plugin's base-URL settings, and that cloudflare:baseUrl is not one, when none was set", async () => {
    const message = await createFails("ENOTFOUND", {});
    assert.match(message, /ENOTFOUND api\.cloudflare\.com/);
    assert.ok(message.includes(BASE_URL_HINT), message);
    assert.match(BASE_URL_HINT, /reads turnstile-rotation:baseUrl .*CLOUDFLARE_BASE_URL\), never cloudflare:baseUrl/);
  });

  it("says nothing more when a base URL was set, or when the request may have been sent", async () => {
    assert.ok(!(await createFails("ENOTFOUND", { baseUrl: "http://127.0.0.1:1/client/v4" })).includes(BASE_URL_HINT));
    assert.ok(!(await createFails("ENOTFOUND", {}, { CLOUDFLARE_BASE_URL: "http://127.0.0.1:1/client/v4" })).includes(BASE_URL_HINT));
    assert.ok(!(await createFails("ECONNRESET", {})).includes(BASE_URL_HINT));
  });
});
