// `drydock inspect`: the command registered on a commander program, as main.ts registers it.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { runMain } from "../helpers/main.ts";
import { buildImage, ociLayoutFiles, tarOf, tempDir, writeFiles } from "./fixtures.ts";

async function inspect(args: string[], cwd: string): Promise<string> {
  const r = await runMain(["inspect", ...args], { cwd });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

async function image(arch: string) {
  return buildImage({
    architecture: arch,
    layers: [{ tar: await tarOf([{ name: "etc/motd", content: "hi\n" }]) }, { tar: await tarOf([{ name: "app", content: "x" }]), compression: "zstd" }],
    config: {
      Env: ["PATH=/usr/bin", "GREETING=hello\u001b[31m"],
      Entrypoint: ["/app"],
      ExposedPorts: { "443/tcp": {} },
      Labels: { maintainer: "ops" },
      Healthcheck: { Test: ["CMD", "/app", "--health"], Interval: 10_000_000_000, Retries: 2 },
    },
    history: [
      { created: "2024-05-01T10:00:00Z", created_by: "ADD base.tar /" },
      { created: "2024-05-01T10:00:01Z", created_by: "USER app", empty_layer: true },
      { created: "2024-05-01T10:00:02Z", created_by: "COPY app /app" },
    ],
  });
}

describe("drydock inspect", () => {
  test("text: platform, config, layers and history", async () => {
    const t = tempDir();
    try {
      const img = await image("amd64");
      writeFiles(join(t.dir, "layout"), ociLayoutFiles([{ image: img, tag: "v2" }]));
      const out = await inspect(["oci:layout:v2"], t.dir);
      const lines = out.split("\n");
      assert.ok(lines.includes("Platform     linux/amd64"));
      assert.ok(lines.includes("User         (not set: root)"));
      assert.ok(lines.includes('Entrypoint   ["/app"]'));
      assert.ok(lines.includes("Env          PATH=/usr/bin"));
      assert.ok(lines.includes("             GREETING=hello\\x1b[31m"), "control characters from the image are escaped");
      assert.ok(lines.includes("Ports        443/tcp"));
      assert.ok(lines.includes("Labels       maintainer=ops"));
      assert.ok(lines.includes('Healthcheck  CMD ["/app","--health"] (interval 10s, retries 2)'));
      assert.ok(lines.includes(`Manifest     ${img.manifestDigest} (application/vnd.oci.image.manifest.v1+json, ${img.manifest.length} bytes)`));
      assert.ok(lines.some((l) => l.startsWith("Layers (2, ")));
      assert.ok(lines.includes(`    1  ${img.layerBlobs[1]?.digest}  ${img.layerBlobs[1]?.blob.length} B  application/vnd.oci.image.layer.v1.tar+zstd`));
      assert.ok(lines.includes(`       diffID ${img.layerBlobs[1]?.diffId}`));
      assert.ok(lines.includes("    1  2024-05-01T10:00:01        -  USER app"));
      assert.ok(lines.includes("    2  2024-05-01T10:00:02  layer  1  COPY app /app"));
    } finally {
      t.cleanup();
    }
  });

  test("json: the description as data; --platform picks from an index", async () => {
    const t = tempDir();
    try {
      const amd = await image("amd64");
      const arm = await image("arm64");
      writeFiles(join(t.dir, "multi"), ociLayoutFiles([
        { image: amd, platform: { os: "linux", architecture: "amd64" } },
        { image: arm, platform: { os: "linux", architecture: "arm64" } },
      ]));
      const d = JSON.parse(await inspect([join(t.dir, "multi"), "--platform", "linux/arm64", "--format", "json"], t.dir)) as Record<string, unknown>;
      assert.equal(d["platform"], "linux/arm64");
      assert.equal(d["configDigest"], arm.configDigest);
      assert.deepEqual((d["layers"] as { digest: string }[]).map((l) => l.digest), arm.layerBlobs.map((l) => l.digest));
      assert.deepEqual((d["config"] as { exposedPorts: string[] }).exposedPorts, ["443/tcp"]);
      const missing = await runMain(["inspect", join(t.dir, "multi"), "--platform", "linux/riscv64"], { cwd: t.dir });
      assert.deepEqual([missing.code, missing.errorCode], [2, "PLATFORM_NOT_FOUND"]);
    } finally {
      t.cleanup();
    }
  });

  test("a root file system directory has no config to show", async () => {
    const t = tempDir();
    try {
      mkdirSync(join(t.dir, "rootfs", "etc"), { recursive: true });
      const out = await inspect(["dir:rootfs"], t.dir);
      assert.match(out, /^Image {8}dir:rootfs\nTransport {4}dir\n\nA root file system directory/);
    } finally {
      t.cleanup();
    }
  });
});
