import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SPDX_EXCEPTION_IDS, SPDX_LICENSE_IDS } from "../../src/labels/spdx-ids.ts";
import {
  canonicalSpdxId, isAbsoluteUri, isEmailAddress, isGitHash, isIPv6, isRfc3339DateTime, isSemver, labelKeyProblem,
  spdxExpressionProblem,
} from "../../src/labels/validators.ts";

function table(check: (v: string) => boolean, good: string[], bad: string[]): void {
  for (const v of good) assert.equal(check(v), true, `should accept ${JSON.stringify(v)}`);
  for (const v of bad) assert.equal(check(v), false, `should reject ${JSON.stringify(v)}`);
}

describe("label validators", () => {
  test("label keys (Docker's guideline, as hadolint checks it)", () => {
    table((k) => labelKeyProblem(k) === undefined,
      ["a", "org.opencontainers.image.source", "my.label/with_underscore", "v1.2"],
      ["", "A", "1abc", "abc-", "a..b", "a--b", "a b", "com.docker.x", "io.docker.y", "org.dockerproject.z", "a:b"]);
  });

  test("URLs: RFC 3986 absolute URIs", () => {
    table(isAbsoluteUri,
      ["https://example.com", "http://a:8080/p?q=1#f", "ftp://user:pw@host/", "mailto:a@b.c", "urn:isbn:123", "file:///etc/x",
        "http://[::1]/", "http://[v1.x]/", "https://example.com/a%20b", "git+ssh://git@host/repo.git", "x:"],
      ["", "example.com", "/path", "http://a b", "https://example.com/%zz", "http://[::1/", "http://[1::2::3]/", "1http://x",
        "http://host:80a/", "http://exa mple.com", "https://example.com/<x>"]);
  });

  test("IPv6 text forms", () => {
    table(isIPv6, ["::", "::1", "2001:db8::1", "1:2:3:4:5:6:7:8", "::ffff:192.0.2.1", "1::"],
      ["", ":::", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "::ffff:256.0.0.1", "g::"]);
  });

  test("RFC 3339 date-times", () => {
    table(isRfc3339DateTime,
      ["1985-04-12T23:20:50.52Z", "1996-12-19T16:39:57-08:00", "1990-12-31T23:59:60Z", "2024-02-29T00:00:00+00:00", "2024-01-01t00:00:00z"],
      ["2024-01-01", "2024-01-01T00:00:00", "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-01T24:00:00Z",
        "2024-01-01T00:60:00Z", "2024-01-01T00:00:00+0100", "2024-01-01 00:00:00Z", "2024-01-01T00:00:00+24:00"]);
  });

  test("Semantic Versioning 2.0.0", () => {
    table(isSemver,
      ["0.0.0", "1.2.3", "10.20.30", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-0.3.7", "1.0.0-x.7.z.92", "1.0.0+20130313144700",
        "1.0.0-beta+exp.sha.5114f85", "1.0.0-0a"],
      ["1", "1.2", "v1.2.3", "01.2.3", "1.02.3", "1.2.03", "1.2.3-", "1.2.3-01", "1.2.3-a..b", "1.2.3+", "1.2.3 ", "1.2.3.4"]);
  });

  test("git hashes", () => {
    table(isGitHash, ["abc1234", "0123456789abcdef0123456789abcdef01234567"],
      ["ABC1234", "abc123", "abc12345", "g123456", "0123456789abcdef0123456789abcdef0123456"]);
  });

  test("e-mail addresses (RFC 5322 addr-spec)", () => {
    table(isEmailAddress,
      ["a@b", "jane.doe+tag@example.com", "\"jane doe\"@example.com", "x@[192.0.2.1]", "o'brien@example.ie"],
      ["", "a", "a@", "@b", "a@b@c", ".a@b", "a.@b", "a..b@c", "Jane <a@b>", "a b@c", "a@b..c"]);
  });

  // Cross-checked with Python's packaging.licenses.canonicalize_license_expression (SPDX 3.27), which agrees on
  // all of these except DocumentRef- (PEP 639 forbids it; the SPDX spec allows it) and mixed-case operators.
  test("SPDX license expressions", () => {
    table((v) => spdxExpressionProblem(v) === undefined,
      ["MIT", "mit", "MIT OR Apache-2.0", "MIT AND (Apache-2.0 OR BSD-3-Clause)", "GPL-2.0-only WITH Classpath-exception-2.0",
        "GPL-2.0+", "LicenseRef-foo", "DocumentRef-x:LicenseRef-y", "((MIT))", "MIT or Apache-2.0"],
      ["", "MIT OR", "(MIT", "MIT)", "MIT WITH MIT", "Apache License 2.0", "MIT AND AND Apache-2.0", "MIT Or Apache-2.0", "()",
        "GPL-2.0-only WITH", "+", "MIT, Apache-2.0"]);
    assert.equal(spdxExpressionProblem("Apache License 2.0"), '"Apache" is not an SPDX license identifier');
    assert.equal(canonicalSpdxId("apache-2.0"), "Apache-2.0");
  });

  test("the SPDX list is sorted, unique, and has the well-known ids", () => {
    for (const list of [SPDX_LICENSE_IDS, SPDX_EXCEPTION_IDS]) {
      assert.deepEqual([...list].sort(), list);
      assert.equal(new Set(list.map((s) => s.toLowerCase())).size, list.length);
    }
    for (const id of ["MIT", "Apache-2.0", "GPL-3.0-or-later", "BSD-3-Clause", "MPL-2.0", "0BSD", "GPL-2.0"]) assert.ok(SPDX_LICENSE_IDS.includes(id), id);
    assert.ok(SPDX_EXCEPTION_IDS.includes("LLVM-exception"));
  });
});
