// CycloneDX 1.6 output: valid against the official schema (the library's strict JSON validator), the package facts
// where CycloneDX tools look for them, and reproducible under SOURCE_DATE_EPOCH.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Spec, Validation } from "@cyclonedx/cyclonedx-library";
import { writeCycloneDx } from "../../src/sbom/cyclonedx.ts";
import type { Catalog, CatalogedPackage } from "../../src/sbom/model.ts";
import { VERSION } from "../../src/version.ts";
import { sampleCatalog } from "./writer-fixtures.ts";

const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);

async function assertValid(json: string): Promise<void> {
  const errors: unknown = await validator.validate(json);
  assert.equal(errors, null, `schema errors: ${JSON.stringify(errors, null, 2)}`);
}

interface CdxProperty { name: string; value: string }
interface CdxComponent {
  type: string;
  name: string;
  group?: string;
  version?: string;
  purl?: string;
  "bom-ref"?: string;
  description?: string;
  licenses?: ({ license: { id?: string; name?: string } } | { expression: string })[];
  properties?: CdxProperty[];
}
interface CdxBom {
  bomFormat: string;
  specVersion: string;
  serialNumber: string;
  metadata: { timestamp: string; tools: { components: CdxComponent[] }; component: CdxComponent };
  components: CdxComponent[];
}

const EPOCH = { sourceDateEpoch: "1700000000" };

function parse(json: string): CdxBom {
  return JSON.parse(json) as CdxBom;
}

function byPurl(bom: CdxBom, prefix: string): CdxComponent {
  const found = bom.components.filter((c) => c.purl?.startsWith(prefix) === true);
  assert.equal(found.length, 1, `one component with purl ${prefix}`);
  return found[0] as CdxComponent;
}

function props(c: CdxComponent): Record<string, string> {
  return Object.fromEntries((c.properties ?? []).map((p) => [p.name, p.value]));
}

describe("CycloneDX writer", () => {
  test("the sample image catalog is schema-valid CycloneDX 1.6", async () => {
    await assertValid(writeCycloneDx(sampleCatalog(), EPOCH));
  });

  test("the validator used here does reject an invalid field (the check can fail)", async () => {
    const bom = parse(writeCycloneDx(sampleCatalog(), EPOCH)) as unknown as { components: Record<string, unknown>[] };
    (bom.components[1] as Record<string, unknown>).type = "shared-library";
    assert.notEqual(await validator.validate(JSON.stringify(bom)), null);
    const extra = parse(writeCycloneDx(sampleCatalog(), EPOCH)) as unknown as { components: Record<string, unknown>[] };
    (extra.components[1] as Record<string, unknown>).layer = "sha256:aa";
    assert.notEqual(await validator.validate(JSON.stringify(extra)), null);
  });

  test("metadata: the image as a container component, drydock as the tool, the timestamp from SOURCE_DATE_EPOCH", () => {
    const bom = parse(writeCycloneDx(sampleCatalog(), EPOCH));
    assert.equal(bom.bomFormat, "CycloneDX");
    assert.equal(bom.specVersion, "1.6");
    assert.equal(bom.metadata.timestamp, "2023-11-14T22:13:20.000Z");
    assert.deepEqual(bom.metadata.tools.components.map((c) => [c.type, c.name, c.version]), [["application", "drydock", VERSION]]);
    const target = bom.metadata.component;
    assert.deepEqual([target.type, target.name, target.version], ["container", "example.com/app:v1", `sha256:${"c".repeat(64)}`]);
    assert.equal(props(target)["drydock:target"], "oci:img:v1");
    assert.equal(props(target)["drydock:image:layer:1"], `sha256:${"b".repeat(64)}`);
    assert.equal(props(target)["drydock:image:platform"], "linux/amd64");
  });

  test("the distribution is an operating-system component", () => {
    const os = parse(writeCycloneDx(sampleCatalog(), EPOCH)).components.filter((c) => c.type === "operating-system");
    assert.deepEqual(os.map((c) => [c.name, c.version, c.description, props(c)["drydock:distro:codename"]]),
      [["debian", "12", "Debian GNU/Linux 12 (bookworm)", "bookworm"]]);
  });

  test("packages: group/name split, purl, licences as id, name or one expression, locations as properties", () => {
    const bom = parse(writeCycloneDx(sampleCatalog(), EPOCH));
    assert.equal(bom.components.filter((c) => c.type === "library").length, 9);

    const libc = byPurl(bom, "pkg:deb/debian/libc6@");
    assert.equal(libc.purl, "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&upstream=glibc");
    assert.equal(libc["bom-ref"], `${libc.purl}|0:var/lib/dpkg/status`);
    assert.deepEqual(libc.licenses, [{ license: { id: "GPL-2.0-or-later" } }, { license: { id: "LGPL-2.1-or-later" } }]);
    assert.deepEqual(props(libc), {
      "drydock:cataloger": "dpkg",
      "drydock:ecosystem": "Debian",
      "drydock:release": "12",
      "drydock:sourceName": "glibc",
      "drydock:namespace": "debian",
      "drydock:location:0:path": "var/lib/dpkg/status",
      "drydock:location:0:layer": `sha256:${"a".repeat(64)}`,
      "drydock:location:0:layerIndex": "0",
      "drydock:metadata:architecture": "amd64",
    });

    const babel = byPurl(bom, "pkg:npm/%40babel/core@");
    assert.deepEqual([babel.group, babel.name, babel.version], ["@babel", "core", "7.24.0"]);
    const log4j = byPurl(bom, "pkg:maven/");
    assert.deepEqual([log4j.group, log4j.name, log4j.version, log4j.purl],
      ["org.apache.logging.log4j", "log4j-core", "2.14.1", "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"]);
    assert.equal(props(log4j)["drydock:location:0:inner"], "WEB-INF/lib/log4j-core-2.14.1.jar!META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties");
    const logrus = byPurl(bom, "pkg:golang/");
    assert.deepEqual([logrus.group, logrus.name, logrus.licenses], ["github.com/sirupsen", "logrus", undefined]);
    assert.deepEqual(byPurl(bom, "pkg:cargo/serde@").licenses, [{ expression: "MIT OR Apache-2.0" }]);
    assert.deepEqual(byPurl(bom, "pkg:composer/").licenses, [{ license: { name: "Acme Proprietary Licence 2.0" } }]);
    assert.deepEqual(byPurl(bom, "pkg:deb/debian/tzdata@").licenses, [{ license: { name: "public-domain" } }]);
    assert.deepEqual([byPurl(bom, "pkg:pypi/").name, byPurl(bom, "pkg:pypi/").group], ["Flask", undefined]);

    const lodash = props(byPurl(bom, "pkg:npm/lodash@"));
    assert.equal(lodash["drydock:location:0:path"], "app/node_modules/lodash/package.json");
    assert.equal(lodash["drydock:location:1:path"], "app/node_modules/x/node_modules/lodash/package.json");
  });

  test("several licences with a compound expression become one expression; invalid text is kept by name", async () => {
    const base = sampleCatalog();
    const first = base.packages[2] as CatalogedPackage;
    const catalog: Catalog = {
      ...base,
      packages: [
        { ...first, licenses: ["MIT", "BSD-3-Clause OR Apache-2.0"] },
        { ...first, purl: `${first.purl}-b`, licenses: ["GPL-2.0-only WITH Classpath-exception-2.0", "see LICENSE file"] },
      ],
    };
    const json = writeCycloneDx(catalog, EPOCH);
    await assertValid(json);
    const libs = parse(json).components.filter((c) => c.type === "library").sort((a, b) => ((a.purl ?? "") < (b.purl ?? "") ? -1 : 1));
    assert.deepEqual(libs.map((c) => c.licenses), [
      [{ expression: "MIT AND (BSD-3-Clause OR Apache-2.0)" }],
      [{ license: { name: "GPL-2.0-only WITH Classpath-exception-2.0" } }, { license: { name: "see LICENSE file" } }],
    ]);
  });

  test("the same package twice at one location gets two distinct bom-refs", () => {
    const base = sampleCatalog();
    const one = base.packages[4] as CatalogedPackage;
    const bom = parse(writeCycloneDx({ ...base, packages: [one, { ...one }] }, EPOCH));
    const refs = bom.components.filter((c) => c.type === "library").map((c) => c["bom-ref"]);
    assert.equal(new Set(refs).size, 2);
  });

  test("reproducible under SOURCE_DATE_EPOCH: same bytes; the serial number follows the content", () => {
    const a = writeCycloneDx(sampleCatalog(), EPOCH);
    assert.equal(writeCycloneDx(sampleCatalog(), EPOCH), a);
    assert.match(parse(a).serialNumber, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const changed = sampleCatalog();
    changed.packages.pop();
    assert.notEqual(parse(writeCycloneDx(changed, EPOCH)).serialNumber, parse(a).serialNumber);
    assert.notEqual(parse(writeCycloneDx(sampleCatalog(), { sourceDateEpoch: "1700000001" })).serialNumber, parse(a).serialNumber);
  });

  test("without SOURCE_DATE_EPOCH: the clock's time and a random serial number", () => {
    const now = new Date("2024-05-06T07:08:09.123Z");
    const a = parse(writeCycloneDx(sampleCatalog(), { now }));
    const b = parse(writeCycloneDx(sampleCatalog(), { now }));
    assert.equal(a.metadata.timestamp, "2024-05-06T07:08:09.123Z");
    assert.notEqual(a.serialNumber, b.serialNumber);
    assert.match(a.serialNumber, /^urn:uuid:[0-9a-f-]{36}$/);
  });

  test("a SOURCE_DATE_EPOCH that is not a number is a usage error", () => {
    assert.throws(() => writeCycloneDx(sampleCatalog(), { sourceDateEpoch: "yesterday" }), { code: "USAGE" });
  });

  test("a directory without distribution or packages: a file component, still valid", async () => {
    const json = writeCycloneDx({ target: "./app", kind: "directory", distro: undefined, packages: [], notes: [] }, EPOCH);
    await assertValid(json);
    const bom = parse(json);
    assert.deepEqual([bom.metadata.component.type, bom.metadata.component.name], ["file", "./app"]);
    assert.deepEqual(bom.components, []);
  });
});
