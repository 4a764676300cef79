// Table tests for the schemes without a runnable reference here, from their specifications' own examples.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { compareApkVersions, isValidApkVersion } from "../../src/vuln/versions/apk.ts";
import { compareComposerVersions, normalizeComposerVersion } from "../../src/vuln/versions/composer.ts";
import { compareGemVersions, isValidGemVersion } from "../../src/vuln/versions/rubygems.ts";
import { compareGoVersions, isGoPseudoVersion, isValidGoVersion } from "../../src/vuln/versions/go.ts";
import { compareMavenVersions } from "../../src/vuln/versions/maven.ts";
import { compareNuGetVersions, isValidNuGetVersion } from "../../src/vuln/versions/nuget.ts";
import { compareSemVer } from "../../src/vuln/versions/semver.ts";
import { baseEcosystem, schemeFor } from "../../src/vuln/versions/index.ts";

/** "a < b", "a = b" or "a > b" lines, each checked both ways round. */
function orderTable(name: string, compare: (a: string, b: string) => number, rows: readonly string[]): void {
  test(name, () => {
    for (const row of rows) {
      const m = /^(\S+) ([<=>]) (\S+)$/.exec(row);
      assert.ok(m !== null, `bad row ${row}`);
      const [, a = "", op, b = ""] = m;
      const expected = op === "<" ? -1 : op === ">" ? 1 : 0;
      assert.equal(Math.sign(compare(a, b)), expected, row);
      assert.equal(Math.sign(compare(b, a)), expected === 0 ? 0 : -expected, `${row} (reversed)`);
    }
  });
}

describe("apk", () => {
  // Pairs from apk-tools' version test data and the APKBUILD pkgver rules (suffix order, -rN, leading zeros).
  orderTable("apk-tools order", compareApkVersions, [
    "2.34 > 0.1.0_alpha", "0.1.0_alpha2 > 0.1.0_alpha", "0.1.0_alpha < 2.2.39-r1", "1.0.4-r3 < 1.0.4-r4",
    "1.1 > 1.1_alpha1", "1.3_alpha2 < 1.3_alpha3", "0.8_beta1 < 0.8_beta2", "2.3.0b-r1 < 2.3.0b-r2",
    "0.12.3 > 0.12", "1.2.12.1 < 1.2.13", "3.1_p16 < 3.1_p17", "1.06-r6 < 006", "1.2.2-r1 > 1.2.2",
    "20050718-r1 < 20050718-r2", "3.9.8-r5 > 2.01.01_alpha10", "0.99.3.20040818 > 0.7", "1.0.3-r6 < 1.0.4",
    "4.2.52_p2-r1 < 4.2.52_p4-r2", "1.05-r18 < 1.05-r19", "22.7-r1 < 22.7.3-r1", "22.7 > 2.1_pre20",
    "2.1_pre20 < 2.1_pre26", "02.08.01b < 4.77", "1.6d > 1.2.07.8", "1.2.07.8 < 1.2.12.04", "0.20070118 < 0.20070207_rc1",
    "0.20070207_rc1 < 1.0", "4.5_p1-r1 > 4.5_p1", "0.9.8c-r1 < 0.9.8d", "1.7 < 1.7b", "1.8.5 < 1.8.5_p2",
    "2.9.11_pre20051101-r3 > 2.9.11_pre20051101", "1.6.8_p12-r1 > 1.6.8_p9-r2", "0.9.28-r2 < 0.9.28.1", "104-r11 > 104-r9",
    "2.12r-r4 < 2.12r-r5", "7.0.17 < 7.0.174", "1.3-r0 < 1.3.1-r0", "1.3_pre1-r1 < 1.3.2", "1.0_p10-r0 > 1.0_p9-r0",
    "0.1.0_alpha_pre2 < 0.1.0_alpha", "1.0.0_pre20191002222144-r0 < 1.0.0_pre20210530193627-r0", "1.0.0 = 1.0.0",
    "2.16.1-r3 = 2.16.1-r3", "1.0_alpha < 1.0_beta", "1.0_beta < 1.0_pre", "1.0_pre < 1.0_rc", "1.0_rc < 1.0",
    "1.0 < 1.0_cvs", "1.0_cvs < 1.0_svn", "1.0_svn < 1.0_git", "1.0_git < 1.0_hg", "1.0_hg < 1.0_p", "1.0 < 1.0-r1",
    "1.1.1n-r0 > 1.1.1l-r8", "3.1.4-r1 > 3.1.4-r0", "1.01 < 1.1",
  ]);
  test("validity", () => {
    assert.equal(isValidApkVersion("1.2.3_rc1-r0"), true);
    assert.equal(isValidApkVersion("1.0bc"), false);
    assert.equal(isValidApkVersion("abc"), false);
    // invalid versions fall back to a plain string order, as apk-tools does
    assert.equal(Math.sign(compareApkVersions("1.0", "1.0bc")), -1);
  });
});

describe("Maven", () => {
  // The POM reference's "Version Order Specification" examples.
  orderTable("POM reference order", compareMavenVersions, [
    "1 < 1.1", "1-snapshot < 1", "1 < 1-sp", "1-foo2 < 1-foo10", "1.foo = 1-foo", "1-foo < 1-1", "1-1 < 1.1",
    "1.ga = 1-ga", "1-ga = 1-0", "1-0 = 1_0", "1_0 = 1.0", "1.0 = 1", "1-sp > 1-ga", "1-sp.1 > 1-ga.1",
    "1-sp-1 < 1-ga-1", "1-a1 = 1-alpha-1", "1.0-alpha1 = 1.0-ALPHA1", "1.7 > 1.K", "5.zebra > 5.aardvark", "1.α > 1.b",
    "1.0.0 = 1", "1.final = 1", "1-alpha < 1-a1", "1-a1 < 1-beta", "1-beta < 1-b1", "1-b1 < 1-milestone",
    "1-milestone < 1-m1", "1-m1 < 1-rc", "1-rc = 1-cr", "1-rc < 1-snapshot", "1.0.0-foo.0.0 = 1-foo", "1.0.0-0.0.0 = 1",
    "2.14.1 < 2.15.0", "2.15.0-rc1 < 2.15.0", "2.0-beta9 < 2.0", "2.0-beta9 < 2.0-rc1", "2.3.1 > 2.3", "2.12.2 > 2.12.1",
    "1.0-SNAPSHOT < 1.0", "1.0.RELEASE = 1.0", "3.2.18.RELEASE < 3.2.19.RELEASE",
  ]);
});

describe("RubyGems", () => {
  orderTable("Gem::Version order", compareGemVersions, [
    "1.0 = 1", "1.0.0 = 1", "1.0.a < 1.0", "1.0.a < 1.0.b", "1.0.a1 < 1.0.a2", "1.0.a10 > 1.0.a9", "1.0.rc1 < 1.0",
    "1.0.pre < 1.0.rc", "1.9.3 < 1.10", "2.0.0.beta1 < 2.0.0", "1.0-1 = 1.0.pre.1", "1.2.3 < 1.2.3.1", "0.9 < 1.0.a",
    "5.2.4.3 < 5.2.4.4", "6.0.0.rc2 < 6.0.0", "1.a = 1.0.a", "1.0.a.1 = 1.0.a1",
  ]);
  test("validity", () => {
    assert.equal(isValidGemVersion("1.2.3.rc1"), true);
    assert.equal(isValidGemVersion("1.2..3"), false);
    assert.equal(isValidGemVersion("junk"), false);
  });
});

describe("Go", () => {
  orderTable("module versions", compareGoVersions, [
    "v1.2.3 < v1.2.4", "1.2.3 = v1.2.3", "v1.2 = v1.2.0", "v1 = v1.0.0", "v2.0.0+incompatible = v2.0.0",
    "v1.2.3 < v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4-0.20191109021931-daa7c04131f5 < v1.2.4",
    "v0.0.0-20191109021931-daa7c04131f5 < v0.1.0", "v0.0.0-20191109021931-daa7c04131f5 < v0.0.0-20200101000000-aaaaaaaaaaaa",
    "v1.2.4-pre.0.20191109021931-daa7c04131f5 > v1.2.4-pre", "v1.2.4-pre.0.20191109021931-daa7c04131f5 < v1.2.4",
    "v1.0.0-rc.1 < v1.0.0", "v1.0.0-alpha < v1.0.0-alpha.1", "go1.21.5 = 1.21.5", "go1.21rc2 < go1.21.0", "go1.21 = 1.21.0",
    "go1.20.12 < go1.21.0",
  ]);
  test("pseudo-versions and validity", () => {
    assert.equal(isGoPseudoVersion("v0.0.0-20191109021931-daa7c04131f5"), true);
    assert.equal(isGoPseudoVersion("v1.2.4-0.20191109021931-daa7c04131f5"), true);
    assert.equal(isGoPseudoVersion("v1.2.4-pre.0.20191109021931-daa7c04131f5+incompatible"), true);
    assert.equal(isGoPseudoVersion("v1.2.4"), false);
    assert.equal(isValidGoVersion("v1.02.3"), false);
    assert.equal(isValidGoVersion("v1.2-pre"), false);
  });
});

describe("Cargo (SemVer 2.0)", () => {
  // SemVer 2.0.0 §11's examples, build metadata ignored.
  orderTable("precedence", (a, b) => compareSemVer(a, b, "strict"), [
    "1.0.0 < 2.0.0", "2.0.0 < 2.1.0", "2.1.0 < 2.1.1", "1.0.0-alpha < 1.0.0-alpha.1", "1.0.0-alpha.1 < 1.0.0-alpha.beta",
    "1.0.0-alpha.beta < 1.0.0-beta", "1.0.0-beta < 1.0.0-beta.2", "1.0.0-beta.2 < 1.0.0-beta.11", "1.0.0-beta.11 < 1.0.0-rc.1",
    "1.0.0-rc.1 < 1.0.0", "1.0.0+build.1 = 1.0.0", "0.7.0 < 0.10.0",
  ]);
  test("strict syntax", () => {
    assert.throws(() => compareSemVer("v1.0.0", "1.0.0", "strict"), { code: "VERSION_INVALID" });
    assert.throws(() => compareSemVer("1.0", "1.0.0", "strict"), { code: "VERSION_INVALID" });
  });
});

describe("Composer", () => {
  orderTable("normalised version_compare order", compareComposerVersions, [
    "1.0.0 = v1.0.0", "1.0 = 1.0.0.0", "1.0.0-dev < 1.0.0-alpha1", "1.0.0-alpha1 < 1.0.0-beta1", "1.0.0-beta1 < 1.0.0-RC1",
    "1.0.0-RC1 < 1.0.0", "1.0.0 < 1.0.0-patch1", "1.0.0-b2 = 1.0.0-beta2", "1.0.0-rc2 = 1.0.0-RC2", "5.4.1 < 5.4.10",
    "2.0.0-beta.2 = 2.0.0-beta2", "1.0.0-alpha2 > 1.0.0-alpha1", "1.0.0-pl1 = 1.0.0-patch1", "4.4.0 > 4.3.99",
  ]);
  test("normal forms", () => {
    assert.equal(normalizeComposerVersion("v1.2.3"), "1.2.3.0");
    assert.equal(normalizeComposerVersion("1.0-RC1"), "1.0.0.0-RC1");
    assert.equal(normalizeComposerVersion("2.1.0-beta.2"), "2.1.0.0-beta2");
    assert.equal(normalizeComposerVersion("dev-main"), undefined);
  });
});

describe("NuGet", () => {
  orderTable("NuGet order", compareNuGetVersions, [
    "1.0 = 1.0.0", "1.0.0 = 1.0.0.0", "1.0.0.1 > 1.0.0", "1.0.0-beta < 1.0.0", "1.0.0-Beta = 1.0.0-beta",
    "1.0.0-alpha.2 < 1.0.0-alpha.10", "1.0.0-1 < 1.0.0-alpha", "1.0.0+abc = 1.0.0", "01.2.3 = 1.2.3", "4.7.2 < 13.0.1",
    "6.0.0-preview.1 < 6.0.0-rc.1",
  ]);
  test("validity", () => {
    assert.equal(isValidNuGetVersion("1.2.3.4-rc.1+meta"), true);
    assert.equal(isValidNuGetVersion("1.2.3.4.5"), false);
  });
});

test("ecosystems map to schemes", () => {
  assert.equal(baseEcosystem("Debian:12"), "Debian");
  assert.equal(baseEcosystem("Ubuntu:Pro:18.04:LTS"), "Ubuntu");
  assert.equal(schemeFor("Debian:12")?.name, "dpkg");
  assert.equal(schemeFor("Alpine:v3.19")?.name, "apk");
  assert.equal(schemeFor("Rocky Linux:9")?.name, "rpm");
  assert.equal(schemeFor("PyPI")?.name, "pep440");
  assert.equal(schemeFor("Maven")?.name, "maven");
  assert.equal(schemeFor("crates.io", "SEMVER")?.name, "semver");
  assert.equal(schemeFor("Go", "SEMVER")?.name, "go");
  assert.equal(schemeFor("npm", "SEMVER")?.name, "npm");
  assert.equal(schemeFor("GIT-only", "GIT"), undefined);
  assert.equal(schemeFor("Linux"), undefined);
});
