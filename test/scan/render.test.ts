// The scan report's formats: the exact table, JSON that reads back as the report, SARIF the SARIF Multitool accepts.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { scanFormats, scanSarifLog, type ScanSarifLog } from "../../src/scan/render.ts";
import { scanCatalog, type ScanReport } from "../../src/scan/scan.ts";
import { VulnDb } from "../../src/vuln/db/schema.ts";
import { validateSarif, type SarifIssue } from "../report/tools.ts";
import { BULLSEYE, buildScanDb, imageCatalog, LAYER1, libssl3, lodash, log4jCore } from "./fixtures.ts";

const work = mkdtempSync(join(tmpdir(), "drydock-scan-render-"));
const NOW = new Date("2026-03-01T12:00:00Z");
let image: ScanReport;
let directory: ScanReport;
let clean: ScanReport;
let sbom: ScanReport;

before(async () => {
  const db = VulnDb.open(await buildScanDb(work));
  try {
    const ignores = [{ id: "CVE-2021-45046", package: undefined, reason: "no Thread Context lookups in our patterns", until: "2026-12-31", where: "drydock.yaml:4" }];
    image = scanCatalog(imageCatalog([log4jCore("2.14.1"), lodash("4.17.20"), libssl3("3.0.11-1~deb12u1")], BULLSEYE), db, { now: NOW, ignores });
    // A project directory whose package path holds markup and a control character.
    const hostile = { ...lodash("4.17.20"), locations: [{ path: "web/<a&b>\u0007/node_modules/lodash/package.json" }] };
    directory = scanCatalog({ target: join(work, "project"), kind: "directory", distro: undefined, packages: [hostile], notes: [] }, db, { now: NOW });
    clean = scanCatalog(imageCatalog([lodash("4.17.21")]), db, { now: NOW });
    sbom = scanCatalog({ target: "app.cdx.json", kind: "sbom", distro: undefined, packages: [{ ...lodash("4.17.20"), locations: [] }], notes: [] }, db, { now: NOW });
  } finally {
    db.close();
  }
});
after(() => rmSync(work, { recursive: true, force: true }));

describe("table", () => {
  test("sorted by severity then package, with the ignored ones and their reasons", () => {
    assert.equal(scanFormats.table.render(image, { color: false }), [
      "oci:build/app:1.0 (debian 11): 3 packages, 3 vulnerabilities (CRITICAL: 1, HIGH: 1, LOW: 1)",
      "",
      "SEVERITY  ID              PACKAGE                              INSTALLED         FIXED    STATUS    PATH",
      "CRITICAL  CVE-2021-44228  org.apache.logging.log4j:log4j-core  2.14.1            2.15.0   fixed     /app/lib/log4j-core-2.14.1.jar!META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties",
      "HIGH      CVE-2021-23337  lodash                               4.17.20           4.17.21  fixed     /app/node_modules/lodash/package.json",
      "LOW       CVE-2024-0727   libssl3                              3.0.11-1~deb12u1  -        wont-fix  /var/lib/dpkg/status",
      "",
      "Ignored (1):",
      "  CVE-2021-45046 in org.apache.logging.log4j:log4j-core 2.14.1: no Thread Context lookups in our patterns (drydock.yaml:4, until 2026-12-31)",
      "",
    ].join("\n"));
  });

  test("a clean scan says so in one line", () => {
    assert.equal(scanFormats.table.render(clean, { color: false }), "oci:build/app:1.0 (debian 12): 1 packages, 0 vulnerabilities\n");
  });

  test("colour marks the severity cell only; control characters never reach the terminal", () => {
    const coloured = scanFormats.table.render(image, { color: true });
    assert.ok(coloured.includes("\u001b[31m\u001b[1mCRITICAL\u001b[22m\u001b[39m  CVE-2021-44228"), coloured);
    assert.equal(coloured.replace(/\u001b\[\d+m/g, ""), scanFormats.table.render(image, { color: false }));
    const text = scanFormats.table.render(directory, { color: false });
    assert.ok(!text.includes("\u0007"));
    assert.ok(text.includes("/web/<a&b>\uFFFD/node_modules/lodash/package.json"));
  });
});

describe("json", () => {
  test("reads back as the report, with the fields the issue names", () => {
    const text = scanFormats.json.render(image, { color: false });
    assert.ok(text.endsWith("}\n"));
    const parsed = JSON.parse(text) as ScanReport;
    assert.deepEqual(parsed, image);
    assert.deepEqual(Object.keys(parsed), ["version", "target", "db", "packages", "vulnerabilities", "ignored", "filtered", "notes"]);
    assert.deepEqual(Object.keys(parsed.vulnerabilities[0] ?? {}), [
      "id", "aliases", "package", "installedVersion", "fixedVersion", "status", "severity", "cvss", "location", "summary", "sources",
    ]);
    assert.deepEqual(parsed.vulnerabilities[1]?.location, { layer: LAYER1, path: "app/node_modules/lodash/package.json" });
    assert.equal(parsed.vulnerabilities[2]?.fixedVersion, null);
  });
});

describe("sarif", () => {
  let issues = new Map<string, SarifIssue[]>();
  const imageLog = (): ScanSarifLog => scanSarifLog(image, work);
  before(() => {
    const broken = imageLog();
    const first = broken.runs[0].results[0];
    if (first !== undefined) first.locations = [];
    issues = validateSarif({
      image: scanFormats.sarif.render(image, { color: false, cwd: work }),
      directory: scanFormats.sarif.render(directory, { color: false, cwd: work }),
      clean: scanFormats.sarif.render(clean, { color: false }),
      sbom: scanFormats.sarif.render(sbom, { color: false, cwd: work }),
      broken: JSON.stringify(broken),
    });
  });

  test("the SARIF Multitool (schema, best practices, GitHub rules) finds no error", () => {
    for (const name of ["image", "directory", "clean", "sbom"]) {
      const errors = (issues.get(name) ?? []).filter((i) => i.level === "error");
      assert.deepEqual(errors, [], `${name}: ${errors.map((e) => e.text).join("\n")}`);
    }
    assert.ok((issues.get("broken") ?? []).some((i) => i.level === "error"), "the validator rejects a result without a location");
  });

  test("the only validator warnings are missing regions (packages have no lines)", () => {
    for (const name of ["image", "directory", "sbom"]) {
      const others = (issues.get(name) ?? []).filter((i) => i.ruleId !== "SARIF2017");
      assert.deepEqual(others, [], name);
    }
  });

  test("one rule per vulnerability id, level and security-severity from the severity", () => {
    const run = imageLog().runs[0];
    assert.deepEqual(run.tool.driver.rules.map((r) => [r.id, r.defaultConfiguration.level, r.properties["security-severity"], r.helpUri]), [
      ["CVE-2021-44228", "error", "10.0", "https://nvd.nist.gov/vuln/detail/CVE-2021-44228"],
      ["CVE-2021-23337", "error", "7.2", "https://nvd.nist.gov/vuln/detail/CVE-2021-23337"],
      ["CVE-2024-0727", "note", "2.0", "https://nvd.nist.gov/vuln/detail/CVE-2024-0727"],
    ]);
    assert.equal(run.tool.driver.rules[0]?.fullDescription.text, "Remote code injection in Log4j. Also known as GHSA-jfh8-c2jp-5v3q. Fixed in org.apache.logging.log4j:log4j-core 2.15.0.");
  });

  test("results: at the package's path inside the image, with purl and fixed version", () => {
    const result = imageLog().runs[0].results[0];
    assert.deepEqual(result?.locations, [{
      physicalLocation: { artifactLocation: { uri: "app/lib/log4j-core-2.14.1.jar!META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties" } },
      logicalLocations: [{
        name: "/app/lib/log4j-core-2.14.1.jar!META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties",
        fullyQualifiedName: "oci:build/app:1.0!/app/lib/log4j-core-2.14.1.jar!META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties",
        kind: "resource",
      }],
    }]);
    assert.equal(result?.message.text, "org.apache.logging.log4j:log4j-core 2.14.1 is affected by CVE-2021-44228 (CRITICAL); fixed in 2.15.0.");
    assert.deepEqual(result?.properties, {
      purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", installedVersion: "2.14.1", fixedVersion: "2.15.0", status: "fixed", severity: "CRITICAL", layer: LAYER1,
    });
    assert.equal(imageLog().runs[0].results.length, 3, "ignored findings are not results");
  });

  test("a directory's packages are files under %SRCROOT%, percent-encoded", () => {
    const run = scanSarifLog(directory, work).runs[0];
    assert.deepEqual(run.results[0]?.locations[0]?.physicalLocation.artifactLocation, {
      uri: "project/web/%3Ca%26b%3E%07/node_modules/lodash/package.json", uriBaseId: "%SRCROOT%",
    });
    assert.equal(run.originalUriBaseIds?.["%SRCROOT%"]?.uri.endsWith("/"), true);
  });

  test("an SBOM's packages are located at the SBOM file", () => {
    const run = scanSarifLog(sbom, work).runs[0];
    assert.deepEqual(run.results[0]?.locations, [{ physicalLocation: { artifactLocation: { uri: "app.cdx.json", uriBaseId: "%SRCROOT%" } } }]);
    assert.ok(scanFormats.table.render(sbom, { color: false }).includes("  fixed   -\n"));
  });
});
