// Reading SBOMs back: drydock's own CycloneDX and SPDX give the same packages (round trip); documents shaped as
// other tools write them give packages with the ecosystem, release and source package the scanner needs.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { writeCycloneDx } from "../../src/sbom/cyclonedx.ts";
import type { CatalogedPackage } from "../../src/sbom/model.ts";
import { detectSbomFormat, readSbom } from "../../src/sbom/read.ts";
import { writeSpdx } from "../../src/sbom/spdx.ts";
import { sampleCatalog } from "./writer-fixtures.ts";

const EPOCH = { sourceDateEpoch: "1700000000" };
const bytes = (v: unknown): Uint8Array => new TextEncoder().encode(typeof v === "string" ? v : JSON.stringify(v));

function sorted(packages: readonly CatalogedPackage[]): CatalogedPackage[] {
  return [...packages].sort((a, b) => (a.purl < b.purl ? -1 : a.purl > b.purl ? 1 : 0));
}

/** The facts a test states for another tool's packages. */
function brief(p: CatalogedPackage): unknown[] {
  return [p.name, p.version, p.ecosystem, p.release, p.sourceName, p.sourceVersion, p.namespace, p.licenses];
}

describe("readSbom: round trip", () => {
  for (const [format, write] of [["CycloneDX", writeCycloneDx], ["SPDX", writeSpdx]] as const) {
    test(`drydock's ${format} reads back as the same packages, distribution and image`, () => {
      const original = sampleCatalog();
      const read = readSbom(bytes(write(original, EPOCH)), "sbom.json");
      assert.equal(read.kind, "sbom");
      assert.equal(read.target, "sbom.json");
      assert.deepEqual(read.notes, []);
      assert.deepEqual(read.distro, original.distro);
      assert.deepEqual(read.image, original.image);
      assert.deepEqual(sorted(read.packages), sorted(original.packages));
    });
  }

  test("detectSbomFormat tells the two apart and says nothing of other JSON", () => {
    assert.equal(detectSbomFormat(bytes(writeCycloneDx(sampleCatalog(), EPOCH))), "cyclonedx");
    assert.equal(detectSbomFormat(bytes(writeSpdx(sampleCatalog(), EPOCH))), "spdx");
    assert.equal(detectSbomFormat(bytes({ name: "x", version: "1" })), undefined);
    assert.equal(detectSbomFormat(bytes("not json")), undefined);
  });
});

describe("readSbom: other tools' CycloneDX", () => {
  // Shaped as syft writes an Alpine image (1.5): OS component, syft:* properties, file components, nested jars.
  const syftLike = {
    $schema: "http://cyclonedx.org/schema/bom-1.5.schema.json",
    bomFormat: "CycloneDX",
    specVersion: "1.5",
    serialNumber: "urn:uuid:1b671687-395b-41f5-a30f-a58921a69b79",
    version: 1,
    metadata: {
      timestamp: "2024-03-01T10:00:00Z",
      tools: { components: [{ type: "application", author: "anchore", name: "syft", version: "1.4.1" }] },
      component: { "bom-ref": "5c1f0d33", type: "container", name: "alpine:3.19", version: `sha256:${"e".repeat(64)}` },
    },
    components: [
      {
        "bom-ref": "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1&package-id=1",
        type: "library", name: "musl", version: "1.2.4_git20230717-r4", licenses: [{ license: { id: "MIT" } }],
        purl: "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1",
        properties: [
          { name: "syft:package:foundBy", value: "apk-db-cataloger" },
          { name: "syft:location:0:layerID", value: `sha256:${"a".repeat(64)}` },
          { name: "syft:location:0:path", value: "/lib/apk/db/installed" },
        ],
      },
      {
        type: "library", name: "musl-utils", version: "1.2.4_git20230717-r4",
        licenses: [{ license: { id: "MIT" } }, { license: { name: "BSD" } }, { license: { id: "GPL-2.0-or-later" } }],
        purl: "pkg:apk/alpine/musl-utils@1.2.4_git20230717-r4?arch=x86_64&upstream=musl&distro=alpine-3.19.1",
      },
      {
        type: "library", group: "org.apache.logging.log4j", name: "log4j-core", version: "2.14.1",
        purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
        components: [{ type: "library", group: "org.apache.logging.log4j", name: "log4j-api", version: "2.14.1", purl: "pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1" }],
      },
      { type: "library", name: "@babel/core", version: "7.24.0", purl: "pkg:npm/%40babel/core@7.24.0", licenses: [{ expression: "MIT" }] },
      { type: "library", name: "Flask", version: "3.0.0", purl: "pkg:pypi/flask@3.0.0" },
      { type: "library", name: "github.com/sirupsen/logrus", version: "v1.9.3", purl: "pkg:golang/github.com/sirupsen/logrus@v1.9.3" },
      { type: "library", name: "rails", version: "7.1.3", purl: "pkg:gem/rails@7.1.3" },
      { type: "library", name: "serde", purl: "pkg:cargo/serde@1.0.197" },
      { type: "library", name: "Newtonsoft.Json", version: "13.0.1", purl: "pkg:nuget/Newtonsoft.Json@13.0.1" },
      { type: "library", name: "monolog/monolog", version: "3.5.0", purl: "pkg:composer/monolog/monolog@3.5.0" },
      { type: "library", name: "busybox", version: "1.36.1", purl: "pkg:generic/busybox@1.36.1" },
      { type: "library", name: "vendored-thing", version: "0.1" },
      { type: "file", name: "/etc/ssl/cert.pem" },
      { type: "operating-system", name: "alpine", version: "3.19.1", description: "Alpine Linux v3.19" },
    ],
  };

  test("packages of every ecosystem, nested components, the OS as the distribution", () => {
    const catalog = readSbom(bytes(syftLike), "alpine.cdx.json");
    assert.deepEqual(catalog.distro, { id: "alpine", versionId: "3.19.1", versionCodename: undefined, prettyName: "Alpine Linux v3.19" });
    assert.deepEqual(catalog.image, { digest: `sha256:${"e".repeat(64)}`, configDigest: undefined, name: "alpine:3.19", platform: undefined, layers: [] });
    assert.deepEqual(catalog.packages.map(brief), [
      ["musl", "1.2.4_git20230717-r4", "Alpine", "v3.19", undefined, undefined, "alpine", ["MIT"]],
      ["musl-utils", "1.2.4_git20230717-r4", "Alpine", "v3.19", "musl", undefined, "alpine", ["MIT", "BSD", "GPL-2.0-or-later"]],
      ["org.apache.logging.log4j:log4j-core", "2.14.1", "Maven", undefined, undefined, undefined, "org.apache.logging.log4j", []],
      ["org.apache.logging.log4j:log4j-api", "2.14.1", "Maven", undefined, undefined, undefined, "org.apache.logging.log4j", []],
      ["@babel/core", "7.24.0", "npm", undefined, undefined, undefined, "babel", ["MIT"]],
      ["Flask", "3.0.0", "PyPI", undefined, undefined, undefined, undefined, []],
      ["github.com/sirupsen/logrus", "v1.9.3", "Go", undefined, undefined, undefined, "github.com/sirupsen", []],
      ["rails", "7.1.3", "RubyGems", undefined, undefined, undefined, undefined, []],
      ["serde", "1.0.197", "crates.io", undefined, undefined, undefined, undefined, []],
      ["Newtonsoft.Json", "13.0.1", "NuGet", undefined, undefined, undefined, undefined, []],
      ["monolog/monolog", "3.5.0", "Packagist", undefined, undefined, undefined, "monolog", []],
    ]);
    const musl = catalog.packages[0] as CatalogedPackage;
    assert.deepEqual([musl.type, musl.cataloger, musl.purl, musl.locations],
      ["apk", "sbom", "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1", [{ path: "lib/apk/db/installed", layer: `sha256:${"a".repeat(64)}` }]]);
    assert.deepEqual(catalog.notes, [
      'alpine.cdx.json: skipped 1 package of purl type "generic" (not an ecosystem drydock catalogs): pkg:generic/busybox@1.36.1',
      "alpine.cdx.json: skipped 1 package without a purl: vendored-thing@0.1",
    ]);
  });

  test("CycloneDX 1.2 without an OS component: the release comes from each purl's distro qualifier", () => {
    const doc = {
      bomFormat: "CycloneDX",
      specVersion: "1.2",
      version: 1,
      components: [
        { type: "library", name: "bash", version: "5.2.15-2+b2", purl: "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&upstream=bash%405.2.15-2&distro=debian-12.5" },
        { type: "library", name: "tzdata", version: "2024a-0+deb12u1", purl: "pkg:deb/debian/tzdata@2024a-0%2Bdeb12u1?distro=bookworm" },
        { type: "library", name: "libssl3", version: "3.0.2-0ubuntu1.15", purl: "pkg:deb/ubuntu/libssl3@3.0.2-0ubuntu1.15?arch=amd64&upstream=openssl&distro=ubuntu-22.04" },
        { type: "library", name: "openssl-libs", version: "1:3.0.7-24.el9", purl: "pkg:rpm/redhat/openssl-libs@3.0.7-24.el9?arch=x86_64&epoch=1&upstream=openssl-3.0.7-24.el9.src.rpm&distro=rhel-9.3" },
      ],
    };
    const catalog = readSbom(bytes(doc), "mixed.json");
    assert.deepEqual(catalog.distro, { id: "debian", versionId: "12.5", versionCodename: undefined, prettyName: undefined });
    assert.deepEqual(catalog.packages.map(brief), [
      ["bash", "5.2.15-2+b2", "Debian", "12", "bash", "5.2.15-2", "debian", []],
      ["tzdata", "2024a-0+deb12u1", "Debian", "12", undefined, undefined, "debian", []],
      ["libssl3", "3.0.2-0ubuntu1.15", "Ubuntu", "22.04", "openssl", undefined, "ubuntu", []],
      ["openssl-libs", "1:3.0.7-24.el9", "Red Hat", "9.3", "openssl", "3.0.7-24.el9", "redhat", []],
    ]);
    assert.deepEqual(catalog.notes, []);
  });
});

describe("readSbom: other tools' SPDX", () => {
  const syftLike = {
    spdxVersion: "SPDX-2.2",
    dataLicense: "CC0-1.0",
    SPDXID: "SPDXRef-DOCUMENT",
    name: "debian:12",
    documentNamespace: "https://example.com/spdx/debian-12-1",
    creationInfo: { created: "2024-03-01T10:00:00Z", creators: ["Organization: Example", "Tool: other-1.0"] },
    packages: [
      { name: "debian:12", SPDXID: "SPDXRef-DocumentRoot-Image-debian-12", versionInfo: `sha256:${"f".repeat(64)}`, downloadLocation: "NOASSERTION" },
      {
        name: "libc6", SPDXID: "SPDXRef-Package-deb-libc6-1", versionInfo: "2.36-9+deb12u4", downloadLocation: "NOASSERTION",
        licenseConcluded: "NOASSERTION", licenseDeclared: "GPL-2.0-only AND LGPL-2.1-only AND LicenseRef-GPL",
        externalRefs: [
          { referenceCategory: "SECURITY", referenceType: "cpe23Type", referenceLocator: "cpe:2.3:a:libc6:libc6:2.36-9\\+deb12u4:*:*:*:*:*:*:*" },
          { referenceCategory: "PACKAGE_MANAGER", referenceType: "purl", referenceLocator: "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&upstream=glibc&distro=debian-12" },
        ],
      },
      {
        name: "log4j-core", SPDXID: "SPDXRef-Package-java-log4j-core-2", versionInfo: "2.14.1", downloadLocation: "NOASSERTION",
        licenseDeclared: "LicenseRef-Apache-License-2",
        externalRefs: [{ referenceCategory: "PACKAGE-MANAGER", referenceType: "purl", referenceLocator: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1" }],
      },
      { name: "internal-tool", SPDXID: "SPDXRef-Package-internal", versionInfo: "1.0", downloadLocation: "NOASSERTION", licenseDeclared: "NONE" },
    ],
    hasExtractedLicensingInfos: [{ licenseId: "LicenseRef-Apache-License-2", extractedText: "Apache License 2", name: "Apache License 2" }],
    relationships: [
      { spdxElementId: "SPDXRef-DOCUMENT", relationshipType: "DESCRIBES", relatedSpdxElement: "SPDXRef-DocumentRoot-Image-debian-12" },
      { spdxElementId: "SPDXRef-DocumentRoot-Image-debian-12", relationshipType: "CONTAINS", relatedSpdxElement: "SPDXRef-Package-deb-libc6-1" },
    ],
  };

  test("packages with a purl; the described root and packages without one are not packages (the latter noted)", () => {
    const catalog = readSbom(bytes(syftLike), "debian.spdx.json");
    assert.deepEqual(catalog.distro, { id: "debian", versionId: "12", versionCodename: undefined, prettyName: undefined });
    assert.deepEqual(catalog.packages.map(brief), [
      ["libc6", "2.36-9+deb12u4", "Debian", "12", "glibc", undefined, "debian", ["GPL-2.0-only AND LGPL-2.1-only AND LicenseRef-GPL"]],
      ["org.apache.logging.log4j:log4j-core", "2.14.1", "Maven", undefined, undefined, undefined, "org.apache.logging.log4j", ["Apache License 2"]],
    ]);
    assert.deepEqual(catalog.packages.map((p) => [p.type, p.cataloger, p.locations]), [["deb", "sbom", []], ["maven", "sbom", []]]);
    assert.deepEqual(catalog.notes, ["debian.spdx.json: skipped 1 package without a purl: internal-tool@1.0"]);
  });
});

describe("readSbom: malformed input is an SBOM_INVALID error naming the file", () => {
  const cases: [string, Uint8Array, RegExp][] = [
    ["not JSON", bytes("{\"bomFormat\": "), /^bad\.json: not valid JSON/],
    ["XML", bytes('<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.5"/>'), /^bad\.json: looks like XML/],
    ["not UTF-8", new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), /^bad\.json: not UTF-8/],
    ["other JSON", bytes({ name: "x", packages: [] }), /^bad\.json: neither a CycloneDX document/],
    ["a JSON array", bytes([1, 2]), /^bad\.json: neither a CycloneDX document/],
    ["unsupported CycloneDX version", bytes({ bomFormat: "CycloneDX", specVersion: "2.0", components: [] }), /specVersion "2\.0" is not one drydock reads/],
    ["components not an array", bytes({ bomFormat: "CycloneDX", specVersion: "1.6", components: {} }), /"components" must be an array/],
    ["a component that is not an object", bytes({ bomFormat: "CycloneDX", specVersion: "1.6", components: [{ type: "library", name: "a", components: [7] }] }), /components\[0\]\.components\[0\] is not an object/],
    ["SPDX 3", bytes({ spdxVersion: "SPDX-3.0", packages: [] }), /SPDX-3\.0 is not an SPDX version drydock reads/],
    ["SPDX packages not an array", bytes({ spdxVersion: "SPDX-2.3", packages: "none" }), /"packages" must be an array/],
    ["an SPDX package that is not an object", bytes({ spdxVersion: "SPDX-2.3", packages: [null] }), /packages\[0\] is not an object/],
  ];
  for (const [name, input, message] of cases) {
    test(name, () => {
      assert.throws(() => readSbom(input, "bad.json"), (e: unknown) => {
        assert.equal((e as { code?: string }).code, "SBOM_INVALID");
        assert.match((e as Error).message, message);
        return true;
      });
    });
  }

  test("an unreadable purl is noted, not thrown", () => {
    const catalog = readSbom(bytes({ bomFormat: "CycloneDX", specVersion: "1.4", components: [{ type: "library", name: "x", purl: "not a purl" }] }), "odd.json");
    assert.deepEqual(catalog.packages, []);
    assert.deepEqual(catalog.notes, ["odd.json: skipped 1 package with an unreadable purl: not a purl"]);
  });
});
