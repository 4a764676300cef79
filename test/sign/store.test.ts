// Signature storage against a real registry (Debian's docker-registry: no referrers API, so the fallback tag
// is exercised) and OCI layouts: cosign's `.sig` manifests and bundle referrers, read back by us and by skopeo.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { RegistryClient } from "../../src/registry/client.ts";
import { copyImage, openReader, openWriter, parseEndpoint } from "../../src/registry/copy.ts";
import { descriptorOf, referrersTag } from "../../src/registry/manifest.ts";
import { parseReference } from "../../src/registry/reference.ts";
import {
  cosignConfig, cosignTag, LayoutArtifactStore, readBundleReferrers, readCosignArtifact, RegistryArtifactStore, writeBundleReferrer, writeCosignArtifact,
  type ArtifactStore, type CosignLayer,
} from "../../src/sign/store.ts";
import { buildImage, imageBlobs, readIndex, sha256, writeLayout, type BuiltImage } from "../registry/images.ts";
import { startFaultProxy, startRegistry, tempDir, type FaultProxy, type RunningRegistry } from "../registry/servers.ts";

const run = promisify(execFile);
const BUNDLE = "application/vnd.dev.sigstore.bundle.v0.3+json";
const SIMPLE = "application/vnd.dev.cosign.simplesigning.v1+json";

function layer(text: string, sig: string): CosignLayer {
  return { mediaType: SIMPLE, payload: Buffer.from(text), annotations: { "dev.cosignproject.cosign/signature": sig } };
}

async function skopeoRaw(ref: string): Promise<unknown> {
  const { stdout } = await run("skopeo", ["inspect", "--raw", "--tls-verify=false", ref]);
  return JSON.parse(stdout);
}

/** Exercises one store: `.sig` append and bundle referrers. */
function storageCases(name: string, setup: () => { store: () => ArtifactStore; image: () => BuiltImage }): void {
  test(`${name}: .sig manifest is written, read back, and appended to`, async () => {
    const { store, image } = setup();
    const digest = image().manifest.digest;
    assert.equal(await readCosignArtifact(store(), digest, "sig"), undefined);
    await writeCosignArtifact(store(), digest, "sig", [layer("payload-1", "c2lnMQ==")]);
    const first = await readCosignArtifact(store(), digest, "sig");
    assert.ok(first !== undefined);
    assert.equal(first.tag, cosignTag(digest, "sig"));
    assert.deepEqual(first.layers.map((l) => l.payload.toString()), ["payload-1"]);
    await writeCosignArtifact(store(), digest, "sig", [...first.layers, layer("payload-2", "c2lnMg==")]);
    const second = await readCosignArtifact(store(), digest, "sig");
    assert.deepEqual(second?.layers.map((l) => [l.payload.toString(), l.annotations["dev.cosignproject.cosign/signature"]]), [["payload-1", "c2lnMQ=="], ["payload-2", "c2lnMg=="]]);
    // The manifest is the shape cosign pushes: OCI types, config diff_ids = payload digests.
    const manifest = JSON.parse(second?.manifest.bytes.toString() ?? "") as { mediaType: string; config: { mediaType: string; digest: string }; layers: { mediaType: string }[] };
    assert.equal(manifest.mediaType, "application/vnd.oci.image.manifest.v1+json");
    assert.equal(manifest.config.mediaType, "application/vnd.oci.image.config.v1+json");
    assert.equal(manifest.config.digest, sha256(cosignConfig([sha256(Buffer.from("payload-1")), sha256(Buffer.from("payload-2"))])));
    assert.deepEqual(manifest.layers.map((l) => l.mediaType), [SIMPLE, SIMPLE]);
  });

  test(`${name}: bundle referrers are listed for their subject only, each once`, async () => {
    const { store, image } = setup();
    const subject = descriptorOf({ bytes: image().manifest.bytes, mediaType: image().manifest.mediaType, digest: image().manifest.digest });
    const created = new Date("2026-01-02T03:04:05.678Z");
    const a = await writeBundleReferrer(store(), subject, Buffer.from('{"bundle":"a"}'), BUNDLE, "https://sigstore.dev/cosign/sign/v1", created);
    await writeBundleReferrer(store(), subject, Buffer.from('{"bundle":"a"}'), BUNDLE, "https://sigstore.dev/cosign/sign/v1", created);
    await writeBundleReferrer(store(), subject, Buffer.from('{"bundle":"b"}'), BUNDLE, "https://slsa.dev/provenance/v1", created);
    const found = await readBundleReferrers(store(), subject.digest, BUNDLE);
    assert.deepEqual(found.map((b) => [b.bytes.toString(), b.predicateType]), [
      ['{"bundle":"a"}', "https://sigstore.dev/cosign/sign/v1"],
      ['{"bundle":"b"}', "https://slsa.dev/provenance/v1"],
    ]);
    assert.equal(found[0]?.digest, a.digest);
    const json = JSON.parse(a.bytes.toString()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json), ["schemaVersion", "mediaType", "config", "layers", "annotations", "subject", "artifactType"]);
    assert.deepEqual(json["config"], { mediaType: "application/vnd.oci.empty.v1+json", size: 2, digest: "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", artifactType: BUNDLE });
    assert.deepEqual(json["annotations"], {
      "dev.sigstore.bundle.content": "dsse-envelope",
      "dev.sigstore.bundle.predicateType": "https://sigstore.dev/cosign/sign/v1",
      "org.opencontainers.image.created": "2026-01-02T03:04:05Z",
    });
    assert.deepEqual(json["subject"], { mediaType: subject.mediaType, size: subject.size, digest: subject.digest });
    assert.deepEqual(await readBundleReferrers(store(), sha256(Buffer.from("another image")), BUNDLE), []);
  });
}

describe("signature storage in a registry without the referrers API", () => {
  let registry: RunningRegistry;
  let client: RegistryClient;
  let work: { dir: string; cleanup: () => void };
  let image: BuiltImage;
  const repo = "sign/store";

  before(async () => {
    registry = await startRegistry();
    work = tempDir();
    client = new RegistryClient({ insecureRegistries: [registry.host], retry: { attempts: 2, baseDelayMs: 10 } });
    image = await buildImage([{ "etc/hello": "hello\n" }]);
    const layout = join(work.dir, "layout");
    writeLayout(layout, image.manifest, imageBlobs(image).slice(1), "1.0");
    const src = await parseEndpoint(`oci:${layout}:1.0`, "source", work.dir);
    const dst = await parseEndpoint(`docker://${registry.host}/${repo}:1.0`, "destination", work.dir);
    await copyImage(await openReader(src, client), openWriter(dst, client, undefined));
  });
  after(async () => {
    client.close();
    await registry.stop();
    work.cleanup();
  });

  const store = (): ArtifactStore => new RegistryArtifactStore(client, parseReference(`${registry.host}/${repo}:1.0`));
  storageCases("registry", () => ({ store, image: () => image }));

  test("the subject is the manifest the tag names; identity is the repository", async () => {
    const s = store();
    assert.equal((await s.subject()).digest, image.manifest.digest);
    assert.equal(s.identity, `${registry.host}/${repo}`);
  });

  test("skopeo reads the .sig manifest and the referrers fallback index", async () => {
    const digest = image.manifest.digest;
    const sig = await skopeoRaw(`docker://${registry.host}/${repo}:${cosignTag(digest, "sig")}`) as { layers: unknown[] };
    assert.ok(sig.layers.length >= 1);
    const index = await skopeoRaw(`docker://${registry.host}/${repo}:${referrersTag(digest)}`) as { mediaType: string; manifests: { artifactType: string; annotations: Record<string, string> }[] };
    assert.equal(index.mediaType, "application/vnd.oci.image.index.v1+json");
    assert.ok(index.manifests.length >= 2);
    for (const m of index.manifests) {
      assert.equal(m.artifactType, BUNDLE);
      assert.equal(m.annotations["dev.sigstore.bundle.content"], "dsse-envelope");
    }
  });

  test("skopeo copy of the image by tag leaves its signatures alone", async () => {
    const before = await readCosignArtifact(store(), image.manifest.digest, "sig");
    await run("skopeo", ["copy", "--src-tls-verify=false", "--dest-tls-verify=false", `docker://${registry.host}/${repo}:1.0`, `docker://${registry.host}/${repo}:1.0`]);
    await run("skopeo", ["copy", "--src-tls-verify=false", "--dest-tls-verify=false", `docker://${registry.host}/${repo}:1.0`, `docker://${registry.host}/${repo}:copy`]);
    const after = await readCosignArtifact(store(), image.manifest.digest, "sig");
    assert.equal(after?.manifest.digest, before?.manifest.digest);
    assert.equal((await readBundleReferrers(store(), image.manifest.digest, BUNDLE)).length, 2);
  });

  describe("through a failing proxy", () => {
    let proxy: FaultProxy;
    let proxied: RegistryClient;
    before(async () => {
      proxy = await startFaultProxy(registry.port);
      proxied = new RegistryClient({ insecureRegistries: [proxy.host], retry: { attempts: 2, baseDelayMs: 5 } });
    });
    after(async () => {
      proxied.close();
      await proxy.close();
    });

    test("a failed manifest PUT names the registry and leaves the old .sig manifest in place", async () => {
      const viaProxy = new RegistryArtifactStore(proxied, parseReference(`${proxy.host}/${repo}:1.0`));
      const digest = image.manifest.digest;
      const old = await readCosignArtifact(viaProxy, digest, "sig");
      assert.ok(old !== undefined);
      proxy.setFaults([{ method: "PUT", path: /\/manifests\//, times: 10, fault: { kind: "status", status: 503 } }]);
      await assert.rejects(writeCosignArtifact(viaProxy, digest, "sig", [...old.layers, layer("payload-3", "c2lnMw==")]), (e: Error & { code?: string }) => {
        assert.equal(e.code, "REGISTRY_UNAVAILABLE");
        assert.match(e.message, new RegExp(proxy.host.replace(/\./g, "\\.")));
        return true;
      });
      proxy.setFaults([]);
      assert.equal((await readCosignArtifact(store(), digest, "sig"))?.manifest.digest, old.manifest.digest);
    });
  });
});

describe("signature storage in an OCI layout", () => {
  let work: { dir: string; cleanup: () => void };
  let image: BuiltImage;
  let layout: string;

  before(async () => {
    work = tempDir();
    image = await buildImage([{ "etc/hello": "layout\n" }]);
    layout = join(work.dir, "layout");
    writeLayout(layout, image.manifest, imageBlobs(image).slice(1), "1.0");
  });
  after(() => work.cleanup());

  const store = (selector: string | undefined = "1.0"): ArtifactStore => new LayoutArtifactStore(layout, selector);
  storageCases("layout", () => ({ store, image: () => image }));

  test("index.json lists the .sig manifest by tag and referrers untagged; the image stays the only image", async () => {
    const index = readIndex(layout);
    const names = index.manifests.map((m) => m.annotations?.["org.opencontainers.image.ref.name"]);
    assert.ok(names.includes("1.0"));
    assert.ok(names.includes(cosignTag(image.manifest.digest, "sig")));
    assert.equal(names.filter((n) => n === undefined).length, 2);
    // Without a selector the one image (not its signature artifacts) is the subject.
    assert.equal((await store(undefined).subject()).digest, image.manifest.digest);
    const { stdout } = await run("skopeo", ["inspect", "--raw", `oci:${layout}:1.0`]);
    assert.equal(sha256(Buffer.from(stdout)), image.manifest.digest);
    const sig = JSON.parse((await run("skopeo", ["inspect", "--raw", `oci:${layout}:${cosignTag(image.manifest.digest, "sig")}`])).stdout) as { layers: unknown[] };
    assert.equal(sig.layers.length, 2);
  });

  test("a directory that is not a layout, and an unknown tag, are clear errors", async () => {
    await assert.rejects(new LayoutArtifactStore(work.dir, undefined).subject(), { code: "IMAGE_FORMAT_UNKNOWN" });
    await assert.rejects(store("nope").subject(), { code: "IMAGE_NOT_FOUND" });
    assert.ok(readFileSync(join(layout, "index.json")).length > 0);
  });
});
