// Hostile input: crafted archives, each built here from real bytes, each giving its exact error code or anomaly
// — never a crash, a hang or a huge allocation (every case runs under a timeout, the giant ones in milliseconds).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AnomalyCode } from "../../src/image/anomaly.ts";
import type { ErrorCode } from "../../src/core/errors.ts";
import type { ImageLimits } from "../../src/image/limits.ts";
import { MergedFs } from "../../src/image/merged.ts";
import { openImage } from "../../src/image/source.ts";
import { walkImage } from "../../src/image/walk.ts";
import {
  archiveOf, buildImage, dockerArchiveFiles, END, gzip, ociLayoutFiles, paxData, rawEntry, rawHeader, recorder, sha256,
  tarOf, writeFiles, zstd, type ImageSpec, type LayerSpec,
} from "./fixtures.ts";

type Expect = { code: ErrorCode } | { anomaly: AnomalyCode; path?: string };

interface Case {
  name: string;
  /** Writes the image into dir; returns the reference to open. */
  make: (dir: string) => Promise<string>;
  expect: Expect;
  limits?: Partial<ImageLimits>;
  /** After the walk, also resolve these paths in the merged view. */
  resolve?: string[];
}

function layout(layers: LayerSpec[], spec: Partial<ImageSpec> = {}): (dir: string) => Promise<string> {
  return async (dir) => {
    writeFiles(dir, ociLayoutFiles([{ image: buildImage({ ...spec, layers }) }]));
    return dir;
  };
}

/** A layout with one uncompressed layer of raw tar bytes. */
const rawLayer = (tar: Buffer, compression: LayerSpec["compression"] = "none"): Case["make"] => layout([{ tar, compression }]);

/** A layout whose files are edited after they were built. */
function editedLayout(spec: ImageSpec, edit: (files: Map<string, Buffer>, image: ReturnType<typeof buildImage>) => void): Case["make"] {
  return async (dir) => {
    const image = buildImage(spec);
    const files = ociLayoutFiles([{ image }]);
    edit(files, image);
    writeFiles(dir, files);
    return dir;
  };
}

const blobKey = (digest: string): string => `blobs/sha256/${digest.slice(7)}`;

const plain = async (): Promise<Buffer> => tarOf([{ name: "etc/hostname", content: "box\n" }]);

/** A manifest with edits, stored under its new digest and listed in index.json. */
function withManifest(edit: (m: Record<string, unknown>) => void, configBytes?: Buffer): Case["make"] {
  return async (dir) => {
    const image = buildImage({ layers: [{ tar: await plain() }] });
    const files = ociLayoutFiles([{ image }]);
    const m = JSON.parse(image.manifest.toString()) as Record<string, unknown>;
    if (configBytes !== undefined) {
      files.set(blobKey(sha256(configBytes)), configBytes);
      m["config"] = { mediaType: "application/vnd.oci.image.config.v1+json", digest: sha256(configBytes), size: configBytes.length };
    }
    edit(m);
    const bytes = Buffer.from(JSON.stringify(m));
    files.set(blobKey(sha256(bytes)), bytes);
    files.set("index.json", Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: "application/vnd.oci.image.manifest.v1+json", digest: sha256(bytes), size: bytes.length }] })));
    writeFiles(dir, files);
    return dir;
  };
}

function configWith(config: Record<string, unknown>): Buffer {
  return Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [] }, ...config }));
}

async function dockerSave(dir: string, files: Map<string, Buffer>): Promise<string> {
  const file = join(dir, "save.tar");
  writeFileSync(file, await archiveOf(files));
  return file;
}

const CASES: Case[] = [
  // --- names that leave the root, and other path tricks ---
  { name: "a ../ entry escapes the layer root", make: async (d) => rawLayer(Buffer.concat([rawEntry({ name: "../etc/cron.d/evil" }, "* * * * * root sh"), END]))(d), expect: { code: "TAR_PATH_ESCAPE" } },
  { name: "a .. deep inside a name still climbs out", make: async (d) => rawLayer(Buffer.concat([rawEntry({ name: "usr/lib/../../../x" }, "x"), END]))(d), expect: { code: "TAR_PATH_ESCAPE" } },
  { name: "a hardlink pointing outside the layer", make: async (d) => rawLayer(Buffer.concat([rawHeader({ name: "shadow", typeflag: "1", linkname: "../../etc/shadow" }), END]))(d), expect: { code: "TAR_PATH_ESCAPE" } },
  { name: "an absolute name is read from the root", make: async (d) => rawLayer(Buffer.concat([rawEntry({ name: "/etc/cron.d/job" }, "x"), END]))(d), expect: { anomaly: "ABSOLUTE_PATH", path: "etc/cron.d/job" } },
  { name: "a .. that stays inside is normalized", make: async (d) => rawLayer(Buffer.concat([rawEntry({ name: "a/b/../c" }, "x"), END]))(d), expect: { anomaly: "DOT_DOT_PATH", path: "a/c" } },
  { name: "the same path twice in a layer", make: async (d) => rawLayer(Buffer.concat([rawEntry({ name: "app/config" }, "harmless"), rawEntry({ name: "app/config" }, "evil"), END]))(d), expect: { anomaly: "DUPLICATE_ENTRY", path: "app/config" } },
  {
    name: "a symlink loop",
    make: async (d) => layout([{ tar: await tarOf([{ name: "a", type: "symlink", linkname: "b" }, { name: "b", type: "symlink", linkname: "/a" }]) }])(d),
    expect: { anomaly: "SYMLINK_LOOP", path: "a/etc/passwd" },
    resolve: ["a/etc/passwd"],
  },
  {
    name: "an entry written through a symlink",
    make: async (d) => layout([{ tar: await tarOf([{ name: "etc", type: "symlink", linkname: "/tmp" }, { name: "etc/passwd", content: "x" }]) }])(d),
    expect: { anomaly: "PARENT_IS_SYMLINK", path: "etc/passwd" },
  },
  { name: "a hardlink to nothing earlier in the layer", make: async (d) => rawLayer(Buffer.concat([rawHeader({ name: "bin/sh", typeflag: "1", linkname: "bin/busybox" }), END]))(d), expect: { anomaly: "HARDLINK_TARGET_MISSING", path: "bin/sh" } },
  { name: "a NUL byte inside a PAX path", make: async (d) => rawLayer(Buffer.concat([rawEntry({ name: "p", typeflag: "x" }, paxData({ path: "etc/pass\0wd" })), rawEntry({ name: "x" }, "x"), END]))(d), expect: { code: "TAR_HEADER_INVALID" } },
  { name: "a PAX path longer than PATH_MAX", make: async (d) => rawLayer(Buffer.concat([rawEntry({ name: "p", typeflag: "x" }, paxData({ path: `${"d/".repeat(2100)}f` })), rawEntry({ name: "x" }), END]))(d), expect: { code: "TAR_HEADER_TOO_LARGE" } },
  {
    name: "many long names adding up (what a merged view would have to keep)",
    make: async (d) => layout([{ tar: await tarOf(Array.from({ length: 200 }, (_, i) => ({ name: `${"n".repeat(3000)}/${i}`, content: "" }))) }])(d),
    limits: { maxTotalPathLength: 100_000 },
    expect: { code: "IMAGE_TOO_LARGE" },
  },
  { name: "a whiteout of nothing", make: async (d) => rawLayer(Buffer.concat([rawEntry({ name: "etc/.wh." }), END]))(d), expect: { anomaly: "INVALID_WHITEOUT" } },
  { name: "aufs whiteout metadata", make: async (d) => rawLayer(Buffer.concat([rawEntry({ name: ".wh..wh.plnk/1.2" }), END]))(d), expect: { anomaly: "WHITEOUT_METADATA" } },

  // --- headers ---
  { name: "a PAX header declaring 8 GiB", make: async (d) => rawLayer(Buffer.concat([rawHeader({ name: "p", typeflag: "x", sizeField: "77777777777\0" }), END]))(d), expect: { code: "TAR_HEADER_TOO_LARGE" } },
  { name: "a GNU long name declaring 1 TiB (base-256)", make: async (d) => rawLayer(Buffer.concat([rawHeader({ name: "././@LongLink", typeflag: "L", magic: "gnu", sizeBytes: [0x80, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0] }), END]))(d), expect: { code: "TAR_HEADER_TOO_LARGE" } },
  { name: "a PAX record whose length lies", make: async (d) => rawLayer(Buffer.concat([rawEntry({ name: "p", typeflag: "x" }, "99 path=x\n"), rawEntry({ name: "x" }), END]))(d), expect: { code: "TAR_HEADER_INVALID" } },
  { name: "a PAX size that is not a number", make: async (d) => rawLayer(Buffer.concat([rawEntry({ name: "p", typeflag: "x" }, paxData({ size: "1e9" })), rawEntry({ name: "x" }), END]))(d), expect: { code: "TAR_HEADER_INVALID" } },
  { name: "a PAX size pointing past the end of the layer", make: async (d) => rawLayer(Buffer.concat([rawEntry({ name: "p", typeflag: "x" }, paxData({ size: "999999999" })), rawEntry({ name: "x" }, "x"), END]))(d), expect: { code: "TAR_TRUNCATED" } },
  { name: "a wrong checksum in the second header", make: async (d) => rawLayer(Buffer.concat([rawEntry({ name: "ok" }, "fine"), rawEntry({ name: "bad", checksumDelta: 1 }, "x"), END]))(d), expect: { code: "TAR_HEADER_INVALID" } },
  { name: "a size field that is not octal", make: async (d) => rawLayer(Buffer.concat([rawHeader({ name: "f", sizeField: "12abc\0" }), END]))(d), expect: { code: "TAR_HEADER_INVALID" } },
  { name: "a negative base-256 size", make: async (d) => rawLayer(Buffer.concat([rawHeader({ name: "f", sizeBytes: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00] }), END]))(d), expect: { code: "TAR_HEADER_INVALID" } },
  { name: "a header after a single zero block", make: async (d) => rawLayer(Buffer.concat([rawEntry({ name: "a" }, "a"), Buffer.alloc(512), rawEntry({ name: "hidden" }, "h"), END]))(d), expect: { code: "TAR_HEADER_INVALID" } },
  {
    name: "a directory header with a size, hiding an entry in its 'data' (read as Go reads it)",
    make: async (d) => rawLayer(Buffer.concat([rawHeader({ name: "dir/", typeflag: "5", size: 1024 }), rawEntry({ name: "dir/seen-by-go" }, "x"), END]))(d),
    expect: { anomaly: "HEADER_ONLY_WITH_SIZE", path: "dir/" },
  },
  { name: "an entry type no image uses", make: async (d) => rawLayer(Buffer.concat([rawEntry({ name: "vol", typeflag: "V" }, "label"), rawEntry({ name: "after" }, "x"), END]))(d), expect: { anomaly: "UNKNOWN_ENTRY_TYPE", path: "vol" } },

  // --- streams ---
  { name: "a layer that is not a tar at all", make: async (d) => rawLayer(Buffer.from(JSON.stringify({ not: "a tar" }).repeat(40)))(d), expect: { code: "TAR_HEADER_INVALID" } },
  { name: "a tar cut inside file data", make: async (d) => rawLayer((await tarOf([{ name: "big", content: Buffer.alloc(5000, 1) }])).subarray(0, 2048))(d), expect: { code: "TAR_TRUNCATED" } },
  { name: "a tar cut inside a header", make: async (d) => rawLayer((await tarOf([{ name: "a", content: "x" }, { name: "b", content: "y" }])).subarray(0, 1024 + 100))(d), expect: { code: "TAR_TRUNCATED" } },
  { name: "a truncated gzip stream", make: async (d) => layout([{ tar: await plain(), blob: gzip(await plain()).subarray(0, 40) }])(d), expect: { code: "LAYER_CORRUPT" } },
  {
    name: "a corrupt gzip stream",
    make: async (d) => {
      const blob = Buffer.from(gzip(await tarOf([{ name: "f", content: Buffer.from("some text ".repeat(500)) }])));
      for (let i = 12; i < 40; i++) blob[i] = (blob[i] ?? 0) ^ 0x5a;
      return layout([{ tar: await plain(), blob }])(d);
    },
    expect: { code: "LAYER_CORRUPT" },
  },
  { name: "a truncated zstd stream", make: async (d) => layout([{ tar: await plain(), compression: "zstd", blob: zstd(await plain()).subarray(0, 30) }])(d), expect: { code: "LAYER_CORRUPT" } },
  { name: "garbage after a zstd frame", make: async (d) => layout([{ tar: await plain(), compression: "zstd", blob: Buffer.concat([zstd(await plain()), Buffer.from("not a frame")]) }])(d), expect: { code: "LAYER_CORRUPT" } },
  { name: "a gzip bomb (64 MiB of zeros in 64 KiB)", make: async (d) => layout([{ tar: await tarOf([{ name: "zeros", content: Buffer.alloc(64 * 1024 * 1024) }]) }])(d), limits: { maxUncompressedBytes: 1024 * 1024 }, expect: { code: "IMAGE_TOO_LARGE" } },
  {
    name: "a tar bomb of many tiny entries",
    make: async (d) => layout([{ tar: await tarOf(Array.from({ length: 3000 }, (_, i) => ({ name: `d/${i}`, content: "" }))) }])(d),
    limits: { maxEntries: 1000 },
    expect: { code: "IMAGE_TOO_LARGE" },
  },
  { name: "a gzip media type on an uncompressed tar", make: async (d) => layout([{ tar: await plain(), compression: "none", mediaType: "application/vnd.oci.image.layer.v1.tar+gzip" }])(d), expect: { anomaly: "COMPRESSION_MISMATCH" } },
  { name: "data after the end of the tar", make: async (d) => rawLayer(Buffer.concat([await plain(), Buffer.from("smuggled bytes")]))(d), expect: { anomaly: "TRAILING_DATA" } },

  // --- digests, blobs, media types, JSON ---
  {
    name: "a layer blob altered after it was digested (same size)",
    make: async (d) => layout([{ tar: await plain(), compression: "none", tamper: (b) => Buffer.from(b.toString("latin1").replace("box", "bad"), "latin1") }])(d),
    expect: { code: "LAYER_DIGEST_MISMATCH" },
  },
  {
    name: "a blob altered so its tar breaks: the digest mismatch is reported, not the symptom",
    make: async (d) => layout([{ tar: await plain(), compression: "none", tamper: (b) => Buffer.concat([Buffer.from("XX"), b.subarray(2)]) }])(d),
    expect: { code: "LAYER_DIGEST_MISMATCH" },
  },
  { name: "a config whose diffID lies", make: async (d) => layout([{ tar: await plain(), diffId: sha256("something else") }])(d), expect: { code: "LAYER_DIFFID_MISMATCH" } },
  { name: "a layer blob shorter than its descriptor", make: async (d) => layout([{ tar: await plain(), tamper: (b) => b.subarray(0, b.length - 1) }])(d), expect: { code: "LAYER_DIGEST_MISMATCH" } },
  { name: "a manifest pointing at a missing layer", make: editedLayout({ layers: [{ tar: Buffer.alloc(1024) }] }, (f, im) => f.delete(blobKey(im.layerBlobs[0]?.digest ?? ""))), expect: { code: "BLOB_MISSING" } },
  { name: "a manifest pointing at a missing config", make: editedLayout({ layers: [] }, (f, im) => f.delete(blobKey(im.configDigest))), expect: { code: "BLOB_MISSING" } },
  { name: "a manifest blob that does not match its digest", make: editedLayout({ layers: [] }, (f, im) => f.set(blobKey(im.manifestDigest), Buffer.from(im.manifest.toString().replace("schemaVersion\":2", "schemaVersion\": 2")))), expect: { code: "BLOB_DIGEST_MISMATCH" } },
  {
    name: "a digest that walks out of the blobs directory",
    make: editedLayout({ layers: [] }, (f) => f.set("index.json", Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: "application/vnd.oci.image.manifest.v1+json", digest: "sha256:../../../../etc/passwd", size: 10 }] })))),
    expect: { code: "MANIFEST_INVALID" },
  },
  { name: "a layer media type drydock cannot read", make: withManifest((m) => { (m["layers"] as Record<string, unknown>[])[0]!["mediaType"] = "application/vnd.oci.image.layer.v1.tar+bzip2"; }), expect: { code: "MEDIA_TYPE_UNKNOWN" } },
  { name: "an OCI artifact, not an image", make: withManifest((m) => { (m["config"] as Record<string, unknown>)["mediaType"] = "application/vnd.cncf.helm.config.v1+json"; }), expect: { code: "MEDIA_TYPE_UNKNOWN" } },
  { name: "a Docker schema 1 manifest", make: withManifest((m) => { m["schemaVersion"] = 1; delete m["mediaType"]; }), expect: { code: "MEDIA_TYPE_UNKNOWN" } },
  { name: "index.json that is not JSON", make: editedLayout({ layers: [] }, (f) => f.set("index.json", Buffer.from("{\"schemaVersion\": 2, \"manifests\": ["))), expect: { code: "MANIFEST_INVALID" } },
  { name: "a config that is not JSON", make: withManifest(() => {}, Buffer.from("{ not json")), expect: { code: "IMAGE_CONFIG_INVALID" } },
  { name: "a config whose Env is a string", make: withManifest((m) => { m["layers"] = []; }, configWith({ config: { Env: "PATH=/bin" } })), expect: { code: "IMAGE_CONFIG_INVALID" } },
  { name: "more layers in the manifest than diff_ids in the config", make: withManifest(() => {}, configWith({})), expect: { code: "MANIFEST_INVALID" } },
  {
    name: "indexes nested six deep",
    make: editedLayout({ layers: [] }, (f, im) => {
      let d = { mediaType: im.manifestMediaType, digest: im.manifestDigest, size: im.manifest.length };
      for (let i = 0; i < 6; i++) {
        const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: [d] }));
        f.set(blobKey(sha256(bytes)), bytes);
        d = { mediaType: "application/vnd.oci.image.index.v1+json", digest: sha256(bytes), size: bytes.length };
      }
      f.set("index.json", Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [d] })));
    }),
    expect: { code: "MANIFEST_INVALID" },
  },
  { name: "a config descriptor declaring a terabyte", make: withManifest((m) => { (m["config"] as Record<string, unknown>)["size"] = 1e12; }), expect: { code: "IMAGE_TOO_LARGE" } },
  { name: "more layers than the limit", make: async (d) => layout([{ tar: await plain() }, { tar: await plain() }, { tar: await plain() }])(d), limits: { maxLayers: 2 }, expect: { code: "IMAGE_TOO_LARGE" } },
  {
    name: "index.json is a fifo (reading it would block forever)",
    make: async (d) => {
      await editedLayout({ layers: [] }, (f) => f.delete("index.json"))(d);
      assert.equal(spawnSync("mkfifo", [join(d, "index.json")]).status, 0);
      return d;
    },
    expect: { code: "MANIFEST_INVALID" },
  },
  { name: "an oci-layout of an unknown version", make: editedLayout({ layers: [] }, (f) => f.set("oci-layout", Buffer.from("{\"imageLayoutVersion\":\"2.0.0\"}"))), expect: { code: "MANIFEST_INVALID" } },

  // --- outer archives ---
  {
    name: "docker save: manifest.json points outside the archive",
    make: async (d) => {
      const files = dockerArchiveFiles([{ image: buildImage({ layers: [{ tar: await plain() }] }), repoTags: ["x:1"] }], "classic");
      const m = JSON.parse(files.get("manifest.json")?.toString() ?? "[]") as { Layers: string[] }[];
      m[0]!.Layers = ["../../outside/layer.tar"];
      files.set("manifest.json", Buffer.from(JSON.stringify(m)));
      return dockerSave(d, files);
    },
    expect: { code: "MANIFEST_INVALID" },
  },
  {
    name: "docker save: a layer that is not in the archive",
    make: async (d) => {
      const files = dockerArchiveFiles([{ image: buildImage({ layers: [{ tar: await plain() }] }), repoTags: ["x:1"] }], "classic");
      for (const k of [...files.keys()]) if (k.endsWith("layer.tar")) files.delete(k);
      return dockerSave(d, files);
    },
    expect: { code: "BLOB_MISSING" },
  },
  {
    name: "docker save: layer.tar is a symlink to itself",
    make: async (d) => {
      const files = dockerArchiveFiles([{ image: buildImage({ layers: [{ tar: await plain() }] }), repoTags: ["x:1"] }], "classic");
      const layerPath = [...files.keys()].find((k) => k.endsWith("layer.tar")) ?? "";
      files.delete(layerPath);
      const file = join(d, "save.tar");
      writeFileSync(file, await tarOf([...[...files].map(([name, content]) => ({ name, content })), { name: layerPath, type: "symlink", linkname: "layer.tar" }]));
      return file;
    },
    expect: { code: "TAR_LINK_LOOP" },
  },
  {
    name: "docker save: manifest.json twice, the later one wins",
    make: async (d) => {
      const files = dockerArchiveFiles([{ image: buildImage({ layers: [{ tar: await plain() }] }), repoTags: ["x:1"] }], "classic");
      const file = join(d, "save.tar");
      writeFileSync(file, await tarOf([{ name: "manifest.json", content: "[]" }, ...[...files].map(([name, content]) => ({ name, content }))]));
      return file;
    },
    expect: { anomaly: "ARCHIVE_DUPLICATE_ENTRY", path: "manifest.json" },
  },
  { name: "docker save: manifest.json is not an array", make: async (d) => dockerSave(d, new Map([["manifest.json", Buffer.from("{\"Config\":\"x\"}")]])), expect: { code: "MANIFEST_INVALID" } },
  {
    name: "a gzip-compressed archive",
    make: async (d) => {
      const file = join(d, "save.tar.gz");
      writeFileSync(file, gzip(await archiveOf(dockerArchiveFiles([{ image: buildImage({ layers: [] }), repoTags: [] }], "classic"))));
      return file;
    },
    expect: { code: "IMAGE_FORMAT_UNKNOWN" },
  },
  {
    name: "a JSON file instead of an archive",
    make: async (d) => {
      const file = join(d, "image.json");
      writeFileSync(file, JSON.stringify({ schemaVersion: 2 }));
      return file;
    },
    expect: { code: "IMAGE_FORMAT_UNKNOWN" },
  },
  {
    name: "an archive cut inside a layer member",
    make: async (d) => {
      const bytes = await archiveOf(dockerArchiveFiles([{ image: buildImage({ layers: [{ tar: await tarOf([{ name: "f", content: Buffer.alloc(20_000, 3) }]) }] }), repoTags: [] }], "classic"));
      const file = join(d, "cut.tar");
      const layerAt = bytes.indexOf(Buffer.from("layer.tar"));
      writeFileSync(file, bytes.subarray(0, layerAt + 4096));
      return file;
    },
    expect: { code: "TAR_TRUNCATED" },
  },
  {
    name: "a fifo given as the image (opening it would block forever)",
    make: async (d) => {
      const fifo = join(d, "image.tar");
      assert.equal(spawnSync("mkfifo", [fifo]).status, 0);
      return fifo;
    },
    expect: { code: "IMAGE_FORMAT_UNKNOWN" },
  },
];

describe("hostile input", () => {
  test("the suite has at least 25 crafted archives, each named once", () => {
    assert.ok(CASES.length >= 25, `${CASES.length} cases`);
    assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length);
  });

  for (const c of CASES) {
    test(c.name, { timeout: 10_000 }, async () => {
      const dir = mkdtempSync(join(tmpdir(), "drydock-hostile-"));
      try {
        const ref = await c.make(dir);
        const run = async (): Promise<string[]> => {
          const source = await openImage(ref, c.limits === undefined ? {} : { limits: c.limits });
          try {
            const merged = new MergedFs();
            const result = await walkImage(source, [merged, recorder(4096)]);
            for (const p of c.resolve ?? []) merged.resolve(p);
            return [...result.anomalies, ...merged.anomalies].map((a) => `${a.code} ${a.path ?? ""}`);
          } finally {
            await source.close();
          }
        };
        if ("code" in c.expect) {
          const code = c.expect.code;
          await assert.rejects(run(), (e: unknown) => {
            assert.equal((e as { name?: string }).name, "DrydockError", String(e));
            assert.equal((e as { code?: string }).code, code, (e as Error).message);
            return true;
          });
        } else {
          const found = await run();
          const wanted = c.expect.anomaly;
          const path = c.expect.path;
          assert.ok(found.some((a) => a.startsWith(`${wanted} `) && (path === undefined || a === `${wanted} ${path}`)), `expected ${wanted} ${path ?? ""}; got ${JSON.stringify(found)}`);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  test("a directory header's bogus size does not swallow the entry after it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "drydock-hostile-"));
    try {
      writeFiles(dir, ociLayoutFiles([{ image: buildImage({ layers: [{ tar: Buffer.concat([rawHeader({ name: "dir/", typeflag: "5", size: 1024 }), rawEntry({ name: "dir/seen-by-go" }, "x"), END]), compression: "none" }] }) }]));
      const source = await openImage(dir);
      const rec = recorder();
      await walkImage(source, [rec]);
      assert.deepEqual(rec.seen.map((s) => s.entry.path), ["dir", "dir/seen-by-go"]);
      await source.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("global PAX headers cannot pile up extended attributes; per-entry ones arrive with their entry", async () => {
    const dir = mkdtempSync(join(tmpdir(), "drydock-hostile-"));
    try {
      const tar = Buffer.concat([
        ...Array.from({ length: 50 }, (_, i) => rawEntry({ name: "g", typeflag: "g" }, paxData({ [`SCHILY.xattr.user.k${i}`]: "v".repeat(1000) }))),
        rawEntry({ name: "PaxHeaders/f", typeflag: "x" }, paxData({ "SCHILY.xattr.security.capability": "cap" })),
        rawEntry({ name: "f" }, "x"),
        rawEntry({ name: "g" }, "y"),
        END,
      ]);
      writeFiles(dir, ociLayoutFiles([{ image: buildImage({ layers: [{ tar, compression: "none" }] }) }]));
      const source = await openImage(dir);
      const rec = recorder();
      await walkImage(source, [rec]);
      await source.close();
      assert.deepEqual(rec.seen.map((s) => [s.entry.path, [...(s.entry.xattrs?.keys() ?? [])]]), [["f", ["security.capability"]], ["g", []]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the giant-header and bomb cases fail fast, without allocating what they declare", async () => {
    const before = process.memoryUsage().arrayBuffers;
    const dir = mkdtempSync(join(tmpdir(), "drydock-hostile-"));
    try {
      const started = performance.now();
      const giant = CASES.find((c) => c.name.startsWith("a GNU long name declaring 1 TiB"));
      const ref = await giant!.make(dir);
      const source = await openImage(ref);
      await assert.rejects(walkImage(source, []), { code: "TAR_HEADER_TOO_LARGE" });
      await source.close();
      assert.ok(performance.now() - started < 2000);
      assert.ok(process.memoryUsage().arrayBuffers - before < 64 * 1024 * 1024);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
