// Descriptors, manifests and indexes (OCI image-spec and Docker schema 2), validated field by field.
import { DrydockError } from "../core/errors.ts";
import { formatDigest, requireDigest } from "./digest.ts";
import { Fields, isObject } from "./json.ts";
import { isIndexType, isManifestType } from "./media.ts";
import type { Platform } from "./platform.ts";

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
  urls?: string[];
  artifactType?: string;
}

export interface ImageIndex {
  mediaType: string | undefined;
  manifests: Descriptor[];
}

export interface ImageManifest {
  mediaType: string | undefined;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

const CODE = "MANIFEST_INVALID";

export function parseDescriptor(value: unknown, where: string): Descriptor {
  const f = Fields.of(value, where, CODE);
  const digest = formatDigest(requireDigest(f.obj["digest"], `${where}.digest`));
  const size = f.number("size") ?? -1;
  if (!Number.isSafeInteger(size) || size < 0) throw f.error("size", "a non-negative integer");
  const d: Descriptor = { mediaType: f.requiredString("mediaType"), digest, size };
  const p = f.object("platform");
  if (p !== undefined) {
    const variant = p.string("variant");
    d.platform = { os: p.requiredString("os"), architecture: p.requiredString("architecture"), ...(variant === undefined || variant === "" ? {} : { variant }) };
  }
  const annotations = f.stringMap("annotations");
  if (annotations !== undefined) d.annotations = annotations;
  const urls = f.strings("urls");
  if (urls !== undefined) d.urls = urls;
  const artifactType = f.string("artifactType");
  if (artifactType !== undefined) d.artifactType = artifactType;
  return d;
}

/** cosign's tags for what it stores beside an image (`sha256-<hex>.sig`, `.att`, `.sbom`), and the referrers tag. */
const ARTIFACT_TAG = /^sha(256|512)-[0-9a-f]+(\.(sig|att|sbom))?$/;

/**
 * Whether an index.json entry is a signature, attestation or other referrer stored beside an image (by its cosign
 * tag, or untagged with an artifactType) rather than an image: such entries are not candidates when a layout is
 * opened without a tag.
 */
export function isArtifactEntry(d: { annotations?: Record<string, string>; artifactType?: string }): boolean {
  const name = d.annotations?.["org.opencontainers.image.ref.name"];
  if (name !== undefined) return ARTIFACT_TAG.test(name);
  return d.artifactType !== undefined;
}

/** What a JSON document is, by its mediaType field or, when that is absent, by its shape. */
export function documentKind(json: unknown): "index" | "manifest" | "schema1" | "unknown" {
  if (!isObject(json)) return "unknown";
  const mediaType = typeof json["mediaType"] === "string" ? json["mediaType"] : undefined;
  if (json["schemaVersion"] === 1) return "schema1";
  if (isIndexType(mediaType)) return "index";
  if (isManifestType(mediaType)) return "manifest";
  if (mediaType !== undefined) return "unknown";
  if (Array.isArray(json["manifests"])) return "index";
  if (Array.isArray(json["layers"]) || isObject(json["config"])) return "manifest";
  return "unknown";
}

export function parseIndex(json: unknown, where: string): ImageIndex {
  const f = Fields.of(json, where, CODE);
  checkSchemaVersion(f);
  const manifests = f.array("manifests");
  if (manifests === undefined) throw f.error("manifests", "an array");
  return { mediaType: f.string("mediaType"), manifests: manifests.map((m, i) => parseDescriptor(m, `${where}.manifests[${i}]`)) };
}

export function parseManifest(json: unknown, where: string): ImageManifest {
  const f = Fields.of(json, where, CODE);
  checkSchemaVersion(f);
  const config = f.obj["config"];
  if (config === undefined) throw f.error("config", "a descriptor");
  const layers = f.array("layers") ?? [];
  const m: ImageManifest = {
    mediaType: f.string("mediaType"),
    config: parseDescriptor(config, `${where}.config`),
    layers: layers.map((l, i) => parseDescriptor(l, `${where}.layers[${i}]`)),
  };
  const annotations = f.stringMap("annotations");
  if (annotations !== undefined) m.annotations = annotations;
  return m;
}

function checkSchemaVersion(f: Fields): void {
  const v = f.number("schemaVersion");
  if (v !== 2) throw new DrydockError(CODE, `${f.where}: schemaVersion must be 2, got ${JSON.stringify(f.obj["schemaVersion"])}`);
}
