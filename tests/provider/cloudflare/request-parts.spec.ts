import assert from "node:assert/strict";
import {
  encodePathSegment, parseBaseUrl, validateApiToken, widgetsPath,
} from "../../../provider/cloudflare";
import { InvalidSettingError } from "../../../provider/core/errors";

describe("request parts", () => {
  describe("widgetsPath", () => {
    it("encodes each segment so hostile values stay one segment", () => {
      assert.equal(widgetsPath("acc"), "/accounts/acc/challenges/widgets");
      assert.equal(widgetsPath("acc", "../x"), "/accounts/acc/challenges/widgets/..%2Fx");
      assert.equal(widgetsPath("acc", "a?b#c"), "/accounts/acc/challenges/widgets/a%3Fb%23c");
      assert.equal(widgetsPath("acc", "ключ✓"), "/accounts/acc/challenges/widgets/%D0%BA%D0%BB%D1%8E%D1%87%E2%9C%93");
      assert.equal(widgetsPath("a/b", "k"), "/accounts/a%2Fb/challenges/widgets/k");
      // Each hostile path must still resolve, under URL normalisation, below the widgets collection.
      for (const sitekey of ["../x", "..%2F..", "%2e%2e", "a?b", "a#b", "a/../../b"]) {
        const resolved = new URL(`https://h/client/v4${widgetsPath("acc", sitekey)}`);
        assert.ok(resolved.pathname.startsWith("/client/v4/accounts/acc/challenges/widgets/"), sitekey);
        assert.equal(resolved.search + resolved.hash, "", sitekey);
        assert.equal(decodeURIComponent(resolved.pathname.split("/").pop() ?? ""), sitekey);
      }
    });

    it("refuses segments that encoding cannot make safe", () => {
      for (const bad of ["", ".", ".."]) {
        assert.throws(() => encodePathSegment("sitekey", bad), /sitekey must be a non-empty string other than/);
        assert.throws(() => widgetsPath(bad, "k"), /accountId must be/);
      }
    });
  });

  describe("parseBaseUrl", () => {
    it("normalises http(s) URLs", () => {
      assert.equal(parseBaseUrl("https://api.cloudflare.com/client/v4/"), "https://api.cloudflare.com/client/v4");
      assert.equal(parseBaseUrl("http://127.0.0.1:8787/client/v4"), "http://127.0.0.1:8787/client/v4");
    });

    it("rejects other schemes, credentials, queries, and never echoes the URL", () => {
      const cases: Array<[string, RegExp]> = [
        ["ftp://example.com", /http or https/],
        ["file:///etc/passwd", /http or https/],
        ["not a url", /absolute http\(s\) URL/],
        ["https://user:hunter2@example.com", /credentials/],
        ["https://example.com/v4?token=hunter2", /query/],
      ];
      for (const [raw, pattern] of cases) {
        assert.throws(() => parseBaseUrl(raw), (e: unknown) => e instanceof InvalidSettingError && pattern.test(e.message) && !e.message.includes("hunter2"));
      }
    });
  });

  describe("validateApiToken", () => {
    it("accepts a token and rejects empty or whitespace-bearing ones without quoting them", () => {
      assert.equal(validateApiToken("abc_DEF-123"), "abc_DEF-123");
      assert.throws(() => validateApiToken(""), /apiToken is empty/);
      for (const bad of ["hunter2 x", "hunter2\n", "\"hunter2\"\r\n", "hunter2é"]) {
        assert.throws(() => validateApiToken(bad), (e: unknown) => e instanceof InvalidSettingError && !e.message.includes("hunter2"));
      }
    });
  });
});
