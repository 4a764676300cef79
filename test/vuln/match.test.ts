// Matching against a database imported from fixture files of real advisories: findings and non-findings exactly.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { importAdvisories } from "../../src/vuln/db/import.ts";
import { VulnDb } from "../../src/vuln/db/schema.ts";
import { evaluateRange, matchPackages, type PackageQuery } from "../../src/vuln/match.ts";
import { VERSION_SCHEMES } from "../../src/vuln/versions/index.ts";
import {
  ALPINE_SECDB, DEBIAN_TRACKER, DSA_OPENSSL, LODASH, LOG4J_FOLLOW_UP, LOG4SHELL, REQUESTS_GHSA, REQUESTS_PYSEC, writeOsvFolder, zipWithPython,
} from "./fixtures.ts";

const work = mkdtempSync(join(tmpdir(), "drydock-match-"));
let db: VulnDb;

before(async () => {
  const maven = zipWithPython(join(work, "Maven-all.zip"), {
    "GHSA-jfh8-c2jp-5v3q.json": JSON.stringify(LOG4SHELL), "GHSA-7rjr-3q55-vv33.json": JSON.stringify(LOG4J_FOLLOW_UP),
  });
  const pypi = writeOsvFolder(join(work, "pypi"), [REQUESTS_GHSA, REQUESTS_PYSEC]);
  const npm = join(work, "lodash.json");
  writeFileSync(npm, JSON.stringify(LODASH));
  const dsa = join(work, "DSA-5103-1.json");
  writeFileSync(dsa, JSON.stringify(DSA_OPENSSL));
  const tracker = join(work, "debian.json");
  writeFileSync(tracker, JSON.stringify(DEBIAN_TRACKER));
  const alpine = join(work, "v3.15-main.json");
  writeFileSync(alpine, JSON.stringify(ALPINE_SECDB));
  const dbPath = join(work, "vuln.db");
  await importAdvisories({ dbPath, files: [maven, pypi, npm, dsa, tracker, alpine], now: new Date("2026-01-01T00:00:00Z") });
  db = VulnDb.open(dbPath);
});
after(() => {
  db.close();
  rmSync(work, { recursive: true, force: true });
});

type Row = [id: string, status: string, fixed: string | undefined, severity: string, aliases: string];

/** The findings of one package as compact rows, sorted by id. */
function findings(pkg: PackageQuery, includeNotAffected = false): Row[] {
  const result = matchPackages(db, [pkg], { includeNotAffected });
  return result.findings
    .map((f): Row => [f.id, f.status, f.fixedVersion, f.severity, f.aliases.join(",")])
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

const log4j = (version: string): PackageQuery => ({ name: "org.apache.logging.log4j:log4j-core", version, ecosystem: "Maven" });

describe("Maven: log4j-core", () => {
  test("a jar known only by its artifactId (log4j-core-2.14.1.jar) is matched under the one group advisories use", () => {
    const result = matchPackages(db, [{ name: "log4j-core", version: "2.14.1", ecosystem: "Maven" }]);
    assert.deepEqual(result.findings.map((f) => f.id).sort(), ["CVE-2021-44228", "CVE-2021-45046"]);
    assert.deepEqual(result.notes, ["Maven artifact log4j-core has no groupId; matched as org.apache.logging.log4j:log4j-core, the only group advisories name it with"]);
    // An artifactId no advisory names stays unmatched, silently; glob characters never widen the lookup.
    assert.deepEqual(matchPackages(db, [{ name: "commons-text", version: "1.9", ecosystem: "Maven" }]), { findings: [], notes: [] });
    assert.deepEqual(matchPackages(db, [{ name: "*", version: "1.0", ecosystem: "Maven" }]), { findings: [], notes: [] });
  });

  test("2.14.1 has Log4Shell, fixed in 2.15.0, and its follow-up", () => {
    assert.deepEqual(findings(log4j("2.14.1")), [
      ["CVE-2021-44228", "fixed", "2.15.0", "CRITICAL", "GHSA-jfh8-c2jp-5v3q"],
      ["CVE-2021-45046", "fixed", "2.16.0", "CRITICAL", "GHSA-7rjr-3q55-vv33"],
    ]);
  });
  test("older branches get their own branch's fix", () => {
    assert.deepEqual(findings(log4j("2.12.1")), [
      ["CVE-2021-44228", "fixed", "2.12.2", "CRITICAL", "GHSA-jfh8-c2jp-5v3q"],
      ["CVE-2021-45046", "fixed", "2.12.2", "CRITICAL", "GHSA-7rjr-3q55-vv33"],
    ]);
    assert.deepEqual(findings(log4j("2.0"))[0], ["CVE-2021-44228", "fixed", "2.3.1", "CRITICAL", "GHSA-jfh8-c2jp-5v3q"]);
  });
  test("fixed and unaffected versions have no Log4Shell finding", () => {
    assert.deepEqual(findings(log4j("2.15.0")), [["CVE-2021-45046", "fixed", "2.16.0", "CRITICAL", "GHSA-7rjr-3q55-vv33"]]);
    assert.deepEqual(findings(log4j("2.17.1")), []);
    assert.deepEqual(findings(log4j("2.12.2")), []);
    assert.deepEqual(findings(log4j("2.3.1")), [["CVE-2021-45046", "fixed", "2.12.2", "CRITICAL", "GHSA-7rjr-3q55-vv33"]]);
    assert.deepEqual(findings({ name: "log4j:log4j", version: "1.2.17", ecosystem: "Maven" }), []);
  });
  test("a pre-release before the introducing version is not affected", () => {
    assert.deepEqual(findings(log4j("2.0-beta8")).map((r) => r[0]), ["CVE-2021-45046"]);
  });
});

describe("PyPI: requests", () => {
  test("GHSA and PYSEC records of one CVE are one finding; names are PEP 503-normalised", () => {
    assert.deepEqual(findings({ name: "Requests", version: "2.28.1", ecosystem: "PyPI", purl: "pkg:pypi/requests@2.28.1" }), [
      ["CVE-2023-32681", "fixed", "2.31.0", "MEDIUM", "GHSA-j8r2-6x86-q33q,PYSEC-2023-74"],
    ]);
  });
  test("the fixed version and versions before the range are clean", () => {
    assert.deepEqual(findings({ name: "requests", version: "2.31.0", ecosystem: "PyPI" }), []);
    assert.deepEqual(findings({ name: "requests", version: "2.2.1", ecosystem: "PyPI" }), []);
  });
  test("finding details", () => {
    const f = matchPackages(db, [{ name: "requests", version: "2.30.0", ecosystem: "PyPI" }]).findings[0];
    assert.equal(f?.cvss?.vector, "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N");
    assert.equal(f?.cvss?.score, 6.1);
    assert.equal(f?.summary, "Unintended leak of Proxy-Authorization header in requests");
    assert.deepEqual(f?.sources, ["osv:PyPI:GHSA-j8r2-6x86-q33q", "osv:PyPI:PYSEC-2023-74"]);
  });
});

describe("npm: lodash", () => {
  test("4.17.20 is affected, 4.17.21 is not; other packages of the record stay apart", () => {
    assert.deepEqual(findings({ name: "lodash", version: "4.17.20", ecosystem: "npm" }), [["CVE-2021-23337", "fixed", "4.17.21", "HIGH", "GHSA-35jh-r3h4-6jhm"]]);
    assert.deepEqual(findings({ name: "lodash", version: "4.17.21", ecosystem: "npm" }), []);
    assert.deepEqual(findings({ name: "lodash-es", version: "4.17.15", ecosystem: "npm" }).map((r) => r[0]), ["CVE-2021-23337"]);
    assert.deepEqual(findings({ name: "lodash", version: "4.17.20", ecosystem: "PyPI" }), []);
  });
});

const libssl = (release: string, version: string): PackageQuery => ({
  name: "libssl1.1", version, ecosystem: "Debian", release, sourceName: "openssl", purl: `pkg:deb/debian/libssl1.1@${version}`,
});

describe("Debian: openssl by source package and release", () => {
  test("bullseye before the DSA: fixed CVE with the DSA as alias, an ignored one, severity from the tracker's urgency", () => {
    assert.deepEqual(findings(libssl("11", "1.1.1k-1+deb11u1")), [
      ["CVE-2022-0778", "fixed", "1.1.1n-0+deb11u1", "HIGH", "DSA-5103-1"],
      ["CVE-2022-1292", "fixed", "1.1.1o-1", "UNKNOWN", ""],
      ["CVE-2023-0464", "fixed", "1.1.1n-0+deb11u5", "UNKNOWN", ""],
      ["CVE-2024-0727", "wont-fix", undefined, "LOW", ""],
    ]);
  });
  test("bullseye up to date: only the issue Debian will not fix", () => {
    assert.deepEqual(findings(libssl("11", "1.1.1w-0+deb11u1")), [["CVE-2024-0727", "wont-fix", undefined, "LOW", ""]]);
  });
  test("another release's advisories do not apply", () => {
    assert.deepEqual(findings(libssl("12", "3.0.15-1~deb12u1")), []);
    assert.deepEqual(findings(libssl("12", "3.0.11-1~deb12u2")), [["CVE-2024-0727", "fixed", "3.0.13-1~deb12u1", "UNKNOWN", ""]]);
  });
  test("buster: end-of-life issues are wont-fix; the DSA for buster applies", () => {
    assert.deepEqual(findings(libssl("10", "1.1.1d-0+deb10u7")), [
      ["CVE-2022-0778", "fixed", "1.1.1d-0+deb10u8", "HIGH", "DSA-5103-1"],
      ["CVE-2023-0464", "wont-fix", undefined, "UNKNOWN", ""],
    ]);
  });
  test("not-affected statuses are reported only when asked", () => {
    assert.deepEqual(findings(libssl("12", "3.0.15-1~deb12u1"), true), [
      ["CVE-2007-6755", "not-affected", undefined, "NEGLIGIBLE", ""],
      ["CVE-2022-1292", "not-affected", undefined, "UNKNOWN", ""],
    ]);
  });
  test("the binary package name alone finds nothing: distro advisories name source packages", () => {
    assert.deepEqual(findings({ name: "libssl1.1", version: "1.1.1k-1+deb11u1", ecosystem: "Debian", release: "11" }), []);
  });
  test("a Debian package of a CVE from a language advisory gets that advisory's CVSS and id", () => {
    assert.deepEqual(findings({ name: "liblog4j2-java", sourceName: "apache-log4j2", version: "2.13.3-1", ecosystem: "Debian", release: "11" }), [
      ["CVE-2021-44228", "fixed", "2.15.0-1~deb11u1", "CRITICAL", "GHSA-jfh8-c2jp-5v3q"],
    ]);
  });
  test("the source version is compared when the binary's differs (binNMU)", () => {
    const result = matchPackages(db, [{ name: "libssl1.1", version: "1.1.1n-0+deb11u1+b1", sourceVersion: "1.1.1k-1+deb11u1", sourceName: "openssl", ecosystem: "Debian", release: "11" }]);
    assert.equal(result.findings[0]?.installedVersion, "1.1.1k-1+deb11u1");
    assert.equal(result.findings.length, 4);
  });
});

describe("Alpine: secfixes by origin and branch", () => {
  const libcrypto = (release: string, version: string): PackageQuery => ({ name: "libcrypto1.1", sourceName: "openssl", version, ecosystem: "Alpine", release });
  test("v3.15 libcrypto1.1 1.1.1l-r7 needs the 1.1.1n-r0 fix", () => {
    // Alpine gives no severity, and Debian's urgency is its own assessment for its own packages.
    assert.deepEqual(findings(libcrypto("v3.15", "1.1.1l-r7")), [["CVE-2022-0778", "fixed", "1.1.1n-r0", "UNKNOWN", ""]]);
  });
  test("fixed versions, other branches and never-affected entries are clean", () => {
    assert.deepEqual(findings(libcrypto("v3.15", "1.1.1n-r0")), []);
    assert.deepEqual(findings(libcrypto("v3.16", "1.1.1l-r7")), []);
    assert.deepEqual(findings(libcrypto("v3.15", "1.1.1t-r0"), true), [["CVE-2022-1292", "not-affected", undefined, "UNKNOWN", ""]]);
  });
  test("1.1.1k-r0 is older than two fixes", () => {
    assert.deepEqual(findings(libcrypto("v3.15", "1.1.1j-r0")).map((r) => `${r[0]} ${r[2]}`), [
      "CVE-2021-3449 1.1.1k-r0", "CVE-2021-3450 1.1.1k-r0", "CVE-2021-3711 1.1.1l-r0", "CVE-2021-3712 1.1.1l-r0", "CVE-2022-0778 1.1.1n-r0",
    ]);
  });
});

describe("OSV range evaluation", () => {
  const semver = VERSION_SCHEMES.semver;
  test("last_affected closes a range without a fix", () => {
    const events = [{ introduced: "1.0.0" }, { last_affected: "1.4.2" }];
    assert.deepEqual(evaluateRange(semver, "1.4.2", events), { affected: true, fixed: undefined });
    assert.deepEqual(evaluateRange(semver, "1.4.3", events), { affected: false, fixed: undefined });
    assert.deepEqual(evaluateRange(semver, "0.9.0", events), { affected: false, fixed: undefined });
  });
  test("limit bounds a range from above", () => {
    const events = [{ introduced: "0" }, { limit: "2.0.0" }];
    assert.equal(evaluateRange(semver, "1.9.9", events).affected, true);
    assert.equal(evaluateRange(semver, "2.0.0", events).affected, false);
    assert.equal(evaluateRange(semver, "5.0.0", [{ introduced: "0" }, { limit: "*" }]).affected, true);
  });
  test("unsorted events with two intervals", () => {
    const events = [{ fixed: "3.2.5" }, { introduced: "3.0.0" }, { fixed: "1.0.2" }, { introduced: "1.0.0" }];
    assert.deepEqual(evaluateRange(semver, "1.0.1", events), { affected: true, fixed: "1.0.2" });
    assert.deepEqual(evaluateRange(semver, "2.0.0", events), { affected: false, fixed: undefined });
    assert.deepEqual(evaluateRange(semver, "3.1.0", events), { affected: true, fixed: "3.2.5" });
    assert.deepEqual(evaluateRange(semver, "3.2.5", events), { affected: false, fixed: undefined });
  });
  test("an unparsable installed version is a note, not a crash", () => {
    const result = matchPackages(db, [{ name: "lodash", version: "not-a-version", ecosystem: "npm" }]);
    assert.deepEqual(result.findings, []);
    assert.equal(result.notes.length, 1);
    assert.match(result.notes[0] ?? "", /not-a-version/);
  });
});

test("many packages at once keep their own findings", () => {
  const pkgs: PackageQuery[] = [log4j("2.14.1"), { name: "lodash", version: "4.17.20", ecosystem: "npm" }, libssl("11", "1.1.1w-0+deb11u1")];
  const result = matchPackages(db, pkgs);
  assert.deepEqual(result.findings.map((f) => `${f.package.name} ${f.id}`), [
    "org.apache.logging.log4j:log4j-core CVE-2021-44228", "org.apache.logging.log4j:log4j-core CVE-2021-45046",
    "lodash CVE-2021-23337", "libssl1.1 CVE-2024-0727",
  ]);
  assert.equal(result.findings[0]?.package, pkgs[0], "the caller's package object comes back (locations stay attached)");
});
