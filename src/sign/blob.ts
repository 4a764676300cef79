// sign-blob / verify-blob: signatures over whole files, as cosign writes them (base64 DER, legacy or new bundles).
import { createHash, type KeyObject } from "node:crypto";
import { DrydockError } from "../core/errors.ts";
import { makeMessageSignatureBundle, parseBundle } from "./bundle.ts";
import { INTOTO_PAYLOAD_TYPE, verifyEnvelope } from "./dsse.ts";
import { parseStatement } from "./intoto.ts";
import { keyHint, signBytes, verifyBytes, type SigningKey } from "./keys.ts";
import { isRecord, parseJsonBytes } from "./media.ts";

/** What verified (format and the file's digest), or why nothing did. */
export type BlobVerification =
  | { verified: true; format: "signature" | "bundle" | "legacy-bundle" | "dsse-bundle"; digest: string }
  | { verified: false; reason: string };

/** The file's signature as cosign makes it: over the file's bytes (hashed with SHA-256 by the signer), DER-encoded. */
export function signBlob(key: SigningKey, blob: Uint8Array): Buffer {
  return signBytes(key, blob);
}

/** A Sigstore bundle (v0.3, messageSignature over the file's SHA-256) as `cosign sign-blob --bundle` v3 writes it. */
export function blobBundle(key: SigningKey, blob: Uint8Array): Buffer {
  return makeMessageSignatureBundle(sha256(blob), signBlob(key, blob), key.publicKey);
}

/** cosign's pre-v3 `--bundle` file (LocalSignedPayload) for a key-signed blob with no tlog entry. */
export function legacyBlobBundle(signature: Uint8Array): Buffer {
  return Buffer.from(JSON.stringify({ base64Signature: Buffer.from(signature).toString("base64") }), "utf8");
}

/**
 * Bytes of a signature file: cosign writes base64 text (a trailing newline is tolerated); a file that is not
 * base64 is taken as the raw DER signature, as `openssl dgst -sign` writes it.
 */
export function readBlobSignature(bytes: Uint8Array): Buffer {
  const text = Buffer.from(bytes).toString("latin1").trim();
  if (text.length > 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(text) && text.length % 4 === 0) return Buffer.from(text, "base64");
  return Buffer.from(bytes);
}

/** Checks a detached signature over the file. */
export function verifyBlob(publicKey: KeyObject, blob: Uint8Array, signature: Uint8Array): BlobVerification {
  if (!verifyBytes(publicKey, blob, signature)) return { verified: false, reason: "the signature does not match the file with this public key" };
  return { verified: true, format: "signature", digest: `sha256:${sha256(blob).toString("hex")}` };
}

/**
 * Checks a bundle file: a Sigstore bundle with a message signature (sign-blob) or a DSSE envelope whose in-toto
 * subject names the file's SHA-256 (attest-blob), or cosign's legacy `{"base64Signature": ...}` file.
 * A file that is no bundle at all is a DrydockError; a bundle that does not verify is a reason.
 */
export function verifyBlobWithBundle(publicKey: KeyObject, blob: Uint8Array, bundleBytes: Uint8Array, where: string): BlobVerification {
  const digest = sha256(blob);
  const digestText = `sha256:${digest.toString("hex")}`;
  const json = parseJsonBytes(bundleBytes, "BUNDLE_INVALID", `${where}: the bundle`);
  if (isRecord(json) && json.mediaType === undefined && typeof json.base64Signature === "string") {
    const result = verifyBlob(publicKey, blob, readBlobSignature(Buffer.from(json.base64Signature)));
    return result.verified ? { ...result, format: "legacy-bundle" } : result;
  }
  const bundle = parseBundle(bundleBytes, where);
  const otherKey = bundle.hint !== undefined && bundle.hint !== keyHint(publicKey)
    ? ` (the bundle names key ${bundle.hint}; this key is ${keyHint(publicKey)})` : "";
  if (bundle.messageSignature !== undefined) {
    if (!bundle.messageSignature.digest.equals(digest)) {
      return { verified: false, reason: `the bundle is for a different file: it signs sha256:${bundle.messageSignature.digest.toString("hex")}, the file is ${digestText}` };
    }
    if (!verifyBytes(publicKey, blob, bundle.messageSignature.signature)) {
      return { verified: false, reason: `the bundle's signature does not verify with this public key${otherKey}` };
    }
    return { verified: true, format: "bundle", digest: digestText };
  }
  const envelope = bundle.envelope;
  if (envelope === undefined) throw new DrydockError("BUNDLE_INVALID", `${where}: the bundle carries no signature`);
  const payload = verifyEnvelope(publicKey, envelope);
  if (payload === undefined) return { verified: false, reason: `the bundle's DSSE signature does not verify with this public key${otherKey}` };
  if (envelope.payloadType !== INTOTO_PAYLOAD_TYPE) {
    return { verified: false, reason: `the envelope's payload type is ${JSON.stringify(envelope.payloadType)}, not an in-toto statement` };
  }
  const statement = parseStatement(payload, where);
  if (statement.subjects.length === 0) return { verified: false, reason: "the signed statement has no subject" };
  const hex = digest.toString("hex");
  if (!statement.subjects.some((s) => s.digest.sha256 === hex)) {
    return { verified: false, reason: `no subject of the signed statement has the file's digest ${digestText}` };
  }
  return { verified: true, format: "dsse-bundle", digest: digestText };
}

function sha256(data: Uint8Array): Buffer {
  return createHash("sha256").update(data).digest();
}
