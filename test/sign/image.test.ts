// sign → verify and attest → verify-attestation round trips in both cosign formats, against a real registry
// (docker-registry: referrers through the fallback tag) and OCI layouts; tampering of every part fails with its
// own reason. Oracles: openssl verifies classic signatures over the payload bytes; @sigstore/verify verifies
// the bundles offline with the public key.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { bundleFromJSON } from "@sigstore/bundle";
import { toSignedEntity, Verifier } from "@sigstore/verify";
import { RegistryClient } from "../../src/registry/client.ts";
import { copyImage, openReader, openWriter, parseEndpoint } from "../../src/registry/copy.ts";
import { parseReference } from "../../src/registry/reference.ts";
import { BUNDLE_MEDIA_TYPE } from "../../src/sign/bundle.ts";
import { envelopeJson, INTOTO_PAYLOAD_TYPE, signEnvelope } from "../../src/sign/dsse.ts";
import { attestImage, signImage, verifyImage, verifyImageAttestations } from "../../src/sign/image.ts";
import { makeBundle } from "../../src/sign/bundle.ts";
import { statement } from "../../src/sign/intoto.ts";
import { signBytes, type SigningKey } from "../../src/sign/keys.ts";
import { simpleSigningPayload } from "../../src/sign/payload.ts";
import {
  LayoutArtifactStore, readBundleReferrers, readCosignArtifact, RegistryArtifactStore, writeBundleReferrer, writeCosignArtifact, type ArtifactStore,
} from "../../src/sign/store.ts";
import { descriptorOf } from "../../src/registry/manifest.ts";
import { buildImage, buildIndex, imageBlobs, writeLayout, type BuiltImage } from "../registry/images.ts";
import { startRegistry, tempDir, type RunningRegistry } from "../registry/servers.ts";

const run = promisify(execFile);
const SIG = "dev.cosignproject.cosign/signature";
const NOW = new Date("2026-03-01T12:00:00Z");

function newKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return { privateKey, publicKey };
}

/** @sigstore/verify's low-level API, key-based with no tlog or timestamps: throws unless the bundle verifies. */
function sigstoreVerify(bundleBytes: Buffer, publicKey: KeyObject): void {
  const bundle = bundleFromJSON(JSON.parse(bundleBytes.toString("utf8")));
  const trust = {
    certificateAuthorities: [],
    timestampAuthorities: [],
    tlogs: [],
    ctlogs: [],
    publicKey: () => ({ publicKey, validFor: () => true }),
  };
  new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(toSignedEntity(bundle));
}

describe("signing images in a registry", () => {
  let registry: RunningRegistry;
  let client: RegistryClient;
  let work: { dir: string; cleanup: () => void };
  let imageA: BuiltImage;
  let imageB: BuiltImage;
  const key = newKey();
  const other = newKey();

  const push = async (repo: string, tag: string, image: BuiltImage): Promise<void> => {
    const layout = join(work.dir, `layout-${image.manifest.digest.slice(7, 19)}`);
    writeLayout(layout, image.manifest, imageBlobs(image).slice(1), "x");
    const src = await parseEndpoint(`oci:${layout}:x`, "source", work.dir);
    const dst = await parseEndpoint(`docker://${registry.host}/${repo}:${tag}`, "destination", work.dir);
    await copyImage(await openReader(src, client), openWriter(dst, client, undefined));
  };
  const store = (ref: string): ArtifactStore => new RegistryArtifactStore(client, parseReference(`${registry.host}/${ref}`));

  before(async () => {
    registry = await startRegistry();
    work = tempDir("drydock-sign-");
    client = new RegistryClient({ insecureRegistries: [registry.host], retry: { attempts: 2, baseDelayMs: 10 } });
    imageA = await buildImage([{ "etc/a": "a\n" }]);
    imageB = await buildImage([{ "etc/b": "b\n" }]);
  });
  after(async () => {
    client.close();
    await registry.stop();
    work.cleanup();
  });

  test("legacy: sign, verify with annotations, openssl agrees, a second key appends", async () => {
    await push("legacy/app", "1", imageA);
    const s = store("legacy/app:1");
    const signed = await signImage(s, key, { format: "legacy", annotations: { env: "prod" } });
    assert.equal(signed.digest, imageA.manifest.digest);
    assert.equal(signed.payload.toString(), `{"critical":{"identity":{"docker-reference":"${registry.host}/legacy/app"},"image":{"docker-manifest-digest":"${imageA.manifest.digest}"},"type":"cosign container image signature"},"optional":{"env":"prod"}}`);

    const ok = await verifyImage(s, key.publicKey, { annotations: { env: "prod" }, keyName: "cosign.pub" });
    assert.deepEqual(ok.verified.map((v) => [v.format, v.annotations]), [["legacy", { env: "prod" }]]);

    // openssl, with nothing of ours in between: the stored payload and base64 DER signature.
    const sig = await readCosignArtifact(s, imageA.manifest.digest, "sig");
    const layer = sig?.layers[0];
    assert.ok(layer !== undefined);
    writeFileSync(join(work.dir, "payload"), layer.payload);
    writeFileSync(join(work.dir, "sig.der"), Buffer.from(layer.annotations[SIG] ?? "", "base64"));
    writeFileSync(join(work.dir, "pub.pem"), key.publicKey.export({ type: "spki", format: "pem" }));
    const { stdout } = await run("openssl", ["dgst", "-sha256", "-verify", join(work.dir, "pub.pem"), "-signature", join(work.dir, "sig.der"), join(work.dir, "payload")]);
    assert.match(stdout, /Verified OK/);

    const again = await signImage(s, key, { format: "legacy", annotations: { env: "prod" } });
    assert.equal(again.alreadySigned, true);
    await signImage(s, other, { format: "legacy", annotations: {} });
    const both = await readCosignArtifact(s, imageA.manifest.digest, "sig");
    assert.equal(both?.layers.length, 2);
    assert.equal((await verifyImage(s, other.publicKey, { annotations: {}, keyName: "other.pub" })).verified.length, 1);
    assert.equal((await verifyImage(s, key.publicKey, { annotations: {}, keyName: "cosign.pub" })).verified.length, 1);
  });

  test("legacy: wrong key, missing annotation, tampered payload, signature and digest each give their reason", async () => {
    await push("tamper/app", "1", imageA);
    const s = store("tamper/app:1");
    const digest = imageA.manifest.digest;
    await signImage(s, key, { format: "legacy", annotations: { env: "prod" } });
    const reasons = async (pub: KeyObject, annotations: Record<string, string> = {}): Promise<string[]> =>
      (await verifyImage(s, pub, { annotations, keyName: "k.pub" })).rejected.map((r) => r.reason);

    assert.deepEqual(await reasons(other.publicKey), ["signature does not verify with k.pub"]);
    assert.deepEqual(await reasons(key.publicKey, { env: "dev" }), ["annotation env=dev missing (the signature has env=prod)"]);
    assert.deepEqual(await reasons(key.publicKey, { team: "x" }), ["annotation team=x missing"]);

    const good = await readCosignArtifact(s, digest, "sig");
    const original = good?.layers[0];
    assert.ok(original !== undefined);
    const flipped = Buffer.from(original.payload);
    flipped[flipped.length - 3] = (flipped[flipped.length - 3] ?? 0) ^ 0x01;
    await writeCosignArtifact(s, digest, "sig", [{ ...original, payload: flipped }]);
    assert.deepEqual(await reasons(key.publicKey), ["signature does not verify with k.pub"]);

    const sig = Buffer.from(original.annotations[SIG] ?? "", "base64");
    sig[10] = (sig[10] ?? 0) ^ 0x01;
    await writeCosignArtifact(s, digest, "sig", [{ ...original, annotations: { [SIG]: sig.toString("base64") } }]);
    assert.deepEqual(await reasons(key.publicKey), ["signature does not verify with k.pub"]);

    // A valid signature over a payload naming another image, stored under this image's tag.
    const elsewhere = simpleSigningPayload(`${registry.host}/tamper/app`, imageB.manifest.digest);
    await writeCosignArtifact(s, digest, "sig", [{ ...original, payload: elsewhere, annotations: { [SIG]: signBytes(key, elsewhere).toString("base64") } }]);
    assert.deepEqual(await reasons(key.publicKey), [`signed digest ${imageB.manifest.digest} ≠ image ${digest}`]);
  });

  test("a re-tagged image has no signatures; nothing found says where it looked", async () => {
    await push("retag/app", "1", imageA);
    await signImage(store("retag/app:1"), key, { format: "legacy", annotations: {} });
    await push("retag/app", "1", imageB);
    const outcome = await verifyImage(store("retag/app:1"), key.publicKey, { annotations: {}, keyName: "k.pub" });
    assert.equal(outcome.digest, imageB.manifest.digest);
    assert.deepEqual(outcome.verified, []);
    assert.deepEqual(outcome.rejected, []);
    assert.match(outcome.looked, new RegExp(`referrers of ${imageB.manifest.digest}.*tag sha256-${imageB.manifest.digest.slice(7)}\\.sig`));
  });

  test("bundle: sign and verify through the fallback tag; @sigstore/verify accepts the bundle", async () => {
    await push("bundle/app", "1", imageA);
    const s = store("bundle/app:1");
    const signed = await signImage(s, key, { format: "bundle", annotations: { env: "prod" }, now: NOW });
    assert.equal(signed.format, "bundle");
    const statementJson = JSON.parse(signed.payload.toString()) as Record<string, unknown>;
    assert.deepEqual(statementJson["subject"], [{ digest: { sha256: imageA.manifest.digest.slice(7) }, annotations: { env: "prod" } }]);
    assert.equal(statementJson["predicateType"], "https://sigstore.dev/cosign/sign/v1");

    const ok = await verifyImage(s, key.publicKey, { annotations: { env: "prod" }, keyName: "cosign.pub" });
    assert.deepEqual(ok.verified.map((v) => [v.format, v.source]), [["bundle", `referrer ${signed.stored}`]]);
    const [stored] = await readBundleReferrers(s, imageA.manifest.digest, BUNDLE_MEDIA_TYPE);
    assert.ok(stored !== undefined);
    sigstoreVerify(stored.bytes, key.publicKey);
    assert.throws(() => sigstoreVerify(stored.bytes, other.publicKey));

    const bad = await verifyImage(s, other.publicKey, { annotations: {}, keyName: "other.pub" });
    assert.deepEqual(bad.rejected.map((r) => r.reason), ["signature does not verify with other.pub"]);
    const missing = await verifyImage(s, key.publicKey, { annotations: { env: "dev" }, keyName: "cosign.pub" });
    assert.deepEqual(missing.rejected.map((r) => r.reason), ["annotation env=dev missing (the signature has env=prod)"]);
  });

  test("bundle: a tampered envelope and a statement about another image are rejected; legacy .sig is not consulted", async () => {
    await push("bundle-tamper/app", "1", imageA);
    const s = store("bundle-tamper/app:1");
    const subject = descriptorOf(await s.subject());
    // A statement about image B, validly signed, attached to image A.
    const aboutB = statement("v1", [{ digest: { sha256: imageB.manifest.digest.slice(7) } }], "https://sigstore.dev/cosign/sign/v1", {});
    const envelope = signEnvelope(key, INTOTO_PAYLOAD_TYPE, aboutB);
    await writeBundleReferrer(s, subject, makeBundle(envelope, key.publicKey), BUNDLE_MEDIA_TYPE, "https://sigstore.dev/cosign/sign/v1", NOW);
    // A valid envelope whose payload is then changed.
    const aboutA = statement("v1", [{ digest: { sha256: imageA.manifest.digest.slice(7) } }], "https://sigstore.dev/cosign/sign/v1", {});
    const good = signEnvelope(key, INTOTO_PAYLOAD_TYPE, aboutA);
    const tampered = { ...good, payload: Buffer.from(aboutA.toString().replace("}", ',"x":1}')).toString("base64") };
    await writeBundleReferrer(s, subject, makeBundle(tampered, key.publicKey), BUNDLE_MEDIA_TYPE, "https://sigstore.dev/cosign/sign/v1", NOW);
    // A good legacy signature does not rescue it: cosign looks at .sig only when there are no bundles.
    await signImage(s, key, { format: "legacy", annotations: {} });
    const outcome = await verifyImage(s, key.publicKey, { annotations: {}, keyName: "k.pub" });
    assert.deepEqual(outcome.verified, []);
    assert.deepEqual(outcome.rejected.map((r) => r.reason).sort(), [
      `signed digest sha256:${imageB.manifest.digest.slice(7)} ≠ image ${imageA.manifest.digest}`,
      "signature does not verify with k.pub",
    ].sort());
    assert.ok(envelopeJson(good).length > 0);
  });

  test("attestations in both formats, with --type filtering and --replace", async () => {
    await push("attest/app", "1", imageA);
    const s = store("attest/app:1");
    const provenance = Buffer.from(JSON.stringify({ buildType: "https://example.com/build", builder: { id: "ci" } }));
    const legacy = await attestImage(s, key, { format: "legacy", type: "slsaprovenance", predicate: provenance, replace: false, now: NOW });
    assert.equal(legacy.predicateType, "https://slsa.dev/provenance/v0.2");
    await attestImage(s, key, { format: "legacy", type: "custom", predicate: Buffer.from("free text"), replace: false, now: NOW });
    const att = await readCosignArtifact(s, imageA.manifest.digest, "att");
    assert.deepEqual(att?.layers.map((l) => [l.mediaType, l.annotations]), [
      ["application/vnd.dsse.envelope.v1+json", { predicateType: "https://slsa.dev/provenance/v0.2", [SIG]: "" }],
      ["application/vnd.dsse.envelope.v1+json", { predicateType: "https://cosign.sigstore.dev/attestation/v1", [SIG]: "" }],
    ]);
    const all = await verifyImageAttestations(s, key.publicKey, { keyName: "k.pub" });
    assert.equal(all.verified.length, 2);
    const first = all.verified[0];
    assert.equal(first?.statement.type, "https://in-toto.io/Statement/v0.1");
    assert.deepEqual(first?.statement.subjects, [{ name: `${registry.host}/attest/app`, digest: { sha256: imageA.manifest.digest.slice(7) } }]);
    assert.deepEqual(first?.statement.predicate, { buildType: "https://example.com/build", builder: { id: "ci" } });
    const custom = all.verified[1]?.statement.predicate as { Data: string; Timestamp: string };
    assert.equal(custom.Data, "free text");

    const onlySlsa = await verifyImageAttestations(s, key.publicKey, { keyName: "k.pub", type: "slsaprovenance" });
    assert.equal(onlySlsa.verified.length, 1);
    assert.deepEqual(onlySlsa.rejected.map((r) => r.reason), ["predicate type https://cosign.sigstore.dev/attestation/v1, not https://slsa.dev/provenance/v0.2"]);

    const replaced = await attestImage(s, key, { format: "legacy", type: "slsaprovenance", predicate: provenance, replace: true, now: NOW });
    assert.equal(replaced.replaced, 1);
    assert.equal((await readCosignArtifact(s, imageA.manifest.digest, "att"))?.layers.length, 2);
    await assert.rejects(attestImage(s, key, { format: "legacy", type: "spdxjson", predicate: Buffer.from("not json"), replace: false }), { code: "PAYLOAD_INVALID" });

    // Bundle attestations: once there is one, cosign (and we) read bundles only.
    const bundled = await attestImage(s, key, { format: "bundle", type: "https://example.com/predicate/v1", predicate: Buffer.from('{"a":1}'), replace: false, now: NOW });
    const viaBundle = await verifyImageAttestations(s, key.publicKey, { keyName: "k.pub" });
    assert.deepEqual(viaBundle.verified.map((v) => [v.format, v.source, v.predicateType]), [["bundle", `referrer ${bundled.stored}`, "https://example.com/predicate/v1"]]);
    const [stored] = await readBundleReferrers(s, imageA.manifest.digest, BUNDLE_MEDIA_TYPE);
    assert.ok(stored !== undefined);
    sigstoreVerify(stored.bytes, key.publicKey);
    // A sign bundle is not an attestation, and an attestation bundle is not a signature.
    assert.deepEqual((await verifyImage(s, key.publicKey, { annotations: {}, keyName: "k.pub" })).verified, []);
  });

  test("an index is signed as the index", async () => {
    const arm = await buildImage([{ "etc/arm": "arm\n" }], { os: "linux", architecture: "arm64" });
    const index = buildIndex([imageA, arm]);
    const layout = join(work.dir, "index-layout");
    writeLayout(layout, index, [...imageBlobs(imageA), ...imageBlobs(arm)], "multi");
    const src = await parseEndpoint(`oci:${layout}:multi`, "source", work.dir);
    const dst = await parseEndpoint(`docker://${registry.host}/multi/app:1`, "destination", work.dir);
    await copyImage(await openReader(src, client), openWriter(dst, client, undefined));
    const s = store("multi/app:1");
    const signed = await signImage(s, key, { format: "bundle", annotations: {}, now: NOW });
    assert.equal(signed.digest, index.digest);
    assert.equal((await verifyImage(s, key.publicKey, { annotations: {}, keyName: "k.pub" })).verified.length, 1);
  });
});

describe("signing images in an OCI layout", () => {
  let work: { dir: string; cleanup: () => void };
  let image: BuiltImage;
  let layout: string;
  const key = newKey();

  before(async () => {
    work = tempDir("drydock-sign-layout-");
    image = await buildImage([{ "etc/layout": "layout\n" }]);
    layout = join(work.dir, "layout");
    writeLayout(layout, image.manifest, imageBlobs(image).slice(1), "1.0");
  });
  after(() => work.cleanup());

  test("both formats round trip, and skopeo still reads the image", async () => {
    const s = new LayoutArtifactStore(layout, "1.0");
    await signImage(s, key, { format: "bundle", annotations: { env: "prod" }, now: NOW });
    const bundle = await verifyImage(s, key.publicKey, { annotations: { env: "prod" }, keyName: "k.pub" });
    assert.deepEqual(bundle.verified.map((v) => v.format), ["bundle"]);

    const legacyOnly = join(work.dir, "legacy");
    writeLayout(legacyOnly, image.manifest, imageBlobs(image).slice(1), "1.0");
    const l = new LayoutArtifactStore(legacyOnly, undefined);
    await signImage(l, key, { format: "legacy", annotations: {} });
    await signImage(l, newKey(), { format: "legacy", annotations: {} });
    const legacy = await verifyImage(l, key.publicKey, { annotations: {}, keyName: "k.pub" });
    assert.deepEqual(legacy.verified.map((v) => v.format), ["legacy"]);
    assert.deepEqual(legacy.rejected.map((r) => r.reason), ["signature does not verify with k.pub"]);
    const { stdout } = await run("skopeo", ["inspect", "--raw", `oci:${legacyOnly}:1.0`]);
    assert.equal(JSON.parse(stdout).config.digest, image.config.digest);
  });

  test("a flipped byte in the stored .sig manifest is an error, not a pass", async () => {
    const dir = join(work.dir, "flip");
    writeLayout(dir, image.manifest, imageBlobs(image).slice(1), "1.0");
    const s = new LayoutArtifactStore(dir, "1.0");
    await signImage(s, key, { format: "legacy", annotations: {} });
    const sig = await readCosignArtifact(s, image.manifest.digest, "sig");
    assert.ok(sig !== undefined);
    const path = join(dir, "blobs", "sha256", sig.manifest.digest.slice(7));
    const bytes = Buffer.from(sig.manifest.bytes);
    bytes[bytes.length - 2] = 0x20;
    writeFileSync(path, bytes);
    await assert.rejects(verifyImage(s, key.publicKey, { annotations: {}, keyName: "k.pub" }), { code: "BLOB_DIGEST_MISMATCH" });
  });
});
