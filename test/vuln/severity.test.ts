// CVSS base scores against the values FIRST's calculators and NVD publish for well-known vectors; ratings;
// distro releases from os-release.
import assert from "node:assert/strict";
import { test } from "node:test";
import { distroRelease, splitEcosystem } from "../../src/vuln/distro.ts";
import { packageKey } from "../../src/vuln/names.ts";
import { cvss2BaseScore, cvss3BaseScore, severityFromText, severityOfScore } from "../../src/vuln/severity.ts";

test("CVSS 3.x base scores", () => {
  const cases: [string, number][] = [
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0], // Log4Shell
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8],
    ["CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H", 9.0], // CVE-2021-45046
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5], // CVE-2022-0778
    ["CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", 7.2], // CVE-2021-23337
    ["CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8],
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1],
    ["CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N", 6.1], // CVE-2023-32681
    ["CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9],
    ["CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6],
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0],
    ["CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8],
  ];
  for (const [vector, score] of cases) assert.equal(cvss3BaseScore(vector), score, vector);
  assert.equal(cvss3BaseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H"), undefined, "scope missing");
  assert.equal(cvss3BaseScore("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), undefined);
});

test("CVSS 2.0 base scores", () => {
  assert.equal(cvss2BaseScore("AV:N/AC:L/Au:N/C:P/I:P/A:P"), 7.5);
  assert.equal(cvss2BaseScore("AV:N/AC:M/Au:N/C:N/I:P/A:N"), 4.3);
  assert.equal(cvss2BaseScore("AV:N/AC:L/Au:N/C:C/I:C/A:C"), 10.0);
  assert.equal(cvss2BaseScore("(AV:L/AC:L/Au:N/C:N/I:N/A:N)"), 0);
});

test("ratings", () => {
  assert.equal(severityOfScore(10, "3.1"), "CRITICAL");
  assert.equal(severityOfScore(7.0, "3.1"), "HIGH");
  assert.equal(severityOfScore(6.9, "3.1"), "MEDIUM");
  assert.equal(severityOfScore(0.1, "3.1"), "LOW");
  assert.equal(severityOfScore(10, "2.0"), "HIGH");
  assert.equal(severityFromText("MODERATE"), "MEDIUM");
  assert.equal(severityFromText("low**"), "LOW");
  assert.equal(severityFromText("unimportant"), "NEGLIGIBLE");
  assert.equal(severityFromText("not yet assigned"), undefined);
});

test("distribution releases from os-release", () => {
  assert.deepEqual(distroRelease({ ID: "debian", VERSION_ID: "12", VERSION_CODENAME: "bookworm" }), { ecosystem: "Debian", release: "12" });
  assert.deepEqual(distroRelease({ ID: "debian", VERSION_CODENAME: "trixie" }), { ecosystem: "Debian", release: "13" });
  assert.deepEqual(distroRelease({ ID: "debian" }), { ecosystem: "Debian", release: "sid" });
  assert.deepEqual(distroRelease({ ID: "alpine", VERSION_ID: "3.19.1" }), { ecosystem: "Alpine", release: "v3.19" });
  assert.deepEqual(distroRelease({ ID: "ubuntu", VERSION_ID: "22.04" }), { ecosystem: "Ubuntu", release: "22.04" });
  assert.equal(distroRelease({ ID: "arch" }), undefined);
  assert.deepEqual(splitEcosystem("Ubuntu:22.04:LTS"), { ecosystem: "Ubuntu", release: "22.04" });
  assert.deepEqual(splitEcosystem("Ubuntu:Pro:18.04:LTS"), { ecosystem: "Ubuntu", release: "18.04+pro" });
  assert.deepEqual(splitEcosystem("Maven:https://maven.google.com"), { ecosystem: "Maven", release: "" });
  assert.deepEqual(splitEcosystem("Alpine:v3.19"), { ecosystem: "Alpine", release: "v3.19" });
});

test("package names are keyed as each database spells them", () => {
  assert.equal(packageKey("PyPI", "Zope.Interface"), "zope-interface");
  assert.equal(packageKey("PyPI", "typing__extensions"), "typing-extensions");
  assert.equal(packageKey("npm", "@Babel/Core"), "@Babel/Core");
  assert.equal(packageKey("NuGet", "Newtonsoft.Json"), "newtonsoft.json");
  assert.equal(packageKey("Maven", "org.apache.logging.log4j/log4j-core"), "org.apache.logging.log4j:log4j-core");
});
