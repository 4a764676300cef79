// Writing an assembled image: into an OCI layout (through the registry package's OciLayoutWriter), an
// oci-archive or a docker-archive tar (Docker 25+'s loadable form: an OCI layout plus manifest.json and
// repositories), or a registry (RegistryWriter). Files and directories appear whole or not at all: archives are
// written to a temporary name and renamed; layouts are staged by OciLayoutWriter. Several images (one per
// platform) are written under an OCI image index, which the output's name points at.
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { DrydockError } from "../core/errors.ts";
import { MEDIA } from "../image/media.ts";
import type { RegistryClient } from "../registry/client.ts";
import { blobPath, OciLayoutWriter } from "../registry/layout.ts";
import type { Platform } from "../image/platform.ts";
import { manifestBlob, type Descriptor, type ManifestBlob } from "../registry/manifest.ts";
import { familiarReference, formatReference, isValidTag, parseReference, withDefaultTag } from "../registry/reference.ts";
import { RegistryWriter, type ImageWriter } from "../registry/store.ts";
import type { AssembledImage } from "./assemble.ts";
import { sortEntries, tarChunks, type LayerEntry } from "./tar-writer.ts";

export type OutputSpec =
  | { kind: "oci"; path: string; tag: string | undefined }
  | { kind: "oci-archive"; path: string; tag: string | undefined }
  | { kind: "docker-archive"; path: string; name: string | undefined }
  | { kind: "registry"; ref: string };

const REF_NAME = "org.opencontainers.image.ref.name";
const CONTAINERD_NAME = "io.containerd.image.name";

/**
 * `oci:DIR[:TAG]`, `oci-archive:FILE[:TAG]`, `docker-archive:FILE[:NAME:TAG]`, `docker://REF`. `name` (from -t)
 * supplies the tag or name when the output does not.
 */
export function parseOutput(text: string, cwd: string, name: string | undefined): OutputSpec {
  const nameTag = name === undefined ? undefined : tagOfName(name);
  if (text.startsWith("docker://")) {
    const ref = text.slice("docker://".length);
    parseReference(ref);
    return { kind: "registry", ref };
  }
  const m = /^(oci|oci-archive|docker-archive):(.+)$/.exec(text);
  if (m === null) throw new DrydockError("USAGE", `--output ${JSON.stringify(text)}: use oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:NAME:TAG] or docker://REF`);
  const kind = m[1] as "oci" | "oci-archive" | "docker-archive";
  const rest = m[2] as string;
  if (kind === "docker-archive") {
    const i = rest.indexOf(":");
    if (i > 0) return { kind, path: resolve(cwd, rest.slice(0, i)), name: rest.slice(i + 1) };
    return { kind, path: resolve(cwd, rest), name };
  }
  const i = rest.lastIndexOf(":");
  if (i > 0 && isValidTag(rest.slice(i + 1))) return { kind, path: resolve(cwd, rest.slice(0, i)), tag: rest.slice(i + 1) };
  return { kind, path: resolve(cwd, rest), tag: nameTag };
}

function tagOfName(name: string): string | undefined {
  try {
    return withDefaultTag(parseReference(name)).tag;
  } catch {
    throw new DrydockError("USAGE", `-t ${JSON.stringify(name)} is not an image name (name[:tag])`);
  }
}

export interface WriteResult {
  /** Digest of the image manifest. */
  digest: string;
  /** Where it went, for messages. */
  description: string;
}

export async function writeImage(image: AssembledImage, output: OutputSpec, client: RegistryClient): Promise<WriteResult> {
  return writeImages({ root: image.manifest, images: [image] }, output, client);
}

/** Images for several platforms and the OCI image index that lists them. */
export interface ImageIndex {
  /** The index: what the output's name (tag) points at. */
  manifest: ManifestBlob;
  /** In the index's order. */
  images: readonly AssembledImage[];
}

/**
 * The OCI image index of images, one descriptor per image with its platform, in the order given. Two images
 * of one platform would make the index ambiguous, so that is refused.
 */
export function makeImageIndex(images: readonly AssembledImage[], annotations: Readonly<Record<string, string>> = {}): ImageIndex {
  const seen = new Set<string>();
  const manifests = images.map((image) => {
    const key = platformKey(image.platform);
    if (seen.has(key)) throw new DrydockError("USAGE", `two images for the platform ${key}; an image index holds one per platform`);
    seen.add(key);
    const platform: Platform = { architecture: image.platform.architecture, os: image.platform.os, ...(image.platform.variant === undefined ? {} : { variant: image.platform.variant }) };
    return { mediaType: image.manifest.mediaType, digest: image.manifest.digest, size: image.manifest.bytes.length, platform };
  });
  const index = { schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests, ...(Object.keys(annotations).length === 0 ? {} : { annotations: sortedRecord(annotations) }) };
  return { manifest: manifestBlob(Buffer.from(JSON.stringify(index), "utf8"), MEDIA.ociIndex), images };
}

/** Writes every image of an index and the index itself; a docker-archive holds one image, so it is refused. */
export async function writeImageIndex(index: ImageIndex, output: OutputSpec, client: RegistryClient): Promise<WriteResult> {
  if (output.kind === "docker-archive") {
    const platforms = index.images.map((i) => platformKey(i.platform)).join(", ");
    throw new DrydockError("USAGE", `docker-archive:${output.path} holds one image, not an index of ${index.images.length} (${platforms}); write oci-archive:, oci: or docker:// for all platforms, or build one platform for the docker-archive`);
  }
  return writeImages({ root: index.manifest, images: index.images }, output, client);
}

/** What one output receives: the images and the manifest its name points at (an image's, or an index). */
interface ImageSet {
  root: ManifestBlob;
  images: readonly AssembledImage[];
}

async function writeImages(set: ImageSet, output: OutputSpec, client: RegistryClient): Promise<WriteResult> {
  switch (output.kind) {
    case "oci": {
      const writer = new OciLayoutWriter(output.path, output.tag);
      await putAll(set, writer, output.tag);
      return { digest: set.root.digest, description: writer.description };
    }
    case "registry": {
      const ref = parseReference(output.ref);
      const writer = new RegistryWriter(client, ref);
      await putAll(set, writer, ref.tag);
      return { digest: set.root.digest, description: formatReference(ref) };
    }
    case "oci-archive":
    case "docker-archive":
      await writeArchive(set, output);
      return { digest: set.root.digest, description: `${output.kind}:${output.path}` };
  }
}

async function putAll(set: ImageSet, writer: ImageWriter, tag: string | undefined): Promise<void> {
  try {
    for (const image of set.images) {
      for (const layer of image.layers) {
        if (await writer.hasBlob(layer.descriptor)) continue;
        // A layer this build wrote is a file already hashed: the layout links it instead of copying its bytes.
        await writer.putBlob(layer.descriptor, { open: layer.open, ...(layer.path === undefined ? {} : { file: layer.path }) }, { mountFrom: undefined, onBytes: () => {} });
      }
      const config = image.config;
      if (!(await writer.hasBlob(image.configDescriptor))) {
        await writer.putBlob(image.configDescriptor, { open: () => once(config) }, { mountFrom: undefined, onBytes: () => {} });
      }
      // Children before the index: a registry refuses an index naming manifests it does not have.
      const isRoot = image.manifest.digest === set.root.digest;
      await writer.putManifest(image.manifest, { root: isRoot, tag, platform: image.platform });
    }
    if (!set.images.some((i) => i.manifest.digest === set.root.digest)) await writer.putManifest(set.root, { root: true, tag, platform: undefined });
    await writer.commit(set.root, tag);
  } catch (e) {
    await writer.abort().catch(() => {});
    throw e;
  }
}

function platformKey(p: Platform): string {
  return p.variant === undefined || p.variant === "" ? `${p.os}/${p.architecture}` : `${p.os}/${p.architecture}/${p.variant}`;
}

function sortedRecord(r: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k] as string]));
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** Both archive kinds: an OCI layout in a tar; docker-archive adds manifest.json and repositories. */
async function writeArchive(set: ImageSet, output: Extract<OutputSpec, { kind: "oci-archive" | "docker-archive" }>): Promise<void> {
  const file = output.path;
  const image = set.images.length === 1 ? set.images[0] : undefined;
  if (output.kind === "docker-archive" && (image === undefined || image.manifest.digest !== set.root.digest)) {
    throw new DrydockError("USAGE", `docker-archive:${file} holds one image; write oci-archive: for an image index`);
  }
  const info = await stat(file).catch(() => undefined);
  if (info?.isDirectory() === true) throw new DrydockError("OUTPUT_UNWRITABLE", `${file} is a directory; ${output.kind}: writes a file`);
  await mkdir(dirname(file), { recursive: true }).catch(() => {});
  const staging = `${file}.drydock-${randomBytes(4).toString("hex")}`;
  const temp = `${staging}.tar`;
  try {
    await mkdir(join(staging, "blobs", "sha256"), { recursive: true });
    // Keyed by path: images of several platforms may share a blob, which the archive holds once.
    const entries = new Map<string, LayerEntry>();
    const add = (e: LayerEntry): void => {
      if (!entries.has(e.path)) entries.set(e.path, e);
    };
    const dir = (path: string): LayerEntry => ({ path, kind: "dir", mode: 0o755, uid: 0, gid: 0, mtime: 0, size: 0 });
    const doc = (path: string, bytes: Buffer): LayerEntry => ({ path, kind: "file", mode: 0o644, uid: 0, gid: 0, mtime: 0, size: bytes.length, content: { kind: "bytes", bytes } });
    add(dir("blobs"));
    add(dir("blobs/sha256"));
    for (const img of set.images) {
      for (const layer of img.layers) {
        const name = blobPath(layer.descriptor.digest);
        if (entries.has(name)) continue;
        const path = layer.path ?? join(staging, name);
        if (layer.path === undefined) await pipeline(Readable.from(layer.open()), createWriteStream(path));
        add({ ...doc(name, Buffer.alloc(0)), size: layer.descriptor.size, content: { kind: "path", path } });
      }
      add(doc(blobPath(img.configDescriptor.digest), img.config));
      add(doc(blobPath(img.manifest.digest), img.manifest.bytes));
    }
    add(doc(blobPath(set.root.digest), set.root.bytes));
    const rootDescriptor: Descriptor = { mediaType: set.root.mediaType, digest: set.root.digest, size: set.root.bytes.length };
    const annotations: Record<string, string> = {};
    if (output.kind === "oci-archive") {
      if (output.tag !== undefined) annotations[REF_NAME] = output.tag;
    } else if (image !== undefined) {
      const name = output.name === undefined ? undefined : normalized(output.name);
      if (name !== undefined) {
        annotations[CONTAINERD_NAME] = name.full;
        annotations[REF_NAME] = name.tag;
        add(doc("manifest.json", json([{ Config: blobPath(image.configDescriptor.digest), RepoTags: [name.familiar], Layers: image.layers.map((l) => blobPath(l.descriptor.digest)) }])));
        add(doc("repositories", json({ [name.repository]: { [name.tag]: image.configDescriptor.digest.slice("sha256:".length) } })));
      } else {
        add(doc("manifest.json", json([{ Config: blobPath(image.configDescriptor.digest), RepoTags: null, Layers: image.layers.map((l) => blobPath(l.descriptor.digest)) }])));
      }
    }
    const index = { schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests: [{ ...rootDescriptor, ...(Object.keys(annotations).length === 0 ? {} : { annotations }) }] };
    add(doc("index.json", json(index)));
    add(doc("oci-layout", json({ imageLayoutVersion: "1.0.0" })));
    await pipeline(Readable.from(tarChunks(sortEntries([...entries.values()]))), createWriteStream(temp));
    await rename(temp, file);
  } catch (e) {
    await rm(temp, { force: true });
    if (e instanceof DrydockError) throw e;
    throw new DrydockError("OUTPUT_UNWRITABLE", `${file}: cannot write the archive (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), "utf8");
}

function normalized(name: string): { full: string; familiar: string; tag: string; repository: string } | undefined {
  try {
    const ref = withDefaultTag(parseReference(name));
    const tagged = { ...ref, digest: undefined };
    const familiar = familiarReference(tagged);
    const tag = tagged.tag ?? "latest";
    return { full: formatReference(tagged), familiar, tag, repository: familiar.slice(0, familiar.length - tag.length - 1) };
  } catch {
    return undefined;
  }
}
