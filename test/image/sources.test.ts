// Image sources: every transport reads the same image the same way; tags, images and platforms are chosen
// as docker and skopeo choose them; the config is parsed field by field.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describeImage } from "../../src/image/describe.ts";
import { hostPlatform, parsePlatform } from "../../src/image/platform.ts";
import { openImage, type ImageSource } from "../../src/image/source.ts";
import { walkImage } from "../../src/image/walk.ts";
import { archiveOf, buildImage, dockerArchiveFiles, ociLayoutFiles, recorder, summarize, tarOf, tempDir, writeFiles, type BuiltImage } from "./fixtures.ts";

async function sampleImage(arch = "amd64", marker = "x"): Promise<BuiltImage> {
  return buildImage({
    architecture: arch,
    layers: [
      { tar: await tarOf([{ name: "etc/", type: "directory" }, { name: "etc/arch", content: `${arch} ${marker}\n` }]) },
      { tar: await tarOf([{ name: "app/run", content: "#!/bin/sh\n", mode: 0o755 }, { name: "etc/.wh.arch", content: "" }]), compression: "zstd" },
    ],
    config: {
      User: "1000:1000",
      Env: ["PATH=/usr/bin", "APP_MODE=prod"],
      Entrypoint: ["/app/run"],
      Cmd: ["--serve"],
      WorkingDir: "/app",
      ExposedPorts: { "8080/tcp": {}, "53/udp": {} },
      Volumes: { "/data": {} },
      Labels: { "org.opencontainers.image.source": "https://example.com/app" },
      Healthcheck: { Test: ["CMD-SHELL", "wget -q -O- localhost:8080"], Interval: 30_000_000_000, Timeout: 5_000_000_000, Retries: 3 },
      StopSignal: "SIGTERM",
    },
    history: [
      { created: "2024-01-01T00:00:00Z", created_by: "ADD rootfs.tar /" },
      { created: "2024-01-01T00:00:01Z", created_by: "ENV APP_MODE=prod", empty_layer: true },
      { created: "2024-01-01T00:00:02Z", created_by: "COPY run /app/run" },
    ],
  });
}

async function entriesOf(source: ImageSource): Promise<string[]> {
  const rec = recorder(64);
  await walkImage(source, [rec]);
  return rec.seen.map((s, i) => `${summarize(rec.seen)[i]} ${JSON.stringify(s.head ?? null)}`);
}

async function open(ref: string, options: Parameters<typeof openImage>[1] = {}): Promise<ImageSource> {
  return openImage(ref, options);
}

/** The config digest of the image a reference picks (the source is closed again). */
async function picked(ref: string, options: Parameters<typeof openImage>[1] = {}): Promise<string | undefined> {
  const source = await openImage(ref, options);
  await source.close();
  return source.configDigest;
}

async function rejectsWith(ref: string, code: string, options: Parameters<typeof openImage>[1] = {}): Promise<string> {
  let message = "";
  await assert.rejects(openImage(ref, options), (e: unknown) => {
    assert.equal((e as { code?: string }).code, code, (e as Error).message);
    message = (e as Error).message;
    return true;
  });
  return message;
}

describe("image sources", () => {
  test("oci, oci-archive, docker-archive (classic and Docker 25+) and an extracted docker save read identically", async () => {
    const image = await sampleImage();
    const t = tempDir();
    try {
      writeFiles(join(t.dir, "layout"), ociLayoutFiles([{ image, tag: "1.0" }]));
      writeFileSync(join(t.dir, "oci.tar"), await archiveOf(ociLayoutFiles([{ image, tag: "1.0" }])));
      writeFileSync(join(t.dir, "classic.tar"), await archiveOf(dockerArchiveFiles([{ image, repoTags: ["app:1.0"] }], "classic")));
      writeFileSync(join(t.dir, "docker25.tar"), await archiveOf(dockerArchiveFiles([{ image, repoTags: ["app:1.0"] }], "docker25")));
      writeFiles(join(t.dir, "saved"), dockerArchiveFiles([{ image, repoTags: ["app:1.0"] }], "classic"));
      const refs: [string, string][] = [
        [join(t.dir, "layout"), "oci"],
        [`oci:${join(t.dir, "layout")}:1.0`, "oci"],
        [join(t.dir, "oci.tar"), "oci-archive"],
        [`oci-archive:${join(t.dir, "oci.tar")}`, "oci-archive"],
        [join(t.dir, "classic.tar"), "docker-archive"],
        [`docker-archive:${join(t.dir, "classic.tar")}:app:1.0`, "docker-archive"],
        [join(t.dir, "docker25.tar"), "docker-archive"],
        [`oci-archive:${join(t.dir, "docker25.tar")}:1.0`, "oci-archive"],
        [join(t.dir, "saved"), "docker-archive"],
      ];
      let first: string[] | undefined;
      let firstConfig: unknown;
      for (const [ref, transport] of refs) {
        const source = await open(ref);
        try {
          assert.equal(source.transport, transport, ref);
          assert.equal(source.configDigest, image.configDigest, ref);
          const entries = await entriesOf(source);
          first ??= entries;
          firstConfig ??= source.config;
          assert.deepEqual(entries, first, ref);
          assert.deepEqual(source.config, firstConfig, ref);
          assert.deepEqual(source.layers.map((l) => l.diffId), image.layerBlobs.map((l) => l.diffId), ref);
        } finally {
          await source.close();
        }
      }
      assert.equal(first?.length, 4);
    } finally {
      t.cleanup();
    }
  });

  test("the config: user, env, entrypoint, cmd, ports, volumes, labels, healthcheck, history mapped to layers", async () => {
    const image = await sampleImage();
    const t = tempDir();
    try {
      writeFiles(t.dir, ociLayoutFiles([{ image, tag: "v" }]));
      const source = await open(t.dir);
      const d = describeImage(source);
      assert.deepEqual(d.config, {
        user: "1000:1000",
        env: ["PATH=/usr/bin", "APP_MODE=prod"],
        entrypoint: ["/app/run"],
        cmd: ["--serve"],
        workingDir: "/app",
        exposedPorts: ["8080/tcp", "53/udp"],
        volumes: ["/data"],
        labels: { "org.opencontainers.image.source": "https://example.com/app" },
        healthcheck: { test: ["CMD-SHELL", "wget -q -O- localhost:8080"], interval: 30_000_000_000, timeout: 5_000_000_000, retries: 3 },
        stopSignal: "SIGTERM",
        shell: undefined,
        onBuild: [],
      });
      assert.deepEqual(d.history.map((h) => [h.createdBy, h.emptyLayer, h.layer]), [["ADD rootfs.tar /", false, 0], ["ENV APP_MODE=prod", true, undefined], ["COPY run /app/run", false, 1]]);
      assert.deepEqual(d.layers.map((l) => [l.digest, l.size, l.mediaType]), image.layerBlobs.map((l) => [l.digest, l.blob.length, l.mediaType]));
      assert.equal(d.platform, "linux/amd64");
      assert.equal(d.name, "v");
      assert.equal(d.manifest?.digest, image.manifestDigest);
      await source.close();
    } finally {
      t.cleanup();
    }
  });

  test("several tags in one layout: none named is ambiguous, a wrong one lists the tags", async () => {
    const a = await sampleImage("amd64", "a");
    const b = await sampleImage("amd64", "b");
    const t = tempDir();
    try {
      writeFiles(t.dir, ociLayoutFiles([{ image: a, tag: "a" }, { image: b, tag: "b" }]));
      const ambiguous = await rejectsWith(t.dir, "IMAGE_AMBIGUOUS");
      assert.match(ambiguous, /\ba, b\b/);
      const missing = await rejectsWith(`oci:${t.dir}:c`, "IMAGE_NOT_FOUND");
      assert.match(missing, /\ba, b\b/);
      assert.equal(await picked(`oci:${t.dir}:b`), b.configDigest);
    } finally {
      t.cleanup();
    }
  });

  for (const nestedIndex of [false, true]) {
    test(`multi-platform ${nestedIndex ? "nested index" : "index.json"}: host default, --platform, variants, attestations, and the list of what is there`, async () => {
      const amd = await sampleImage("amd64");
      const arm = await sampleImage("arm64");
      const armv7 = buildImage({ architecture: "arm", variant: "v7", layers: [{ tar: await tarOf([{ name: "v7", content: "" }]) }] });
      const attestation = buildImage({ layers: [] });
      const t = tempDir();
      try {
        writeFiles(t.dir, ociLayoutFiles([
          { image: amd, platform: { os: "linux", architecture: "amd64" } },
          { image: arm, platform: { os: "linux", architecture: "arm64", variant: "v8" } },
          { image: armv7, platform: { os: "linux", architecture: "arm", variant: "v7" } },
          { image: attestation, platform: { os: "unknown", architecture: "unknown" }, annotations: { "vnd.docker.reference.type": "attestation-manifest" } },
        ], { nestedIndex }));
        const byHost = await open(t.dir);
        const host = hostPlatform();
        const expected = host.architecture === "arm64" ? arm : host.architecture === "arm" ? armv7 : amd;
        if (["amd64", "arm64", "arm"].includes(host.architecture)) assert.equal(byHost.configDigest, expected.configDigest);
        await byHost.close();
        for (const [platform, image] of [["linux/arm64", arm], ["linux/arm64/v8", arm], ["arm64", arm], ["linux/arm/v7", armv7], ["linux/x86_64", amd]] as const) {
          const s = await open(t.dir, { platform });
          assert.equal(s.configDigest, image.configDigest, platform);
          assert.equal(s.platform?.architecture, image.spec.architecture);
          await s.close();
        }
        const message = await rejectsWith(t.dir, "PLATFORM_NOT_FOUND", { platform: "linux/s390x" });
        for (const p of ["linux/amd64", "linux/arm64/v8", "linux/arm/v7"]) assert.ok(message.includes(p), `${p} listed in: ${message}`);
        assert.ok(!message.includes("unknown"), "attestations are not platforms");
        await rejectsWith(t.dir, "PLATFORM_NOT_FOUND", { platform: "linux/arm/v6" });
      } finally {
        t.cleanup();
      }
    });
  }

  test("a single-platform image opens on any host, but not when another platform is asked for", async () => {
    const arm = await sampleImage("arm64");
    const t = tempDir();
    try {
      writeFiles(t.dir, ociLayoutFiles([{ image: arm, tag: "only" }]));
      const s = await open(t.dir, { platform: { os: "linux", architecture: hostPlatform().architecture === "arm64" ? "amd64" : hostPlatform().architecture } }).catch((e: unknown) => e);
      assert.equal((s as { code?: string }).code, "PLATFORM_NOT_FOUND");
      const byDefault = await open(t.dir);
      assert.equal(byDefault.platform?.architecture, "arm64");
      await byDefault.close();
    } finally {
      t.cleanup();
    }
  });

  test("docker-archive with several images: by name:tag, by @index, by platform, or ambiguous", async () => {
    const a = await sampleImage("amd64", "a");
    const b = await sampleImage("arm64", "b");
    const c = await sampleImage("amd64", "c");
    const t = tempDir();
    try {
      const multi = join(t.dir, "multi.tar");
      writeFileSync(multi, await archiveOf(dockerArchiveFiles([{ image: a, repoTags: ["app:a", "app:latest"] }, { image: b, repoTags: ["app:b"] }, { image: c, repoTags: ["other:c"] }], "classic")));
      assert.equal(await picked(`${multi}:app:b`), b.configDigest);
      assert.equal(await picked(`docker-archive:${multi}:@2`), c.configDigest);
      assert.equal(await picked(`docker-archive:${multi}:app`), a.configDigest, "app means app:latest");
      const m = await rejectsWith(multi, "IMAGE_AMBIGUOUS", { platform: "linux/amd64" });
      assert.match(m, /app:a app:latest/);
      assert.match(m, /other:c/);
      assert.equal(await picked(multi, { platform: "linux/arm64" }), b.configDigest, "the only arm64 image");
      await rejectsWith(`${multi}:app:zzz`, "IMAGE_NOT_FOUND");
    } finally {
      t.cleanup();
    }
  });

  test("paths that do not exist, and names that look like registry references", async () => {
    await rejectsWith("/nonexistent/image.tar", "IMAGE_NOT_FOUND");
    const m = await rejectsWith("alpine:3.20", "IMAGE_NOT_FOUND");
    assert.match(m, /registry/);
    await rejectsWith("oci:", "USAGE");
  });

  test("platform names: parsing, Go's aliases, and the host's default", () => {
    assert.deepEqual(parsePlatform("linux/arm64/v8"), { os: "linux", architecture: "arm64" });
    assert.deepEqual(parsePlatform("linux/aarch64"), { os: "linux", architecture: "arm64" });
    assert.deepEqual(parsePlatform("linux/arm"), { os: "linux", architecture: "arm", variant: "v7" });
    assert.deepEqual(parsePlatform("amd64"), { os: "linux", architecture: "amd64" });
    assert.throws(() => parsePlatform("linux//amd64"), { code: "USAGE" });
    assert.throws(() => parsePlatform("a/b/c/d"), { code: "USAGE" });
    assert.deepEqual(hostPlatform("darwin", "arm64"), { os: "linux", architecture: "arm64" });
    assert.deepEqual(hostPlatform("linux", "x64"), { os: "linux", architecture: "amd64" });
    assert.deepEqual(hostPlatform("win32", "x64"), { os: "windows", architecture: "amd64" });
    assert.deepEqual(hostPlatform("linux", "arm", "6"), { os: "linux", architecture: "arm", variant: "v6" });
  });
});
