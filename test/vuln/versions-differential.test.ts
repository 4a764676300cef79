// Differential tests: each comparator against the real implementation, on 10,000+ generated pairs, one oracle
// process per scheme. dpkg: libdpkg's own parseversion/dpkg_version_compare (what `dpkg --compare-versions`
// runs), compiled into a small filter, and a sample through the dpkg binary itself; rpm: rpm.vercmp in rpm's
// Lua; PEP 440: Python's packaging.version; npm: the semver package.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { compareDebianVersions, parseDebianVersion } from "../../src/vuln/versions/dpkg.ts";
import { compareRpmVersions } from "../../src/vuln/versions/rpm.ts";
import { comparePep440Versions, isValidPep440Version } from "../../src/vuln/versions/pep440.ts";
import { compareSemVer, parseSemVer } from "../../src/vuln/versions/semver.ts";
import {
  debianVersion, editDebianVersion, editNpmVersion, editPep440Version, editRpmVersion, npmVersion, pairs, pep440Version, rpmVersion,
} from "./version-pairs.ts";

/** At least this many pairs per scheme must be ordered by the oracle (pairs it rejects come on top). */
const ORDERED_PAIRS = 10_000;
const work = mkdtempSync(join(tmpdir(), "drydock-versions-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** "-1" | "0" | "1" for a comparison, "E" for a string the implementation rejects. */
type Verdict = string;

function ours(compare: (a: string, b: string) => number, valid: (v: string) => boolean, a: string, b: string): Verdict {
  if (!valid(a) || !valid(b)) return "E";
  return String(Math.sign(compare(a, b)));
}

function assertAgreement(list: readonly [string, string][], theirs: readonly Verdict[], mine: (a: string, b: string) => Verdict, oracle: string): void {
  assert.equal(theirs.length, list.length, `${oracle} answered ${theirs.length} of ${list.length} pairs`);
  const mismatches: string[] = [];
  list.forEach(([a, b], i) => {
    const expected = theirs[i];
    const actual = mine(a, b);
    if (expected !== actual) mismatches.push(`${JSON.stringify(a)} vs ${JSON.stringify(b)}: ${oracle} ${expected}, drydock ${actual}`);
  });
  assert.deepEqual(mismatches.slice(0, 20), [], `${mismatches.length} of ${list.length} pairs disagree`);
  if (list.length >= ORDERED_PAIRS) {
    const ordered = theirs.filter((v) => v !== "E").length;
    assert.ok(ordered >= ORDERED_PAIRS, `only ${ordered} pairs were valid versions for ${oracle}`);
  }
}

function lines(text: string): string[] {
  return text.split("\n").filter((l) => l !== "");
}

describe("dpkg order against libdpkg", () => {
  const list = pairs(11_000, 1, debianVersion, editDebianVersion).filter(([a, b]) => !a.includes("\n") && !b.includes("\n"));
  const mine = (a: string, b: string): Verdict => ours(compareDebianVersions, (v) => parseDebianVersion(v) !== undefined, a, b);

  test(`${list.length} pairs agree with dpkg_version_compare`, () => {
    const source = join(work, "dpkg-order.c");
    const binary = join(work, "dpkg-order");
    // Warnings (odd characters, no leading digit) do not stop dpkg --compare-versions; errors do.
    writeFileSync(source, `#define LIBDPKG_VOLATILE_API 1
#include <stdio.h>
#include <string.h>
#include <dpkg/dpkg.h>
#include <dpkg/dpkg-db.h>
#include <dpkg/version.h>
static int parse(struct dpkg_version *v, const char *s) {
  struct dpkg_error err = DPKG_ERROR_INIT;
  if (parseversion(v, s, &err) < 0 && err.type == DPKG_MSG_ERROR) return -1;
  return 0;
}
int main(void) {
  static char a[8192], b[8192];
  struct dpkg_version va, vb;
  while (fgets(a, sizeof a, stdin) && fgets(b, sizeof b, stdin)) {
    a[strcspn(a, "\\n")] = 0; b[strcspn(b, "\\n")] = 0;
    if (parse(&va, a) < 0 || parse(&vb, b) < 0) { puts("E"); continue; }
    int c = dpkg_version_compare(&va, &vb);
    puts(c < 0 ? "-1" : c > 0 ? "1" : "0");
  }
  return 0;
}
`);
    const flags = execFileSync("pkg-config", ["--cflags", "--libs", "libdpkg"], { encoding: "utf8" }).trim().split(/\s+/).filter(Boolean);
    execFileSync("cc", ["-O1", "-o", binary, source, ...flags]);
    const out = execFileSync(binary, { input: list.flatMap(([a, b]) => [a, b]).join("\n") + "\n", encoding: "utf8", maxBuffer: 1 << 26 });
    assertAgreement(list, lines(out), mine, "libdpkg");
  });

  test("a sample agrees with the dpkg binary itself", () => {
    const sample = list.filter(([a, b]) => a.trim() !== "" && b.trim() !== "").filter((_, i) => i % 100 === 0);
    const script = `while IFS= read -r a && IFS= read -r b; do
  dpkg --compare-versions "$a" lt "$b" 2>/dev/null; r=$?
  if [ $r -eq 0 ]; then echo -1; elif [ $r -gt 1 ]; then echo E
  elif dpkg --compare-versions "$a" eq "$b" 2>/dev/null; then echo 0; else echo 1; fi
done`;
    const out = execFileSync("bash", ["-c", script], { input: sample.flatMap(([a, b]) => [a, b]).join("\n") + "\n", encoding: "utf8" });
    assertAgreement(sample, lines(out), mine, "dpkg");
  });
});

test("rpm order against rpm.vercmp", () => {
  const list = pairs(11_000, 2, rpmVersion, editRpmVersion);
  const file = join(work, "rpm-pairs.txt");
  writeFileSync(file, list.flatMap(([a, b]) => [a, b]).join("\n") + "\n");
  const lua = `%{lua: local f = io.open("${file}") while true do local a = f:read("l") if a == nil then break end local b = f:read("l") local ok, c = pcall(rpm.vercmp, a, b) io.write(ok and c or "E", "\\n") end f:close()}`;
  const out = execFileSync("rpm", ["--eval", lua], { encoding: "utf8", maxBuffer: 1 << 26 });
  assertAgreement(list, lines(out), (a, b) => ours(compareRpmVersions, (v) => v !== "", a, b), "rpm");
});

test("PEP 440 order against packaging.version", () => {
  const list = pairs(12_000, 3, pep440Version, editPep440Version);
  const script = `import sys
from packaging.version import Version, InvalidVersion
def parse(s):
    try: return Version(s)
    except InvalidVersion: return None
rows = sys.stdin.read().split("\\n")
out = []
for i in range(0, len(rows) - 1, 2):
    a, b = parse(rows[i]), parse(rows[i + 1])
    out.append("E" if a is None or b is None else str((a > b) - (a < b)))
print("\\n".join(out))`;
  const result = spawnSync("/usr/bin/python3", ["-c", script], { input: list.flatMap(([a, b]) => [a, b]).join("\n") + "\n", encoding: "utf8", maxBuffer: 1 << 26 });
  assert.equal(result.status, 0, result.stderr);
  assertAgreement(list, lines(result.stdout), (a, b) => ours(comparePep440Versions, isValidPep440Version, a, b), "packaging");
});

test("npm order against the semver package", () => {
  const semver = createRequire(import.meta.url)("semver") as { valid(v: string): string | null; compare(a: string, b: string): number };
  const list = pairs(15_500, 4, npmVersion, editNpmVersion);
  const theirs = list.map(([a, b]) => (semver.valid(a) === null || semver.valid(b) === null ? "E" : String(semver.compare(a, b))));
  assertAgreement(list, theirs, (a, b) => ours((x, y) => compareSemVer(x, y, "npm"), (v) => parseSemVer(v, "npm") !== undefined, a, b), "semver");
});
