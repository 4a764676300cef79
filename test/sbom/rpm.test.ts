import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, before, describe, test } from "node:test";
import { catalogDirectory, catalogTarget } from "../../src/sbom/catalog.ts";
import { parseSourceRpm, rpmCataloger } from "../../src/sbom/catalogers/rpm.ts";
import type { CatalogedPackage } from "../../src/sbom/model.ts";
import { parseRpmHeader, RPM_TAG } from "../../src/sbom/rpm-header.ts";
import { buildImage, ociLayoutFiles, tarOf, writeFiles } from "../image/fixtures.ts";

const work = mkdtempSync(join(tmpdir(), "drydock-rpm-"));
after(() => rmSync(work, { recursive: true, force: true }));

const SPECS: Record<string, string> = {
  // Epoch, an SPDX expression, noarch.
  "hello-tool": "Name: hello-tool\nVersion: 1.2.3\nRelease: 4.el9\nEpoch: 2\nSummary: s\nLicense: MIT AND (Apache-2.0 OR BSD-3-Clause)\nBuildArch: noarch\n%description\nd\n%files\n",
  // A subpackage: its source rpm is named after the spec, not after it.
  "foo-src": "Name: foo-src\nVersion: 0.9\nRelease: 1\nSummary: s\nLicense: GPL-2.0-or-later\nVendor: Example\n%description\nd\n%package -n libfoo\nSummary: s\n%description -n libfoo\nd\n%files -n libfoo\n",
  // Added later, through the WAL only.
  "late": "Name: late\nVersion: 3.0\nRelease: 7.fc40\nEpoch: 0\nSummary: s\nLicense: BSD\nBuildArch: noarch\n%description\nd\n%files\n",
};
const rpms = new Map<string, string>();

function rpm(root: string, ...args: string[]): string {
  return execFileSync("rpm", ["--root", root, "--dbpath", "/var/lib/rpm", ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
}

/** The oracle's view of a root: NAME EPOCHNUM:VERSION-RELEASE ARCH, gpg-pubkey left out (not a package). */
function rpmQuery(root: string): string[] {
  return rpm(root, "-qa", "--qf", "%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE} %{ARCH}\n").split("\n").filter((l) => l !== "" && !l.startsWith("gpg-pubkey ")).sort();
}

function summary(packages: readonly CatalogedPackage[]): string[] {
  return packages.map((p) => `${p.name} ${p.metadata?.epoch ?? "0"}:${p.metadata?.versionRelease ?? ""} ${p.metadata?.arch ?? ""}`).sort();
}

function newRoot(name: string, packages: string[], withKey = false): string {
  const root = join(work, name);
  mkdirSync(root, { recursive: true });
  rpm(root, "--initdb");
  if (packages.length > 0) rpm(root, "-i", "--nodeps", "--noscripts", ...packages.map((p) => rpms.get(p) as string));
  if (withKey) {
    const home = join(work, "gnupg");
    mkdirSync(home, { recursive: true, mode: 0o700 });
    execFileSync("gpg", ["--homedir", home, "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key", "Test <t@example.org>", "ed25519", "sign", "never"], { stdio: "ignore" });
    writeFileSync(join(work, "key.asc"), execFileSync("gpg", ["--homedir", home, "--armor", "--export"]));
    execFileSync("gpgconf", ["--homedir", home, "--kill", "gpg-agent"], { stdio: "ignore" }); // key generation started one
    rpm(root, "--import", join(work, "key.asc"));
  }
  return root;
}

before(() => {
  const top = join(work, "top");
  for (const [name, spec] of Object.entries(SPECS)) {
    const file = join(work, `${name}.spec`);
    writeFileSync(file, spec);
    execFileSync("rpmbuild", ["-bb", "--quiet", "--define", `_topdir ${top}`, "--define", "_build_id_links none", "--target", "x86_64", file], { stdio: "ignore" });
  }
  for (const arch of readdirSync(join(top, "RPMS"))) {
    for (const f of readdirSync(join(top, "RPMS", arch))) rpms.set(f.slice(0, f.indexOf("-", f.startsWith("hello-") ? 6 : 0)), join(top, "RPMS", arch, f));
  }
});

describe("rpm cataloger", () => {
  test("rpmdb.sqlite built by rpm: the same packages as rpm -qa; gpg-pubkey skipped; source, licence, purl", async () => {
    const root = newRoot("basic", ["hello-tool", "libfoo"], true);
    const expected = rpmQuery(root);
    assert.equal(expected.length, 2);
    writeFileSync(join(root, "etc-os-release"), "");
    mkdirSync(join(root, "etc"), { recursive: true });
    writeFileSync(join(root, "etc/os-release"), 'NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.3"\n');
    const catalog = await catalogTarget(root, { catalogers: [rpmCataloger] });
    assert.equal(catalog.kind, "rootfs");
    assert.deepEqual(summary(catalog.packages), expected);
    assert.deepEqual(catalog.packages.map((p) => [p.name, p.version, p.purl, p.ecosystem, p.release, p.sourceName, p.licenses, p.locations]), [
      ["hello-tool", "2:1.2.3-4.el9", "pkg:rpm/rocky/hello-tool@1.2.3-4.el9?arch=noarch&distro=rocky-9.3&epoch=2", "Rocky Linux", "9", "hello-tool", ["MIT AND (Apache-2.0 OR BSD-3-Clause)"], [{ path: "var/lib/rpm/rpmdb.sqlite" }]],
      ["libfoo", "0.9-1", "pkg:rpm/rocky/libfoo@0.9-1?arch=x86_64&distro=rocky-9.3", "Rocky Linux", "9", "foo-src", ["GPL-2.0-or-later"], [{ path: "var/lib/rpm/rpmdb.sqlite" }]],
    ]);
    assert.equal(catalog.packages[1]?.metadata?.sourceRpm, "foo-src-0.9-1.src.rpm");
    assert.equal(catalog.packages[1]?.metadata?.vendor, "Example");
    assert.deepEqual(catalog.notes, []);
  });

  test("transactions still in the -wal file are read, in a directory and in an image (db and wal in different layers)", async () => {
    const root = newRoot("wal", ["hello-tool"]);
    const other = newRoot("wal-source", ["late"]);
    // A connection that never checkpoints adds a package header to the WAL; the files are copied while it is open.
    const copy = join(work, "wal-copy");
    mkdirSync(copy);
    copyFileSync(join(root, "var/lib/rpm/rpmdb.sqlite"), join(copy, "rpmdb.sqlite"));
    const src = new DatabaseSync(join(other, "var/lib/rpm/rpmdb.sqlite"), { readOnly: true });
    const lateBlob = (src.prepare("SELECT blob FROM Packages").get() as { blob: Uint8Array }).blob;
    src.close();
    const db = new DatabaseSync(join(copy, "rpmdb.sqlite"));
    db.exec("PRAGMA wal_autocheckpoint=0");
    db.prepare("INSERT INTO Packages (blob) VALUES (?)").run(lateBlob);
    const mainBytes = readFileSync(join(copy, "rpmdb.sqlite"));
    const walBytes = readFileSync(join(copy, "rpmdb.sqlite-wal"));
    db.close();
    assert.ok(walBytes.length > 0);

    const walRoot = join(work, "wal-root");
    mkdirSync(join(walRoot, "usr/lib/sysimage/rpm"), { recursive: true });
    writeFileSync(join(walRoot, "usr/lib/sysimage/rpm/rpmdb.sqlite"), mainBytes);
    writeFileSync(join(walRoot, "usr/lib/sysimage/rpm/rpmdb.sqlite-wal"), walBytes);
    const fromDir = await catalogDirectory(walRoot, "rootfs", { catalogers: [rpmCataloger] });
    // The oracle reads the same files through rpm itself (after we did: it may checkpoint them).
    mkdirSync(join(walRoot, "var/lib/rpm"), { recursive: true });
    copyFileSync(join(walRoot, "usr/lib/sysimage/rpm/rpmdb.sqlite"), join(walRoot, "var/lib/rpm/rpmdb.sqlite"));
    copyFileSync(join(walRoot, "usr/lib/sysimage/rpm/rpmdb.sqlite-wal"), join(walRoot, "var/lib/rpm/rpmdb.sqlite-wal"));
    const expected = rpmQuery(walRoot);
    assert.deepEqual(expected, ["hello-tool 2:1.2.3-4.el9 noarch", "late 0:3.0-7.fc40 noarch"]);
    assert.deepEqual(summary(fromDir.packages.filter((p) => p.locations[0]?.path === "usr/lib/sysimage/rpm/rpmdb.sqlite")), expected);
    // rpm's EPOCHNUM says 0 for "Epoch: 0" and for none: the version for matching leaves a zero epoch out.
    assert.equal(fromDir.packages.find((p) => p.name === "late")?.version, "3.0-7.fc40");

    const image = buildImage({
      layers: [
        { tar: await tarOf([{ name: "var/lib/rpm/rpmdb.sqlite", content: mainBytes }]) },
        { tar: await tarOf([{ name: "var/lib/rpm/rpmdb.sqlite-wal", content: walBytes }]) },
      ],
    });
    const layout = join(work, "wal-oci");
    writeFiles(layout, ociLayoutFiles([{ image }]));
    const fromImage = await catalogTarget(`oci:${layout}`, { catalogers: [rpmCataloger] });
    assert.deepEqual(summary(fromImage.packages), expected);
    assert.deepEqual(fromImage.packages.map((p) => p.locations), [
      [{ path: "var/lib/rpm/rpmdb.sqlite", layerIndex: 0, layer: image.layerBlobs[0]?.digest }],
      [{ path: "var/lib/rpm/rpmdb.sqlite", layerIndex: 0, layer: image.layerBlobs[0]?.digest }],
    ]);
  });

  test("a truncated or garbage rpmdb, and Berkeley DB / ndb databases, are noted, never thrown", async () => {
    const root = newRoot("broken-src", ["hello-tool", "libfoo"]);
    const good = readFileSync(join(root, "var/lib/rpm/rpmdb.sqlite"));
    const notes: string[] = [];
    const ctx = { note: (m: string) => notes.push(m) };
    const file = (path: string, bytes: Uint8Array) => ({ path, bytes, mode: 0o644, location: { path } });
    assert.deepEqual(rpmCataloger.parse(file("var/lib/rpm/rpmdb.sqlite", good.subarray(0, 5000)), ctx), []);
    assert.deepEqual(rpmCataloger.parse(file("var/lib/rpm/rpmdb.sqlite", Buffer.from("garbage".repeat(1000))), ctx), []);
    assert.deepEqual(rpmCataloger.parse(file("var/lib/rpm/Packages", Buffer.alloc(4096)), ctx), []);
    assert.deepEqual(rpmCataloger.parse(file("usr/lib/sysimage/rpm/Packages.db", Buffer.alloc(4096)), ctx), []);
    assert.equal(notes.length, 4);
    assert.match(notes[0] ?? "", /^rpm: \/var\/lib\/rpm\/rpmdb\.sqlite is not a readable rpm SQLite database/);
    assert.match(notes[1] ?? "", /^rpm: \/var\/lib\/rpm\/rpmdb\.sqlite is not a readable rpm SQLite database/);
    assert.deepEqual(notes.slice(2), [
      "rpm: /var/lib/rpm/Packages: rpmdb in Berkeley DB / ndb format is not supported",
      "rpm: /usr/lib/sysimage/rpm/Packages.db: rpmdb in Berkeley DB / ndb format is not supported",
    ]);

    // Damaged header blobs inside a sound database: the good rows are kept, the rest counted in a note.
    const copy = join(work, "damaged.sqlite");
    writeFileSync(copy, good);
    const db = new DatabaseSync(copy);
    db.exec("PRAGMA journal_mode=DELETE");
    const blobs = db.prepare("SELECT hnum, blob FROM Packages ORDER BY hnum").all() as { hnum: number; blob: Uint8Array }[];
    const survivor = parseRpmHeader(blobs[1]?.blob ?? new Uint8Array(0)).string(RPM_TAG.NAME);
    const cut = blobs[0]?.blob.subarray(0, 40) ?? new Uint8Array(0);
    const lying = Buffer.from(blobs[0]?.blob ?? []);
    lying.writeUInt32BE(0xffff, 0); // more index entries than the blob holds
    db.prepare("UPDATE Packages SET blob = ? WHERE hnum = ?").run(cut, blobs[0]?.hnum ?? 0);
    db.prepare("INSERT INTO Packages (blob) VALUES (?)").run(lying);
    db.prepare("INSERT INTO Packages (blob) VALUES (?)").run(new Uint8Array([0, 0, 0, 1]));
    db.close();
    notes.length = 0;
    const pkgs = rpmCataloger.parse(file("var/lib/rpm/rpmdb.sqlite", readFileSync(copy)), ctx);
    assert.deepEqual(pkgs.map((p) => p.name), [survivor]);
    assert.deepEqual(notes, ["rpm: /var/lib/rpm/rpmdb.sqlite has 3 unreadable package header(s); skipped"]);
  });

  test("header parsing is bounded; source rpm names", () => {
    assert.throws(() => parseRpmHeader(new Uint8Array(3)), { name: "RpmHeaderError" });
    const header = (data: string): Buffer => {
      const blob = Buffer.alloc(8 + 16 + data.length);
      blob.writeUInt32BE(1, 0);
      blob.writeUInt32BE(data.length, 4);
      blob.writeUInt32BE(RPM_TAG.NAME, 8);
      blob.writeUInt32BE(6, 12);
      blob.writeUInt32BE(0, 16);
      blob.writeUInt32BE(1, 20);
      blob.write(data, 24, "latin1");
      return blob;
    };
    assert.equal(parseRpmHeader(header("abc")).string(RPM_TAG.NAME), undefined, "no NUL within the data: no string");
    assert.throws(() => parseRpmHeader(header("abc").subarray(0, 26)), { name: "RpmHeaderError" });
    assert.equal(parseRpmHeader(header("abc\0")).string(RPM_TAG.NAME), "abc");
    assert.equal(parseRpmHeader(header("abc\0")).number(RPM_TAG.EPOCH), undefined);

    assert.deepEqual(parseSourceRpm("bash-5.1.8-6.el9.src.rpm"), { name: "bash", versionRelease: "5.1.8-6.el9" });
    assert.deepEqual(parseSourceRpm("python-foo-bar-1.0-2.nosrc.rpm"), { name: "python-foo-bar", versionRelease: "1.0-2" });
    assert.equal(parseSourceRpm("nonsense"), undefined);
    assert.deepEqual(["var/lib/rpm/rpmdb.sqlite", "var/lib/rpm/rpmdb.sqlite-wal", "var/lib/rpm/rpmdb.sqlite-shm", "usr/lib/sysimage/rpm/Packages", "x/var/lib/rpm/rpmdb.sqlite"].map((p) => rpmCataloger.wants(p, 1, 0o644)), [true, true, false, true, false]);
  });
});
