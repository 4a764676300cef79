// References parsed as `docker pull` parses them: a table of Docker's normalisations and errors, and
// property tests (fast-check) over generated names.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  familiarReference, formatReference, parseReference, parseRepositoryName, withDefaultTag, type ImageReference,
} from "../../src/registry/reference.ts";
import { referrersTag } from "../../src/registry/manifest.ts";
import { normalizeScopes, parseChallenges } from "../../src/registry/auth.ts";
import { normalizeAuthKey } from "../../src/registry/credentials.ts";
import { parseRetryAfter } from "../../src/registry/retry.ts";

const HEX = "0123456789abcdef".repeat(4);
const DIGEST = `sha256:${HEX}`;

const ref = (registry: string, repository: string, tag?: string, digest?: string): ImageReference => ({ registry, repository, tag, digest });

describe("parseReference: Docker's normalisation", () => {
  const cases: [string, ImageReference][] = [
    ["nginx", ref("docker.io", "library/nginx")],
    ["nginx:1.25", ref("docker.io", "library/nginx", "1.25")],
    ["user/app", ref("docker.io", "user/app")],
    ["docker.io/nginx", ref("docker.io", "library/nginx")],
    ["index.docker.io/library/nginx:latest", ref("docker.io", "library/nginx", "latest")],
    ["index.docker.io/user/app", ref("docker.io", "user/app")],
    ["localhost/foo", ref("localhost", "foo")],
    ["localhost:5000/foo/bar:tag", ref("localhost:5000", "foo/bar", "tag")],
    ["127.0.0.1:5000/x", ref("127.0.0.1:5000", "x")],
    ["[::1]:5000/x:y", ref("[::1]:5000", "x", "y")],
    ["example.com/foo", ref("example.com", "foo")],
    ["example/foo", ref("docker.io", "example/foo")],
    ["Foo/bar", ref("Foo", "bar")],
    ["ghcr.io/org/team/app:v1.2.3", ref("ghcr.io", "org/team/app", "v1.2.3")],
    [`reg.example:443/a/b@${DIGEST}`, ref("reg.example:443", "a/b", undefined, DIGEST)],
    [`nginx:1.25@${DIGEST}`, ref("docker.io", "library/nginx", "1.25", DIGEST)],
    ["a__b/c--d/e.f_g:T_a.g-9", ref("docker.io", "a__b/c--d/e.f_g", "T_a.g-9")],
    [`x@sha512:${HEX}${HEX}`, ref("docker.io", "library/x", undefined, `sha512:${HEX}${HEX}`)],
  ];
  for (const [input, expected] of cases) {
    test(input, () => assert.deepEqual(parseReference(input), expected));
  }

  const errors: [string, RegExp][] = [
    ["", /empty/],
    ["NGINX", /must be lowercase/],
    ["foo/Bar", /must be lowercase/],
    ["localhost:5000/Foo", /must be lowercase/],
    ["nginx:", /invalid reference format/],
    [":tag", /invalid reference format/],
    ["foo___bar", /invalid reference format/],
    ["foo.-bar", /invalid reference format/],
    ["-foo", /invalid reference format/],
    ["foo//bar", /invalid reference format/],
    ["foo/", /invalid reference format/],
    [`nginx:${"t".repeat(129)}`, /invalid reference format/],
    ["nginx@sha256:abc", /invalid reference format/],
    [`nginx@sha256:${HEX.slice(0, 32)}`, /digest length/],
    [`nginx@sha256:${HEX.toUpperCase()}`, /digest format/],
    [`nginx@md5:${HEX.slice(0, 32)}`, /unsupported digest algorithm/],
    [HEX, /image ID/],
    [`docker.io/${"a".repeat(256)}`, /255 characters/],
    ["a/b:c:d", /invalid reference format/],
    ["a b", /invalid reference format/],
  ];
  for (const [input, why] of errors) {
    test(`rejects ${JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input)}`, () => {
      assert.throws(() => parseReference(input), (e: Error & { code?: string }) => e.code === "REFERENCE_INVALID" && why.test(e.message));
    });
  }

  test("withDefaultTag adds latest only when neither tag nor digest is given", () => {
    assert.equal(withDefaultTag(parseReference("nginx")).tag, "latest");
    assert.equal(withDefaultTag(parseReference(`nginx@${DIGEST}`)).tag, undefined);
    assert.equal(withDefaultTag(parseReference("nginx:1")).tag, "1");
  });

  test("familiar and full forms", () => {
    assert.equal(formatReference(withDefaultTag(parseReference("nginx"))), "docker.io/library/nginx:latest");
    assert.equal(familiarReference(parseReference("docker.io/library/nginx:1")), "nginx:1");
    assert.equal(familiarReference(parseReference("docker.io/user/app")), "user/app");
    assert.equal(familiarReference(parseReference("docker.io/library/a/b")), "library/a/b");
    assert.equal(familiarReference(parseReference("localhost:5000/a:b")), "localhost:5000/a:b");
  });

  test("repository names for `tags` refuse a tag or digest", () => {
    assert.deepEqual(parseRepositoryName("nginx"), { registry: "docker.io", repository: "library/nginx" });
    assert.throws(() => parseRepositoryName("nginx:1"), { code: "REFERENCE_INVALID" });
  });
});

// ---- properties ----

const alnum = fc.stringMatching(/^[a-z0-9]{1,8}$/);
const separator = fc.constantFrom(".", "_", "__", "-", "--");
const pathComponent = fc.tuple(alnum, fc.array(fc.tuple(separator, alnum), { maxLength: 2 })).map(([head, rest]) => head + rest.map(([s, a]) => s + a).join(""));
const path = fc.array(pathComponent, { minLength: 1, maxLength: 4 }).map((parts) => parts.join("/"));
const domainLabel = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/);
const registryHost = fc.oneof(
  fc.tuple(domainLabel, domainLabel).map(([a, b]) => `${a}.${b}`),
  fc.tuple(domainLabel, fc.integer({ min: 1, max: 65535 })).map(([a, p]) => `${a}:${p}`),
  fc.constant("localhost"),
  fc.integer({ min: 1, max: 65535 }).map((p) => `localhost:${p}`),
);
const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/);
const digest = fc.stringMatching(/^[a-f0-9]{64}$/).map((h) => `sha256:${h}`);
const reference = fc.record({
  registry: fc.option(registryHost, { nil: undefined }),
  path,
  tag: fc.option(tag, { nil: undefined }),
  digest: fc.option(digest, { nil: undefined }),
});
const asText = (r: { registry: string | undefined; path: string; tag: string | undefined; digest: string | undefined }): string =>
  `${r.registry === undefined ? "" : `${r.registry}/`}${r.path}${r.tag === undefined ? "" : `:${r.tag}`}${r.digest === undefined ? "" : `@${r.digest}`}`;

describe("parseReference: properties", () => {
  test("generated references parse to their parts (Docker Hub names gain library/)", () => {
    fc.assert(fc.property(reference, (r) => {
      const parsed = parseReference(asText(r));
      assert.equal(parsed.tag, r.tag);
      assert.equal(parsed.digest, r.digest);
      if (r.registry !== undefined) {
        assert.equal(parsed.registry, r.registry);
        assert.equal(parsed.repository, r.path);
      } else {
        // Docker's rule: a first component with "." (or "localhost") names a registry.
        const slash = r.path.indexOf("/");
        const first = slash < 0 ? "" : r.path.slice(0, slash);
        if (first.includes(".") || first === "localhost") {
          assert.deepEqual([parsed.registry, parsed.repository], [first, r.path.slice(slash + 1)]);
        } else {
          assert.equal(parsed.registry, "docker.io");
          assert.equal(parsed.repository, slash >= 0 ? r.path : `library/${r.path}`);
        }
      }
    }));
  });

  test("normalisation is idempotent: the full form and the familiar form parse back to the same reference", () => {
    fc.assert(fc.property(reference, (r) => {
      const parsed = parseReference(asText(r));
      assert.deepEqual(parseReference(formatReference(parsed)), parsed);
      assert.deepEqual(parseReference(familiarReference(parsed)), parsed);
    }));
  });

  test("an upper-case letter in the repository path is always an error", () => {
    fc.assert(fc.property(reference, fc.nat(), (r, at) => {
      const chars = [...r.path];
      const letters = chars.map((c, i) => (/[a-z]/.test(c) ? i : -1)).filter((i) => i >= 0);
      fc.pre(letters.length > 0);
      const i = letters[at % letters.length] as number;
      chars[i] = (chars[i] as string).toUpperCase();
      // With no registry, an upper-case first component would be read as a registry host (Docker does that too).
      const text = asText({ ...r, registry: r.registry ?? "docker.io", path: chars.join("") });
      assert.throws(() => parseReference(text), { code: "REFERENCE_INVALID" });
    }));
  });

  test("any string either parses or fails with REFERENCE_INVALID, never anything else", () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (s) => {
      try {
        const parsed = parseReference(s);
        assert.deepEqual(parseReference(formatReference(parsed)), parsed);
      } catch (e) {
        assert.equal((e as { code?: string }).code, "REFERENCE_INVALID");
      }
    }), { numRuns: 2000 });
  });
});

describe("small parsers", () => {
  test("WWW-Authenticate challenges", () => {
    assert.deepEqual(parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"'), [
      { scheme: "bearer", params: { realm: "https://auth.docker.io/token", service: "registry.docker.io", scope: "repository:library/nginx:pull" } },
    ]);
    assert.deepEqual(parseChallenges('Basic realm="test"'), [{ scheme: "basic", params: { realm: "test" } }]);
    assert.deepEqual(parseChallenges('Basic realm="a, b", Bearer realm="https://x/t",error="invalid_token"'), [
      { scheme: "basic", params: { realm: "a, b" } },
      { scheme: "bearer", params: { realm: "https://x/t", error: "invalid_token" } },
    ]);
    assert.deepEqual(parseChallenges('Bearer realm="q\\"uote"'), [{ scheme: "bearer", params: { realm: 'q"uote' } }]);
  });

  test("scopes merge per resource", () => {
    assert.deepEqual(normalizeScopes(["repository:a:pull", "repository:a:push,pull", "repository:b:pull"]), ["repository:a:pull,push", "repository:b:pull"]);
    assert.deepEqual(normalizeScopes(["registry:catalog:*"]), ["registry:catalog:*"]);
  });

  test("auth keys as docker and podman write them", () => {
    assert.equal(normalizeAuthKey("https://index.docker.io/v1/"), "docker.io");
    assert.equal(normalizeAuthKey("registry-1.docker.io"), "docker.io");
    assert.equal(normalizeAuthKey("http://Reg.Example:5000/v2/"), "reg.example:5000");
    assert.equal(normalizeAuthKey("quay.io/org/repo"), "quay.io/org/repo");
  });

  test("Retry-After as seconds or a date", () => {
    assert.equal(parseRetryAfter("3"), 3000);
    assert.equal(parseRetryAfter("Wed, 21 Oct 2015 07:28:10 GMT", Date.parse("Wed, 21 Oct 2015 07:28:00 GMT")), 10_000);
    assert.equal(parseRetryAfter("soon"), undefined);
    assert.equal(parseRetryAfter(undefined), undefined);
  });

  test("the referrers fallback tag", () => {
    assert.equal(referrersTag(DIGEST), `sha256-${HEX}`);
    assert.equal(referrersTag(`sha512:${HEX}${HEX}`), `sha512-${HEX}`);
  });
});
