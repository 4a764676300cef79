// OCI image layout (image-spec image-layout.md), from a directory or an oci-archive tar: oci-layout, index.json,
// blobs/<alg>/<hex>. Chooses one image manifest by tag and platform, reads and verifies the JSON blobs, and
// checks that every layer blob is there before anything is streamed.
import { DrydockError } from "../core/errors.ts";
import { parseImageConfig, configPlatform } from "./config.ts";
import { digestOf, parseDigest, shortDigest } from "./digest.ts";
import type { FileTree } from "./file-tree.ts";
import { Fields, parseJson } from "./json.ts";
import { isConfigType, isIndexType, isManifestType, layerCompression } from "./media.ts";
import { documentKind, isArtifactEntry, parseIndex, parseManifest, type Descriptor } from "./manifest.ts";
import { formatPlatform, platformScore } from "./platform.ts";
import type { BlobLayer, ImageSource, ReadContext } from "./source.ts";

const REF_NAME = "org.opencontainers.image.ref.name";
/** Docker 25+ archives name the image in full here, beside the bare tag in REF_NAME. */
const CONTAINERD_NAME = "io.containerd.image.name";
/** Nested indexes deeper than this are not images anyone builds. */
const MAX_INDEX_DEPTH = 4;

export function blobPath(digest: string): string {
  const d = parseDigest(digest);
  if (d === undefined) throw new DrydockError("MANIFEST_INVALID", `${JSON.stringify(digest)} is not a digest`);
  return `blobs/${d.algorithm}/${d.hex}`;
}

export async function readOciLayout(tree: FileTree, ctx: ReadContext): Promise<ImageSource> {
  const { limits } = ctx;
  const layoutBytes = await tree.read("oci-layout", limits.maxJsonBytes);
  if (layoutBytes === undefined) throw new DrydockError("IMAGE_FORMAT_UNKNOWN", `${ctx.ref}: no oci-layout file; this is not an OCI image layout`);
  const layout = Fields.of(parseJson(layoutBytes, `${ctx.ref}: oci-layout`, "MANIFEST_INVALID"), `${ctx.ref}: oci-layout`, "MANIFEST_INVALID");
  const version = layout.string("imageLayoutVersion");
  if (version === undefined || !version.startsWith("1.")) {
    throw new DrydockError("MANIFEST_INVALID", `${ctx.ref}: oci-layout declares imageLayoutVersion ${JSON.stringify(version)}; only 1.x layouts exist`);
  }
  const indexBytes = await tree.read("index.json", limits.maxJsonBytes);
  if (indexBytes === undefined) throw new DrydockError("MANIFEST_INVALID", `${ctx.ref}: the OCI layout has no index.json`);
  const index = parseIndex(parseJson(indexBytes, `${ctx.ref}: index.json`, "MANIFEST_INVALID"), `${ctx.ref}: index.json`);

  const tagged = selectByTag(index.manifests, ctx);
  const candidates = await flattenIndexes(tree, tagged.descriptors, ctx, 0);
  const chosen = choosePlatform(candidates, ctx);

  const manifestJson = await readJsonBlob(tree, chosen, `manifest ${shortDigest(chosen.digest)}`, ctx);
  const kind = documentKind(manifestJson);
  if (kind === "schema1") throw new DrydockError("MEDIA_TYPE_UNKNOWN", `${ctx.ref}: manifest ${shortDigest(chosen.digest)} is Docker schema 1, which is deprecated and not read`);
  if (kind !== "manifest") throw new DrydockError("MEDIA_TYPE_UNKNOWN", `${ctx.ref}: ${shortDigest(chosen.digest)} is not an image manifest`);
  const manifest = parseManifest(manifestJson, `${ctx.ref}: manifest ${shortDigest(chosen.digest)}`);
  if (!isConfigType(manifest.config.mediaType)) {
    throw new DrydockError("MEDIA_TYPE_UNKNOWN", `${ctx.ref}: the manifest's config has media type ${manifest.config.mediaType}: an OCI artifact, not a container image`);
  }
  const configBytes = await readBlob(tree, manifest.config, "config", ctx);
  const config = parseImageConfig(parseJson(configBytes, `${ctx.ref}: config`, "IMAGE_CONFIG_INVALID"), `${ctx.ref}: config ${shortDigest(manifest.config.digest)}`);
  if (manifest.layers.length > limits.maxLayers) {
    throw new DrydockError("IMAGE_TOO_LARGE", `${ctx.ref}: ${manifest.layers.length} layers (limit ${limits.maxLayers})`);
  }
  if (manifest.layers.length !== config.diffIds.length) {
    throw new DrydockError("MANIFEST_INVALID", `${ctx.ref}: the manifest lists ${manifest.layers.length} layers and the config ${config.diffIds.length} diff_ids`);
  }
  const platform = configPlatform(config);
  if (ctx.explicitPlatform && chosen.platform === undefined && platformScore(ctx.platform, platform) === undefined) {
    throw new DrydockError("PLATFORM_NOT_FOUND", `${ctx.ref}: no image for ${formatPlatform(ctx.platform)}; present: ${formatPlatform(platform)}`);
  }
  const layers: BlobLayer[] = [];
  for (const [i, d] of manifest.layers.entries()) {
    const compression = layerCompression(d.mediaType);
    if (compression === undefined) {
      throw new DrydockError("MEDIA_TYPE_UNKNOWN", `${ctx.ref}: layer ${i} (${shortDigest(d.digest)}) has media type ${d.mediaType}, which is not a layer format drydock reads (tar, tar+gzip, tar+zstd)`);
    }
    const path = blobPath(d.digest);
    const size = await tree.size(path);
    if (size === undefined) {
      const foreign = d.urls !== undefined && d.urls.length > 0 ? "; it is a non-distributable layer whose data lives at its URLs" : "";
      throw new DrydockError("BLOB_MISSING", `${ctx.ref}: layer ${i} blob ${d.digest} is not in the layout${foreign}`);
    }
    if (size !== d.size) {
      throw new DrydockError("LAYER_DIGEST_MISMATCH", `${ctx.ref}: layer ${i} blob ${shortDigest(d.digest)} is ${size} bytes, the manifest says ${d.size}`);
    }
    layers.push({
      kind: "blob",
      index: i,
      digest: d.digest,
      size: d.size,
      diffId: config.diffIds[i],
      mediaType: d.mediaType,
      compression,
      open: () => tree.open(path),
    });
  }
  return {
    ref: ctx.ref,
    transport: ctx.transport,
    path: ctx.path,
    name: tagged.name,
    manifest: { digest: chosen.digest, mediaType: manifest.mediaType ?? chosen.mediaType, size: chosen.size, ...(manifest.annotations === undefined ? {} : { annotations: manifest.annotations }) },
    config,
    configDigest: manifest.config.digest,
    platform,
    layers,
    anomalies: ctx.anomalies.list,
    limits,
    close: () => tree.close(),
  };
}

function tagOf(d: Descriptor): string | undefined {
  return d.annotations?.[REF_NAME];
}

/** The index entries the selector names (all of them without one); several different tags and no selector is ambiguous. */
function selectByTag(all: readonly Descriptor[], ctx: ReadContext): { descriptors: Descriptor[]; name: string | undefined } {
  const tags = [...new Set(all.map(tagOf).filter((t) => t !== undefined))];
  if (ctx.selector !== undefined) {
    const wanted = ctx.selector;
    const hits = all.filter((d) => tagOf(d) === wanted || d.annotations?.[CONTAINERD_NAME] === wanted);
    if (hits.length === 0) {
      throw new DrydockError("IMAGE_NOT_FOUND", `${ctx.ref}: no image tagged ${JSON.stringify(wanted)}; tags present: ${tags.length === 0 ? "none" : tags.join(", ")}`);
    }
    return { descriptors: hits, name: wanted };
  }
  if (all.length === 0) throw new DrydockError("IMAGE_NOT_FOUND", `${ctx.ref}: index.json lists no images`);
  // Signatures and attestations stored beside the image (drydock sign, cosign) are not images to choose from.
  const images = all.filter((d) => !isArtifactEntry(d));
  if (images.length > 0 && images.length < all.length) return selectByTag(images, ctx);
  if (tags.length > 1) {
    throw new DrydockError("IMAGE_AMBIGUOUS", `${ctx.ref}: the layout holds several images; name one with :TAG — tags present: ${tags.join(", ")}`);
  }
  return { descriptors: [...all], name: tags[0] };
}

/** Image manifests reachable from the descriptors through nested indexes, with their platforms. */
async function flattenIndexes(tree: FileTree, descriptors: readonly Descriptor[], ctx: ReadContext, depth: number): Promise<Descriptor[]> {
  const out: Descriptor[] = [];
  for (const d of descriptors) {
    if (isManifestType(d.mediaType)) {
      out.push(d);
    } else if (isIndexType(d.mediaType)) {
      if (depth >= MAX_INDEX_DEPTH) throw new DrydockError("MANIFEST_INVALID", `${ctx.ref}: indexes nested more than ${MAX_INDEX_DEPTH} deep`);
      const json = await readJsonBlob(tree, d, `index ${shortDigest(d.digest)}`, ctx);
      const nested = parseIndex(json, `${ctx.ref}: index ${shortDigest(d.digest)}`);
      out.push(...(await flattenIndexes(tree, nested.manifests, ctx, depth + 1)));
    }
    // Anything else (artifacts, signatures) is not an image: skipped.
  }
  return out;
}

function isAttestation(d: Descriptor): boolean {
  return d.annotations?.["vnd.docker.reference.type"] === "attestation-manifest" || (d.platform?.os === "unknown" && d.platform.architecture === "unknown");
}

function choosePlatform(all: readonly Descriptor[], ctx: ReadContext): Descriptor {
  const images = all.filter((d) => !isAttestation(d));
  if (images.length === 0) throw new DrydockError("MEDIA_TYPE_UNKNOWN", `${ctx.ref}: the index lists no image manifest (only artifacts or attestations)`);
  const listed = images.map((d) => (d.platform === undefined ? "(no platform)" : formatPlatform(d.platform)));
  if (images.length === 1) {
    const only = images[0] as Descriptor;
    if (ctx.explicitPlatform && only.platform !== undefined && platformScore(ctx.platform, only.platform) === undefined) {
      throw new DrydockError("PLATFORM_NOT_FOUND", `${ctx.ref}: no image for ${formatPlatform(ctx.platform)}; present: ${listed.join(", ")}`);
    }
    return only;
  }
  if (images.some((d) => d.platform === undefined)) {
    throw new DrydockError("IMAGE_AMBIGUOUS", `${ctx.ref}: the index lists ${images.length} image manifests, not all with a platform; present: ${listed.join(", ")}`);
  }
  let best: Descriptor | undefined;
  let bestScore = 0;
  for (const d of images) {
    const score = d.platform === undefined ? undefined : platformScore(ctx.platform, d.platform);
    if (score !== undefined && score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  if (best === undefined) {
    const why = ctx.explicitPlatform ? "" : " (the host's; choose one with --platform)";
    throw new DrydockError("PLATFORM_NOT_FOUND", `${ctx.ref}: no image for ${formatPlatform(ctx.platform)}${why}; present: ${listed.join(", ")}`);
  }
  return best;
}

/** A blob's bytes, checked against its descriptor's size and digest. */
async function readBlob(tree: FileTree, d: Descriptor, what: string, ctx: ReadContext): Promise<Uint8Array> {
  if (d.size > ctx.limits.maxJsonBytes) {
    throw new DrydockError("IMAGE_TOO_LARGE", `${ctx.ref}: the ${what} blob declares ${d.size} bytes (limit ${ctx.limits.maxJsonBytes})`);
  }
  const bytes = await tree.read(blobPath(d.digest), ctx.limits.maxJsonBytes);
  if (bytes === undefined) throw new DrydockError("BLOB_MISSING", `${ctx.ref}: the ${what} blob ${d.digest} is not in the layout`);
  const algorithm = parseDigest(d.digest)?.algorithm ?? "sha256";
  if (bytes.length !== d.size || digestOf(bytes, algorithm) !== d.digest) {
    throw new DrydockError("BLOB_DIGEST_MISMATCH", `${ctx.ref}: the ${what} blob ${shortDigest(d.digest)} does not match its descriptor (${bytes.length} bytes, ${d.size} expected; or different content)`);
  }
  return bytes;
}

async function readJsonBlob(tree: FileTree, d: Descriptor, what: string, ctx: ReadContext): Promise<unknown> {
  return parseJson(await readBlob(tree, d, what, ctx), `${ctx.ref}: ${what}`, "MANIFEST_INVALID");
}
