// `drydock scan`, run in-process through commander with a captured Io, on SBOM files and directories, against a
// real database imported from fixture advisories.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runMain, type MainResult } from "../helpers/main.ts";
import type { ScanReport } from "../../src/scan/scan.ts";
import { buildScanDb } from "../scan/fixtures.ts";

const work = mkdtempSync(join(tmpdir(), "drydock-scancli-"));
let db = "";
before(async () => {
  db = await buildScanDb(join(work, "db"));
});
after(() => rmSync(work, { recursive: true, force: true }));


/** Runs `drydock scan <args>` in dir through the real main(). */
function drydock(args: readonly string[], dir = work, env: Record<string, string> = {}): Promise<MainResult> {
  return runMain(["scan", ...args], { cwd: dir, env });
}

function write(path: string, content: string): string {
  const full = join(work, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
  return full;
}

/** A CycloneDX document as other tools write it (syft-like): a jar's log4j-core, lodash, and Debian 12's libssl3. */
const SBOM = {
  bomFormat: "CycloneDX",
  specVersion: "1.5",
  version: 1,
  metadata: { component: { type: "container", name: "registry.example.com/app", version: "sha256:1234" } },
  components: [
    { type: "library", group: "org.apache.logging.log4j", name: "log4j-core", version: "2.14.1", purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1" },
    { type: "library", name: "lodash", version: "4.17.20", purl: "pkg:npm/lodash@4.17.20" },
    { type: "library", name: "libssl3", version: "3.0.11-1~deb12u1", purl: "pkg:deb/debian/libssl3@3.0.11-1~deb12u1?arch=amd64&upstream=openssl&distro=debian-12" },
  ],
};

const VEX = {
  "@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/1", author: "Example", timestamp: "2026-01-01T00:00:00Z", version: 1,
  statements: [{ vulnerability: { name: "CVE-2021-44228" }, products: [{ "@id": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1" }], status: "not_affected", justification: "vulnerable_code_not_in_execute_path" }],
};

const ids = (run: MainResult): string[] => (JSON.parse(run.stdout) as ScanReport).vulnerabilities.map((v) => v.id);

describe("scan an SBOM", () => {
  test("JSON report, exit 1 for vulnerabilities, a stale-database warning on stderr", async () => {
    write("app.cdx.json", JSON.stringify(SBOM));
    const run = await drydock(["app.cdx.json", "--db", db, "--format", "json"]);
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(ids(run), ["CVE-2021-44228", "CVE-2021-45046", "CVE-2021-23337", "CVE-2023-5363", "CVE-2024-0727"]);
    const report = JSON.parse(run.stdout) as ScanReport;
    assert.equal(report.target.kind, "sbom");
    assert.equal(report.vulnerabilities[3]?.fixedVersion, "3.0.11-1~deb12u2");
    assert.match(run.stderr, /warning: database source osv:Maven is \d+ days old \(more than 7\); run `drydock db update`/);
  });

  test("--exit-code 0 never fails; --fail-on counts only severe enough findings; --max-age quiets the warning", async () => {
    assert.equal((await drydock(["app.cdx.json", "--db", db, "--format", "json", "--exit-code", "0"])).code, 0);
    assert.equal((await drydock(["app.cdx.json", "--db", db, "--format", "json", "--exit-code", "4", "--fail-on", "critical"])).code, 4);
    const lodashOnly = await drydock(["app.cdx.json", "--db", db, "--format", "json", "--severity", "HIGH", "--fail-on", "CRITICAL", "--max-age", "100000"]);
    assert.deepEqual(ids(lodashOnly), ["CVE-2021-23337"]);
    assert.equal(lodashOnly.code, 0);
    assert.equal(lodashOnly.stderr, "");
  });

  test("--severity lists and --ignore-unfixed", async () => {
    const run = await drydock(["app.cdx.json", "--db", db, "-f", "json", "--severity", "critical,high", "--severity", "UNKNOWN", "--ignore-unfixed"]);
    assert.deepEqual(ids(run), ["CVE-2021-44228", "CVE-2021-45046", "CVE-2021-23337", "CVE-2023-5363", "CVE-2024-0727"]);
    assert.deepEqual(ids(await drydock(["app.cdx.json", "--db", db, "-f", "json", "--severity", "MEDIUM"])), []);
  });

  test("--vex suppresses a not_affected finding and lists it as ignored", async () => {
    write("app.vex.json", JSON.stringify(VEX));
    const run = await drydock(["app.cdx.json", "--db", db, "-f", "json", "--vex", "app.vex.json"]);
    const report = JSON.parse(run.stdout) as ScanReport;
    assert.ok(!report.vulnerabilities.some((v) => v.id === "CVE-2021-44228"));
    assert.deepEqual(report.ignored.map((v) => [v.id, v.ignoredBy.kind === "vex" ? v.ignoredBy.justification : ""]), [["CVE-2021-44228", "vulnerable_code_not_in_execute_path"]]);
  });

  test("table output (the default) and SARIF written atomically with -o", async () => {
    const table = await drydock(["app.cdx.json", "--db", db, "--max-age", "100000"]);
    assert.match(table.stdout, /^app\.cdx\.json \(debian 12\): 3 packages, 5 vulnerabilities \(CRITICAL: 2, HIGH: 1, UNKNOWN: 2\)\n\nSEVERITY +ID +PACKAGE/);
    assert.match(table.stdout, /\nCRITICAL  CVE-2021-44228  org\.apache\.logging\.log4j:log4j-core  2\.14\.1 +2\.15\.0 +fixed   -\n/);
    const out = join(work, "out", "scan.sarif");
    mkdirSync(dirname(out), { recursive: true });
    const sarif = await drydock(["app.cdx.json", "--db", db, "-f", "sarif", "-o", "out/scan.sarif"]);
    assert.equal(sarif.stdout, "");
    assert.equal(sarif.code, 1);
    const log = JSON.parse(readFileSync(out, "utf8")) as { runs: { results: { ruleId: string }[] }[] };
    assert.equal(log.runs[0]?.results.length, 5);
  });

  test("sbom: forces reading a file as an SBOM; a broken one is exit 2 naming it", async () => {
    write("not-json.txt", "hello");
    const run = await drydock(["sbom:not-json.txt", "--db", db]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /not-json\.txt: .*\[SBOM_INVALID\]/);
  });
});

describe("config ignores", () => {
  test("drydock.yaml ignores with reasons; an expired one is a note and reported again", async () => {
    const dir = join(work, "project-a");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "app.cdx.json"), JSON.stringify(SBOM));
    writeFileSync(join(dir, "drydock.yaml"), [
      "scan:",
      "  ignore:",
      "    - id: GHSA-35jh-r3h4-6jhm",
      "      package: pkg:npm/lodash",
      "      reason: lodash.template is never called with user input",
      "      until: 2999-12-31",
      "    - id: CVE-2024-0727",
      "      reason: no PKCS12 files are read",
      "      until: 2020-01-01",
      "  failOn: HIGH",
      "",
    ].join("\n"));
    const run = await drydock(["app.cdx.json", "--db", db, "-f", "json"], dir);
    const report = JSON.parse(run.stdout) as ScanReport;
    assert.deepEqual(report.ignored.map((v) => v.id), ["CVE-2021-23337"]);
    assert.ok(report.vulnerabilities.some((v) => v.id === "CVE-2024-0727"));
    assert.match(run.stderr, /note: .*drydock\.yaml:7: the ignore of CVE-2024-0727 expired on 2020-01-01; it is reported again/);
    assert.equal(run.code, 1, "log4j's CRITICAL findings fail at failOn HIGH");
  });

  test("an ignore without a reason is a config error, exit 2", async () => {
    const dir = join(work, "project-b");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "drydock.yaml"), "scan:\n  ignore:\n    - id: CVE-2021-44228\n");
    const run = await drydock([join(work, "app.cdx.json"), "--db", db], dir);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /needs a reason.*\[CONFIG_INVALID\]/);
  });
});

describe("input errors exit 2", () => {
  test("no database: says how to build one", async () => {
    const run = await drydock(["app.cdx.json", "--db", join(work, "missing.db")]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /drydock db import .*drydock db update.*\[DB_NOT_FOUND\]/);
  });

  test("a malformed VEX document, named", async () => {
    write("bad.vex.json", JSON.stringify({ ...VEX, statements: [{ ...VEX.statements[0], status: "fine" }] }));
    const run = await drydock(["app.cdx.json", "--db", db, "--vex", "bad.vex.json"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /bad\.vex\.json: statements\[0\]\.status must be one of .*\[VEX_INVALID\]/);
    const missing = await drydock(["app.cdx.json", "--db", db, "--vex", "nope.json"]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.json: cannot be read \(no such file\) \[INPUT_UNREADABLE\]/);
  });

  test("bad flags", async () => {
    assert.match((await drydock(["app.cdx.json", "--db", db, "--severity", "SEVERE"])).stderr, /--severity expects .*\[USAGE\]/);
    assert.match((await drydock(["app.cdx.json", "--db", db, "--fail-on", "x"])).stderr, /--fail-on expects .*\[USAGE\]/);
    assert.match((await drydock(["app.cdx.json", "--db", db, "--exit-code", "-1"])).stderr, /--exit-code expects .*\[USAGE\]/);
    assert.equal((await drydock(["app.cdx.json", "--db", db, "--format", "xml"])).code, 2);
    assert.equal(existsSync(join(work, "out", "scan.sarif.tmp")), false);
  });
});

describe("scan a directory", () => {
  test("a root file system with Debian 12's libssl3 and a project's lodash", async () => {
    const root = join(work, "rootfs");
    mkdirSync(join(root, "etc"), { recursive: true });
    mkdirSync(join(root, "var/lib/dpkg"), { recursive: true });
    mkdirSync(join(root, "app/node_modules/lodash"), { recursive: true });
    writeFileSync(join(root, "etc/os-release"), 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n');
    writeFileSync(join(root, "var/lib/dpkg/status"), [
      "Package: libssl3", "Status: install ok installed", "Priority: optional", "Section: libs", "Installed-Size: 6156",
      "Maintainer: Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>", "Architecture: amd64", "Multi-Arch: same",
      "Source: openssl", "Version: 3.0.11-1~deb12u1", "Depends: libc6 (>= 2.34)", "Description: Secure Sockets Layer toolkit - shared libraries", "",
    ].join("\n"));
    writeFileSync(join(root, "app/node_modules/lodash/package.json"), JSON.stringify({ name: "lodash", version: "4.17.20", license: "MIT" }));
    const run = await drydock(["dir:rootfs", "--db", db, "-f", "json"]);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as ScanReport;
    assert.equal(report.target.kind, "rootfs");
    assert.deepEqual(report.vulnerabilities.map((v) => `${v.id} ${v.package.name} ${v.location.path}`), [
      "CVE-2021-23337 lodash app/node_modules/lodash/package.json",
      "CVE-2023-5363 libssl3 var/lib/dpkg/status",
      "CVE-2024-0727 libssl3 var/lib/dpkg/status",
    ]);
  });
});
