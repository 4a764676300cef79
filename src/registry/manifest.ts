// Manifests as the registry client moves them: raw bytes (their digest is their identity), the descriptors
// they point at, and the referrers tag schema.
import { createHash } from "node:crypto";
import { DrydockError } from "../core/errors.ts";
import { documentKind, parseIndex, parseManifest } from "../image/manifest.ts";
import { isIndexType, MEDIA } from "../image/media.ts";
import type { Platform } from "../image/platform.ts";

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
  artifactType?: string;
  urls?: string[];
}

/** A manifest or index exactly as stored: the bytes are what the digest covers. */
export interface ManifestBlob {
  bytes: Buffer;
  mediaType: string;
  digest: string;
}

export type ManifestContent =
  | { kind: "index"; manifests: Descriptor[] }
  | { kind: "manifest"; config: Descriptor; layers: Descriptor[] };

export function digestAlgorithm(digest: string): "sha256" | "sha512" {
  const algorithm = digest.slice(0, digest.indexOf(":"));
  if (algorithm === "sha256" || algorithm === "sha512") return algorithm;
  throw new DrydockError("MANIFEST_INVALID", `${JSON.stringify(digest)}: unsupported digest algorithm (sha256 and sha512 are)`);
}

export function digestOfBytes(bytes: Uint8Array, algorithm: "sha256" | "sha512" = "sha256"): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest("hex")}`;
}

export function manifestBlob(bytes: Buffer, mediaType: string): ManifestBlob {
  return { bytes, mediaType, digest: digestOfBytes(bytes) };
}

export function descriptorOf(blob: ManifestBlob): Descriptor {
  return { mediaType: blob.mediaType, digest: blob.digest, size: blob.bytes.length };
}

/** The referrers fallback tag (distribution-spec "Referrers Tag Schema"): `<alg>-<hex>`, clipped and cleaned. */
export function referrersTag(digest: string): string {
  const colon = digest.indexOf(":");
  const algorithm = digest.slice(0, colon).slice(0, 32);
  const encoded = digest.slice(colon + 1).slice(0, 64);
  return `${algorithm}-${encoded}`.replace(/[^a-zA-Z0-9._-]/g, "-");
}

/** What a manifest points at. Schema 1 and unknown documents are errors that say so. */
export function manifestContent(blob: ManifestBlob, where: string): ManifestContent {
  let json: unknown;
  try {
    json = JSON.parse(blob.bytes.toString("utf8"));
  } catch (e) {
    throw new DrydockError("MANIFEST_INVALID", `${where}: not valid JSON`, { cause: e });
  }
  const kind = documentKind(json);
  if (kind === "schema1") throw new DrydockError("MANIFEST_UNSUPPORTED", `${where} is Docker schema 1, which is deprecated and not supported`);
  if (isIndexType(blob.mediaType) || kind === "index") {
    return { kind: "index", manifests: parseIndex(json, where).manifests };
  }
  if (kind === "manifest") {
    const m = parseManifest(json, where);
    return { kind: "manifest", config: m.config, layers: m.layers };
  }
  throw new DrydockError("MANIFEST_UNSUPPORTED", `${where}: ${JSON.stringify(blob.mediaType)} is not an image manifest or index`);
}

/** The media type a stored manifest declares (or implies by its shape), for PUT's Content-Type. */
export function declaredMediaType(bytes: Buffer, fallback: string | undefined): string {
  try {
    const json: unknown = JSON.parse(bytes.toString("utf8"));
    if (typeof json === "object" && json !== null && "mediaType" in json && typeof json.mediaType === "string") return json.mediaType;
    const kind = documentKind(json);
    if (fallback !== undefined && fallback !== "") return fallback;
    if (kind === "index") return MEDIA.ociIndex;
    if (kind === "manifest") return MEDIA.ociManifest;
  } catch {
    // Not JSON: the caller's manifestContent() reports it.
  }
  return fallback ?? MEDIA.ociManifest;
}

/** A registry or layout JSON document; invalid JSON is a MANIFEST_INVALID error naming where it came from. */
export function parseRegistryJson(bytes: Buffer, where: string): unknown {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch (e) {
    throw new DrydockError("MANIFEST_INVALID", `${where}: not valid JSON`, { cause: e });
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
