// OpenVEX reading (v0.2.0 and v0.0.1's string forms), malformed documents, statement selection and purl matching.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseOpenVex, purlMatches, vexVerdict, type VexDocument } from "../../src/scan/vex.ts";

const DOC = {
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://openvex.dev/docs/public/vex-2e67563e128250cbcb3e98930df948dd053e43271d70dc50cfa22d57e03fe96f",
  author: "Wolfi J Inkinson",
  role: "Document Creator",
  timestamp: "2023-01-08T18:02:03.647787998-06:00",
  version: 1,
  statements: [
    {
      vulnerability: { "@id": "https://nvd.nist.gov/vuln/detail/CVE-2014-123456", name: "CVE-2014-123456", aliases: ["GHSA-xxxx-yyyy-zzzz"] },
      products: [
        { "@id": "pkg:apk/distro/git@2.39.0-r1?arch=armv7" },
        { "@id": "pkg:oci/example@sha256%3A47fed8868b", identifiers: { purl: "pkg:oci/example@sha256%3A47fed8868b" }, subcomponents: [{ "@id": "pkg:apk/alpine/git@2.38.1-r0" }] },
      ],
      status: "fixed",
    },
    {
      vulnerability: { name: "CVE-2023-1234" },
      timestamp: "2023-02-01T00:00:00Z",
      products: [{ identifiers: { purl: "pkg:npm/left-pad@1.3.0" } }],
      status: "not_affected",
      impact_statement: "the vulnerable function is never called",
    },
  ],
};

const parse = (doc: unknown, file = "doc.vex.json"): VexDocument => parseOpenVex(JSON.stringify(doc), file);

describe("reading", () => {
  test("a v0.2.0 document: statements, products, subcomponents, identifiers, times", () => {
    const doc = parse(DOC);
    assert.equal(doc.file, "doc.vex.json");
    assert.equal(doc.author, "Wolfi J Inkinson");
    assert.deepEqual(doc.statements.map((s) => [s.vulnerability, s.aliases, s.status, s.justification, s.impactStatement]), [
      ["CVE-2014-123456", ["GHSA-xxxx-yyyy-zzzz"], "fixed", undefined, undefined],
      ["CVE-2023-1234", [], "not_affected", undefined, "the vulnerable function is never called"],
    ]);
    assert.deepEqual(doc.statements[0]?.products, [
      { id: "pkg:apk/distro/git@2.39.0-r1?arch=armv7", purl: "pkg:apk/distro/git@2.39.0-r1?arch=armv7", subcomponents: [] },
      { id: "pkg:oci/example@sha256%3A47fed8868b", purl: "pkg:oci/example@sha256%3A47fed8868b", subcomponents: [{ id: "pkg:apk/alpine/git@2.38.1-r0", purl: "pkg:apk/alpine/git@2.38.1-r0" }] },
    ]);
    assert.deepEqual(doc.statements[1]?.products, [{ id: undefined, purl: "pkg:npm/left-pad@1.3.0", subcomponents: [] }]);
    // The document's timestamp is inherited; a statement's own wins.
    assert.equal(doc.statements[0]?.time, Date.parse("2023-01-08T18:02:03.647787998-06:00"));
    assert.equal(doc.statements[1]?.time, Date.parse("2023-02-01T00:00:00Z"));
  });

  test("v0.0.1 strings for the vulnerability and the products", () => {
    const doc = parse({ "@context": "https://openvex.dev/ns", "@id": "x", author: "a", timestamp: "2023-01-01T00:00:00Z", version: "1",
      statements: [{ vulnerability: "CVE-2023-1234", products: ["pkg:npm/left-pad@1.3.0"], status: "fixed" }] });
    assert.deepEqual(doc.statements[0]?.products, [{ id: "pkg:npm/left-pad@1.3.0", purl: "pkg:npm/left-pad@1.3.0", subcomponents: [] }]);
    assert.equal(doc.statements[0]?.vulnerability, "CVE-2023-1234");
  });

  test("a byte-order mark and bytes are fine", () => {
    assert.equal(parseOpenVex(new TextEncoder().encode(`\uFEFF${JSON.stringify(DOC)}`), "f").statements.length, 2);
  });

  const broken: [string, unknown, RegExp][] = [
    ["not JSON", "{", /not JSON/],
    ["not an object", [], /JSON object/],
    ["another context", { ...DOC, "@context": "https://cyclonedx.org/schema" }, /@context/],
    ["statements missing", { ...DOC, statements: undefined }, /"statements" must be a list/],
    ["unknown status", { ...DOC, statements: [{ ...DOC.statements[0], status: "ok" }] }, /statements\[0\]\.status must be one of/],
    ["not_affected without a reason", { ...DOC, statements: [{ vulnerability: { name: "CVE-1" }, products: [], status: "not_affected" }] }, /without a justification/],
    ["unknown justification", { ...DOC, statements: [{ ...DOC.statements[1], justification: "trust me" }] }, /justification must be one of/],
    ["vulnerability without name", { ...DOC, statements: [{ ...DOC.statements[0], vulnerability: { "@id": "x" } }] }, /vulnerability\.name/],
    ["products not a list", { ...DOC, statements: [{ ...DOC.statements[0], products: "pkg:npm/x" }] }, /products must be a list/],
    ["a purl that is not one", { ...DOC, statements: [{ ...DOC.statements[0], products: [{ identifiers: { purl: "npm/x" } }] }] }, /is not a package URL/],
    ["an empty product", { ...DOC, statements: [{ ...DOC.statements[0], products: [{}] }] }, /names no component/],
    ["a bad timestamp", { ...DOC, timestamp: "yesterday" }, /timestamp is not a date-time/],
  ];
  for (const [name, doc, message] of broken) {
    test(`malformed: ${name} → VEX_INVALID naming the file`, () => {
      assert.throws(() => parseOpenVex(typeof doc === "string" ? doc : JSON.stringify(doc), "vex/bad.json"), (e: unknown) => {
        assert.ok(e instanceof Error && "code" in e && e.code === "VEX_INVALID", String(e));
        assert.match(e.message, /^vex\/bad\.json: /);
        assert.match(e.message, message);
        return true;
      });
    });
  }
});

describe("verdicts", () => {
  const doc = parse(DOC);
  const image = { imageDigest: "sha256:47fed8868b" };
  test("by alias, for a product purl with a qualifier the package also has", () => {
    const v = vexVerdict([doc], { id: "CVE-2099-0001", aliases: ["GHSA-XXXX-YYYY-ZZZZ"], purl: "pkg:apk/distro/git@2.39.0-r1?arch=armv7&distro=x" }, { imageDigest: undefined });
    assert.deepEqual(v, { file: "doc.vex.json", status: "fixed", vulnerability: "CVE-2014-123456", justification: undefined, impactStatement: undefined });
  });
  test("subcomponent of the scanned image; not of another image", () => {
    const subject = { id: "CVE-2014-123456", aliases: [], purl: "pkg:apk/alpine/git@2.38.1-r0?arch=x86_64" };
    assert.equal(vexVerdict([doc], subject, image)?.status, "fixed");
    assert.equal(vexVerdict([doc], subject, { imageDigest: "sha256:0000" }), undefined);
    assert.equal(vexVerdict([doc], subject, { imageDigest: undefined })?.status, "fixed", "no digest to check: the statement is taken");
  });
  test("the newest statement wins, across documents; equal times go to the later one", () => {
    const later = parse({ ...DOC, timestamp: "2024-01-01T00:00:00Z", statements: [{ vulnerability: { name: "CVE-2023-1234" }, products: ["pkg:npm/left-pad"], status: "affected", action_statement: "update" }] }, "later.json");
    const subject = { id: "CVE-2023-1234", aliases: [], purl: "pkg:npm/left-pad@1.3.0" };
    assert.equal(vexVerdict([doc], subject, image)?.status, "not_affected");
    assert.equal(vexVerdict([doc, later], subject, image)?.status, "affected");
    assert.equal(vexVerdict([later, doc], subject, image)?.status, "affected");
    const same = parse({ ...DOC, statements: [DOC.statements[1], { ...DOC.statements[1], status: "under_investigation", impact_statement: undefined }] });
    assert.equal(vexVerdict([same], subject, image)?.status, "under_investigation");
  });
  test("a package without a purl is covered only by a statement about the whole image", () => {
    assert.equal(vexVerdict([doc], { id: "CVE-2023-1234", aliases: [], purl: undefined }, image), undefined);
  });
});

describe("purlMatches", () => {
  const cases: [string, string, boolean][] = [
    ["pkg:npm/lodash", "pkg:npm/lodash@4.17.20", true],
    ["pkg:npm/lodash@4.17.20", "pkg:npm/lodash@4.17.20", true],
    ["pkg:npm/lodash@4.17.21", "pkg:npm/lodash@4.17.20", false],
    ["pkg:npm/lodash", "pkg:npm/lodash-es@4.17.20", false],
    ["pkg:npm/%40babel/core@7.0.0", "pkg:npm/@babel/core@7.0.0", true],
    ["pkg:deb/debian/OpenSSL@3.0.11-1", "pkg:deb/debian/openssl@3.0.11-1?arch=amd64&distro=debian-12", true],
    ["pkg:deb/debian/openssl@3.0.11-1?arch=arm64", "pkg:deb/debian/openssl@3.0.11-1?arch=amd64", false],
    ["pkg:pypi/Django_Rest", "pkg:pypi/django-rest@1.0", true],
    ["pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar", true],
    ["pkg:golang/github.com/Foo/bar", "pkg:golang/github.com/foo/bar@v1.0.0", false],
    ["not a purl", "pkg:npm/lodash@1", false],
  ];
  for (const [pattern, actual, expected] of cases) {
    test(`${pattern} ${expected ? "matches" : "does not match"} ${actual}`, () => assert.equal(purlMatches(pattern, actual), expected));
  }
});
