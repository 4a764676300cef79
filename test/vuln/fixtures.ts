// Advisory files for the tests, modelled on real, well-known advisories (ids, packages, versions and CVSS
// vectors as published by GitHub, PyPA, Debian and Alpine), written in the formats drydock imports.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const LOG4SHELL = {
  schema_version: "1.4.0",
  id: "GHSA-jfh8-c2jp-5v3q",
  modified: "2024-07-25T21:29:46Z",
  published: "2021-12-10T00:40:56Z",
  aliases: ["CVE-2021-44228"],
  summary: "Remote code injection in Log4j",
  details: "Logging untrusted data with log4j versions 2.0-beta9 through 2.14.1 can result in remote code execution.",
  severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H" }],
  affected: [
    { package: { ecosystem: "Maven", name: "org.apache.logging.log4j:log4j-core", purl: "pkg:maven/org.apache.logging.log4j/log4j-core" },
      ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "2.13.0" }, { fixed: "2.15.0" }] }] },
    { package: { ecosystem: "Maven", name: "org.apache.logging.log4j:log4j-core" },
      ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "2.4" }, { fixed: "2.12.2" }] }] },
    { package: { ecosystem: "Maven", name: "org.apache.logging.log4j:log4j-core" },
      ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "2.0-beta9" }, { fixed: "2.3.1" }] }] },
    { package: { ecosystem: "Maven", name: "org.ops4j.pax.logging:pax-logging-log4j2" },
      ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "1.11.0" }, { fixed: "1.11.10" }] }] },
  ],
  database_specific: { cwe_ids: ["CWE-20", "CWE-400", "CWE-502", "CWE-917"], severity: "CRITICAL", github_reviewed: true },
};

export const LOG4J_FOLLOW_UP = {
  schema_version: "1.4.0",
  id: "GHSA-7rjr-3q55-vv33",
  modified: "2024-06-21T21:03:06Z",
  published: "2021-12-14T18:01:28Z",
  aliases: ["CVE-2021-45046"],
  summary: "Incomplete fix for Apache Log4j vulnerability",
  severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H" }],
  affected: [
    { package: { ecosystem: "Maven", name: "org.apache.logging.log4j:log4j-core" },
      ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "2.13.0" }, { fixed: "2.16.0" }] }] },
    { package: { ecosystem: "Maven", name: "org.apache.logging.log4j:log4j-core" },
      ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "2.12.2" }] }] },
  ],
  database_specific: { severity: "CRITICAL" },
};

export const REQUESTS_GHSA = {
  schema_version: "1.4.0",
  id: "GHSA-j8r2-6x86-q33q",
  modified: "2024-09-10T15:36:21Z",
  published: "2023-05-22T20:36:32Z",
  aliases: ["CVE-2023-32681"],
  summary: "Unintended leak of Proxy-Authorization header in requests",
  severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N" }],
  affected: [{ package: { ecosystem: "PyPI", name: "requests", purl: "pkg:pypi/requests" },
    ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "2.3.0" }, { fixed: "2.31.0" }] }] }],
  database_specific: { severity: "MODERATE" },
};

export const REQUESTS_PYSEC = {
  id: "PYSEC-2023-74",
  modified: "2023-06-05T01:13:00Z",
  published: "2023-05-26T18:15:00Z",
  aliases: ["CVE-2023-32681", "GHSA-j8r2-6x86-q33q"],
  details: "Requests is a HTTP library. Since Requests 2.3.0, Requests has been leaking Proxy-Authorization headers to destination servers when redirected to an HTTPS endpoint.",
  affected: [{ package: { ecosystem: "PyPI", name: "requests" },
    ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "2.3.0" }, { fixed: "2.31.0" }] }],
    versions: ["2.3.0", "2.4.0", "2.28.1", "2.28.2", "2.29.0", "2.30.0"] }],
};

export const LODASH = {
  schema_version: "1.4.0",
  id: "GHSA-35jh-r3h4-6jhm",
  modified: "2024-03-20T18:19:35Z",
  published: "2021-05-06T16:05:51Z",
  aliases: ["CVE-2021-23337"],
  summary: "Command Injection in lodash",
  severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H" }],
  affected: [
    { package: { ecosystem: "npm", name: "lodash" }, ranges: [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "4.17.21" }] }] },
    { package: { ecosystem: "npm", name: "lodash-es" }, ranges: [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "4.17.21" }] }] },
  ],
  database_specific: { severity: "HIGH" },
};

/** Debian's OSV export of the openssl DSA: per release, fixed version, and the CVE it fixes as `upstream`. */
export const DSA_OPENSSL = {
  schema_version: "1.7.0",
  id: "DSA-5103-1",
  modified: "2025-01-14T10:00:00Z",
  published: "2022-03-15T00:00:00Z",
  upstream: ["CVE-2022-0778"],
  summary: "openssl - security update",
  affected: [
    { package: { ecosystem: "Debian:11", name: "openssl" }, ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "1.1.1n-0+deb11u1" }] }] },
    { package: { ecosystem: "Debian:10", name: "openssl" }, ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "1.1.1d-0+deb10u8" }] }] },
  ],
};

/** The Debian security tracker's JSON for a few openssl and apache-log4j2 issues. */
export const DEBIAN_TRACKER = {
  openssl: {
    "CVE-2022-0778": {
      description: "The BN_mod_sqrt() function, which computes a modular square root, contains a bug that can cause it to loop forever for non-prime moduli.",
      scope: "remote",
      debianbug: 1007591,
      releases: {
        bookworm: { status: "resolved", repositories: { bookworm: "3.0.15-1~deb12u1" }, fixed_version: "1.1.1n-1", urgency: "not yet assigned" },
        bullseye: { status: "resolved", repositories: { bullseye: "1.1.1w-0+deb11u1" }, fixed_version: "1.1.1n-0+deb11u1", urgency: "high" },
        buster: { status: "resolved", repositories: { buster: "1.1.1n-0+deb10u3" }, fixed_version: "1.1.1d-0+deb10u8", urgency: "high" },
        sid: { status: "resolved", repositories: { sid: "3.3.0-1" }, fixed_version: "1.1.1n-1", urgency: "not yet assigned" },
      },
    },
    "CVE-2007-6755": {
      description: "The NIST SP 800-90A default statement of the Dual Elliptic Curve Deterministic Random Bit Generation (Dual_EC_DRBG) algorithm contains point Q constants with a possible relationship to certain \"skeleton key\" values.",
      scope: "remote",
      releases: {
        bookworm: { status: "open", repositories: { bookworm: "3.0.15-1~deb12u1" }, urgency: "unimportant" },
        bullseye: { status: "open", repositories: { bullseye: "1.1.1w-0+deb11u1" }, urgency: "unimportant" },
      },
    },
    "CVE-2023-0464": {
      description: "A security vulnerability has been identified in all supported versions of OpenSSL related to the verification of X.509 certificate chains that include policy constraints.",
      scope: "remote",
      releases: {
        bookworm: { status: "resolved", repositories: { bookworm: "3.0.15-1~deb12u1" }, fixed_version: "3.0.8-1", urgency: "not yet assigned" },
        bullseye: { status: "resolved", repositories: { bullseye: "1.1.1w-0+deb11u1" }, fixed_version: "1.1.1n-0+deb11u5", urgency: "not yet assigned" },
        buster: { status: "open", repositories: { buster: "1.1.1n-0+deb10u3" }, urgency: "end-of-life" },
      },
    },
    "CVE-2024-0727": {
      description: "Processing a maliciously formatted PKCS12 file may lead OpenSSL to crash leading to a potential Denial of Service attack",
      scope: "local",
      releases: {
        bookworm: { status: "resolved", repositories: { bookworm: "3.0.15-1~deb12u1" }, fixed_version: "3.0.13-1~deb12u1", urgency: "not yet assigned" },
        bullseye: { status: "open", repositories: { bullseye: "1.1.1w-0+deb11u1" }, urgency: "low", nodsa: "Minor issue", nodsa_reason: "ignored" },
      },
    },
    "CVE-2022-1292": {
      description: "The c_rehash script does not properly sanitise shell metacharacters to prevent command injection.",
      scope: "local",
      releases: {
        bookworm: { status: "resolved", repositories: { bookworm: "3.0.15-1~deb12u1" }, fixed_version: "0", urgency: "not yet assigned" },
        bullseye: { status: "resolved", repositories: { bullseye: "1.1.1w-0+deb11u1" }, fixed_version: "1.1.1o-1", urgency: "not yet assigned" },
      },
    },
  },
  "apache-log4j2": {
    "CVE-2021-44228": {
      description: "Apache Log4j2 2.0-beta9 through 2.15.0 (excluding security releases 2.12.2, 2.12.3, and 2.3.1) JNDI features used in configuration, log messages, and parameters do not protect against an attacker controlled LDAP and other JNDI related endpoints.",
      scope: "remote",
      releases: {
        bullseye: { status: "resolved", repositories: { bullseye: "2.17.1-1~deb11u1" }, fixed_version: "2.15.0-1~deb11u1", urgency: "not yet assigned" },
        bookworm: { status: "resolved", repositories: { bookworm: "2.19.0-2" }, fixed_version: "2.15.0-1", urgency: "not yet assigned" },
      },
    },
  },
};

/** Alpine's secdb for v3.15/main, openssl's secfixes. */
export const ALPINE_SECDB = {
  apkurl: "{{urlprefix}}/{{distroversion}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk",
  archs: ["aarch64", "armhf", "armv7", "ppc64le", "s390x", "x86", "x86_64"],
  reponame: "main",
  urlprefix: "https://dl-cdn.alpinelinux.org/alpine",
  distroversion: "v3.15",
  packages: [
    { pkg: { name: "openssl", secfixes: {
      "1.1.1n-r0": ["CVE-2022-0778"],
      "1.1.1l-r0": ["CVE-2021-3711", "CVE-2021-3712"],
      "1.1.1k-r0": ["CVE-2021-3449", "CVE-2021-3450"],
      "0": ["CVE-2022-1292"],
    } } },
    { pkg: { name: "busybox", secfixes: { "1.34.1-r5": ["CVE-2022-28391"] } } },
  ],
};

/** Writes each record as <id>.json into dir (created). */
export function writeOsvFolder(dir: string, records: readonly { id: string }[]): string {
  mkdirSync(dir, { recursive: true });
  for (const r of records) writeFileSync(join(dir, `${r.id}.json`), JSON.stringify(r, null, 2));
  return dir;
}

/** Zips the given files (name → content) with Python's zipfile (an independent zip writer), deflated unless stored. */
export function zipWithPython(zipPath: string, files: Readonly<Record<string, string | Buffer>>, options: { stored?: boolean } = {}): string {
  const script = `import sys, json, base64, zipfile
files = json.load(sys.stdin)
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_STORED if sys.argv[2] == "1" else zipfile.ZIP_DEFLATED, allowZip64=True) as z:
    for name, data in files:
        z.writestr(name, base64.b64decode(data))`;
  const input = JSON.stringify(Object.entries(files).map(([name, data]) => [name, Buffer.from(data).toString("base64")]));
  execFileSync("/usr/bin/python3", ["-c", script, zipPath, options.stored === true ? "1" : "0"], { input, maxBuffer: 1 << 26 });
  return zipPath;
}
