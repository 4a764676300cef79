import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { blobBundle, legacyBlobBundle, readBlobSignature, signBlob, verifyBlob, verifyBlobWithBundle } from "../../src/sign/blob.ts";
import { makeBundle } from "../../src/sign/bundle.ts";
import { parseEnvelope } from "../../src/sign/dsse.ts";
import { loadPrivateKey, loadPublicKey } from "../../src/sign/keys.ts";
import {
  ATTEST_BLOB, ATTEST_EMPTY_SUBJECT_B64, ATTEST_ENVELOPE_B64, ATTEST_MULTI_SUBJECT_B64, ATTEST_PUBKEY, ECDSA_PRIV, ECDSA_PUB, PEM_SIGSTORE_KEY,
} from "./vectors.ts";

const key = loadPrivateKey(ECDSA_PRIV, "", "k");
const pub = loadPublicKey(ECDSA_PUB, "p");
const blob = Buffer.from("an SBOM, say\n\u0000binary too");

function withFiles<T>(files: Record<string, string | Buffer>, fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "drydock-blob-"));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function opensslVerifies(signature: Buffer, data: Buffer): boolean {
  return withFiles({ "pub.pem": ECDSA_PUB, "sig.der": signature, blob: data }, (dir) => {
    try {
      execFileSync("openssl", ["dgst", "-sha256", "-verify", join(dir, "pub.pem"), "-signature", join(dir, "sig.der"), join(dir, "blob")], { stdio: "pipe" });
      return true;
    } catch {
      return false;
    }
  });
}

test("openssl verifies drydock's blob signature; a changed byte fails", () => {
  const sig = signBlob(key, blob);
  assert.ok(opensslVerifies(sig, blob));
  const changed = Buffer.from(blob);
  changed.writeUInt8(changed.readUInt8(0) ^ 1, 0);
  assert.ok(!opensslVerifies(sig, changed));
  assert.deepEqual(verifyBlob(pub, changed, sig), { verified: false, reason: "the signature does not match the file with this public key" });
  assert.equal(verifyBlob(pub, blob, sig).verified, true);
});

test("a signature made by openssl verifies, read as raw DER or as base64 text", () => {
  const der = withFiles({ "key.pem": ECDSA_PRIV, blob }, (dir) =>
    execFileSync("openssl", ["dgst", "-sha256", "-sign", join(dir, "key.pem"), join(dir, "blob")]));
  assert.equal(verifyBlob(pub, blob, readBlobSignature(der)).verified, true);
  assert.equal(verifyBlob(pub, blob, readBlobSignature(Buffer.from(`${der.toString("base64")}\n`))).verified, true);
  assert.equal(verifyBlob(loadPublicKey(ATTEST_PUBKEY, "other"), blob, der).verified, false);
});

test("new-format bundles verify against the file and name what is wrong otherwise", () => {
  const bundle = blobBundle(key, blob);
  const ok = verifyBlobWithBundle(pub, blob, bundle, "b.json");
  assert.equal(ok.verified, true);
  assert.equal(ok.verified && ok.format, "bundle");
  const other = verifyBlobWithBundle(pub, Buffer.from("other"), bundle, "b.json");
  assert.ok(!other.verified && /different file/.test(other.reason));
  const wrongKey = verifyBlobWithBundle(loadPublicKey(ATTEST_PUBKEY, "o"), blob, bundle, "b.json");
  assert.ok(!wrongKey.verified && /does not verify/.test(wrongKey.reason) && /names key/.test(wrongKey.reason));
  const signer = loadPrivateKey(PEM_SIGSTORE_KEY, "hello", "cosign.key");
  assert.equal(verifyBlobWithBundle(signer.publicKey, blob, blobBundle(signer, blob), "b").verified, true);
});

test("legacy {base64Signature} bundles verify", () => {
  const legacy = legacyBlobBundle(signBlob(key, blob));
  assert.deepEqual(Object.keys(JSON.parse(legacy.toString())), ["base64Signature"]);
  const r = verifyBlobWithBundle(pub, blob, legacy, "old.bundle");
  assert.equal(r.verified && r.format, "legacy-bundle");
  assert.equal(verifyBlobWithBundle(pub, Buffer.from("x"), legacy, "old.bundle").verified, false);
});

test("DSSE bundles around cosign's attestation vectors: subject digest must be the file's", () => {
  const attPub = loadPublicKey(ATTEST_PUBKEY, "cosign.pub");
  const bundleOf = (b64: string): Buffer => makeBundle(parseEnvelope(Buffer.from(b64, "base64"), "att"), attPub);
  assert.equal(verifyBlobWithBundle(attPub, Buffer.from(ATTEST_BLOB), bundleOf(ATTEST_ENVELOPE_B64), "b").verified, true);
  assert.equal(verifyBlobWithBundle(attPub, Buffer.from(ATTEST_BLOB), bundleOf(ATTEST_MULTI_SUBJECT_B64), "b").verified, true);
  const another = verifyBlobWithBundle(attPub, Buffer.from("another-blob"), bundleOf(ATTEST_ENVELOPE_B64), "b");
  assert.ok(!another.verified && /no subject/.test(another.reason));
  const empty = verifyBlobWithBundle(attPub, Buffer.from(ATTEST_BLOB), bundleOf(ATTEST_EMPTY_SUBJECT_B64), "b");
  assert.deepEqual(empty, { verified: false, reason: "the signed statement has no subject" });
});

test("a file that is no bundle is a DrydockError", () => {
  for (const bad of ["", "{}", "[1]", `{"mediaType":"x"}`]) {
    assert.throws(() => verifyBlobWithBundle(pub, blob, Buffer.from(bad), "b"), { name: "DrydockError", code: "BUNDLE_INVALID" }, bad);
  }
});
