// Media types, annotation keys and the wire encodings (base64, PEM, Go-compatible JSON) shared by src/sign.
import { DrydockError, type ErrorCode } from "../core/errors.ts";
import { isObject, parseJson } from "../image/json.ts";

/** Layer media type of a classic cosign signature (the simple-signing payload). */
export const SIMPLE_SIGNING_MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
/** Layer media type of a classic cosign attestation (a DSSE envelope). */
export const DSSE_MEDIA_TYPE = "application/vnd.dsse.envelope.v1+json";
/** Layer annotation holding the base64 signature of a classic cosign signature (empty for attestations). */
export const SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
/** Manifest annotation of a bundle referrer: what the bundle carries ("dsse-envelope"). */
export const BUNDLE_CONTENT_ANNOTATION = "dev.sigstore.bundle.content";
/** Manifest annotation of a bundle referrer: the predicate type of the statement inside. */
export const BUNDLE_PREDICATE_ANNOTATION = "dev.sigstore.bundle.predicateType";

const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// DSSE allows URL-safe base64, padded or not (the spec says either alphabet must be accepted).
const ANY_BASE64 = /^[A-Za-z0-9+/\-_]*={0,2}$/;

/** Decodes standard padded base64 strictly (as Go's StdEncoding does), or throws the given error. */
export function decodeStdBase64(text: string, code: ErrorCode, what: string): Buffer {
  if (!STD_BASE64.test(text)) throw new DrydockError(code, `${what} is not valid base64`);
  return Buffer.from(text, "base64");
}

/** Decodes standard or URL-safe base64, with or without padding; rejects anything else. */
export function decodeAnyBase64(text: string, code: ErrorCode, what: string): Buffer {
  const unpadded = text.replace(/=+$/, "");
  if (!ANY_BASE64.test(text) || unpadded.length % 4 === 1 || /[+/]/.test(unpadded) && /[-_]/.test(unpadded)) {
    throw new DrydockError(code, `${what} is not valid base64`);
  }
  return Buffer.from(unpadded.replaceAll("-", "+").replaceAll("_", "/"), "base64");
}

/** Parses JSON from bytes that must be UTF-8, turning every failure into the given error. */
export function parseJsonBytes(bytes: Uint8Array, code: ErrorCode, what: string): unknown {
  return parseJson(bytes, what, code);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return isObject(v);
}

/** One PEM block: its label and DER body. */
export interface PemBlock {
  label: string;
  der: Buffer;
}

/**
 * The first PEM block in text (text before it is ignored, as Go's pem.Decode does). Undefined when there is no
 * complete block; throws the given error when the block's body is not base64.
 */
export function firstPemBlock(text: string, code: ErrorCode, where: string): PemBlock | undefined {
  const begin = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n/.exec(text);
  if (begin === null) return undefined;
  const label = begin[1] ?? "";
  const bodyStart = begin.index + begin[0].length;
  const endMarker = `-----END ${label}-----`;
  const end = text.indexOf(endMarker, bodyStart);
  if (end < 0) return undefined;
  const lines = text.slice(bodyStart, end).split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "");
  // PEM headers (Proc-Type, DEK-Info: legacy OpenSSL encryption) are not something cosign reads either.
  if (lines.some((l) => l.includes(":"))) {
    throw new DrydockError(code, `${where}: PEM block "${label}" has headers (legacy OpenSSL encryption?); convert it to PKCS#8 first`);
  }
  return { label, der: decodeStdBase64(lines.join(""), code, `${where}: the body of PEM block "${label}"`) };
}

/** A PEM block as Go's pem.Encode writes it: 64-character lines, trailing newline. */
export function encodePem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/**
 * A JSON string exactly as Go's encoding/json writes it: like JSON.stringify, but with <, >, & and U+2028/2029
 * escaped, and lone surrogates (impossible in Go strings) replaced by U+FFFD.
 */
export function goJsonString(s: string): string {
  return JSON.stringify(s.toWellFormed()).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * A value as Go's encoding/json writes a map[string]interface{} tree: compact, object keys sorted (Go sorts
 * map keys by their bytes; for the ASCII keys of real payloads that is code-unit order), numbers as float64.
 */
export function goJsonValue(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return goJsonString(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new DrydockError("PAYLOAD_INVALID", `cannot encode ${v} in JSON`);
    return Object.is(v, -0) ? "-0" : String(v);
  }
  if (Array.isArray(v)) return `[${v.map(goJsonValue).join(",")}]`;
  if (typeof v === "object") {
    const keys = Object.keys(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const entries = keys.map((k) => `${goJsonString(k)}:${goJsonValue((v as Record<string, unknown>)[k])}`);
    return `{${entries.join(",")}}`;
  }
  throw new DrydockError("PAYLOAD_INVALID", `cannot encode a ${typeof v} in JSON`);
}
