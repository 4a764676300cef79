// Where signatures and attestations of an image live, in a registry or an OCI image layout, in cosign's two
// layouts:
//  - legacy: an image manifest tagged `sha256-<hex>.sig` (or `.att`) in the image's repository, one layer per
//    signature, appended to on every signing;
//  - OCI 1.1 referrers: a manifest whose `subject` is the signed manifest, pushed by digest; registries without
//    the referrers API get the `sha256-<hex>` fallback index (RegistryClient.putManifest maintains it).
// In an OCI layout the same manifests are entries of index.json: the `.sig`/`.att` manifest under its tag as
// ref.name, a referrer untagged with its artifactType and annotations (ORAS's convention for layouts).
// Nothing here signs or verifies: that is image.ts with the crypto of keys.ts/dsse.ts.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { DrydockError } from "../core/errors.ts";
import { isIndexType, MEDIA } from "../image/media.ts";
import type { RegistryClient } from "../registry/client.ts";
import { referrerDescriptor } from "../registry/client.ts";
import { blobPath } from "../registry/layout.ts";
import { declaredMediaType, isRecord, parseRegistryJson, digestAlgorithm, digestOfBytes, referrersTag, type Descriptor, type ManifestBlob } from "../registry/manifest.ts";
import { isArtifactEntry } from "../image/manifest.ts";
import { formatReference, formatRepository, manifestReference, withDefaultTag, type ImageReference } from "../registry/reference.ts";
import { BUNDLE_CONTENT_ANNOTATION, BUNDLE_PREDICATE_ANNOTATION } from "./media.ts";

export const EMPTY_MEDIA_TYPE = "application/vnd.oci.empty.v1+json";
const EMPTY_JSON = Buffer.from("{}");
const REF_NAME = "org.opencontainers.image.ref.name";
const CONTAINERD_NAME = "io.containerd.image.name";
const CREATED_ANNOTATION = "org.opencontainers.image.created";
/** Signature payloads, envelopes and bundles are small; anything bigger is not one. */
const MAX_ARTIFACT_BYTES = 16 << 20;
/** Tags drydock and cosign write beside images; never the image a layout's reader means. */

export type CosignSuffix = "sig" | "att";

/** `sha256-<hex>.sig`: cosign's tag for the signatures (or attestations) of a manifest. */
export function cosignTag(digest: string, suffix: CosignSuffix): string {
  digestAlgorithm(digest);
  return `${digest.replace(":", "-")}.${suffix}`;
}

/** The storage operations signing needs, the same for a registry repository and an OCI layout. */
export interface ArtifactStore {
  /** "127.0.0.1:5000/app:1", "oci:/tmp/layout:1" — for messages. */
  readonly description: string;
  /** Repository name for simple-signing's docker-reference and in-toto subject names ("registry/repo"). */
  readonly identity: string;
  /** The manifest or index the reference names (the one cosign signs). */
  subject(): Promise<ManifestBlob>;
  /** A manifest by tag or digest; undefined when there is none. */
  manifest(reference: string): Promise<ManifestBlob | undefined>;
  /** A small blob's bytes, verified against its descriptor. */
  blob(desc: Descriptor): Promise<Buffer>;
  putBlob(bytes: Buffer, mediaType: string): Promise<Descriptor>;
  /** Stores a manifest under a tag, or by digest only; a manifest with a subject becomes a referrer. */
  putManifest(blob: ManifestBlob, tag: string | undefined): Promise<void>;
  /** Descriptors of the manifests whose subject is `digest` (artifactType and annotations included). */
  referrers(digest: string): Promise<Descriptor[]>;
  /** Where referrers of `digest` were looked for, for "nothing found" messages. */
  referrersWhere(digest: string): string;
}

// ---- registry ----

export class RegistryArtifactStore implements ArtifactStore {
  readonly description: string;
  readonly identity: string;
  private readonly client: RegistryClient;
  private readonly ref: ImageReference;

  constructor(client: RegistryClient, ref: ImageReference) {
    this.client = client;
    this.ref = withDefaultTag(ref);
    this.description = formatReference(this.ref);
    this.identity = formatRepository(this.ref);
  }

  subject(): Promise<ManifestBlob> {
    return this.client.getManifest(this.ref, manifestReference(this.ref));
  }

  async manifest(reference: string): Promise<ManifestBlob | undefined> {
    try {
      return await this.client.getManifest(this.ref, reference);
    } catch (e) {
      if (e instanceof DrydockError && e.code === "MANIFEST_NOT_FOUND") return undefined;
      throw e;
    }
  }

  async blob(desc: Descriptor): Promise<Buffer> {
    checkArtifactSize(desc, this.description);
    const chunks: Buffer[] = [];
    for await (const chunk of this.client.fetchBlob(this.ref, desc)) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks);
  }

  async putBlob(bytes: Buffer, mediaType: string): Promise<Descriptor> {
    const desc = { mediaType, digest: digestOfBytes(bytes), size: bytes.length };
    await this.client.uploadBlob(this.ref, desc, { open: () => oneChunk(bytes) });
    return desc;
  }

  async putManifest(blob: ManifestBlob, tag: string | undefined): Promise<void> {
    await this.client.putManifest(this.ref, tag ?? blob.digest, blob);
  }

  referrers(digest: string): Promise<Descriptor[]> {
    return this.client.listReferrers(this.ref, digest);
  }

  referrersWhere(digest: string): string {
    return `referrers of ${digest} (API and tag ${referrersTag(digest)})`;
  }
}

async function* oneChunk(bytes: Buffer): AsyncGenerator<Uint8Array> {
  yield bytes;
}

// ---- OCI layout ----

interface LayoutIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

/**
 * An OCI layout directory. Every write goes to a temporary name and is renamed into place, index.json last,
 * so an interrupted signing leaves at most unreferenced blobs.
 */
export class LayoutArtifactStore implements ArtifactStore {
  readonly description: string;
  readonly identity: string;
  private readonly dir: string;
  private readonly selector: string | undefined;

  constructor(dir: string, selector: string | undefined) {
    this.dir = resolve(dir);
    this.selector = selector;
    this.description = `oci:${this.dir}${selector === undefined ? "" : `:${selector}`}`;
    this.identity = `oci:${this.dir}`;
  }

  /**
   * The image named by tag, full name or digest, or the only image in index.json besides signature artifacts. A
   * digest may also name one platform's manifest inside an image index the layout holds (`oci:DIR:sha256:...`).
   */
  async subject(): Promise<ManifestBlob> {
    const index = await this.readIndex();
    const images = index.manifests.filter((d) => !isArtifactEntry(d));
    let chosen: Descriptor | undefined;
    if (this.selector === undefined) {
      if (images.length !== 1) {
        throw new DrydockError(images.length === 0 ? "IMAGE_NOT_FOUND" : "IMAGE_AMBIGUOUS",
          `${this.description}: the layout holds ${images.length} images; name one as oci:DIR:TAG`);
      }
      chosen = images[0];
    } else {
      const wanted = this.selector;
      chosen = images.find((d) => d.annotations?.[REF_NAME] === wanted || d.annotations?.[CONTAINERD_NAME] === wanted || d.digest === wanted);
      if (chosen === undefined && /^sha(256|512):/.test(wanted)) chosen = await this.platformManifest(images, wanted);
    }
    if (chosen === undefined) throw new DrydockError("IMAGE_NOT_FOUND", `${this.description}: no image named ${JSON.stringify(this.selector)} in index.json`);
    const blob = await this.manifestByDescriptor(chosen);
    if (blob === undefined) throw new DrydockError("BLOB_MISSING", `${this.description}: manifest ${chosen.digest} is not in the layout`);
    return blob;
  }

  /** The descriptor of manifest `digest` in one of the image indexes index.json names, if there is one. */
  private async platformManifest(images: readonly Descriptor[], digest: string): Promise<Descriptor | undefined> {
    for (const entry of images) {
      const blob = await this.manifestByDescriptor(entry);
      if (blob === undefined || !isIndexType(blob.mediaType)) continue;
      const parsed = parseRegistryJson(blob.bytes, `${this.description}: index ${entry.digest}`);
      const manifests = isRecord(parsed) && Array.isArray(parsed["manifests"]) ? parsed["manifests"] : [];
      for (const m of manifests) {
        if (isRecord(m) && m["digest"] === digest && typeof m["size"] === "number") {
          return { mediaType: typeof m["mediaType"] === "string" ? m["mediaType"] : "", digest, size: m["size"] };
        }
      }
    }
    return undefined;
  }

  async manifest(reference: string): Promise<ManifestBlob | undefined> {
    if (/^sha(256|512):/.test(reference)) {
      const size = await fileSize(join(this.dir, blobPath(reference)));
      if (size === undefined) return undefined;
      return this.manifestByDescriptor({ mediaType: "", digest: reference, size });
    }
    const index = await this.readIndex();
    const entry = index.manifests.find((d) => d.annotations?.[REF_NAME] === reference);
    return entry === undefined ? undefined : this.manifestByDescriptor(entry);
  }

  private async manifestByDescriptor(desc: Descriptor): Promise<ManifestBlob | undefined> {
    const size = await fileSize(join(this.dir, blobPath(desc.digest)));
    if (size === undefined) return undefined;
    const bytes = await this.blob({ ...desc, size });
    if (bytes.length !== desc.size) throw new DrydockError("BLOB_DIGEST_MISMATCH", `${this.description}: manifest ${desc.digest} is ${bytes.length} bytes, index.json says ${desc.size}`);
    return { bytes, mediaType: declaredMediaType(bytes, desc.mediaType === "" ? undefined : desc.mediaType), digest: desc.digest };
  }

  async blob(desc: Descriptor): Promise<Buffer> {
    checkArtifactSize(desc, this.description);
    const path = join(this.dir, blobPath(desc.digest));
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (e) {
      throw new DrydockError("BLOB_MISSING", `${this.description}: blob ${desc.digest} is not in the layout`, { cause: e });
    }
    const actual = digestOfBytes(bytes, digestAlgorithm(desc.digest));
    if (actual !== desc.digest) throw new DrydockError("BLOB_DIGEST_MISMATCH", `${this.description}: blob ${desc.digest} holds bytes with digest ${actual}`);
    return bytes;
  }

  async putBlob(bytes: Buffer, mediaType: string): Promise<Descriptor> {
    const desc = { mediaType, digest: digestOfBytes(bytes), size: bytes.length };
    const path = join(this.dir, blobPath(desc.digest));
    if ((await fileSize(path)) !== bytes.length) await writeAtomically(path, bytes);
    return desc;
  }

  async putManifest(blob: ManifestBlob, tag: string | undefined): Promise<void> {
    await this.putBlob(blob.bytes, blob.mediaType);
    const index = await this.readIndex();
    const entry: Descriptor = tag === undefined ? referrerDescriptor(blob) : { mediaType: blob.mediaType, digest: blob.digest, size: blob.bytes.length };
    if (tag !== undefined) entry.annotations = { [REF_NAME]: tag };
    // A tag names one manifest: the new one replaces the old; an untagged referrer is listed once.
    const manifests = index.manifests.filter((d) => (tag === undefined ? d.digest !== blob.digest || d.annotations?.[REF_NAME] !== undefined : d.annotations?.[REF_NAME] !== tag));
    manifests.push(entry);
    await writeAtomically(join(this.dir, "index.json"), Buffer.from(JSON.stringify({ ...index, manifests }), "utf8"));
  }

  async referrers(digest: string): Promise<Descriptor[]> {
    const out: Descriptor[] = [];
    for (const d of (await this.readIndex()).manifests) {
      if (d.mediaType !== MEDIA.ociManifest || d.annotations?.[REF_NAME] !== undefined) continue;
      const blob = await this.manifestByDescriptor(d);
      if (blob !== undefined && subjectDigest(blob) === digest) out.push(referrerDescriptor(blob));
    }
    return out;
  }

  referrersWhere(digest: string): string {
    return `referrers of ${digest} in ${join(this.dir, "index.json")}`;
  }

  private async readIndex(): Promise<LayoutIndex> {
    const layout = await readFile(join(this.dir, "oci-layout"), "utf8").catch(() => undefined);
    if (layout === undefined) throw new DrydockError("IMAGE_FORMAT_UNKNOWN", `${this.description}: no oci-layout file; not an OCI image layout`);
    const text = await readFile(join(this.dir, "index.json"), "utf8").catch(() => undefined);
    if (text === undefined) throw new DrydockError("MANIFEST_INVALID", `${this.description}: no index.json`);
    const json = parseRegistryJson(Buffer.from(text), `${this.description}: index.json`);
    if (!isRecord(json) || !Array.isArray(json["manifests"])) throw new DrydockError("MANIFEST_INVALID", `${this.description}: index.json is not an image index`);
    const manifests: Descriptor[] = [];
    for (const m of json["manifests"]) {
      if (!isRecord(m) || typeof m["digest"] !== "string" || typeof m["mediaType"] !== "string" || typeof m["size"] !== "number") {
        throw new DrydockError("MANIFEST_INVALID", `${this.description}: index.json lists an entry without mediaType, digest and size`);
      }
      manifests.push(m as unknown as Descriptor);
    }
    return { ...(json as unknown as LayoutIndex), manifests };
  }
}

/** index.json entries that are signature artifacts rather than images. */
function checkArtifactSize(desc: Descriptor, where: string): void {
  if (desc.size > MAX_ARTIFACT_BYTES) {
    throw new DrydockError("IMAGE_TOO_LARGE", `${where}: blob ${desc.digest} is ${desc.size} bytes, more than a signature artifact may be (${MAX_ARTIFACT_BYTES})`);
  }
}

async function fileSize(path: string): Promise<number | undefined> {
  const info = await stat(path).catch(() => undefined);
  return info?.isFile() === true ? info.size : undefined;
}

async function writeAtomically(path: string, bytes: Buffer): Promise<void> {
  const temp = `${path}.tmp-${randomBytes(4).toString("hex")}`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temp, bytes);
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw new DrydockError("OUTPUT_UNWRITABLE", `${path}: cannot write`, { cause: e });
  }
}

// ---- cosign's legacy `.sig` / `.att` manifests ----

/** A layer of a `.sig`/`.att` manifest with its content. */
export interface CosignLayer {
  mediaType: string;
  payload: Buffer;
  annotations: Record<string, string>;
}

export interface CosignArtifact {
  tag: string;
  manifest: ManifestBlob;
  layers: CosignLayer[];
}

/** The `.sig` (or `.att`) manifest of `digest` with every layer read; undefined when there is none. */
export async function readCosignArtifact(store: ArtifactStore, digest: string, suffix: CosignSuffix): Promise<CosignArtifact | undefined> {
  const tag = cosignTag(digest, suffix);
  const manifest = await store.manifest(tag);
  if (manifest === undefined) return undefined;
  const where = `${store.description}: ${tag}`;
  const json = parseRegistryJson(manifest.bytes, where);
  const layers = isRecord(json) && Array.isArray(json["layers"]) ? json["layers"] : undefined;
  if (layers === undefined) throw new DrydockError("MANIFEST_INVALID", `${where} is not an image manifest with layers`);
  const out: CosignLayer[] = [];
  for (const [i, raw] of layers.entries()) {
    const desc = descriptorFrom(raw, `${where}: layer ${i}`);
    out.push({ mediaType: desc.mediaType, payload: await store.blob(desc), annotations: desc.annotations ?? {} });
  }
  return { tag, manifest, layers: out };
}

/**
 * Writes the `.sig`/`.att` manifest of `digest` holding exactly `layers` (the existing ones the caller kept plus
 * new ones), as cosign's go-containerregistry empty image with appended layers: blobs first, then the manifest
 * under its tag, so a failure leaves the previous manifest in place.
 */
export async function writeCosignArtifact(store: ArtifactStore, digest: string, suffix: CosignSuffix, layers: readonly CosignLayer[]): Promise<ManifestBlob> {
  const descriptors: Descriptor[] = [];
  for (const layer of layers) {
    const desc = await store.putBlob(layer.payload, layer.mediaType);
    descriptors.push(Object.keys(layer.annotations).length === 0 ? desc : { ...desc, annotations: layer.annotations });
  }
  const config = cosignConfig(descriptors.map((d) => d.digest));
  const configDesc = await store.putBlob(config, MEDIA.ociConfig);
  const manifest = cosignManifest(configDesc, descriptors);
  await store.putManifest(manifest, cosignTag(digest, suffix));
  return manifest;
}

/**
 * The config go-containerregistry writes for `empty.Image` after `mutate.Append` (what cosign pushes): Go field
 * order, a zero `created`, one empty history entry and one diff_id per layer (a payload is its own DiffID).
 */
export function cosignConfig(diffIds: readonly string[]): Buffer {
  const zero = "0001-01-01T00:00:00Z";
  return Buffer.from(JSON.stringify({
    architecture: "",
    created: zero,
    history: diffIds.map(() => ({ created: zero })),
    os: "",
    rootfs: { type: "layers", diff_ids: diffIds },
    config: {},
  }), "utf8");
}

function cosignManifest(config: Descriptor, layers: readonly Descriptor[]): ManifestBlob {
  const json = {
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    config: goDescriptor(config),
    layers: layers.map(goDescriptor),
  };
  const bytes = Buffer.from(JSON.stringify(json), "utf8");
  return { bytes, mediaType: MEDIA.ociManifest, digest: digestOfBytes(bytes) };
}

/** A descriptor in go-containerregistry's field order (mediaType, size, digest, annotations, artifactType). */
function goDescriptor(d: Descriptor): Record<string, unknown> {
  return {
    mediaType: d.mediaType,
    size: d.size,
    digest: d.digest,
    ...(d.annotations === undefined ? {} : { annotations: sortedRecord(d.annotations) }),
    ...(d.artifactType === undefined ? {} : { artifactType: d.artifactType }),
  };
}

function sortedRecord(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

// ---- sigstore bundles as OCI 1.1 referrers ----

/**
 * The referrer manifest cosign v3 pushes for a bundle: empty config carrying the artifactType, one layer = the
 * bundle, the signed manifest as subject, and the content/predicateType/created annotations.
 */
export function bundleReferrerManifest(subject: Descriptor, bundle: Descriptor, predicateType: string, created: Date): ManifestBlob {
  const artifactType = bundle.mediaType;
  const json = {
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    config: goDescriptor({ mediaType: EMPTY_MEDIA_TYPE, size: EMPTY_JSON.length, digest: digestOfBytes(EMPTY_JSON), artifactType }),
    layers: [goDescriptor(bundle)],
    annotations: sortedRecord({
      [BUNDLE_CONTENT_ANNOTATION]: "dsse-envelope",
      [BUNDLE_PREDICATE_ANNOTATION]: predicateType,
      [CREATED_ANNOTATION]: created.toISOString().replace(/\.\d{3}Z$/, "Z"),
    }),
    subject: { mediaType: subject.mediaType, size: subject.size, digest: subject.digest },
    artifactType,
  };
  const bytes = Buffer.from(JSON.stringify(json), "utf8");
  return { bytes, mediaType: MEDIA.ociManifest, digest: digestOfBytes(bytes) };
}

/** Pushes a bundle as a referrer of `subject` (by digest; the fallback tag is kept up to date where needed). */
export async function writeBundleReferrer(store: ArtifactStore, subject: Descriptor, bundle: Buffer, bundleMediaType: string, predicateType: string, created: Date): Promise<ManifestBlob> {
  await store.putBlob(EMPTY_JSON, EMPTY_MEDIA_TYPE);
  const layer = await store.putBlob(bundle, bundleMediaType);
  const manifest = bundleReferrerManifest(subject, layer, predicateType, created);
  await store.putManifest(manifest, undefined);
  return manifest;
}

export interface StoredBundle {
  /** The referrer manifest's digest. */
  digest: string;
  predicateType: string | undefined;
  bytes: Buffer;
}

/** Every referrer of `digest` whose artifactType is `bundleMediaType`, with its bundle layer read. */
export async function readBundleReferrers(store: ArtifactStore, digest: string, bundleMediaType: string): Promise<StoredBundle[]> {
  const out: StoredBundle[] = [];
  for (const ref of await store.referrers(digest)) {
    if (ref.artifactType !== bundleMediaType) continue;
    const manifest = await store.manifest(ref.digest);
    if (manifest === undefined) continue; // Listed by a stale fallback index but deleted since.
    const where = `${store.description}: referrer ${ref.digest}`;
    const json = parseRegistryJson(manifest.bytes, where);
    const layers = isRecord(json) && Array.isArray(json["layers"]) ? json["layers"] : [];
    const first = layers[0];
    if (first === undefined) throw new DrydockError("MANIFEST_INVALID", `${where} has no bundle layer`);
    const annotations = isRecord(json) && isRecord(json["annotations"]) ? json["annotations"] : {};
    const predicateType = typeof annotations[BUNDLE_PREDICATE_ANNOTATION] === "string" ? annotations[BUNDLE_PREDICATE_ANNOTATION] : undefined;
    out.push({ digest: ref.digest, predicateType, bytes: await store.blob(descriptorFrom(first, `${where}: layer 0`)) });
  }
  return out;
}

// ---- JSON helpers ----

function subjectDigest(blob: ManifestBlob): string | undefined {
  const json = parseRegistryJson(blob.bytes, blob.digest);
  if (!isRecord(json) || !isRecord(json["subject"])) return undefined;
  const d = json["subject"]["digest"];
  return typeof d === "string" ? d : undefined;
}

function descriptorFrom(raw: unknown, where: string): Descriptor {
  if (!isRecord(raw) || typeof raw["mediaType"] !== "string" || typeof raw["digest"] !== "string" || typeof raw["size"] !== "number" || !Number.isSafeInteger(raw["size"]) || raw["size"] < 0) {
    throw new DrydockError("MANIFEST_INVALID", `${where}: not a descriptor with mediaType, digest and size`);
  }
  const d: Descriptor = { mediaType: raw["mediaType"], digest: raw["digest"], size: raw["size"] };
  digestAlgorithm(d.digest);
  if (isRecord(raw["annotations"])) {
    d.annotations = Object.fromEntries(Object.entries(raw["annotations"]).filter((e): e is [string, string] => typeof e[1] === "string"));
  }
  return d;
}

