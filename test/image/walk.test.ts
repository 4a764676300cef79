// The layer walker over real OCI layouts: compression, digest checks, entries, whiteouts, content heads.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { chmodSync, linkSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { openImage } from "../../src/image/source.ts";
import { walkImage, type EntryConsumer, type LayerEntry } from "../../src/image/walk.ts";
import { buildImage, ociLayoutFiles, recorder, summarize, tarOf, tempDir, writeFiles, zstd, type ImageSpec } from "./fixtures.ts";
import { ZstdFrameSplitter } from "../../src/image/zstd-frames.ts";

async function withLayout<T>(spec: ImageSpec, fn: (ref: string) => Promise<T>): Promise<T> {
  const t = tempDir();
  try {
    writeFiles(t.dir, ociLayoutFiles([{ image: buildImage(spec), tag: "t" }]));
    return await fn(`oci:${t.dir}`);
  } finally {
    t.cleanup();
  }
}

async function walk(spec: ImageSpec, consumers: EntryConsumer[]) {
  return withLayout(spec, async (ref) => {
    const source = await openImage(ref);
    try {
      return await walkImage(source, consumers);
    } finally {
      await source.close();
    }
  });
}

const BASE = [
  { name: "etc/", type: "directory" as const },
  { name: "etc/os-release", content: 'ID=debian\nVERSION_ID="12"\n' },
  { name: "usr/bin/tool", content: Buffer.alloc(100_000, 0xab), mode: 0o4755 },
  { name: "root/.ssh/id_ed25519", content: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn...\n", mode: 0o600 },
];

describe("layer walker", () => {
  for (const compression of ["none", "gzip", "zstd"] as const) {
    test(`reads a ${compression} layer, verifying digest and diffID`, async () => {
      const tar = await tarOf(BASE);
      const rec = recorder(32);
      const result = await walk({ layers: [{ tar, compression }] }, [rec]);
      assert.deepEqual(summarize(rec.seen), [
        "0 dir etc 755 0:0 0",
        "0 file etc/os-release 644 0:0 26",
        "0 file usr/bin/tool 4755 0:0 100000",
        "0 file root/.ssh/id_ed25519 600 0:0 46",
      ]);
      assert.equal(rec.seen[1]?.head, 'ID=debian\nVERSION_ID="12"\n');
      assert.equal(rec.seen[3]?.head, "-----BEGIN OPENSSH PRIVATE KEY--", "32 bytes, as asked");
      const [layer] = result.layers;
      assert.equal(layer?.compression, compression);
      assert.equal(layer?.diffId, `sha256:${createHash("sha256").update(tar).digest("hex")}`);
      assert.equal(layer?.uncompressedBytes, tar.length);
      assert.equal(layer?.entries, 4);
    });
  }

  test("a multi-frame zstd layer with a skippable frame is read to its end (Node's decoder alone stops at frame 1)", async () => {
    const a = await tarOf([{ name: "first", content: "in frame one" }]);
    const b = await tarOf([{ name: "second", content: "in frame three" }]);
    // Frame one holds a's entries without its end marker; a skippable frame; then b.
    const skippable = Buffer.concat([Buffer.from([0x5e, 0x2a, 0x4d, 0x18, 3, 0, 0, 0]), Buffer.from("zzz")]);
    const tar = Buffer.concat([a.subarray(0, a.length - 1024), b]);
    const blob = Buffer.concat([zstd(a.subarray(0, a.length - 1024)), skippable, zstd(b)]);
    const rec = recorder(64);
    const result = await walk({ layers: [{ tar, compression: "zstd", blob }] }, [rec]);
    assert.deepEqual(rec.seen.map((s) => [s.entry.path, s.head]), [["first", "in frame one"], ["second", "in frame three"]]);
    assert.equal(result.layers[0]?.diffId, `sha256:${createHash("sha256").update(tar).digest("hex")}`, "the diffID covers every frame");
  });

  test("zstd frames are found whatever the chunking", () => {
    const frames = [zstd(Buffer.alloc(300_000, 1)), zstd(createHash("sha512").update("x").digest()), zstd(Buffer.from("tail".repeat(5000)))];
    const skippable = Buffer.concat([Buffer.from([0x50, 0x2a, 0x4d, 0x18, 5, 0, 0, 0]), Buffer.from("abcde")]);
    const all = Buffer.concat([frames[0] as Buffer, skippable, frames[1] as Buffer, frames[2] as Buffer]);
    for (const step of [1, 2, 5, 17, 4096, all.length]) {
      const splitter = new ZstdFrameSplitter("t");
      const got: Buffer[] = [];
      let current: Buffer[] = [];
      for (let i = 0; i < all.length; i += step) {
        for (const seg of splitter.split(all.subarray(i, i + step))) {
          current.push(Buffer.from(seg.data));
          if (seg.frameEnd) {
            got.push(Buffer.concat(current));
            current = [];
          }
        }
      }
      splitter.end();
      assert.deepEqual(got, frames, `chunks of ${step}`);
    }
  });

  test("whiteouts and opaque markers arrive as entries, with the hidden path", async () => {
    const l0 = await tarOf(BASE);
    const l1 = await tarOf([
      { name: "root/.ssh/.wh.id_ed25519", content: "" },
      { name: "etc/.wh..wh..opq", content: "" },
      { name: "etc/hostname", content: "box\n" },
    ]);
    const rec = recorder();
    await walk({ layers: [{ tar: l0 }, { tar: l1 }] }, [rec]);
    assert.deepEqual(summarize(rec.seen).slice(4), [
      "1 whiteout root/.ssh/id_ed25519 644 0:0 0",
      "1 opaque etc 644 0:0 0",
      "1 file etc/hostname 644 0:0 4",
    ]);
    assert.ok(rec.seen.every((s) => s.entry.layerDigest.startsWith("sha256:")));
  });

  test("content is read only for consumers that asked, each up to its own headBytes", async () => {
    const tar = await tarOf(BASE);
    const none = recorder(0);
    const small = recorder(4, (e) => e.path === "etc/os-release");
    const large = recorder(1 << 20, (e) => e.kind === "file");
    await walk({ layers: [{ tar }] }, [none, small, large]);
    assert.ok(none.seen.every((s) => s.head === undefined), "headBytes 0: headers only");
    assert.deepEqual(small.seen.map((s) => [s.entry.path, s.head]), [["etc/os-release", "ID=d"]]);
    assert.deepEqual(large.seen.map((s) => s.head?.length), [26, 100_000, 46]);
  });

  test("heads are views of one reused buffer: a consumer must copy what it keeps", async () => {
    const tar = await tarOf([{ name: "a", content: "first file" }, { name: "b", content: "second!!!!" }]);
    const kept: Uint8Array[] = [];
    const copies: string[] = [];
    await walk({ layers: [{ tar, compression: "gzip" }] }, [{
      headBytes: 64,
      wants: () => true,
      entry(_e, head) {
        if (head === undefined) return;
        kept.push(head);
        copies.push(Buffer.from(head).toString());
      },
    }]);
    assert.deepEqual(copies, ["first file", "second!!!!"]);
    assert.equal(kept.length, 2);
  });

  test("a consumer that wants nothing sees nothing, and the walk still verifies every layer", async () => {
    const tar = await tarOf(BASE);
    const calls: LayerEntry[] = [];
    const done: number[] = [];
    const result = await walk({ layers: [{ tar }, { tar, compression: "zstd" }] }, [{
      wants: () => false,
      entry: (e) => calls.push(e),
      layerDone: (l) => done.push(l.index),
    }]);
    assert.deepEqual(calls, []);
    assert.deepEqual(done, [0, 1]);
    assert.equal(result.entries, 8);
  });

  test("hardlinks carry their normalized target; absolute and dot names are normalized and recorded", async () => {
    const tar = await tarOf([
      { name: "./bin/", type: "directory" },
      { name: "./bin/busybox", content: "ELF" },
      { name: "./bin/sh", type: "link", linkname: "./bin/busybox" },
      { name: "/abs/file", content: "x" },
      { name: "a/../b", content: "y" },
    ]);
    const rec = recorder();
    const result = await walk({ layers: [{ tar }] }, [rec]);
    assert.deepEqual(summarize(rec.seen), [
      "0 dir bin 755 0:0 0",
      "0 file bin/busybox 644 0:0 3",
      "0 hardlink bin/sh -> bin/busybox 644 0:0 0",
      "0 file abs/file 644 0:0 1",
      "0 file b 644 0:0 1",
    ]);
    assert.deepEqual(result.anomalies.map((a) => [a.code, a.path]), [["ABSOLUTE_PATH", "abs/file"], ["DOT_DOT_PATH", "b"]]);
  });
});

describe("dir: a root file system directory", () => {
  test("walks with lstat (links not followed), finds hardlinks by inode, never opens a fifo", async () => {
    const t = tempDir();
    try {
      const root = join(t.dir, "rootfs");
      mkdirSync(join(root, "etc"), { recursive: true });
      mkdirSync(join(root, "bin"));
      writeFileSync(join(root, "etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
      writeFileSync(join(root, "bin/busybox"), "ELF");
      chmodSync(join(root, "bin/busybox"), 0o4755);
      linkSync(join(root, "bin/busybox"), join(root, "bin/sh"));
      symlinkSync("/etc", join(root, "etc-link"));
      symlinkSync("loop", join(root, "loop"));
      assert.equal(spawnSync("mkfifo", ["-m", "0644", join(root, "fifo")]).status, 0);
      const rec = recorder(1024);
      const source = await openImage(`dir:${root}`);
      assert.equal(source.transport, "dir");
      assert.equal(source.config, undefined);
      await walkImage(source, [rec]);
      const uid = process.getuid?.() ?? 0;
      const gid = process.getgid?.() ?? 0;
      assert.deepEqual(summarize(rec.seen).map((s) => s.replace(` ${uid}:${gid} `, " U ")), [
        "0 dir  755 U 0",
        "0 dir bin 755 U 0",
        "0 file bin/busybox 4755 U 3",
        "0 hardlink bin/sh -> bin/busybox 4755 U 0",
        "0 dir etc 755 U 0",
        "0 file etc/passwd 644 U 26",
        "0 symlink etc-link -> /etc 777 U 0",
        "0 fifo fifo 644 U 0",
        "0 symlink loop -> loop 777 U 0",
      ]);
      assert.equal(rec.seen.find((s) => s.entry.path === "etc/passwd")?.head, "root:x:0:0::/root:/bin/sh\n");
      const auto = await openImage(root);
      assert.equal(auto.transport, "dir", "a directory without oci-layout or manifest.json is a root file system");
    } finally {
      t.cleanup();
    }
  });
});
