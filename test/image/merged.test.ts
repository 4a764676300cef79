// The merged file system view: visibility after whiteouts, opaque markers and overwrites, with history kept.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MergedFs } from "../../src/image/merged.ts";
import { openImage } from "../../src/image/source.ts";
import { walkImage, type EntryKind, type LayerEntry } from "../../src/image/walk.ts";
import { buildImage, ociLayoutFiles, tarOf, tempDir, writeFiles, type FileSpec } from "./fixtures.ts";

/** Entries by hand: "kind path[>link]" per layer. */
function feed(layers: readonly string[][]): MergedFs {
  const fs = new MergedFs();
  layers.forEach((entries, layer) => {
    for (const spec of entries) {
      const [kind, rest = ""] = spec.split(" ") as [EntryKind, string];
      const [path = "", linkname = ""] = rest.split(">");
      const e: LayerEntry = { layer, layerDigest: `sha256:${layer}`, kind, path, mode: 0o644, uid: 0, gid: 0, size: 1, linkname, mtime: 0 };
      fs.entry(e);
    }
  });
  return fs;
}

describe("merged view", () => {
  test("a file deleted in a later layer is not visible, and its history says where it still is", () => {
    const fs = feed([
      ["dir etc", "file etc/passwd"],
      ["file app/key.pem"],
      ["file etc/hostname"],
      ["file app/run.sh"],
      [],
      ["whiteout app/key.pem"],
    ]);
    assert.equal(fs.get("/app/key.pem"), undefined);
    assert.deepEqual(fs.describe("app/key.pem"), ["file added in layer 1, deleted in layer 5 (whiteout)"]);
    assert.deepEqual([...fs.removed()].map(([p, v]) => `${p}@${v.layer}-${v.removedIn}`), ["app/key.pem@1-5"]);
    assert.equal(fs.get("app/run.sh")?.layer, 3);
    assert.deepEqual(fs.list("/app"), ["run.sh"]);
  });

  test("a whiteout of a directory hides everything below it from lower layers only", () => {
    const fs = feed([
      ["dir opt", "dir opt/tool", "file opt/tool/bin", "file opt/tool/lib/x.so"],
      ["whiteout opt/tool", "file opt/tool/new"],
    ]);
    assert.equal(fs.get("opt/tool/bin"), undefined);
    assert.equal(fs.get("opt/tool/lib/x.so")?.removedBy, undefined);
    assert.equal(fs.history("opt/tool/lib/x.so")[0]?.removedBy, "whiteout");
    assert.equal(fs.get("opt/tool/new")?.layer, 1, "same-layer entries are not hidden, whatever their order");
  });

  test("an opaque marker hides the directory's lower contents but keeps the directory", () => {
    const fs = feed([
      ["dir var", "dir var/cache", "file var/cache/a", "dir var/cache/sub", "file var/cache/sub/b"],
      ["file var/cache/c", "opaque var/cache"],
    ]);
    assert.deepEqual(fs.list("var/cache"), ["c"], "the marker came after c in the tar, yet c stays");
    assert.equal(fs.get("var/cache")?.layer, 0);
    assert.deepEqual(fs.describe("var/cache/sub/b"), ["file added in layer 0, deleted in layer 1 (opaque)"]);
  });

  test("overwrites keep every version; a file replacing a directory takes the directory's contents away", () => {
    const fs = feed([
      ["file etc/motd", "dir data", "file data/db"],
      ["file etc/motd", "file data"],
    ]);
    assert.deepEqual(fs.describe("etc/motd"), ["file added in layer 0, replaced in layer 1 (overwritten)", "file added in layer 1, visible"]);
    assert.equal(fs.get("data")?.kind, "file");
    assert.deepEqual(fs.describe("data/db"), ["file added in layer 0, deleted in layer 1 (parent-replaced)"]);
  });

  test("resolve follows symlinks in every component; a loop is an anomaly, not a hang", () => {
    const fs = feed([
      ["dir usr", "dir usr/lib", "file usr/lib/os-release", "symlink lib>usr/lib", "symlink etc-os>../lib/os-release"],
      ["symlink a>b", "symlink b>/a", "symlink self>self"],
    ]);
    assert.equal(fs.resolve("/lib/os-release")?.path, "usr/lib/os-release");
    assert.equal(fs.resolve("etc-os")?.version?.kind, "file", "'..' never climbs above the root");
    assert.equal(fs.resolve("a/x"), undefined);
    assert.equal(fs.resolve("self"), undefined);
    assert.deepEqual(fs.anomalies.map((a) => a.code), ["SYMLINK_LOOP", "SYMLINK_LOOP"]);
    assert.equal(fs.resolve("self", false)?.version?.kind, "symlink", "not following the last link");
  });

  test("entries below a symlink or a file are recorded: an extractor would write through or fail", () => {
    const fs = feed([["symlink etc>/tmp", "file etc/passwd", "file f", "file f/x"]]);
    assert.deepEqual(fs.anomalies.map((a) => `${a.code} ${a.path}`), ["PARENT_IS_SYMLINK etc/passwd", "PARENT_NOT_DIRECTORY f/x"]);
  });

  test("built from a real walk of three layers", async () => {
    const layer = (files: FileSpec[]): Promise<Buffer> => tarOf(files);
    const image = buildImage({
      layers: [
        { tar: await layer([{ name: "etc/", type: "directory" }, { name: "etc/secret", content: "s3cr3t" }, { name: "etc/keep", content: "k" }]) },
        { tar: await layer([{ name: "etc/keep", content: "k2" }]), compression: "zstd" },
        { tar: await layer([{ name: "etc/.wh.secret", content: "" }]), compression: "none" },
      ],
    });
    const t = tempDir();
    try {
      writeFiles(t.dir, ociLayoutFiles([{ image }]));
      const source = await openImage(t.dir);
      const fs = new MergedFs();
      await walkImage(source, [fs]);
      assert.deepEqual([...fs.visible()].map(([p, v]) => `${p}@${v.layer}`), ["etc@0", "etc/keep@1"]);
      assert.deepEqual(fs.describe("/etc/secret"), ["file added in layer 0, deleted in layer 2 (whiteout)"]);
      assert.equal(fs.history("etc/secret")[0]?.layerDigest, image.layerBlobs[0]?.digest);
    } finally {
      t.cleanup();
    }
  });
});
