import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { openImage } from "../../src/image/source.ts";
import { walkImage, type EntryConsumer, type LayerEntry } from "../../src/image/walk.ts";
import { catalogDirectory, catalogImage, catalogTarget, finalizeOsPackages } from "../../src/sbom/catalog.ts";
import { dpkgCataloger } from "../../src/sbom/catalogers/dpkg.ts";
import { distroFromAlpineRelease, distroFromOsRelease, parseOsRelease } from "../../src/sbom/distro.ts";
import type { CatalogedPackage, Cataloger } from "../../src/sbom/model.ts";
import { buildImage, ociLayoutFiles, tarOf, writeFiles, type FileSpec } from "../image/fixtures.ts";

const root = mkdtempSync(join(tmpdir(), "drydock-catalog-"));
after(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;

async function ociImage(layers: FileSpec[][], compression: "gzip" | "zstd" | "none" = "gzip"): Promise<{ dir: string; digests: string[] }> {
  const image = buildImage({ layers: await Promise.all(layers.map(async (files) => ({ tar: await tarOf(files), compression }))) });
  const dir = join(root, `oci-${counter++}`);
  writeFiles(dir, ociLayoutFiles([{ image, tag: "latest" }]));
  return { dir, digests: image.layerBlobs.map((l) => l.digest) };
}

/** Deterministic bytes that differ at every offset (a wrong chunk order or a lost chunk changes the hash). */
function pattern(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

const sha = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");

/** Streams every wanted file into a hash; also records heads (when headBytes > 0) and chunk counts. */
function streamingRecorder(options: { headBytes?: number; want?: (e: LayerEntry) => boolean; stopAfter?: number } = {}) {
  const files = new Map<string, { hash: string; bytes: number; chunks: number }>();
  const heads = new Map<string, string>();
  const consumer: EntryConsumer = {
    headBytes: options.headBytes ?? 0,
    wants: (e) => e.kind === "file" && (options.want?.(e) ?? true),
    entry: (e, head) => {
      if (head !== undefined) heads.set(e.path, sha(head));
    },
    contentSink: (e) => {
      const hash = createHash("sha256");
      let bytes = 0;
      let chunks = 0;
      return {
        write: (chunk) => {
          hash.update(chunk);
          bytes += chunk.length;
          chunks++;
          return options.stopAfter === undefined || bytes < options.stopAfter;
        },
        end: () => {
          assert.equal(files.has(`${e.layer}:${e.path}`), false, "end() once per file");
          files.set(`${e.layer}:${e.path}`, { hash: hash.digest("hex"), bytes, chunks });
        },
      };
    },
  };
  return { consumer, files, heads };
}

describe("walker: whole-content streaming", () => {
  const big = pattern(1_300_000, 7);
  const small = pattern(1000, 9);
  const files: FileSpec[] = [
    { name: "big.bin", content: big },
    { name: "empty", content: "" },
    { name: "dir", type: "directory" },
    { name: "dir/small", content: small },
    { name: "link", type: "symlink", linkname: "big.bin" },
  ];

  for (const compression of ["gzip", "zstd", "none"] as const) {
    test(`tar layers (${compression}): every byte in order, empty files ended, heads still delivered to head-only consumers`, async () => {
      const { dir } = await ociImage([files], compression);
      const streaming = streamingRecorder({ headBytes: 100 });
      const headOnly: string[] = [];
      const plain: EntryConsumer = { headBytes: 4096, wants: (e) => e.kind === "file", entry: (e, head) => headOnly.push(`${e.path}:${head === undefined ? "-" : sha(head)}`) };
      const source = await openImage(`oci:${dir}`);
      await walkImage(source, [streaming.consumer, plain]);
      await source.close();
      assert.deepEqual([...streaming.files].map(([k, v]) => [k, v.hash, v.bytes]), [
        ["0:big.bin", sha(big), big.length],
        ["0:empty", sha(new Uint8Array(0)), 0],
        ["0:dir/small", sha(small), small.length],
      ]);
      assert.ok((streaming.files.get("0:big.bin")?.chunks ?? 0) > 1, "a large file arrives in several chunks");
      assert.deepEqual([...streaming.heads], [["big.bin", sha(big.subarray(0, 100))], ["empty", sha(new Uint8Array(0))], ["dir/small", sha(small.subarray(0, 100))]]);
      assert.deepEqual(headOnly, [`big.bin:${sha(big.subarray(0, 4096))}`, `empty:${sha(new Uint8Array(0))}`, `dir/small:${sha(small.subarray(0, 1000))}`]);
    });
  }

  test("root file system directory: every byte, no symlink followed, a sink that says stop gets no more", async () => {
    const dir = join(root, "rootfs-stream");
    mkdirSync(join(dir, "dir"), { recursive: true });
    writeFileSync(join(dir, "big.bin"), big);
    writeFileSync(join(dir, "empty"), "");
    writeFileSync(join(dir, "dir/small"), small);
    symlinkSync("big.bin", join(dir, "link"));
    const whole = streamingRecorder({ headBytes: 100 });
    const stopping = streamingRecorder({ stopAfter: 1 });
    const source = await openImage(`dir:${dir}`);
    await walkImage(source, [whole.consumer, stopping.consumer]);
    assert.deepEqual([...whole.files].map(([k, v]) => [k, v.hash, v.bytes]), [
      ["0:big.bin", sha(big), big.length],
      ["0:dir/small", sha(small), small.length],
      ["0:empty", sha(new Uint8Array(0)), 0],
    ]);
    assert.equal(whole.heads.get("big.bin"), sha(big.subarray(0, 100)));
    assert.deepEqual(stopping.files.get("0:big.bin")?.chunks, 1, "no write after write() returned false");
    // Alone, the stopping consumer makes the walk stop reading the file.
    const alone = streamingRecorder({ stopAfter: 1 });
    await walkImage(source, [alone.consumer]);
    assert.equal(alone.files.get("0:big.bin")?.bytes, 256 * 1024);
  });
});

const DEBIAN_OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n';
const status = (...pkgs: [string, string, string?][]): string =>
  pkgs.map(([name, version, source]) => `Package: ${name}\nStatus: install ok installed\nVersion: ${version}\nArchitecture: amd64\n${source === undefined ? "" : `Source: ${source}\n`}Maintainer: M <m@x>\nDescription: d\n`).join("\n");

describe("catalogImage", () => {
  test("packages survive only while their file does; locations name the layer of the surviving version", async () => {
    const { dir, digests } = await ociImage([
      [
        { name: "usr/lib/os-release", content: DEBIAN_OS_RELEASE },
        { name: "etc/os-release", type: "symlink", linkname: "../usr/lib/os-release" },
        { name: "var/lib/dpkg/status", content: status(["libc6", "2.36-9+deb12u4", "glibc"], ["zlib1g", "1:1.2.13.dfsg-1"]) },
        { name: "var/lib/dpkg/status.d/old", content: status(["gone-by-overwrite", "1.0"]) },
      ],
      [
        { name: "var/lib/dpkg/status.d/keep", content: status(["kept", "1.0"]) },
        { name: "var/lib/dpkg/status.d/drop", content: status(["dropped", "2.0"]) },
        { name: "var/lib/dpkg/status.d/old", content: status(["replacement", "3.0"]) },
      ],
      [
        { name: "var/lib/dpkg/status.d/.wh.drop", content: "" },
      ],
    ]);
    const catalog = await catalogTarget(`oci:${dir}`, { catalogers: [dpkgCataloger] });
    assert.equal(catalog.kind, "image");
    assert.deepEqual(catalog.image?.layers, digests);
    assert.deepEqual(catalog.distro, { id: "debian", versionId: "12", versionCodename: "bookworm", prettyName: "Debian GNU/Linux 12 (bookworm)" });
    assert.deepEqual(catalog.packages.map((p) => [p.name, p.version, p.purl, p.release, p.sourceName, p.locations]), [
      ["kept", "1.0", "pkg:deb/debian/kept@1.0?arch=amd64&distro=debian-12", "12", undefined, [{ path: "var/lib/dpkg/status.d/keep", layerIndex: 1, layer: digests[1] }]],
      ["libc6", "2.36-9+deb12u4", "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12", "12", "glibc", [{ path: "var/lib/dpkg/status", layerIndex: 0, layer: digests[0] }]],
      ["replacement", "3.0", "pkg:deb/debian/replacement@3.0?arch=amd64&distro=debian-12", "12", undefined, [{ path: "var/lib/dpkg/status.d/old", layerIndex: 1, layer: digests[1] }]],
      ["zlib1g", "1:1.2.13.dfsg-1", "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12", "12", undefined, [{ path: "var/lib/dpkg/status", layerIndex: 0, layer: digests[0] }]],
    ]);
    assert.deepEqual(catalog.notes, []);
  });

  test("an opaque directory hides lower package files; a symlink to a package file adds no second copy", async () => {
    const { dir, digests } = await ociImage([
      [
        { name: "var/lib/dpkg/status.d/a", content: status(["a", "1"]) },
      ],
      [
        { name: "var/lib/dpkg/status.d/.wh..wh..opq", content: "" },
        { name: "var/lib/dpkg/status.d/b", content: status(["b", "2"]) },
        { name: "var/lib/dpkg/status", type: "symlink", linkname: "status.d/b" },
        { name: "etc/os-release", content: "ID=ubuntu\nVERSION_ID=\"22.04\"\nVERSION_CODENAME=jammy\nID_LIKE=debian\n" },
      ],
    ]);
    const catalog = await catalogTarget(`oci:${dir}`, { catalogers: [dpkgCataloger] });
    assert.deepEqual(catalog.packages.map((p) => [p.name, p.purl, p.ecosystem, p.release, p.locations[0]?.layerIndex]), [
      ["b", "pkg:deb/ubuntu/b@2?arch=amd64&distro=ubuntu-22.04", "Ubuntu", "22.04", 1],
    ]);
    assert.equal(catalog.packages[0]?.locations[0]?.layer, digests[1]);
  });

  test("status and status.d listing the same package count once, as long as the status file survives", async () => {
    const both = [
      { name: "var/lib/dpkg/status", content: status(["libc6", "2.36-9"], ["tzdata", "2025b"]) },
      { name: "var/lib/dpkg/status.d/libc6", content: status(["libc6", "2.36-9"]) },
    ];
    const once = await ociImage([both, [{ name: "var/lib/dpkg/status.d/tzdata", content: status(["tzdata", "2025b"]) }]]);
    const listed = (c: { packages: CatalogedPackage[] }) => c.packages.map((p) => `${p.name} ${p.locations.map((l) => `${l.path}@${l.layerIndex ?? "-"}`).join(",")}`);
    assert.deepEqual(listed(await catalogTarget(`oci:${once.dir}`, { catalogers: [dpkgCataloger] })), [
      "libc6 var/lib/dpkg/status@0",
      "tzdata var/lib/dpkg/status@0",
    ]);
    // A later layer deletes the status file: the status.d files are all that is left, and they count.
    const deleted = await ociImage([both, [{ name: "var/lib/dpkg/.wh.status", content: "" }]]);
    assert.deepEqual(listed(await catalogTarget(`oci:${deleted.dir}`, { catalogers: [dpkgCataloger] })), [
      "libc6 var/lib/dpkg/status.d/libc6@0",
    ]);
  });

  test("a file over maxFileBytes is noted and skipped", async () => {
    const content = status(["a", "1"]);
    const { dir } = await ociImage([[{ name: "var/lib/dpkg/status", content }]]);
    const catalog = await catalogTarget(`oci:${dir}`, { catalogers: [dpkgCataloger], maxFileBytes: 10 });
    assert.deepEqual(catalog.packages, []);
    assert.deepEqual(catalog.notes, [`skipped /var/lib/dpkg/status: too large (${content.length} bytes; the limit is 10)`]);
  });
});

describe("catalogDirectory / catalogTarget on directories", () => {
  // A cataloger of this test's own: wants *.magic files whose content starts with MAGIC, reports one package each.
  const seenBytes: number[] = [];
  const magic: Cataloger = {
    name: "magic",
    wants: (path) => path.endsWith(".magic"),
    wantsContent: (_path, head) => Buffer.from(head.subarray(0, 5)).toString("latin1") === "MAGIC",
    parse(file) {
      seenBytes.push(file.bytes.length);
      return [{ name: file.path, version: "1", ecosystem: "npm", purl: `pkg:npm/${file.path}@1`, type: "npm", licenses: [], locations: [file.location], cataloger: "magic" }];
    },
  };

  test("a project dir: symlinks never followed, .git skipped, content sniffed before whole files are kept", async () => {
    const dir = join(root, "project");
    const outside = join(root, "outside");
    mkdirSync(join(dir, ".git"), { recursive: true });
    mkdirSync(join(dir, "src"), { recursive: true });
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, "x.magic"), "MAGIC outside");
    writeFileSync(join(dir, "src/a.magic"), Buffer.concat([Buffer.from("MAGIC"), pattern(600_000, 3)]));
    writeFileSync(join(dir, "src/b.magic"), "not magic");
    writeFileSync(join(dir, ".git/c.magic"), "MAGIC in git");
    symlinkSync(outside, join(dir, "linked"));
    symlinkSync(join(outside, "x.magic"), join(dir, "y.magic"));
    const catalog = await catalogTarget("project", { catalogers: [magic], cwd: root });
    assert.equal(catalog.kind, "directory");
    assert.equal(catalog.distro, undefined);
    assert.deepEqual(catalog.packages.map((p) => [p.name, p.locations]), [["src/a.magic", [{ path: "src/a.magic" }]]]);
    assert.deepEqual(seenBytes, [600_005]);
  });

  test("a rootfs dir: detected by its package database; Alpine release file when os-release is missing", async () => {
    const dir = join(root, "rootfs-alpine");
    mkdirSync(join(dir, "etc"), { recursive: true });
    mkdirSync(join(dir, "var/lib/dpkg"), { recursive: true });
    writeFileSync(join(dir, "etc/alpine-release"), "3.19.1\n");
    writeFileSync(join(dir, "var/lib/dpkg/status"), status(["x", "1"]));
    const catalog = await catalogTarget(dir, { catalogers: [dpkgCataloger] });
    assert.equal(catalog.kind, "rootfs");
    assert.deepEqual(catalog.distro, { id: "alpine", versionId: "3.19.1", versionCodename: undefined, prettyName: "Alpine Linux v3.19" });
    // A dpkg database on Alpine is foreign to it: Debian defaults, no Alpine distro qualifier.
    assert.deepEqual(catalog.packages.map((p) => [p.purl, p.ecosystem, p.release]), [["pkg:deb/debian/x@1?arch=amd64", "Debian", undefined]]);
    await assert.rejects(catalogDirectory(join(root, "nope"), "rootfs", { catalogers: [] }), { name: "DrydockError", code: "IMAGE_NOT_FOUND" });
    await assert.rejects(catalogTarget("nope", { catalogers: [], cwd: root }), { name: "DrydockError", code: "IMAGE_NOT_FOUND" });
    // dir: names a root file system explicitly; its locations carry no layer either way.
    const viaImage = await catalogImage(await openImage(`dir:${dir}`), { catalogers: [dpkgCataloger] });
    assert.equal(viaImage.kind, "rootfs");
    assert.deepEqual(viaImage.packages.map((p) => p.locations), [[{ path: "var/lib/dpkg/status" }]]);
  });
});

describe("distribution and OS package finalization", () => {
  test("os-release parsing: quotes, escapes, comments", () => {
    assert.deepEqual(parseOsRelease('# c\nID=rhel\nNAME="Red Hat \\"Enterprise\\" Linux"\nX=\'single $x\'\nbad line\n'), { ID: "rhel", NAME: 'Red Hat "Enterprise" Linux', X: "single $x" });
    assert.equal(distroFromOsRelease("NAME=x\n"), undefined);
    assert.equal(distroFromAlpineRelease("garbage"), undefined);
  });

  const pkg = (type: "deb" | "apk" | "rpm", name: string, version: string, metadata: Record<string, string>, qualifiers = ""): CatalogedPackage => ({
    name, version, ecosystem: "x", purl: `pkg:${type}/x/${name}@${version}${qualifiers}`, type, licenses: [], locations: [{ path: "p" }], cataloger: type, metadata,
  });

  test("purls per the purl spec examples, ecosystems and releases by ID and ID_LIKE", () => {
    const os = (text: string) => distroFromOsRelease(text);
    const cases: [CatalogedPackage, string, [string, string, string | undefined]][] = [
      [pkg("deb", "openssl", "3.0.11-1~deb12u2", { arch: "amd64" }), DEBIAN_OS_RELEASE, ["pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12", "Debian", "12"]],
      [pkg("apk", "musl", "1.2.4-r2", { arch: "x86_64" }), 'ID=alpine\nVERSION_ID=3.19.0\n', ["pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.19.0", "Alpine", "v3.19"]],
      [pkg("rpm", "bash", "1:5.1.8-6.el9", { arch: "x86_64", epoch: "1", versionRelease: "5.1.8-6.el9" }), 'ID="rhel"\nVERSION_ID="9.3"\nID_LIKE="fedora"\n', ["pkg:rpm/redhat/bash@5.1.8-6.el9?arch=x86_64&distro=rhel-9.3&epoch=1", "Red Hat", "9.3"]],
      [pkg("rpm", "bash", "5.1.8-6.el9", { arch: "x86_64", versionRelease: "5.1.8-6.el9" }), 'ID="rocky"\nVERSION_ID="9.3"\nID_LIKE="rhel centos fedora"\n', ["pkg:rpm/rocky/bash@5.1.8-6.el9?arch=x86_64&distro=rocky-9.3", "Rocky Linux", "9"]],
      [pkg("rpm", "bash", "5.2-1", { arch: "x86_64", versionRelease: "5.2-1" }), 'ID="centos"\nVERSION_ID="9"\nID_LIKE="rhel fedora"\n', ["pkg:rpm/centos/bash@5.2-1?arch=x86_64&distro=centos-9", "Red Hat", undefined]],
      [pkg("deb", "x", "1", { arch: "amd64" }, "?foo=bar"), 'ID=linuxmint\nVERSION_ID="21.2"\nID_LIKE="ubuntu debian"\n', ["pkg:deb/linuxmint/x@1?arch=amd64&distro=linuxmint-21.2&foo=bar", "Ubuntu", undefined]],
      [pkg("deb", "x", "1", { arch: "amd64" }), 'ID=debian\nVERSION_CODENAME=trixie\n', ["pkg:deb/debian/x@1?arch=amd64&distro=debian-trixie", "Debian", "13"]],
    ];
    for (const [p, text, [purl, ecosystem, release]] of cases) {
      finalizeOsPackages([p], os(text));
      assert.deepEqual([p.purl, p.ecosystem, p.release], [purl, ecosystem, release], text);
    }
  });
});
