// scanCatalog against a real SQLite database imported from fixture advisories: findings, non-findings, ignores,
// VEX and gates, asserted exactly.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { ScanIgnoreRule } from "../../src/core/config.ts";
import { isExpired, purlHasPrefix, scanCatalog, scanExitCode, type ScanOptions, type ScanReport } from "../../src/scan/scan.ts";
import { parseOpenVex } from "../../src/scan/vex.ts";
import type { Catalog } from "../../src/sbom/model.ts";
import { VulnDb } from "../../src/vuln/db/schema.ts";
import {
  BOOKWORM, BULLSEYE, buildScanDb, IMAGE_DIGEST, imageCatalog, LAYER0, LAYER1, libcrypto, libssl3, lodash, log4jCore,
} from "./fixtures.ts";

const work = mkdtempSync(join(tmpdir(), "drydock-scan-"));
let db: VulnDb;
const NOW = new Date("2026-03-01T12:00:00Z");

before(async () => {
  db = VulnDb.open(await buildScanDb(work));
});
after(() => {
  db.close();
  rmSync(work, { recursive: true, force: true });
});

const scan = (catalog: Catalog, options: ScanOptions = {}): ScanReport => scanCatalog(catalog, db, { now: NOW, ...options });
/** id, package, status, fixed version, severity: one line per reported vulnerability, in report order. */
const rows = (r: ScanReport): string[] => r.vulnerabilities.map((v) => `${v.id} ${v.package.name} ${v.status} ${v.fixedVersion ?? "-"} ${v.severity}`);

describe("findings and non-findings", () => {
  test("log4j-core 2.14.1 in a jar: Log4Shell fixed in 2.15.0, with its location inside the jar", () => {
    const r = scan(imageCatalog([log4jCore("2.14.1")]));
    assert.deepEqual(rows(r), [
      "CVE-2021-44228 org.apache.logging.log4j:log4j-core fixed 2.15.0 CRITICAL",
      "CVE-2021-45046 org.apache.logging.log4j:log4j-core fixed 2.16.0 CRITICAL",
    ]);
    assert.deepEqual(r.vulnerabilities[0], {
      id: "CVE-2021-44228",
      aliases: ["GHSA-jfh8-c2jp-5v3q"],
      package: { name: "org.apache.logging.log4j:log4j-core", version: "2.14.1", ecosystem: "Maven", purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1" },
      installedVersion: "2.14.1",
      fixedVersion: "2.15.0",
      status: "fixed",
      severity: "CRITICAL",
      cvss: { version: "3.1", vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", score: 10 },
      location: { layer: LAYER1, path: "app/lib/log4j-core-2.14.1.jar!META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties" },
      summary: "Remote code injection in Log4j",
      sources: ["osv:Maven:GHSA-jfh8-c2jp-5v3q"],
    });
    assert.deepEqual(rows(scan(imageCatalog([log4jCore("2.17.1")]))), []);
  });

  test("Debian 12 openssl below the fix: tracker and DSA merged; the release comes from os-release", () => {
    const r = scan(imageCatalog([libssl3("3.0.11-1~deb12u1")]));
    assert.deepEqual(rows(r), [
      "CVE-2023-5363 libssl3 fixed 3.0.11-1~deb12u2 UNKNOWN",
      "CVE-2024-0727 libssl3 fixed 3.0.13-1~deb12u1 UNKNOWN",
    ]);
    assert.deepEqual(r.vulnerabilities[0]?.aliases, ["DSA-5532-1"]);
    assert.deepEqual(r.vulnerabilities[0]?.sources, ["debian-tracker:CVE-2023-5363", "osv:Debian:DSA-5532-1"]);
    assert.deepEqual(r.vulnerabilities[0]?.location, { layer: LAYER0, path: "var/lib/dpkg/status" });
  });

  test("Debian 12 openssl at the fixed version: nothing", () => {
    assert.deepEqual(rows(scan(imageCatalog([libssl3("3.0.11-1~deb12u2")]))), ["CVE-2024-0727 libssl3 fixed 3.0.13-1~deb12u1 UNKNOWN"]);
    assert.deepEqual(rows(scan(imageCatalog([libssl3("3.0.13-1~deb12u1")]))), []);
  });

  test("Debian 11: bookworm's DSA does not apply; bullseye's own statuses do", () => {
    const r = scan(imageCatalog([libssl3("3.0.11-1~deb12u1")], BULLSEYE));
    assert.deepEqual(rows(r), ["CVE-2024-0727 libssl3 wont-fix - LOW"]);
  });

  test("a release the cataloger set wins over os-release", () => {
    assert.deepEqual(rows(scan(imageCatalog([libssl3("3.0.11-1~deb12u1", "11")], BOOKWORM))), ["CVE-2024-0727 libssl3 wont-fix - LOW"]);
  });

  test("without a distribution, OS packages match no release and say so", () => {
    const r = scan({ ...imageCatalog([libssl3("3.0.11-1~deb12u1")]), distro: undefined });
    assert.deepEqual(rows(r), []);
    assert.equal(r.notes.length, 1);
    assert.match(r.notes[0] ?? "", /without a release/);
  });

  test("Alpine secfixes by origin and branch", () => {
    const alpine = { id: "alpine", versionId: "3.15.4", versionCodename: undefined, prettyName: "Alpine Linux v3.15" };
    assert.deepEqual(rows(scan(imageCatalog([libcrypto("1.1.1l-r7")], alpine))), ["CVE-2022-0778 libcrypto1.1 fixed 1.1.1n-r0 UNKNOWN"]);
    assert.deepEqual(rows(scan(imageCatalog([libcrypto("1.1.1n-r0")], alpine))), []);
  });

  test("npm lodash", () => {
    assert.deepEqual(rows(scan(imageCatalog([lodash("4.17.20")]))), ["CVE-2021-23337 lodash fixed 4.17.21 HIGH"]);
    assert.deepEqual(rows(scan(imageCatalog([lodash("4.17.21")]))), []);
  });

  test("the whole report: most severe first, packages listed, the catalog left as it was", () => {
    const catalog = imageCatalog([lodash("4.17.20"), libssl3("3.0.11-1~deb12u1"), log4jCore("2.14.1")]);
    const before = structuredClone(catalog);
    const r = scan(catalog);
    assert.deepEqual(catalog, before);
    assert.deepEqual(r.vulnerabilities.map((v) => v.id), ["CVE-2021-44228", "CVE-2021-45046", "CVE-2021-23337", "CVE-2023-5363", "CVE-2024-0727"]);
    assert.deepEqual(r.packages.map((p) => `${p.type} ${p.name} ${p.version} ${p.ecosystem}`), [
      "deb libssl3 3.0.11-1~deb12u1 Debian", "maven org.apache.logging.log4j:log4j-core 2.14.1 Maven", "npm lodash 4.17.20 npm",
    ]);
    assert.deepEqual(r.target, {
      name: "oci:build/app:1.0", kind: "image", image: { digest: IMAGE_DIGEST, name: "app:1.0", platform: "linux/amd64" }, distro: { id: "debian", versionId: "12" },
    });
    assert.equal(r.version, 1);
    assert.deepEqual(r.filtered, { severity: 0, unfixed: 0 });
  });

  test("database sources and their age; stale ones are listed, not fatal", () => {
    const r = scan(imageCatalog([]), { maxAgeDays: 7 });
    assert.deepEqual(r.db.sources.map((s) => s.name), ["alpine:v3.15/main", "debian-tracker", "osv:Debian", "osv:Maven", "osv:npm"]);
    const maven = r.db.sources.find((s) => s.name === "osv:Maven");
    assert.equal(maven?.newest, "2024-07-25T21:29:46Z");
    assert.equal(maven?.ageDays, 583.6);
    assert.ok(r.db.stale.includes("osv:Maven"));
    assert.equal(r.db.maxAgeDays, 7);
    assert.deepEqual(scan(imageCatalog([]), { maxAgeDays: 100000 }).db.stale, []);
  });
});

const rule = (fields: Partial<ScanIgnoreRule> & { id: string }): ScanIgnoreRule => ({ package: undefined, reason: "accepted", until: undefined, where: "drydock.yaml:3", ...fields });

describe("ignores from drydock.yaml", () => {
  const catalog = imageCatalog([lodash("4.17.20"), libssl3("3.0.11-1~deb12u1"), log4jCore("2.14.1")]);

  test("an ignore with a future end date moves the finding to ignored, with its reason", () => {
    const r = scan(catalog, { ignores: [rule({ id: "CVE-2021-44228", reason: "JNDI lookups disabled by -Dlog4j2.formatMsgNoLookups", until: "2026-12-31" })] });
    assert.ok(!r.vulnerabilities.some((v) => v.id === "CVE-2021-44228"));
    assert.deepEqual(r.ignored.map((v) => [v.id, v.ignoredBy]), [
      ["CVE-2021-44228", { kind: "config", reason: "JNDI lookups disabled by -Dlog4j2.formatMsgNoLookups", until: "2026-12-31", where: "drydock.yaml:3" }],
    ]);
    assert.deepEqual(r.notes, []);
  });

  test("an ignore whose end date has passed is inactive and says so", () => {
    const r = scan(catalog, { ignores: [rule({ id: "CVE-2021-44228", until: "2026-02-28" })] });
    assert.ok(r.vulnerabilities.some((v) => v.id === "CVE-2021-44228"));
    assert.deepEqual(r.ignored, []);
    assert.deepEqual(r.notes, ["drydock.yaml:3: the ignore of CVE-2021-44228 expired on 2026-02-28; it is reported again"]);
  });

  test("the end date is inclusive, in UTC", () => {
    assert.equal(isExpired("2026-03-01", new Date("2026-03-01T23:59:59Z")), false);
    assert.equal(isExpired("2026-03-01", new Date("2026-03-02T00:00:00Z")), true);
  });

  test("aliases count: ignoring the GHSA id ignores the CVE finding; a DSA id ignores its CVE", () => {
    const r = scan(catalog, { ignores: [rule({ id: "GHSA-35jh-r3h4-6jhm" }), rule({ id: "dsa-5532-1" })] });
    assert.deepEqual(r.ignored.map((v) => v.id), ["CVE-2021-23337", "CVE-2023-5363"]);
  });

  test("package by name, source package or purl prefix; another package's finding stays", () => {
    const ids = (pkg: string): string[] => scan(catalog, { ignores: [rule({ id: "CVE-2024-0727", package: pkg })] }).ignored.map((v) => v.id);
    assert.deepEqual(ids("libssl3"), ["CVE-2024-0727"]);
    assert.deepEqual(ids("openssl"), ["CVE-2024-0727"]);
    assert.deepEqual(ids("pkg:deb/debian/libssl3"), ["CVE-2024-0727"]);
    assert.deepEqual(ids("pkg:deb/debian/libssl3@3.0.11-1~deb12u1"), ["CVE-2024-0727"]);
    assert.deepEqual(ids("pkg:deb/debian/libssl"), []);
    assert.deepEqual(ids("libssl1.1"), []);
    assert.deepEqual(ids("pkg:deb/debian/libssl3@3.0.13-1~deb12u1"), []);
  });

  test("purl prefixes match whole parts", () => {
    assert.equal(purlHasPrefix("pkg:npm/lodash@4.17.20", "pkg:npm/lodash"), true);
    assert.equal(purlHasPrefix("pkg:npm/lodash-es@4.17.20", "pkg:npm/lodash"), false);
    assert.equal(purlHasPrefix("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "pkg:maven/org.apache.logging.log4j"), true);
    assert.equal(purlHasPrefix("pkg:pypi/requests@2.28.1", "pkg:pypi/Requests"), true);
  });
});

describe("VEX", () => {
  const vex = (statements: unknown[], file = "app.vex.json"): ReturnType<typeof parseOpenVex> => parseOpenVex(JSON.stringify({
    "@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/app-1", author: "Example Security", timestamp: "2026-01-10T00:00:00Z", version: 1, statements,
  }), file);
  const log4jNotAffected = {
    vulnerability: { name: "CVE-2021-44228" }, products: [{ "@id": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1" }],
    status: "not_affected", justification: "vulnerable_code_not_in_execute_path",
  };
  const catalog = imageCatalog([lodash("4.17.20"), log4jCore("2.14.1")]);

  test("a not_affected statement suppresses the finding, listed as ignored with its justification", () => {
    const r = scan(catalog, { vex: [vex([log4jNotAffected])] });
    assert.deepEqual(r.vulnerabilities.map((v) => v.id), ["CVE-2021-45046", "CVE-2021-23337"]);
    assert.deepEqual(r.ignored.map((v) => [v.id, v.ignoredBy]), [
      ["CVE-2021-44228", { kind: "vex", file: "app.vex.json", status: "not_affected", justification: "vulnerable_code_not_in_execute_path", impactStatement: null }],
    ]);
  });

  test("a fixed statement by alias, for a purl without version, suppresses too", () => {
    const r = scan(catalog, { vex: [vex([{ vulnerability: { name: "GHSA-35jh-r3h4-6jhm" }, products: [{ "@id": "pkg:npm/lodash" }], status: "fixed" }])] });
    assert.deepEqual(r.ignored.map((v) => `${v.id} ${v.ignoredBy.kind}`), ["CVE-2021-23337 vex"]);
  });

  test("affected and under_investigation suppress nothing; a later affected statement overrides an earlier not_affected", () => {
    assert.deepEqual(scan(catalog, { vex: [vex([{ ...log4jNotAffected, status: "under_investigation", justification: undefined }])] }).ignored, []);
    const later = { vulnerability: { name: "CVE-2021-44228" }, products: [{ "@id": "pkg:maven/org.apache.logging.log4j/log4j-core" }], status: "affected", action_statement: "upgrade", timestamp: "2026-02-01T00:00:00Z" };
    assert.deepEqual(scan(catalog, { vex: [vex([log4jNotAffected, later])] }).ignored, []);
    assert.deepEqual(scan(catalog, { vex: [vex([later, { ...log4jNotAffected, timestamp: "2026-02-02T00:00:00Z" }])] }).ignored.map((v) => v.id), ["CVE-2021-44228"]);
  });

  test("another version, another package or another vulnerability is not covered", () => {
    const other = (product: string, name = "CVE-2021-44228"): number =>
      scan(catalog, { vex: [vex([{ ...log4jNotAffected, vulnerability: { name }, products: [{ "@id": product }] }])] }).ignored.length;
    assert.equal(other("pkg:maven/org.apache.logging.log4j/log4j-core@2.15.0"), 0);
    assert.equal(other("pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1"), 0);
    assert.equal(other("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "CVE-2021-45105"), 0);
    assert.equal(other("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar"), 0, "a qualifier the package lacks");
  });

  test("subcomponents of the scanned image count; of another image they do not", () => {
    const statement = (image: string): unknown => ({
      ...log4jNotAffected,
      products: [{ "@id": image, subcomponents: [{ "@id": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1" }] }],
    });
    const ours = `pkg:oci/app@${encodeURIComponent(IMAGE_DIGEST)}?repository_url=registry.example.com/app`;
    const theirs = `pkg:oci/app@${encodeURIComponent(`sha256:${"d".repeat(64)}`)}`;
    assert.deepEqual(scan(catalog, { vex: [vex([statement(ours)])] }).ignored.map((v) => v.id), ["CVE-2021-44228"]);
    assert.deepEqual(scan(catalog, { vex: [vex([statement(theirs)])] }).ignored, []);
    // A statement about the image itself, without subcomponents, covers every package in it.
    const whole = { ...log4jNotAffected, products: [{ "@id": ours }] };
    assert.deepEqual(scan(catalog, { vex: [vex([whole])] }).ignored.map((v) => v.id), ["CVE-2021-44228"]);
  });

  test("a config ignore is applied before VEX", () => {
    const r = scan(catalog, { vex: [vex([log4jNotAffected])], ignores: [rule({ id: "CVE-2021-44228" })] });
    assert.deepEqual(r.ignored.map((v) => v.ignoredBy.kind), ["config"]);
  });
});

describe("gates", () => {
  const catalog = imageCatalog([lodash("4.17.20"), libssl3("3.0.11-1~deb12u1", "11"), log4jCore("2.14.1")]);

  test("--severity reports only the named severities, counting the rest", () => {
    const r = scan(catalog, { severities: ["HIGH", "LOW"] });
    assert.deepEqual(rows(r), ["CVE-2021-23337 lodash fixed 4.17.21 HIGH", "CVE-2024-0727 libssl3 wont-fix - LOW"]);
    assert.deepEqual(r.filtered, { severity: 2, unfixed: 0 });
  });

  test("--ignore-unfixed drops findings without a fixed version", () => {
    const r = scan(catalog, { ignoreUnfixed: true });
    assert.deepEqual(r.vulnerabilities.map((v) => v.id), ["CVE-2021-44228", "CVE-2021-45046", "CVE-2021-23337"]);
    assert.deepEqual(r.filtered, { severity: 0, unfixed: 1 });
  });

  test("exit code: any reported vulnerability at or above fail-on; --exit-code 0 never fails", () => {
    const r = scan(catalog);
    assert.equal(scanExitCode(r, { failOn: "any", exitCode: 1 }), 1);
    assert.equal(scanExitCode(r, { failOn: "CRITICAL", exitCode: 3 }), 3);
    assert.equal(scanExitCode(r, { failOn: "CRITICAL", exitCode: 0 }), 0);
    const low = scan(imageCatalog([libssl3("3.0.11-1~deb12u1", "11")]));
    assert.equal(scanExitCode(low, { failOn: "MEDIUM", exitCode: 1 }), 0);
    assert.equal(scanExitCode(low, { failOn: "LOW", exitCode: 1 }), 1);
    assert.equal(scanExitCode(scan(imageCatalog([lodash("4.17.21")])), { failOn: "any", exitCode: 1 }), 0);
  });

  test("ignored findings never fail a scan", () => {
    const r = scan(imageCatalog([lodash("4.17.20")]), { ignores: [rule({ id: "CVE-2021-23337" })] });
    assert.equal(scanExitCode(r, { failOn: "any", exitCode: 1 }), 0);
  });
});
