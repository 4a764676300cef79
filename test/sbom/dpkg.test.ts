import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { catalogDirectory } from "../../src/sbom/catalog.ts";
import { dep5Licenses, dpkgCataloger, parseDeb822, parseSourceField } from "../../src/sbom/catalogers/dpkg.ts";
import type { CatalogedPackage } from "../../src/sbom/model.ts";

const root = mkdtempSync(join(tmpdir(), "drydock-dpkg-"));
after(() => rmSync(root, { recursive: true, force: true }));

/** A rootfs holding `status` as var/lib/dpkg/status (plus the updates/ dir dpkg-query wants). */
function rootfsWith(name: string, status: string | undefined, extra: Record<string, string> = {}): string {
  const dir = join(root, name);
  mkdirSync(join(dir, "var/lib/dpkg/updates"), { recursive: true });
  if (status !== undefined) writeFileSync(join(dir, "var/lib/dpkg/status"), status);
  for (const [path, content] of Object.entries(extra)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** The oracle: what dpkg-query lists, less the states whose files are gone (config-files, not-installed). */
function dpkgQuery(dir: string): string[] {
  const out = execFileSync("dpkg-query", ["-W", "-f", "${db:Status-Abbrev}\t${Package} ${Version} ${Architecture}\n", `--admindir=${join(dir, "var/lib/dpkg")}`], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  return out.split("\n").filter((l) => l !== "").filter((l) => !"nc".includes(l[1] ?? "")).map((l) => l.slice(l.indexOf("\t") + 1)).sort();
}

function summary(packages: readonly CatalogedPackage[]): string[] {
  return packages.map((p) => `${p.name} ${p.version} ${p.metadata?.arch ?? ""}`).sort();
}

const para = (fields: string): string => `${fields}\nMaintainer: Someone <someone@example.org>\nDescription: a package\n long description\n .\n more\n`;

describe("dpkg cataloger", () => {
  test("this machine's dpkg status: the same packages, versions and architectures as dpkg-query", async () => {
    const dir = rootfsWith("machine", undefined);
    copyFileSync("/var/lib/dpkg/status", join(dir, "var/lib/dpkg/status"));
    const expected = dpkgQuery(dir);
    assert.ok(expected.length > 50, "the machine has a real dpkg database");
    const catalog = await catalogDirectory(dir, "rootfs", { catalogers: [dpkgCataloger] });
    assert.deepEqual(summary(catalog.packages), expected);
    assert.deepEqual(catalog.notes, []);
    const libc = catalog.packages.find((p) => p.name === "libc6");
    assert.ok(libc !== undefined);
    assert.equal(libc.sourceName, "glibc");
    assert.deepEqual(libc.locations, [{ path: "var/lib/dpkg/status" }]);
    assert.equal(libc.cataloger, "dpkg");
  });

  test("licences from this machine's DEP-5 copyright files: the License lines grep finds, once each; none from free-form ones", async () => {
    const dir = rootfsWith("machine-licences", undefined);
    copyFileSync("/var/lib/dpkg/status", join(dir, "var/lib/dpkg/status"));
    const names = ["bash", "tar", "zlib1g", "dpkg", "coreutils", "libc6"].filter((n) => existsSync(`/usr/share/doc/${n}/copyright`));
    assert.ok(names.length >= 4);
    const expected = new Map<string, string[]>();
    for (const name of names) {
      mkdirSync(join(dir, "usr/share/doc", name), { recursive: true });
      copyFileSync(`/usr/share/doc/${name}/copyright`, join(dir, "usr/share/doc", name, "copyright"));
      const text = execFileSync("sh", ["-c", `head -1 "$1" | grep -q copyright-format && grep '^License:' "$1" || true`, "sh", `/usr/share/doc/${name}/copyright`], { encoding: "utf8" });
      expected.set(name, [...new Set(text.split("\n").filter((l) => l !== "").map((l) => l.slice("License:".length).trim()))]);
    }
    assert.ok([...expected.values()].some((l) => l.length > 1), "some file declares several licences");
    const catalog = await catalogDirectory(dir, "rootfs", { catalogers: [dpkgCataloger] });
    const found = new Map(catalog.packages.filter((p) => names.includes(p.name)).map((p) => [p.name, p.licenses]));
    assert.deepEqual(found, expected);
  });

  test("package states: every state dpkg-query lists except config-files; Source forms; continuation lines", async () => {
    const status = [
      para("Package: a-installed\nStatus: install ok installed\nVersion: 1.0-1\nArchitecture: amd64\nSource: a-src"),
      para("Package: b-config\nStatus: deinstall ok config-files\nVersion: 2.0\nArchitecture: amd64"),
      para("Package: c-half\nStatus: install reinstreq half-installed\nVersion: 3.0\nArchitecture: amd64"),
      para("Package: d-notinst\nStatus: purge ok not-installed\nArchitecture: amd64"),
      para("Package: e-unpacked\nStatus: install ok unpacked\nVersion: 1:5.0~rc1-2\nArchitecture: all"),
      para("Package: f-halfconf\nStatus: install ok half-configured\nVersion: 6.0\nArchitecture: arm64\nMulti-Arch: same"),
      para("Package: g-trig\nStatus: install ok triggers-pending\nTriggers-Pending: foo\nVersion: 7.0\nArchitecture: amd64"),
      para("Package: i-hold\nStatus: hold ok installed\nVersion: 9.0+b1\nArchitecture: amd64\nSource: i-src (9.0)"),
      para("Package: j-same-source\nStatus: install ok installed\nVersion: 2.1\nArchitecture: amd64\nSource: j (2.1)"),
    ].join("\n");
    const dir = rootfsWith("states", status, {
      "usr/share/doc/a-installed/copyright": "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nUpstream-Name: a\n\nFiles: *\nCopyright: 2020 A\nLicense: GPL-2+\n\nFiles: debian/*\nCopyright: 2021 B\nLicense: MIT or Apache-2.0\n Some text\n\nLicense: GPL-2+\n The text.\n",
      "usr/share/doc/c-half/copyright": "This package was debianized by someone.\nLicense: not machine-readable\n",
    });
    // A doc directory that is a symlink to another package's, as Debian ships many.
    symlinkSync("a-installed", join(dir, "usr/share/doc/i-hold"));
    const catalog = await catalogDirectory(dir, "rootfs", { catalogers: [dpkgCataloger] });
    assert.deepEqual(summary(catalog.packages), dpkgQuery(dir));
    assert.deepEqual(catalog.packages.map((p) => [p.name, p.sourceName, p.sourceVersion]), [
      ["a-installed", "a-src", undefined],
      ["c-half", undefined, undefined],
      ["e-unpacked", undefined, undefined],
      ["f-halfconf", undefined, undefined],
      ["g-trig", undefined, undefined],
      ["i-hold", "i-src", "9.0"],
      ["j-same-source", "j", undefined],
    ]);
    const e = catalog.packages.find((p) => p.name === "e-unpacked");
    // No os-release in this root: Debian defaults, no distro qualifier.
    assert.equal(e?.purl, "pkg:deb/debian/e-unpacked@1:5.0~rc1-2?arch=all");
    assert.equal(e?.ecosystem, "Debian");
    assert.equal(e?.release, undefined);
    assert.equal(e?.metadata?.maintainer, "Someone <someone@example.org>");
    assert.deepEqual(catalog.packages.map((p) => [p.name, p.licenses]), [
      ["a-installed", ["GPL-2+", "MIT or Apache-2.0"]],
      ["c-half", []],
      ["e-unpacked", []],
      ["f-halfconf", []],
      ["g-trig", []],
      ["i-hold", ["GPL-2+", "MIT or Apache-2.0"]],
      ["j-same-source", []],
    ]);
    assert.deepEqual(dep5Licenses("Format: something-else\n\nLicense: X\n"), []);
  });

  test("distroless status.d: one paragraph per file, md5sums ignored, os-release gives release and purl distro", async () => {
    const dir = rootfsWith("distroless", undefined, {
      "var/lib/dpkg/status.d/libssl3": "Package: libssl3\nVersion: 3.0.11-1~deb12u2\nArchitecture: amd64\nSource: openssl\nMaintainer: X <x@y>\n",
      "var/lib/dpkg/status.d/libssl3.md5sums": "d41d8cd98f00b204e9800998ecf8427e  usr/lib/x86_64-linux-gnu/libssl.so.3\n",
      "var/lib/dpkg/status.d/base": "Package: base-files\nStatus: install ok installed\nVersion: 12.4+deb12u5\nArchitecture: amd64\n",
      "etc/os-release": 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
    });
    const catalog = await catalogDirectory(dir, "rootfs", { catalogers: [dpkgCataloger] });
    assert.deepEqual(catalog.distro, { id: "debian", versionId: "12", versionCodename: "bookworm", prettyName: "Debian GNU/Linux 12 (bookworm)" });
    assert.deepEqual(catalog.packages.map((p) => [p.name, p.version, p.purl, p.ecosystem, p.release, p.sourceName, p.locations[0]?.path]), [
      ["base-files", "12.4+deb12u5", "pkg:deb/debian/base-files@12.4%2Bdeb12u5?arch=amd64&distro=debian-12", "Debian", "12", undefined, "var/lib/dpkg/status.d/base"],
      ["libssl3", "3.0.11-1~deb12u2", "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12", "Debian", "12", "openssl", "var/lib/dpkg/status.d/libssl3"],
    ]);
  });

  test("status and status.d both listing a package (same name, arch, version): reported once, at the status file", async () => {
    const entry = (name: string, version: string, arch = "amd64") => `Package: ${name}\nStatus: install ok installed\nVersion: ${version}\nArchitecture: ${arch}\nMaintainer: X <x@y>\n`;
    const dir = rootfsWith("both-layouts", [entry("libc6", "2.36-9"), entry("tzdata", "2025b-0", "all"), entry("zlib1g", "1:1.3"), entry("gone", "1", "amd64").replace("install ok installed", "deinstall ok config-files")].join("\n"), {
      "var/lib/dpkg/status.d/libc6": entry("libc6", "2.36-9"),
      "var/lib/dpkg/status.d/tzdata": entry("tzdata", "2025b-0", "all").replace("Status: install ok installed\n", ""), // distroless: no Status
      "var/lib/dpkg/status.d/zlib1g": entry("zlib1g", "1:1.4"), // another version: another package
      "var/lib/dpkg/status.d/libssl3": entry("libssl3", "3.0.15", "arm64"), // only here
      "var/lib/dpkg/status.d/gone": entry("gone", "1"), // the status file says its files are gone; status.d says installed
    });
    // dpkg-query reads only the status file: every package it lists is reported exactly once, from there.
    assert.deepEqual(dpkgQuery(dir), ["libc6 2.36-9 amd64", "tzdata 2025b-0 all", "zlib1g 1:1.3 amd64"]);
    const catalog = await catalogDirectory(dir, "rootfs", { catalogers: [dpkgCataloger] });
    assert.deepEqual(catalog.packages.map((p) => `${p.name} ${p.version} ${p.metadata?.arch ?? ""} ${p.locations.map((l) => l.path).join(",")}`), [
      "gone 1 amd64 var/lib/dpkg/status.d/gone",
      "libc6 2.36-9 amd64 var/lib/dpkg/status",
      "libssl3 3.0.15 arm64 var/lib/dpkg/status.d/libssl3",
      "tzdata 2025b-0 all var/lib/dpkg/status",
      "zlib1g 1:1.3 amd64 var/lib/dpkg/status",
      "zlib1g 1:1.4 amd64 var/lib/dpkg/status.d/zlib1g",
    ]);
    // Parsed alone (no status file beside it), a status.d file reports its package.
    const alone = dpkgCataloger.parse({ path: "var/lib/dpkg/status.d/libc6", mode: 0o644, location: { path: "var/lib/dpkg/status.d/libc6" }, bytes: new TextEncoder().encode(entry("libc6", "2.36-9")) }, { note: () => {} });
    assert.deepEqual(alone.map((p) => p.name), ["libc6"]);
  });

  test("broken input is noted, never thrown: garbage bytes, stray continuation lines, paragraphs without Package", async () => {
    const notes: string[] = [];
    const ctx = { note: (m: string) => notes.push(m) };
    const file = (text: string | Uint8Array) => ({
      path: "var/lib/dpkg/status", mode: 0o644, location: { path: "var/lib/dpkg/status" },
      bytes: typeof text === "string" ? new TextEncoder().encode(text) : text,
    });
    assert.deepEqual(dpkgCataloger.parse(file(new Uint8Array([0xff, 0xfe, 0, 1, 2, 0x0a, 0x80])), ctx), []);
    const pkgs = dpkgCataloger.parse(file(" stray\nVersion: 1\n\nPackage: ok\nVersion: 2\nStatus: install ok installed\n"), ctx);
    assert.deepEqual(pkgs.map((p) => `${p.name}@${p.version}`), ["ok@2"]);
    assert.deepEqual(notes, [
      "dpkg: /var/lib/dpkg/status has 2 malformed line(s); they were skipped",
      "dpkg: /var/lib/dpkg/status holds no package paragraphs",
      "dpkg: /var/lib/dpkg/status has 1 malformed line(s); they were skipped",
      "dpkg: /var/lib/dpkg/status has a paragraph without a Package field; skipped",
    ]);
  });

  test("wants only the status file and status.d entries", () => {
    const wants = (p: string) => dpkgCataloger.wants(p, 10, 0o644);
    assert.deepEqual(
      ["var/lib/dpkg/status", "var/lib/dpkg/status-old", "var/lib/dpkg/status.d/x", "var/lib/dpkg/status.d/x.md5sums", "var/lib/dpkg/status.d/a/b", "var/lib/dpkg/status.d/", "usr/var/lib/dpkg/status"].map(wants),
      [true, false, true, false, false, false, false],
    );
  });

  test("deb822 and Source field parsing", () => {
    const { paragraphs } = parseDeb822("A: 1\r\nB: two\n  lines\n\n\n# comment\nC:3\n");
    assert.deepEqual(paragraphs.map((p) => Object.fromEntries(p)), [{ a: "1", b: "two\nlines" }, { c: "3" }]);
    assert.deepEqual(parseSourceField("glibc (2.36-9+deb12u4)"), { name: "glibc", version: "2.36-9+deb12u4" });
    assert.deepEqual(parseSourceField("zlib"), { name: "zlib", version: undefined });
    assert.equal(parseSourceField("a b c"), undefined);
  });
});
