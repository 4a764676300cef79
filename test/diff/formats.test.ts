// The same image stored in different forms: the file system and config compare equal, and what differs is named
// as format or compression, never as content. skopeo (Debian package) writes one of the forms, as an oracle.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { diffImages, type ImageDiff } from "../../src/diff/diff.ts";
import { openImage } from "../../src/image/source.ts";
import { renderDiffText } from "../../src/diff/render.ts";
import { dockerArchiveFiles, ociLayoutFiles, writeFiles } from "../image/fixtures.ts";
import { variantImage, workspace } from "./images.ts";

async function diffRefs(a: string, b: string, semantic = false): Promise<ImageDiff> {
  const sa = await openImage(a);
  const sb = await openImage(b);
  try {
    return await diffImages(sa, sb, { semantic });
  } finally {
    await sa.close();
    await sb.close();
  }
}

function assertSameContent(d: ImageDiff): void {
  assert.deepEqual(d.filesystem.changes, [], "the merged file systems are equal");
  assert.deepEqual(d.config, [], "the configs are equal");
  assert.deepEqual(d.history, []);
  for (const l of d.layers) assert.deepEqual(l.aspects, ["compression"], `layer ${l.index}: same diffID, so only its compression may differ`);
}

describe("one image, several forms", () => {
  test("classic docker save archive vs OCI layout: format and compression, same files and config", async () => {
    const ws = workspace();
    try {
      const image = await variantImage();
      const oci = ws.layout(image, "layout");
      const archive = join(ws.dir, "archive");
      writeFiles(archive, dockerArchiveFiles([{ image, repoTags: ["example/app:1.0"] }], "classic"));
      for (const semantic of [false, true]) {
        const d = await diffRefs(`docker-archive:${archive}`, oci, semantic);
        assertSameContent(d);
        assert.deepEqual(d.aspects, ["format", "compression"]);
        assert.deepEqual(d.manifest.map((c) => [c.aspect, c.a, c.b]), [["format", "docker-archive (no manifest)", "application/vnd.oci.image.manifest.v1+json"]]);
        assert.deepEqual(d.layers.map((l) => [l.a.compression, l.b.compression]), [["none", "gzip"], ["none", "gzip"]]);
      }
    } finally {
      ws.cleanup();
    }
  });

  test("Docker 25+ archive (OCI blobs inside) vs OCI layout: same blobs; read through manifest.json only the format differs", async () => {
    const ws = workspace();
    try {
      const image = await variantImage();
      const oci = ws.layout(image, "layout");
      const archive = join(ws.dir, "archive25");
      writeFiles(archive, dockerArchiveFiles([{ image, repoTags: ["example/app:1.0"] }], "docker25"));
      const viaManifestJson = await diffRefs(`docker-archive:${archive}`, oci);
      assertSameContent(viaManifestJson);
      assert.deepEqual(viaManifestJson.layers, [], "the very same layer blobs");
      assert.deepEqual(viaManifestJson.aspects, ["format"]);
      const viaLayout = await diffRefs(`oci:${archive}:1.0`, oci);
      assert.equal(viaLayout.same, true, JSON.stringify(viaLayout.aspects));
      assert.equal(viaLayout.a.manifestDigest, viaLayout.b.manifestDigest);
    } finally {
      ws.cleanup();
    }
  });

  test("Docker schema 2 vs OCI media types of the same layers: media types, nothing else", async () => {
    const ws = workspace();
    try {
      const oci = ws.layout(await variantImage(), "oci");
      const docker = ws.layout(await variantImage({ docker: true }), "docker");
      const d = await diffRefs(docker, oci);
      assertSameContent(d);
      assert.deepEqual(d.layers, []);
      assert.deepEqual(d.aspects, ["media-type"]);
      assert.deepEqual(d.manifest.map((c) => c.key), ["manifest", "layers[0]", "layers[1]"]);
    } finally {
      ws.cleanup();
    }
  });

  test("skopeo copy to docker-archive: the copy has the same files and config", async () => {
    const ws = workspace();
    try {
      const oci = ws.layout(await variantImage(), "layout");
      const archive = join(ws.dir, "skopeo.tar");
      execFileSync("skopeo", ["copy", "-q", "--insecure-policy", oci, `docker-archive:${archive}:example/app:1.0`], { stdio: ["ignore", "pipe", "pipe"] });
      const d = await diffRefs(oci, `docker-archive:${archive}`);
      assertSameContent(d);
      assert.ok(d.aspects.every((x) => x === "format" || x === "compression"), d.aspects.join(", "));
      assert.ok(d.aspects.includes("compression"), "skopeo stores docker-archive layers uncompressed");
    } finally {
      ws.cleanup();
    }
  });

  test("an OCI layout written twice from the same image: the same, exit-code-wise and digest-wise", async () => {
    const ws = workspace();
    try {
      const image = await variantImage();
      const one = ws.layout(image, "one");
      const two = join(ws.dir, "two");
      writeFiles(two, ociLayoutFiles([{ image, tag: "1.0" }]));
      const d = await diffRefs(one, `oci:${two}:1.0`);
      assert.equal(d.same, true);
      assert.deepEqual(d.aspects, []);
    } finally {
      ws.cleanup();
    }
  });

  test("root file system directories (dir:): content and mode, listed once for a single layer", async () => {
    const ws = workspace();
    try {
      const tree = (name: string, content: string, mode: number): string => {
        const root = join(ws.dir, name);
        mkdirSync(join(root, "etc"), { recursive: true });
        writeFileSync(join(root, "etc/x"), content);
        chmodSync(join(root, "etc/x"), mode);
        for (const p of ["etc/x", "etc", "."]) utimesSync(join(root, p), 1_700_000_000, 1_700_000_000);
        return `dir:${root}`;
      };
      const d = await diffRefs(tree("one", "a\n", 0o644), tree("two", "b\n", 0o600));
      assert.deepEqual(d.aspects, ["content", "mode"]);
      assert.deepEqual(renderDiffText(d).split("\n").slice(2), [
        "different: content, mode",
        "layer 0: content, mode",
        "filesystem (merged view): 0 added, 0 removed, 1 changed",
        "  ~ /etc/x: content sha256:87428fc52280 -> sha256:0263829989b6; mode 0644 -> 0600",
        "",
      ]);
    } finally {
      ws.cleanup();
    }
  });
});
