// SPDX 2.3 output: valid against the official SPDX 2.3 JSON schema (test/fixtures/schemas), plus what the schema
// leaves to the spec: idstring characters, unique ids, licence expressions, relationships, reproducibility.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import Ajv2019Module from "ajv/dist/2019.js";
import addFormatsModule from "ajv-formats";
import { spdxExpressionProblem } from "../../src/labels/validators.ts";
import type { CatalogedPackage } from "../../src/sbom/model.ts";
import { writeSpdx } from "../../src/sbom/spdx.ts";
import { VERSION } from "../../src/version.ts";
import { sampleCatalog } from "./writer-fixtures.ts";

const ajv = new Ajv2019Module.default({ allErrors: true, strict: false });
addFormatsModule.default(ajv);
const schema: unknown = JSON.parse(readFileSync(join(import.meta.dirname, "../fixtures/schemas/spdx-2.3-schema.json"), "utf8"));
const validate = ajv.compile(schema as object);

function assertValid(doc: unknown): void {
  assert.equal(validate(doc), true, JSON.stringify(validate.errors, null, 2));
}

interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  downloadLocation: string;
  licenseConcluded: string;
  licenseDeclared: string;
  primaryPackagePurpose?: string;
  externalRefs?: { referenceCategory: string; referenceType: string; referenceLocator: string }[];
}
interface SpdxDoc {
  spdxVersion: string;
  dataLicense: string;
  SPDXID: string;
  name: string;
  documentNamespace: string;
  creationInfo: { created: string; creators: string[] };
  packages: SpdxPackage[];
  relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
  hasExtractedLicensingInfos?: { licenseId: string; extractedText: string; name: string }[];
}

const EPOCH = { sourceDateEpoch: "1700000000" };

function parse(json: string): SpdxDoc {
  return JSON.parse(json) as SpdxDoc;
}

function byPurl(doc: SpdxDoc, prefix: string): SpdxPackage {
  const found = doc.packages.filter((p) => p.externalRefs?.some((r) => r.referenceLocator.startsWith(prefix)) === true);
  assert.equal(found.length, 1, `one package with purl ${prefix}`);
  return found[0] as SpdxPackage;
}

describe("SPDX writer", () => {
  test("the sample image catalog is valid against the SPDX 2.3 schema", () => {
    assertValid(parse(writeSpdx(sampleCatalog(), EPOCH)));
  });

  test("the schema check can fail: an unknown package field and a bad relationship type are rejected", () => {
    const doc = parse(writeSpdx(sampleCatalog(), EPOCH)) as unknown as { packages: Record<string, unknown>[]; relationships: Record<string, unknown>[] };
    (doc.packages[2] as Record<string, unknown>).purl = "pkg:npm/x@1";
    assert.equal(validate(doc), false);
    const rel = parse(writeSpdx(sampleCatalog(), EPOCH)) as unknown as { relationships: Record<string, unknown>[] };
    (rel.relationships[0] as Record<string, unknown>).relationshipType = "HAS";
    assert.equal(validate(rel), false);
  });

  test("document: version, data licence, creators, created from SOURCE_DATE_EPOCH, namespace", () => {
    const doc = parse(writeSpdx(sampleCatalog(), EPOCH));
    assert.equal(doc.spdxVersion, "SPDX-2.3");
    assert.equal(doc.dataLicense, "CC0-1.0");
    assert.equal(doc.SPDXID, "SPDXRef-DOCUMENT");
    assert.equal(doc.name, "example.com/app:v1");
    assert.deepEqual(doc.creationInfo.creators, [`Tool: drydock-${VERSION}`]);
    assert.equal(doc.creationInfo.created, "2023-11-14T22:13:20Z");
    assert.match(doc.documentNamespace, /^https:\/\/spdx\.org\/spdxdocs\/drydock\/example\.com-app-v1-[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test("ids are valid idstrings and unique; DESCRIBES the root, which CONTAINS the OS and every package", () => {
    const doc = parse(writeSpdx(sampleCatalog(), EPOCH));
    const ids = doc.packages.map((p) => p.SPDXID);
    for (const id of ids) assert.match(id, /^SPDXRef-[A-Za-z0-9.-]+$/);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(doc.packages.length, 11);
    const root = doc.packages[0] as SpdxPackage;
    assert.deepEqual([root.name, root.versionInfo, root.primaryPackagePurpose], ["example.com/app:v1", `sha256:${"c".repeat(64)}`, "CONTAINER"]);
    const os = doc.packages.filter((p) => p.primaryPackagePurpose === "OPERATING_SYSTEM");
    assert.deepEqual(os.map((p) => [p.name, p.versionInfo]), [["debian", "12"]]);
    assert.deepEqual(doc.relationships[0], { spdxElementId: "SPDXRef-DOCUMENT", relationshipType: "DESCRIBES", relatedSpdxElement: root.SPDXID });
    const contained = doc.relationships.slice(1);
    assert.ok(contained.every((r) => r.spdxElementId === root.SPDXID && r.relationshipType === "CONTAINS"));
    assert.deepEqual(contained.map((r) => r.relatedSpdxElement).sort(), ids.slice(1).sort());
  });

  test("packages: name, version, NOASSERTION download and concluded licence, purl as a PACKAGE-MANAGER reference", () => {
    const doc = parse(writeSpdx(sampleCatalog(), EPOCH));
    const log4j = byPurl(doc, "pkg:maven/");
    assert.deepEqual([log4j.name, log4j.versionInfo, log4j.downloadLocation, log4j.licenseConcluded, log4j.licenseDeclared],
      ["org.apache.logging.log4j:log4j-core", "2.14.1", "NOASSERTION", "NOASSERTION", "Apache-2.0"]);
    assert.deepEqual(log4j.externalRefs, [{ referenceCategory: "PACKAGE-MANAGER", referenceType: "purl", referenceLocator: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1" }]);
    assert.equal(byPurl(doc, "pkg:deb/debian/libc6@").licenseDeclared, "GPL-2.0-or-later AND LGPL-2.1-or-later");
    assert.equal(byPurl(doc, "pkg:cargo/serde@").licenseDeclared, "MIT OR Apache-2.0");
    assert.equal(byPurl(doc, "pkg:golang/").licenseDeclared, "NOASSERTION");
  });

  test("licences that are not SPDX expressions become LicenseRef- with the text extracted; every declared value parses", () => {
    const base = sampleCatalog();
    const extra: CatalogedPackage = { ...(base.packages[2] as CatalogedPackage), purl: "pkg:npm/mixed@1", licenses: ["MIT OR Apache-2.0", "public-domain", "Acme Proprietary Licence 2.0"] };
    const doc = parse(writeSpdx({ ...base, packages: [...base.packages, extra] }, EPOCH));
    assertValid(doc);
    assert.equal(byPurl(doc, "pkg:deb/debian/tzdata@").licenseDeclared, "LicenseRef-public-domain");
    assert.equal(byPurl(doc, "pkg:composer/").licenseDeclared, "LicenseRef-Acme-Proprietary-Licence-2.0");
    assert.equal(byPurl(doc, "pkg:npm/mixed@").licenseDeclared, "(MIT OR Apache-2.0) AND LicenseRef-public-domain AND LicenseRef-Acme-Proprietary-Licence-2.0");
    assert.deepEqual(doc.hasExtractedLicensingInfos, [
      { licenseId: "LicenseRef-Acme-Proprietary-Licence-2.0", extractedText: "Acme Proprietary Licence 2.0", name: "Acme Proprietary Licence 2.0" },
      { licenseId: "LicenseRef-public-domain", extractedText: "public-domain", name: "public-domain" },
    ]);
    const refs = new Set(doc.hasExtractedLicensingInfos?.map((l) => l.licenseId));
    for (const p of doc.packages) {
      if (p.licenseDeclared === "NOASSERTION") continue;
      assert.equal(spdxExpressionProblem(p.licenseDeclared), undefined, p.licenseDeclared);
      for (const ref of p.licenseDeclared.match(/LicenseRef-[A-Za-z0-9.-]+/g) ?? []) assert.ok(refs.has(ref), ref);
    }
  });

  test("reproducible under SOURCE_DATE_EPOCH: same bytes, and a namespace that changes with the content", () => {
    const a = writeSpdx(sampleCatalog(), EPOCH);
    assert.equal(writeSpdx(sampleCatalog(), EPOCH), a);
    const changed = sampleCatalog();
    (changed.packages[0] as CatalogedPackage).version = "2.36-9+deb12u5";
    assert.notEqual(parse(writeSpdx(changed, EPOCH)).documentNamespace, parse(a).documentNamespace);
    const shuffled = sampleCatalog();
    shuffled.packages.reverse();
    assert.equal(writeSpdx(shuffled, EPOCH), a, "package order does not depend on the walk");
  });

  test("without SOURCE_DATE_EPOCH: the clock's time (whole seconds) and a random namespace", () => {
    const now = new Date("2024-05-06T07:08:09.723Z");
    const a = parse(writeSpdx(sampleCatalog(), { now }));
    assert.equal(a.creationInfo.created, "2024-05-06T07:08:09Z");
    assert.notEqual(parse(writeSpdx(sampleCatalog(), { now })).documentNamespace, a.documentNamespace);
  });

  test("a directory with no packages: a FILE root, valid", () => {
    const doc = parse(writeSpdx({ target: "./rootfs", kind: "rootfs", distro: undefined, packages: [], notes: [] }, EPOCH));
    assertValid(doc);
    assert.deepEqual(doc.packages.map((p) => [p.SPDXID, p.name, p.primaryPackagePurpose]), [["SPDXRef-DocumentRoot-Directory-rootfs", "./rootfs", "FILE"]]);
    assert.equal(doc.relationships.length, 1);
  });
});
