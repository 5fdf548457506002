import assert from "node:assert/strict";
import { inspect } from "node:util";
import { AxiosError, AxiosHeaders, type InternalAxiosRequestConfig } from "axios";
import {
  AuthenticationError, BadRequestError, CloudflareApiError, ConnectionError, NotFoundError, RateLimitError, ServerError,
  toCloudflareError,
} from "../../../provider/cloudflare";
import { context } from "./fakes";

const TOKEN = "tok_S3cr3tT0kenValue_0123456789abcdefXYZ";
const SECRET = "0x4AAAAAAAsecretvalue_ABCDEFGHIJKLMNOP";

function envelope(errors: Array<{ code: number; message: string }>): unknown {
  return { success: false, errors, messages: [], result: null };
}

function fromStatus(status: number, idempotent = true, headers = {}): CloudflareApiError {
  return toCloudflareError({ response: { status, headers, body: envelope([{ code: 1000, message: "Something" }]) } }, context(idempotent));
}

/** Every way an error can be looked at: message, stack, JSON, inspect (with hidden and nested fields). */
function everythingVisible(error: Error): string {
  return [
    error.message,
    String(error.stack),
    JSON.stringify(error),
    JSON.stringify(error.cause),
    inspect(error, { showHidden: true, depth: Infinity, getters: true }),
  ].join("\n");
}

describe("toCloudflareError", () => {
  it("picks the class from the status", () => {
    const cases: Array<[number, abstract new (...args: never[]) => CloudflareApiError]> = [
      [400, BadRequestError], [401, AuthenticationError], [403, AuthenticationError],
      [429, RateLimitError], [500, ServerError], [502, ServerError], [503, ServerError], [504, ServerError],
    ];
    for (const [status, errorClass] of cases) {
      const error = fromStatus(status);
      assert.ok(error instanceof errorClass, `${status} -> ${error.name}`);
      assert.ok(error instanceof CloudflareApiError && error instanceof Error);
      assert.equal(error.status, status);
      assert.equal(error.name, errorClass.name);
    }
    for (const status of [409, 405, 404, 302, 200]) {
      assert.equal(fromStatus(status).constructor, CloudflareApiError, `${status} stays the base class`);
    }
  });

  describe("a 404 says the widget is gone only with Cloudflare's widget-not-found code (an allowlist)", () => {
    const notFound = (body: unknown) => toCloudflareError({ response: { status: 404, body } }, context(true));

    it("code 10404 in Cloudflare's envelope is a NotFoundError", () => {
      const error = notFound(envelope([{ code: 10404, message: 'Widget with sitekey "x" not found' }]));
      assert.ok(error instanceof NotFoundError);
      assert.match(error.message, / — check the accountId .* the widget may have been deleted/);
    });

    const others: ReadonlyArray<readonly [string, unknown, RegExp]> = [
      ["code 7003 (invalid object identifier)", envelope([{ code: 7003, message: "Could not route, perhaps your object identifier is invalid?" }]), /without saying the widget does not exist/],
      ["code 10000 (authentication error)", envelope([{ code: 10000, message: "Authentication error" }]), /without saying the widget does not exist/],
      ["an error without a code", { success: false, errors: [{ message: "Not Found" }], messages: [], result: null }, /without saying the widget does not exist/],
      ["code 7000 (no route: the path reached no API)", envelope([{ code: 7000, message: "No route for that URI" }]), /did not come from Cloudflare's widgets API/],
      ["a proxy's HTML page", "<html>404 Not Found</html>", /did not come from Cloudflare's widgets API/],
    ];
    for (const [name, body, fix] of others) {
      it(`${name} proves nothing about the widget`, () => {
        const error = notFound(body);
        assert.ok(!(error instanceof NotFoundError), `${name} must not read as "widget gone"`);
        assert.equal(error.constructor, CloudflareApiError);
        assert.match(error.message, fix);
      });
    }
  });

  it("formats `<status> <message>: <METHOD> <path> — <fix>` exactly", () => {
    const error = toCloudflareError(
      { response: { status: 403, body: envelope([{ code: 10000, message: "Authentication error" }]) } },
      context(false, { path: "/accounts/abc/challenges/widgets/0x4AAkey/rotate_secret" }),
    );
    assert.equal(
      error.message,
      "403 Authentication error (code 10000): POST /accounts/abc/challenges/widgets/0x4AAkey/rotate_secret — " +
        "check that CLOUDFLARE_API_TOKEN (or the cloudflare:apiToken config) is a valid API token " +
        "with the Account > Turnstile > Edit permission for this account",
    );
    assert.deepEqual(error.errors, [{ code: 10000, message: "Authentication error" }]);
    assert.equal(error.method, "POST");
    assert.equal(error.operation, "rotate the secret of widget 0x4AAkey");
  });

  it("joins several Cloudflare messages and falls back to the status text without an envelope", () => {
    const two = toCloudflareError(
      { response: { status: 400, body: envelope([{ code: 1, message: "a is bad" }, { code: 2, message: "b is bad" }]) } },
      context(true),
    );
    assert.match(two.message, /^400 a is bad \(code 1\); b is bad \(code 2\): GET \/accounts\//);

    const html = toCloudflareError({ response: { status: 502, body: "<html>bad gateway</html>" } }, context(true));
    assert.match(html.message, /^502 Bad Gateway \(no Cloudflare error message\): GET /);
    assert.ok(!html.message.includes("<html>"), "the body is never quoted");
    assert.deepEqual(html.errors, []);
  });

  it("gives the fix for each class", () => {
    assert.match(toCloudflareError({ response: { status: 404, body: envelope([{ code: 10404, message: "gone" }]) } }, context(true)).message,
      / — check the accountId .* and the widget's sitekey/);
    assert.match(fromStatus(401).message, / — check that CLOUDFLARE_API_TOKEN/);
    assert.match(fromStatus(503, true).message, / — Cloudflare had a temporary problem; try again later$/);
    assert.match(fromStatus(503, false).message, /the change may still have been applied, so read the widget before trying again$/);
    const headerProblem = toCloudflareError({ response: { status: 400, body: envelope([{ code: 6003, message: "Invalid request headers" }]) } }, context(true));
    assert.match(headerProblem.message, /CLOUDFLARE_API_TOKEN/);
  });

  it("keeps retry hints from the headers", () => {
    const limited = fromStatus(429, true, { "retry-after": "7", "x-should-retry": "true" });
    assert.ok(limited instanceof RateLimitError);
    assert.equal(limited.retryAfterMs, 7000);
    assert.equal(limited.shouldRetry, true);
    assert.match(limited.message, /wait 7 s before trying again$/);
    assert.equal(fromStatus(500).retryAfterMs, undefined);
  });

  it("describes an unusable 2xx answer without quoting it", () => {
    const error = toCloudflareError(
      { response: { status: 200, body: { success: true, result: { secret: SECRET } } }, detail: "unexpected answer: widget field \"name\" should be a string" },
      context(false),
    );
    assert.equal(error.constructor, CloudflareApiError);
    assert.match(error.message, /^200 unexpected answer: widget field "name" should be a string: POST .* — check that baseUrl/);
    assert.ok(!everythingVisible(error).includes(SECRET));
  });

  describe("without an answer", () => {
    function thrown(code: string, message = `connect ${code} 127.0.0.1:9`): Error {
      return Object.assign(new Error(message), { code });
    }

    it("is a ConnectionError, ambiguous unless the request certainly never left", () => {
      for (const code of ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH"]) {
        const error = toCloudflareError({ error: thrown(code) }, context(false));
        assert.ok(error instanceof ConnectionError && !error.ambiguous, code);
        assert.equal(error.status, undefined);
        assert.match(error.message, /the request never reached Cloudflare/);
      }
      for (const code of ["ECONNRESET", "ECONNABORTED", "ETIMEDOUT", "EPIPE", "ERR_SOMETHING_NEW"]) {
        const error = toCloudflareError({ error: thrown(code) }, context(false));
        assert.ok(error instanceof ConnectionError && error.ambiguous, code);
        assert.match(error.message, /may have reached Cloudflare/);
      }
      const noCode = toCloudflareError({ error: new Error("weird") }, context(true));
      assert.ok(noCode instanceof ConnectionError && noCode.ambiguous);
    });

    it("formats the message without a status", () => {
      const error = toCloudflareError({ error: thrown("ECONNRESET", "socket hang up") }, context(true));
      assert.equal(
        error.message,
        "no answer from Cloudflare (ECONNRESET: socket hang up): GET /accounts/acc/challenges/widgets/0x4AAkey — " +
          "the connection failed mid-request: check network access to the API, then try again",
      );
    });

    it("keeps a sanitised cause, never the axios error with its config", () => {
      const config = { headers: new AxiosHeaders({ Authorization: `Bearer ${TOKEN}` }), url: "/x", method: "post" };
      const axiosError = new AxiosError("read ECONNRESET", "ECONNRESET", config as InternalAxiosRequestConfig, { secret: SECRET });
      const error = toCloudflareError({ error: axiosError }, context(false));
      assert.deepEqual(error.cause, { name: "AxiosError", code: "ECONNRESET", message: "read ECONNRESET" });
      assert.ok(!(error.cause instanceof Error));
      assert.ok(!everythingVisible(error).includes(TOKEN), "token leaked");
      assert.ok(!everythingVisible(error).includes(SECRET), "request data leaked");
    });

    it("treats an axios error that carries a response as that response", () => {
      const config = { headers: new AxiosHeaders({ Authorization: `Bearer ${TOKEN}` }) } as InternalAxiosRequestConfig;
      const response = { status: 404, statusText: "Not Found", headers: {}, config, data: envelope([{ code: 10404, message: "not found" }]) };
      const error = toCloudflareError({ error: new AxiosError("fail", "ERR_BAD_REQUEST", config, null, response) }, context(true));
      assert.ok(error instanceof NotFoundError);
      assert.ok(!everythingVisible(error).includes(TOKEN));
    });
  });

  it("redacts the token wherever outside text repeats it", () => {
    const echoed = toCloudflareError(
      { response: { status: 400, body: envelope([{ code: 6003, message: `bad header value Bearer ${TOKEN}` }]) } },
      context(true),
      { redact: [TOKEN] },
    );
    const low = Object.assign(new Error(`proxy refused token ${TOKEN}`), { code: "ECONNREFUSED" });
    const refused = toCloudflareError({ error: low }, context(true), { redact: [TOKEN] });
    for (const error of [echoed, refused]) {
      const visible = everythingVisible(error);
      assert.ok(!visible.includes(TOKEN), `token leaked from ${error.name}`);
      assert.ok(visible.includes("[REDACTED]"), "the redaction is visible");
    }
  });

  it("exposes no token-bearing or unexpected enumerable property", () => {
    const error = fromStatus(429, false, { "retry-after": "1" });
    assert.deepEqual(Object.keys(error).sort(), ["errors", "fix", "method", "operation", "path", "retryAfterMs", "shouldRetry", "status"]);
  });
});
