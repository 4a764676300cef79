import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { catalogTarget } from "../../src/sbom/catalog.ts";
import { apkCataloger, parseApkInstalled } from "../../src/sbom/catalogers/apk.ts";
import { buildImage, ociLayoutFiles, tarOf, writeFiles } from "../image/fixtures.ts";

const work = mkdtempSync(join(tmpdir(), "drydock-apk-"));
after(() => rmSync(work, { recursive: true, force: true }));

// Written after Alpine 3.19's lib/apk/db/installed: checksums, file lists (F/R/a/Z), dependencies.
const INSTALLED = `C:Q1pcfTfDNEbNKQc2s1tia7da05M8Q=
P:musl
V:1.2.4_git20230717-r4
A:x86_64
S:407278
I:662528
T:the musl c library (libc) implementation
U:https://musl.libc.org/
L:MIT
o:musl
m:Timo Teräs <timo.teras@iki.fi>
t:1701783473
c:ec3b5a5b6a35e7ae8a1d8fd0b23da3b5f1c63fb6
p:so:libc.musl-x86_64.so.1=1
F:lib
R:ld-musl-x86_64.so.1
a:0:0:755
Z:Q1oXxnqSAmCDs8iRdRsn2UrDNuTfs=
R:libc.musl-x86_64.so.1
a:0:0:777
Z:Q17yJ3JFNypA4mxhJJr0ou6CzsJVI=

C:Q1cXFMHZzmpfMqnkWQeqHbrNJt8I0=
P:libcrypto3
V:3.1.4-r2
A:x86_64
S:1750516
I:4374528
T:Crypto library from openssl
U:https://www.openssl.org/
L:Apache-2.0
o:openssl
m:Ariadne Conill <ariadne@dereferenced.org>
t:1701358393
c:3a8c5a5a8b2e1e6f3f5c8f2f5e0ab5a1e3f2d0c1
D:so:libc.musl-x86_64.so.1
p:so:libcrypto.so.3=3
r:libcrypto1.1
F:etc
F:etc/ssl
R:openssl.cnf
Z:Q1Oa4jn7Xk3jKgGNaGQ5fDyLdVd2U=

C:Q1lYVc8lJYz8Z9mJn7fQ1W0KMOsnk=
P:ca-certificates-bundle
V:20230506-r0
A:x86_64
L:MPL-2.0 AND MIT
o:ca-certificates
m:Natanael Copa <ncopa@alpinelinux.org>

`;

describe("apk cataloger", () => {
  test("lib/apk/db/installed in a rootfs: name, version, arch, origin, licence; purl with the Alpine distro", async () => {
    const root = join(work, "rootfs");
    mkdirSync(join(root, "lib/apk/db"), { recursive: true });
    mkdirSync(join(root, "etc"), { recursive: true });
    writeFileSync(join(root, "lib/apk/db/installed"), INSTALLED);
    writeFileSync(join(root, "etc/os-release"), 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.0\nPRETTY_NAME="Alpine Linux v3.19"\n');
    const catalog = await catalogTarget(root, { catalogers: [apkCataloger] });
    assert.equal(catalog.kind, "rootfs");
    assert.deepEqual(catalog.packages.map((p) => [p.name, p.version, p.purl, p.ecosystem, p.release, p.sourceName, p.licenses, p.locations]), [
      ["ca-certificates-bundle", "20230506-r0", "pkg:apk/alpine/ca-certificates-bundle@20230506-r0?arch=x86_64&distro=alpine-3.19.0", "Alpine", "v3.19", "ca-certificates", ["MPL-2.0 AND MIT"], [{ path: "lib/apk/db/installed" }]],
      ["libcrypto3", "3.1.4-r2", "pkg:apk/alpine/libcrypto3@3.1.4-r2?arch=x86_64&distro=alpine-3.19.0", "Alpine", "v3.19", "openssl", ["Apache-2.0"], [{ path: "lib/apk/db/installed" }]],
      ["musl", "1.2.4_git20230717-r4", "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.0", "Alpine", "v3.19", "musl", ["MIT"], [{ path: "lib/apk/db/installed" }]],
    ]);
    assert.equal(catalog.packages[2]?.metadata?.maintainer, "Timo Teräs <timo.teras@iki.fi>");
    assert.deepEqual(catalog.notes, []);
  });

  test("in an image: Wolfi's os-release, a later layer's database replaces the earlier one", async () => {
    const image = buildImage({
      layers: [
        { tar: await tarOf([{ name: "lib/apk/db/installed", content: INSTALLED }, { name: "etc/os-release", content: "ID=wolfi\nNAME=\"Wolfi\"\nVERSION_ID=20230201\n" }]) },
        { tar: await tarOf([{ name: "lib/apk/db/installed", content: "P:glibc\nV:2.38-r5\nA:aarch64\nL:LGPL-2.1-or-later\no:glibc\n\n" }]) },
      ],
    });
    const layout = join(work, "oci");
    writeFiles(layout, ociLayoutFiles([{ image }]));
    const catalog = await catalogTarget(`oci:${layout}`, { catalogers: [apkCataloger] });
    assert.deepEqual(catalog.packages.map((p) => [p.name, p.purl, p.ecosystem, p.release, p.locations]), [
      ["glibc", "pkg:apk/wolfi/glibc@2.38-r5?arch=aarch64&distro=wolfi-20230201", "Wolfi", undefined, [{ path: "lib/apk/db/installed", layerIndex: 1, layer: image.layerBlobs[1]?.digest }]],
    ]);
  });

  test("broken records are noted and skipped, never thrown", () => {
    const notes: string[] = [];
    const file = { path: "lib/apk/db/installed", mode: 0o644, location: { path: "lib/apk/db/installed" }, bytes: new TextEncoder().encode("garbage line\nP:no-version\n\nV:1.0\n\nP:ok\nV:1-r0\n\u0000\u0001\n") };
    const pkgs = apkCataloger.parse(file, { note: (m) => notes.push(m) });
    assert.deepEqual(pkgs.map((p) => `${p.name}@${p.version}`), ["ok@1-r0"]);
    assert.deepEqual(notes, [
      "apk: /lib/apk/db/installed has 2 malformed line(s); they were skipped",
      "apk: /lib/apk/db/installed has 2 record(s) without a name or version; skipped",
    ]);
    assert.deepEqual(parseApkInstalled("").records, []);
    assert.deepEqual(["lib/apk/db/installed", "usr/lib/apk/db/installed", "lib/apk/db/installed.old", "x/lib/apk/db/installed"].map((p) => apkCataloger.wants(p, 1, 0o644)), [true, true, false, false]);
  });
});
