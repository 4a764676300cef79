// Interop with real tools (Debian packages umoci and skopeo): an image made by umoci reads identically as an
// OCI layout, after `skopeo copy` to docker-archive, oci-archive and zstd, and after the way back.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MergedFs } from "../../src/image/merged.ts";
import { openImage, type ImageSource } from "../../src/image/source.ts";
import { walkImage } from "../../src/image/walk.ts";
import { recorder, summarize, tarOf, tempDir } from "./fixtures.ts";

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

interface Reading {
  entries: string[];
  visible: string[];
  diffIds: (string | undefined)[];
  config: unknown;
}

async function read(ref: string): Promise<Reading & { source: ImageSource; compressions: (string | undefined)[] }> {
  const source = await openImage(ref);
  const rec = recorder(256);
  const merged = new MergedFs();
  const result = await walkImage(source, [rec, merged]);
  await source.close();
  const entries = summarize(rec.seen).map((s, i) => `${s} ${JSON.stringify(rec.seen[i]?.head ?? null)}`);
  return {
    source,
    entries,
    visible: [...merged.visible()].map(([p, v]) => `${p} ${v.kind} ${v.layer}`),
    diffIds: result.layers.map((l) => l.diffId),
    config: source.config,
    compressions: result.layers.map((l) => l.compression),
  };
}

describe("interop with umoci and skopeo", () => {
  const t = tempDir();
  const layout = join(t.dir, "umoci");
  let original: Reading;

  before(async () => {
    run("umoci", ["init", "--layout", layout]);
    run("umoci", ["new", "--image", `${layout}:app`]);
    const layer1 = join(t.dir, "layer1.tar");
    writeFileSync(layer1, await tarOf([
      { name: "etc/", type: "directory" },
      { name: "etc/passwd", content: "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n" },
      { name: "usr/bin/", type: "directory" },
      { name: "usr/bin/helper", content: Buffer.alloc(70_000, 0x90), mode: 0o4755 },
      { name: "usr/bin/alias", type: "link", linkname: "usr/bin/helper" },
      { name: "usr/bin/sh", type: "symlink", linkname: "/bin/busybox" },
      { name: "root/.aws/credentials", content: "[default]\naws_access_key_id = AKIA...\n", mode: 0o600 },
      { name: `deep/${"x".repeat(120)}/name`, content: "long name" },
    ]));
    run("umoci", ["raw", "add-layer", "--image", `${layout}:app`, layer1]);
    const layer2 = join(t.dir, "layer2.tar");
    writeFileSync(layer2, await tarOf([
      { name: "root/.aws/.wh.credentials", content: "" },
      { name: "etc/.wh..wh..opq", content: "" },
      { name: "etc/passwd", content: "root:x:0:0:root:/root:/sbin/nologin\n" },
    ]));
    run("umoci", ["raw", "add-layer", "--image", `${layout}:app`, layer2]);
    run("umoci", ["config", "--image", `${layout}:app`, "--config.user", "1000", "--config.env", "MODE=prod", "--config.exposedports", "8080/tcp", "--config.label", "team=core", "--config.cmd", "/usr/bin/helper"]);
    original = await read(`oci:${layout}:app`);
  });

  after(() => t.cleanup());

  test("the umoci layout reads as written: entries, heads, whiteouts, config", () => {
    assert.deepEqual(original.entries.slice(0, 3), [
      '0 dir etc 755 0:0 0 null',
      '0 file etc/passwd 644 0:0 65 "root:x:0:0:root:/root:/bin/sh\\napp:x:1000:1000::/home/app:/bin/sh\\n"',
      "0 dir usr/bin 755 0:0 0 null",
    ]);
    assert.ok(original.entries.includes("0 hardlink usr/bin/alias -> usr/bin/helper 644 0:0 0 null"));
    assert.ok(original.entries.includes("1 whiteout root/.aws/credentials 644 0:0 0 null"));
    assert.ok(original.entries.includes("1 opaque etc 644 0:0 0 null"));
    assert.ok(!original.visible.some((v) => v.startsWith("root/.aws/credentials ")), "whited out");
    assert.ok(original.visible.includes("etc/passwd file 1"));
    const c = original.config as { user: string; env: string[]; exposedPorts: string[]; labels: Record<string, string>; cmd: string[]; history: unknown[] };
    assert.equal(c.user, "1000");
    assert.ok(c.env.includes("MODE=prod"));
    assert.deepEqual(c.exposedPorts, ["8080/tcp"]);
    assert.equal(c.labels["team"], "core");
    assert.deepEqual(c.cmd, ["/usr/bin/helper"]);
  });

  test("skopeo copy to docker-archive and back to an OCI layout: read identically", async () => {
    const archive = join(t.dir, "app.tar");
    run("skopeo", ["copy", "-q", `oci:${layout}:app`, `docker-archive:${archive}:example/app:1`]);
    const viaDocker = await read(archive);
    assert.equal(viaDocker.source.transport, "docker-archive");
    assert.equal(viaDocker.source.name, "docker.io/example/app:1", "skopeo writes the name in full");
    assert.deepEqual(viaDocker.entries, original.entries);
    assert.deepEqual(viaDocker.visible, original.visible);
    assert.deepEqual(viaDocker.diffIds, original.diffIds);
    assert.deepEqual(viaDocker.config, original.config);

    const back = join(t.dir, "back");
    mkdirSync(back);
    run("skopeo", ["copy", "-q", `docker-archive:${archive}`, `oci:${back}:again`]);
    const roundTrip = await read(`oci:${back}:again`);
    assert.deepEqual(roundTrip.entries, original.entries);
    assert.deepEqual(roundTrip.diffIds, original.diffIds);
    assert.deepEqual(roundTrip.config, original.config);
  });

  test("skopeo copy to oci-archive, and recompressed as zstd: read identically", async () => {
    const ociArchive = join(t.dir, "app-oci.tar");
    run("skopeo", ["copy", "-q", `oci:${layout}:app`, `oci-archive:${ociArchive}:app`]);
    const viaArchive = await read(ociArchive);
    assert.equal(viaArchive.source.transport, "oci-archive");
    assert.deepEqual(viaArchive.entries, original.entries);

    const zstdLayout = join(t.dir, "zstd");
    mkdirSync(zstdLayout);
    run("skopeo", ["copy", "-q", "--dest-compress", "--dest-compress-format", "zstd", `oci:${layout}:app`, `oci:${zstdLayout}:z`]);
    const viaZstd = await read(`oci:${zstdLayout}:z`);
    assert.deepEqual(viaZstd.compressions, ["zstd", "zstd"]);
    assert.deepEqual(viaZstd.entries, original.entries);
    assert.deepEqual(viaZstd.diffIds, original.diffIds);
  });

  test("skopeo inspect and drydock agree on layers and config", async () => {
    const raw = JSON.parse(run("skopeo", ["inspect", "--raw", `oci:${layout}:app`])) as { layers: { digest: string; size: number }[] };
    const source = await openImage(`oci:${layout}:app`);
    assert.deepEqual(source.layers.map((l) => [l.digest, l.size]), raw.layers.map((l) => [l.digest, l.size]));
    const config = JSON.parse(run("skopeo", ["inspect", "--config", `oci:${layout}:app`])) as { config: { User: string; Env: string[] }; rootfs: { diff_ids: string[] } };
    assert.equal(source.config?.user, config.config.User);
    assert.deepEqual(source.config?.env, config.config.Env);
    assert.deepEqual(source.config?.diffIds, config.rootfs.diff_ids);
    await source.close();
  });
});
