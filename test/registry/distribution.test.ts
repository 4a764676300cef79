// The client against a real registry (Debian's docker-registry, plain HTTP on 127.0.0.1): push, pull, copy,
// cross-repository mount, a multi-platform index, tags with pagination, referrers via the tag-schema fallback,
// and interop with skopeo both ways.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { RegistryClient } from "../../src/registry/client.ts";
import { copyImage, openReader, openWriter, parseEndpoint, type ProgressEvent } from "../../src/registry/copy.ts";
import { manifestBlob, referrersTag } from "../../src/registry/manifest.ts";
import { openDockerArchive } from "../../src/registry/layout.ts";
import { parseReference } from "../../src/registry/reference.ts";
import { resolveRemoteImage } from "../../src/registry/remote.ts";
import {
  blobOf, buildImage, buildIndex, imageBlobs, layoutBlobDigests, noise, OCI_MANIFEST, readIndex, sha256, writeLayout, type BuiltImage,
} from "./images.ts";
import { startRegistry, tempDir, type RunningRegistry } from "./servers.ts";

const run = promisify(execFile);

describe("registry client against docker-registry (plain HTTP)", () => {
  let registry: RunningRegistry;
  let client: RegistryClient;
  let work: { dir: string; cleanup: () => void };
  let image: BuiltImage;
  let layout: string;

  before(async () => {
    registry = await startRegistry();
    work = tempDir();
    client = new RegistryClient({ insecureRegistries: [registry.host], retry: { attempts: 2, baseDelayMs: 10 } });
    image = await buildImage([{ "etc/hello": "hello\n" }, { "app/data.bin": noise(300_000, "a") }, { "app/more": "more\n" }]);
    layout = join(work.dir, "layout");
    writeLayout(layout, image.manifest, imageBlobs(image).slice(1), "1.0");
  });
  after(async () => {
    client.close();
    await registry.stop();
    work.cleanup();
  });

  const endpoint = (text: string, role: "source" | "destination") => parseEndpoint(text, role, work.dir);
  const copy = async (src: string, dst: string, events: ProgressEvent[] = [], platform?: { os: string; architecture: string }) => {
    const s = await endpoint(src, "source");
    const d = await endpoint(dst, "destination");
    return copyImage(await openReader(s, client), openWriter(d, client, undefined), { onProgress: (e) => events.push(e), ...(platform === undefined ? {} : { platform }) });
  };

  test("push an OCI layout, then pull it back byte for byte", async () => {
    const pushed = await copy(`oci:${layout}:1.0`, `docker://${registry.host}/test/app:1.0`);
    assert.equal(pushed.digest, image.manifest.digest);
    assert.deepEqual(pushed.blobs, { copied: 4, exists: 0, mounted: 0 });

    const repo = { registry: registry.host, repository: "test/app" };
    const fetched = await client.getManifest(repo, "1.0");
    assert.equal(fetched.digest, image.manifest.digest);
    assert.equal(fetched.mediaType, OCI_MANIFEST);
    assert.deepEqual(await client.headManifest(repo, "1.0"), { mediaType: OCI_MANIFEST, digest: image.manifest.digest, size: image.manifest.size });

    const out = join(work.dir, "pulled");
    const pulled = await copy(`docker://${registry.host}/test/app:1.0`, `oci:${out}`);
    assert.equal(pulled.digest, image.manifest.digest);
    assert.deepEqual(layoutBlobDigests(out), imageBlobs(image).map((b) => b.digest).sort());
    assert.deepEqual(readIndex(out).manifests.map((m) => [m.digest, m.annotations?.["org.opencontainers.image.ref.name"]]), [[image.manifest.digest, "1.0"]]);
  });

  test("a second push skips every blob the registry has (HEAD), and the tag moves", async () => {
    const events: ProgressEvent[] = [];
    const again = await copy(`oci:${layout}:1.0`, `docker://${registry.host}/test/app:again`, events);
    assert.deepEqual(again.blobs, { copied: 0, exists: 4, mounted: 0 });
    assert.equal(again.bytes, 0);
    assert.ok(events.some((e) => e.type === "blob-done" && e.outcome === "exists"));
  });

  test("copy between repositories of one registry mounts blobs instead of moving them", async () => {
    const events: ProgressEvent[] = [];
    const result = await copy(`docker://${registry.host}/test/app:1.0`, `docker://${registry.host}/other/copy:1.0`, events);
    assert.equal(result.digest, image.manifest.digest);
    assert.deepEqual(result.blobs, { copied: 0, exists: 0, mounted: 4 });
    assert.ok(!events.some((e) => e.type === "blob-bytes"), "no byte is transferred for a mount");
    const repo = { registry: registry.host, repository: "other/copy" };
    assert.equal((await client.getManifest(repo, "1.0")).digest, image.manifest.digest);
    for (const b of imageBlobs(image).slice(1)) assert.equal(await client.blobSize(repo, b.digest), b.size);
  });

  test("mountBlob says whether the registry mounted", async () => {
    const target = { registry: registry.host, repository: "mount/target" };
    const layer = image.layers[0];
    assert.ok(layer !== undefined);
    assert.equal(await client.mountBlob(target, layer.digest, { registry: registry.host, repository: "test/app" }), true);
    assert.equal(await client.blobSize(target, layer.digest), layer.size);
    const absent = sha256(Buffer.from("not pushed anywhere"));
    assert.equal(await client.mountBlob(target, absent, { registry: registry.host, repository: "test/app" }), false);
  });

  test("registry to registry across repositories without a mount streams (no disk) and verifies", async () => {
    const other = new RegistryClient({ insecureRegistries: [registry.host], uploadMode: "chunked", chunkSize: 100_000 });
    try {
      // A different client pushes with chunked PATCHes; a source on "another" registry name forces a real copy.
      const src = await endpoint(`docker://${registry.host}/test/app:1.0`, "source");
      const reader = await openReader(src, client);
      const dst = await endpoint(`docker://localhost:${registry.port}/streamed/app:1.0`, "destination");
      const chunkedClient = new RegistryClient({ insecureRegistries: [`localhost:${registry.port}`], uploadMode: "chunked", chunkSize: 100_000 });
      try {
        const result = await copyImage(reader, openWriter(dst, chunkedClient, undefined));
        assert.equal(result.digest, image.manifest.digest);
        assert.equal(result.blobs.copied, 4);
      } finally {
        chunkedClient.close();
      }
    } finally {
      other.close();
    }
  });

  test("monolithic uploads work too", async () => {
    const mono = new RegistryClient({ insecureRegistries: [registry.host], uploadMode: "monolithic" });
    try {
      const small = await buildImage([{ "x": "monolithic\n" }]);
      const dir = join(work.dir, "mono");
      writeLayout(dir, small.manifest, imageBlobs(small).slice(1), "m");
      const result = await copyImage(await openReader(await endpoint(`oci:${dir}`, "source"), mono), openWriter(await endpoint(`docker://${registry.host}/mono/app:m`, "destination"), mono, undefined));
      assert.equal(result.digest, small.manifest.digest);
      assert.equal((await client.getManifest({ registry: registry.host, repository: "mono/app" }, "m")).digest, small.manifest.digest);
    } finally {
      mono.close();
    }
  });

  test("a multi-platform index: pushed whole, pulled whole, or narrowed to one platform", async () => {
    const amd = await buildImage([{ "arch": "amd64\n" }], { os: "linux", architecture: "amd64" });
    const arm = await buildImage([{ "arch": "arm64\n" }], { os: "linux", architecture: "arm64", variant: "v8" });
    const index = buildIndex([amd, arm]);
    const dir = join(work.dir, "multi");
    writeLayout(dir, index, [...imageBlobs(amd), ...imageBlobs(arm)], "multi");
    const pushed = await copy(`oci:${dir}`, `docker://${registry.host}/test/multi:1`);
    assert.equal(pushed.digest, index.digest);
    assert.equal(pushed.blobs.copied, 4);
    const repo = { registry: registry.host, repository: "test/multi" };
    assert.equal((await client.getManifest(repo, "1")).digest, index.digest);
    assert.equal((await client.getManifest(repo, arm.manifest.digest)).digest, arm.manifest.digest);

    const whole = join(work.dir, "multi-pulled");
    await copy(`docker://${registry.host}/test/multi:1`, `oci:${whole}`);
    assert.deepEqual(layoutBlobDigests(whole), [index, ...imageBlobs(amd), ...imageBlobs(arm)].map((b) => b.digest).sort());

    const one = join(work.dir, "arm-only");
    const narrowed = await copy(`docker://${registry.host}/test/multi:1`, `oci:${one}`, [], { os: "linux", architecture: "arm64" });
    assert.equal(narrowed.digest, arm.manifest.digest);
    assert.deepEqual(layoutBlobDigests(one), imageBlobs(arm).map((b) => b.digest).sort());

    await assert.rejects(copy(`docker://${registry.host}/test/multi:1`, `oci:${join(work.dir, "none")}`, [], { os: "linux", architecture: "s390x" }), { code: "PLATFORM_NOT_FOUND" });

    // Read remotely without saving: the arm64 image's config and a layer, verified.
    const remote = await resolveRemoteImage(client, parseReference(`${registry.host}/test/multi:1`), { platform: { os: "linux", architecture: "arm64" } });
    assert.equal(remote.index?.digest, index.digest);
    assert.equal(remote.manifest.digest, arm.manifest.digest);
    assert.ok(remote.config.bytes.equals(arm.config.bytes));
    const chunks: Buffer[] = [];
    for await (const c of remote.openBlob(remote.layers[0] as (typeof remote.layers)[number])) chunks.push(Buffer.from(c));
    assert.ok(Buffer.concat(chunks).equals(arm.layers[0]?.bytes ?? Buffer.alloc(0)));
    assert.ok(!existsSync(join(work.dir, "none")), "a failed pull leaves no output");
  });

  test("pull to a docker-archive: Docker 25+ form, readable again, and what skopeo reads", async () => {
    const file = join(work.dir, "app.tar");
    const result = await copy(`docker://${registry.host}/test/app:1.0`, `docker-archive:${file}:test/app:1.0`);
    assert.equal(result.digest, image.manifest.digest);
    const reader = await openDockerArchive(file, undefined);
    try {
      assert.equal((await reader.root()).digest, image.manifest.digest);
    } finally {
      await reader.close();
    }
    const { stdout } = await run("skopeo", ["inspect", "--raw", `docker-archive:${file}`]);
    const raw = JSON.parse(stdout) as { config: { digest: string }; layers: { digest: string }[] };
    // skopeo rebuilds a manifest from manifest.json, naming layers by the config's diff_ids.
    const config = JSON.parse(image.config.bytes.toString("utf8")) as { rootfs: { diff_ids: string[] } };
    assert.equal(raw.config.digest, image.config.digest);
    assert.deepEqual(raw.layers.map((l) => l.digest), config.rootfs.diff_ids);
    // ... and reads every layer (decompressing and checking it against its diff_id) when it copies the archive.
    await run("skopeo", ["--insecure-policy", "copy", "-q", `docker-archive:${file}`, `oci:${join(work.dir, "via-skopeo")}:x`]);
    assert.deepEqual(readdirSync(work.dir).filter((n) => n.includes(".tmp-") || n.includes(".drydock-")), [], "no temporary file is left");
  });

  test("push from a docker-archive made by skopeo (classic form) keeps the layers", async () => {
    const file = join(work.dir, "skopeo.tar");
    await run("skopeo", ["--insecure-policy", "copy", "-q", `oci:${layout}:1.0`, `docker-archive:${file}:skopeo/made:1`]);
    const result = await copy(`docker-archive:${file}`, `docker://${registry.host}/from/archive:1`);
    const pushed = JSON.parse((await client.getManifest({ registry: registry.host, repository: "from/archive" }, "1")).bytes.toString("utf8")) as { layers: { digest: string }[] };
    assert.equal(result.blobs.copied + result.blobs.exists, 4);
    // skopeo's archive stores layers uncompressed: their digests are the config's diff_ids.
    const config = JSON.parse(image.config.bytes.toString("utf8")) as { rootfs: { diff_ids: string[] } };
    assert.deepEqual(pushed.layers.map((l) => l.digest), config.rootfs.diff_ids);
  });

  test("tags: listed across pages", async () => {
    const repo = { registry: registry.host, repository: "test/app" };
    for (const t of ["a", "b", "c", "d"]) await client.putManifest(repo, t, image.manifest);
    const all = await client.listTags(repo, { pageSize: 2 });
    assert.deepEqual([...all].sort(), ["1.0", "a", "again", "b", "c", "d"]);
    await assert.rejects(client.listTags({ registry: registry.host, repository: "no/such" }), { code: "IMAGE_NOT_FOUND" });
  });

  test("referrers: the registry has no referrers API, so the tag schema index is kept and read", async () => {
    const repo = { registry: registry.host, repository: "test/app" };
    const empty = blobOf("application/vnd.oci.empty.v1+json", Buffer.from("{}"));
    await client.uploadBlob(repo, empty, { open: async function* () { yield empty.bytes; } });
    const makeReferrer = (type: string, note: string) => manifestBlob(Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: type,
      config: { mediaType: empty.mediaType, digest: empty.digest, size: empty.size },
      layers: [{ mediaType: empty.mediaType, digest: empty.digest, size: empty.size }],
      subject: { mediaType: OCI_MANIFEST, digest: image.manifest.digest, size: image.manifest.size },
      annotations: { note },
    })), OCI_MANIFEST);
    const sbom = makeReferrer("application/spdx+json", "sbom");
    const sig = makeReferrer("application/vnd.dev.sigstore.bundle.v0.3+json", "sig");
    await client.putManifest(repo, sbom.digest, sbom);
    await client.putManifest(repo, sig.digest, sig);
    await client.putManifest(repo, sig.digest, sig); // twice: no duplicate entry

    const listed = await client.listReferrers(repo, image.manifest.digest);
    assert.deepEqual(listed.map((d) => [d.digest, d.artifactType, d.annotations?.["note"]]), [
      [sbom.digest, "application/spdx+json", "sbom"],
      [sig.digest, "application/vnd.dev.sigstore.bundle.v0.3+json", "sig"],
    ]);
    const filtered = await client.listReferrers(repo, image.manifest.digest, { artifactType: "application/spdx+json" });
    assert.deepEqual(filtered.map((d) => d.digest), [sbom.digest]);
    const tagIndex = await client.getManifest(repo, referrersTag(image.manifest.digest));
    assert.equal(tagIndex.mediaType, "application/vnd.oci.image.index.v1+json");
    assert.deepEqual(await client.listReferrers(repo, sha256(Buffer.from("nothing refers to this"))), []);
  });

  test("errors: unknown manifest, unknown blob, schema 1 refused", async () => {
    const repo = { registry: registry.host, repository: "test/app" };
    await assert.rejects(client.getManifest(repo, "nope"), { code: "MANIFEST_NOT_FOUND" });
    const missing = { digest: sha256(Buffer.from("missing")), size: 7 };
    await assert.rejects(async () => {
      for await (const _ of client.fetchBlob(repo, missing)) assert.fail("no bytes expected");
    }, { code: "BLOB_MISSING" });
  });

  test("interop: what drydock pushed, skopeo copies out with the same digests", async () => {
    const out = join(work.dir, "skopeo-out");
    await run("skopeo", ["--insecure-policy", "copy", "-q", "--src-tls-verify=false", `docker://${registry.host}/test/app:1.0`, `oci:${out}:x`]);
    assert.deepEqual(readIndex(out).manifests.map((m) => m.digest), [image.manifest.digest]);
    assert.deepEqual(layoutBlobDigests(out), imageBlobs(image).map((b) => b.digest).sort());
  });

  test("interop: what skopeo pushed, drydock pulls with the same digests", async () => {
    const other = await buildImage([{ "skopeo": noise(50_000, "s") }, { "two": "2\n" }]);
    const dir = join(work.dir, "for-skopeo");
    writeLayout(dir, other.manifest, imageBlobs(other).slice(1), "s");
    await run("skopeo", ["--insecure-policy", "copy", "-q", "--dest-tls-verify=false", `oci:${dir}:s`, `docker://${registry.host}/by/skopeo:s`]);
    const out = join(work.dir, "from-skopeo");
    const result = await copy(`docker://${registry.host}/by/skopeo:s`, `oci:${out}`);
    assert.equal(result.digest, other.manifest.digest);
    assert.deepEqual(layoutBlobDigests(out), imageBlobs(other).map((b) => b.digest).sort());
    assert.equal(readFileSync(join(out, "blobs", "sha256", other.manifest.digest.slice(7))).equals(other.manifest.bytes), true);
  });
});
