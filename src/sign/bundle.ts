// Sigstore bundles (protobuf-specs Bundle v0.3, JSON form) for key-based signing: no certificate, no tlog.
import type { KeyObject } from "node:crypto";
import { DrydockError } from "../core/errors.ts";
import { envelopeFromJson, type Envelope } from "./dsse.ts";
import { keyHint } from "./keys.ts";
import { decodeAnyBase64, decodeStdBase64, goJsonString, isRecord, parseJsonBytes } from "./media.ts";

export const BUNDLE_MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";

// Older spellings other clients still write; the JSON shape is the same for what we read.
const ACCEPTED_MEDIA_TYPES = new Set([
  BUNDLE_MEDIA_TYPE,
  "application/vnd.dev.sigstore.bundle+json;version=0.1",
  "application/vnd.dev.sigstore.bundle+json;version=0.2",
  "application/vnd.dev.sigstore.bundle+json;version=0.3",
]);

export interface ParsedBundle {
  mediaType: string;
  envelope?: Envelope;
  /** A message signature over a SHA-256 digest (sign-blob). */
  messageSignature?: { digest: Buffer; signature: Buffer };
  /** The public key hint, when the bundle names its key that way (key-based signing). */
  hint?: string;
}

/**
 * A bundle around a DSSE envelope, in the shape Go's protojson gives cosign v3 (sigstore-go sign.Bundle):
 * protobuf field order, empty fields (keyid "", tlogEntries []) omitted, bytes as standard base64.
 */
export function makeBundle(envelope: Envelope, publicKey: KeyObject): Buffer {
  const payload = decodeAnyBase64(envelope.payload, "ENVELOPE_INVALID", "the envelope payload").toString("base64");
  const signatures = envelope.signatures.map((s) => {
    const sig = decodeAnyBase64(s.sig, "ENVELOPE_INVALID", "an envelope signature").toString("base64");
    return s.keyid === undefined || s.keyid === "" ? `{"sig":"${sig}"}` : `{"sig":"${sig}","keyid":${goJsonString(s.keyid)}}`;
  });
  const dsse = `{"payload":"${payload}","payloadType":${goJsonString(envelope.payloadType)},"signatures":[${signatures.join(",")}]}`;
  return Buffer.from(`{"mediaType":"${BUNDLE_MEDIA_TYPE}",${verificationMaterial(publicKey)},"dsseEnvelope":${dsse}}`, "utf8");
}

/** A bundle around a signature over a file's SHA-256 digest, as `cosign sign-blob --new-bundle-format --key` writes. */
export function makeMessageSignatureBundle(digest: Buffer, signature: Buffer, publicKey: KeyObject): Buffer {
  if (digest.length !== 32) throw new DrydockError("BUNDLE_INVALID", `a SHA-256 digest is 32 bytes, not ${digest.length}`);
  const message = `{"messageDigest":{"algorithm":"SHA2_256","digest":"${digest.toString("base64")}"},"signature":"${signature.toString("base64")}"}`;
  return Buffer.from(`{"mediaType":"${BUNDLE_MEDIA_TYPE}",${verificationMaterial(publicKey)},"messageSignature":${message}}`, "utf8");
}

function verificationMaterial(publicKey: KeyObject): string {
  return `"verificationMaterial":{"publicKey":{"hint":"${keyHint(publicKey)}"}}`;
}

/** Reads a bundle: its media type, and the DSSE envelope or message signature it carries. */
export function parseBundle(bytes: Uint8Array, where: string): ParsedBundle {
  const json = parseJsonBytes(bytes, "BUNDLE_INVALID", `${where}: the Sigstore bundle`);
  if (!isRecord(json)) throw new DrydockError("BUNDLE_INVALID", `${where}: the Sigstore bundle is not a JSON object`);
  const mediaType = json.mediaType;
  if (typeof mediaType !== "string" || !ACCEPTED_MEDIA_TYPES.has(mediaType)) {
    throw new DrydockError("BUNDLE_INVALID", `${where}: mediaType ${JSON.stringify(mediaType)} is not a Sigstore bundle media type`);
  }
  const out: ParsedBundle = { mediaType };
  const material = json.verificationMaterial;
  if (material !== undefined && !isRecord(material)) throw new DrydockError("BUNDLE_INVALID", `${where}: verificationMaterial is not an object`);
  const publicKey = material?.publicKey;
  if (isRecord(publicKey) && typeof publicKey.hint === "string") out.hint = publicKey.hint;
  const hasDsse = json.dsseEnvelope !== undefined;
  const hasMessage = json.messageSignature !== undefined;
  if (hasDsse === hasMessage) {
    throw new DrydockError("BUNDLE_INVALID", `${where}: a bundle carries exactly one of dsseEnvelope or messageSignature`);
  }
  if (hasDsse) {
    out.envelope = envelopeFromJson(json.dsseEnvelope, `${where}: dsseEnvelope`);
    return out;
  }
  out.messageSignature = parseMessageSignature(json.messageSignature, where);
  return out;
}

function parseMessageSignature(m: unknown, where: string): { digest: Buffer; signature: Buffer } {
  const digest = isRecord(m) ? m.messageDigest : undefined;
  if (!isRecord(m) || !isRecord(digest) || typeof digest.digest !== "string" || typeof m.signature !== "string") {
    throw new DrydockError("BUNDLE_INVALID", `${where}: messageSignature needs messageDigest.digest and signature strings`);
  }
  if (digest.algorithm !== "SHA2_256") {
    throw new DrydockError("BUNDLE_INVALID", `${where}: message digest algorithm ${JSON.stringify(digest.algorithm)} is not supported (only SHA2_256)`);
  }
  const bytes = decodeStdBase64(digest.digest, "BUNDLE_INVALID", `${where}: messageDigest.digest`);
  if (bytes.length !== 32) throw new DrydockError("BUNDLE_INVALID", `${where}: messageDigest.digest is ${bytes.length} bytes, not 32`);
  return { digest: bytes, signature: decodeStdBase64(m.signature, "BUNDLE_INVALID", `${where}: messageSignature.signature`) };
}
