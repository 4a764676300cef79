import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, type KeyObject } from "node:crypto";
import { bundleFromJSON } from "@sigstore/bundle";
import { toSignedEntity, Verifier, type TrustMaterial } from "@sigstore/verify";
import { BUNDLE_MEDIA_TYPE, makeBundle, makeMessageSignatureBundle, parseBundle } from "../../src/sign/bundle.ts";
import { INTOTO_PAYLOAD_TYPE, parseEnvelope, signEnvelope } from "../../src/sign/dsse.ts";
import { COSIGN_SIGN_PREDICATE, statement } from "../../src/sign/intoto.ts";
import { keyHint, loadPrivateKey, loadPublicKey, signBytes } from "../../src/sign/keys.ts";
import { ATTEST_ENVELOPE_B64, ATTEST_PUBKEY, ECDSA_PRIV, ECDSA_PUB } from "./vectors.ts";

/** Key-based trust for @sigstore/verify: one public key known by its hint, no CAs, no logs, no timestamps. */
function trustFor(hint: string, publicKey: KeyObject): TrustMaterial {
  return {
    certificateAuthorities: [], timestampAuthorities: [], tlogs: [], ctlogs: [],
    publicKey: (h: string) => {
      if (h !== hint) throw new Error(`unknown key hint ${h}`);
      return { publicKey, validFor: () => true };
    },
  };
}

/** Verifies bundle bytes with sigstore-js's low-level verifier, trusting publicKey under the bundle's own hint. */
function sigstoreVerify(bundleBytes: Buffer, publicKey: KeyObject, artifact?: Buffer): void {
  const bundle = bundleFromJSON(JSON.parse(bundleBytes.toString()));
  const content = bundle.verificationMaterial.content;
  assert.equal(content.$case, "publicKey");
  const hint = content.$case === "publicKey" ? content.publicKey.hint : "";
  const verifier = new Verifier(trustFor(hint, publicKey), { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 });
  verifier.verify(toSignedEntity(bundle, artifact));
}

const key = loadPrivateKey(ECDSA_PRIV, "", "k");

test("a DSSE bundle from makeBundle verifies with @sigstore/verify using the public key", () => {
  const payload = statement("v1", [{ digest: { sha256: "cd".repeat(32) } }], COSIGN_SIGN_PREDICATE, {});
  const bytes = makeBundle(signEnvelope(key, INTOTO_PAYLOAD_TYPE, payload), key.publicKey);
  sigstoreVerify(bytes, key.publicKey);
  // The shape cosign v3 (sigstore-go + protojson) writes: no empty keyid, no empty tlogEntries.
  const json = JSON.parse(bytes.toString());
  assert.deepEqual(Object.keys(json), ["mediaType", "verificationMaterial", "dsseEnvelope"]);
  assert.equal(json.mediaType, BUNDLE_MEDIA_TYPE);
  assert.deepEqual(json.verificationMaterial, { publicKey: { hint: keyHint(key.publicKey) } });
  assert.deepEqual(Object.keys(json.dsseEnvelope), ["payload", "payloadType", "signatures"]);
  assert.deepEqual(Object.keys(json.dsseEnvelope.signatures[0]), ["sig"]);
  assert.equal(Buffer.from(json.dsseEnvelope.payload, "base64").toString(), payload.toString());
});

test("@sigstore/verify rejects our bundle when the payload, the signature or the key is wrong", () => {
  const env = signEnvelope(key, INTOTO_PAYLOAD_TYPE, Buffer.from("{}"));
  const otherKey = loadPublicKey(ATTEST_PUBKEY, "other");
  sigstoreVerify(makeBundle(env, key.publicKey), key.publicKey);
  assert.throws(() => sigstoreVerify(makeBundle(env, key.publicKey), otherKey), /signature verification failed/);
  assert.throws(() => sigstoreVerify(makeBundle({ ...env, payload: Buffer.from("{ }").toString("base64") }, key.publicKey), key.publicKey), /signature verification failed/);
  const sig = Buffer.from(env.signatures[0]?.sig ?? "", "base64");
  sig.writeUInt8(sig.readUInt8(sig.length - 1) ^ 1, sig.length - 1);
  assert.throws(() => sigstoreVerify(makeBundle({ ...env, signatures: [{ sig: sig.toString("base64") }] }, key.publicKey), key.publicKey), /signature verification failed/);
});

test("cosign's own attestation envelope, rebundled, verifies with @sigstore/verify", () => {
  const env = parseEnvelope(Buffer.from(ATTEST_ENVELOPE_B64, "base64"), "att");
  const pub = loadPublicKey(ATTEST_PUBKEY, "cosign.pub");
  sigstoreVerify(makeBundle(env, pub), pub);
});

test("a message-signature bundle (sign-blob) verifies with @sigstore/verify against the artifact", () => {
  const artifact = Buffer.from("some artifact bytes\n");
  const sha = createHash("sha256").update(artifact).digest();
  const bytes = makeMessageSignatureBundle(sha, signBytes(key, artifact), key.publicKey);
  sigstoreVerify(bytes, key.publicKey, artifact);
  assert.throws(() => sigstoreVerify(bytes, key.publicKey, Buffer.from("other bytes")), /digest|signature/i);
  const json = JSON.parse(bytes.toString());
  assert.deepEqual(json.messageSignature.messageDigest, { algorithm: "SHA2_256", digest: sha.toString("base64") });
  const parsed = parseBundle(bytes, "b");
  assert.deepEqual(parsed.messageSignature?.digest, sha);
  assert.equal(parsed.hint, keyHint(loadPublicKey(ECDSA_PUB, "p")));
});

test("parseBundle reads the envelope back and rejects malformed bundles with BUNDLE_INVALID", () => {
  const env = signEnvelope(key, INTOTO_PAYLOAD_TYPE, Buffer.from("{}"));
  const parsed = parseBundle(makeBundle(env, key.publicKey), "b");
  assert.equal(parsed.mediaType, BUNDLE_MEDIA_TYPE);
  assert.deepEqual(parsed.envelope, { payload: env.payload, payloadType: env.payloadType, signatures: [{ sig: env.signatures[0]?.sig }] });
  const ok = JSON.parse(makeBundle(env, key.publicKey).toString());
  const msg = JSON.parse(makeMessageSignatureBundle(Buffer.alloc(32), Buffer.from("s"), key.publicKey).toString());
  for (const bad of ["{", "[]", JSON.stringify({ ...ok, mediaType: "application/json" }), JSON.stringify({ ...ok, dsseEnvelope: undefined }),
    JSON.stringify({ ...ok, messageSignature: msg.messageSignature }),
    JSON.stringify({ ...msg, messageSignature: { ...msg.messageSignature, messageDigest: { algorithm: "SHA2_512", digest: "AA==" } } }),
    JSON.stringify({ ...msg, messageSignature: { ...msg.messageSignature, messageDigest: { algorithm: "SHA2_256", digest: "AA==" } } })]) {
    assert.throws(() => parseBundle(Buffer.from(bad), "b"), { name: "DrydockError", code: "BUNDLE_INVALID" }, bad);
  }
  assert.throws(() => parseBundle(Buffer.from(JSON.stringify({ ...ok, dsseEnvelope: { payload: 1 } })), "b"), { code: "ENVELOPE_INVALID" });
});
