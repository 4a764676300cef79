// Copying an image between any two of: a registry, an OCI layout, a docker-archive. Blobs first (in parallel,
// skipped when the destination has them, mounted across repositories of one registry, streamed from registry to
// registry without touching disk), then manifests children-first, then the commit that makes it visible.
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { DrydockError } from "../core/errors.ts";
import { formatPlatform, hostPlatform, platformScore, type Platform } from "../image/platform.ts";
import type { RegistryClient, RetryEvent } from "./client.ts";
import { openDockerArchive, openOciLayout, DockerArchiveWriter, OciLayoutWriter } from "./layout.ts";
import { manifestContent, type Descriptor, type ManifestBlob } from "./manifest.ts";
import { formatReference, isValidTag, parseReference, withDefaultTag, type ImageReference } from "./reference.ts";
import { RegistryReader, RegistryWriter, type BlobOutcome, type ImageReader, type ImageWriter } from "./store.ts";

export type ProgressEvent =
  | { type: "image"; source: string; destination: string; digest: string; mediaType: string; platforms: string[]; blobs: number; bytes: number }
  | { type: "blob-start"; digest: string; size: number; mediaType: string }
  | { type: "blob-bytes"; digest: string; done: number; size: number }
  | { type: "blob-done"; digest: string; size: number; outcome: BlobOutcome }
  | { type: "manifest"; digest: string; mediaType: string }
  | ({ type: "retry" } & RetryEvent);

export interface CopyOptions {
  /** Copy only this platform's image out of an index (a docker-archive destination picks the host's by default). */
  platform?: Platform;
  /** Blobs transferred at once (default 4). */
  parallel?: number;
  onProgress?: (event: ProgressEvent) => void;
}

export interface CopyResult {
  /** The digest of what the destination's name now points at. */
  digest: string;
  mediaType: string;
  size: number;
  blobs: Record<BlobOutcome, number>;
  /** Bytes moved (blobs that were copied, not skipped or mounted). */
  bytes: number;
}

const MAX_INDEX_DEPTH = 4;

export async function copyImage(reader: ImageReader, writer: ImageWriter, options: CopyOptions = {}): Promise<CopyResult> {
  const emit = options.onProgress ?? (() => {});
  try {
    let root = await reader.root();
    const wanted = options.platform ?? (writer.singleImage ? hostPlatform() : undefined);
    if (wanted !== undefined) root = await narrowToPlatform(reader, root, wanted, options.platform !== undefined || writer.singleImage);
    const manifests: { blob: ManifestBlob; platform: Platform | undefined }[] = [];
    const blobs = new Map<string, Descriptor>();
    const platforms: string[] = [];
    await collect(reader, root, undefined, 0, manifests, blobs, platforms);
    const list = [...blobs.values()];
    emit({
      type: "image",
      source: reader.description,
      destination: writer.description,
      digest: root.digest,
      mediaType: root.mediaType,
      platforms,
      blobs: list.length,
      bytes: list.reduce((n, d) => n + d.size, 0),
    });

    const counts: Record<BlobOutcome, number> = { copied: 0, exists: 0, mounted: 0 };
    let bytes = 0;
    await forEachLimit(list, Math.max(1, options.parallel ?? 4), async (desc) => {
      emit({ type: "blob-start", digest: desc.digest, size: desc.size, mediaType: desc.mediaType });
      let outcome: BlobOutcome;
      if (await writer.hasBlob(desc)) {
        outcome = "exists";
      } else {
        let done = 0;
        outcome = await writer.putBlob(desc, { open: () => reader.blob(desc), verified: true }, {
          mountFrom: reader.repository,
          onBytes: (n) => {
            done += n;
            emit({ type: "blob-bytes", digest: desc.digest, done, size: desc.size });
          },
        });
      }
      counts[outcome]++;
      if (outcome === "copied") bytes += desc.size;
      emit({ type: "blob-done", digest: desc.digest, size: desc.size, outcome });
    });

    for (const m of manifests) {
      await writer.putManifest(m.blob, { root: false, tag: undefined, platform: m.platform });
      emit({ type: "manifest", digest: m.blob.digest, mediaType: m.blob.mediaType });
    }
    await writer.putManifest(root, { root: true, tag: reader.tag, platform: undefined });
    emit({ type: "manifest", digest: root.digest, mediaType: root.mediaType });
    await writer.commit(root, reader.tag);
    return { digest: root.digest, mediaType: root.mediaType, size: root.bytes.length, blobs: counts, bytes };
  } catch (e) {
    await writer.abort().catch(() => {});
    throw e;
  } finally {
    await reader.close().catch(() => {});
  }
}

/**
 * From an index, the manifest that best serves the platform (nested indexes followed). Not `strict`: an index
 * without a match is returned as it is.
 */
export async function narrowToPlatform(reader: ImageReader, root: ManifestBlob, wanted: Platform, strict: boolean): Promise<ManifestBlob> {
  let current = root;
  for (let depth = 0; depth < MAX_INDEX_DEPTH; depth++) {
    const content = manifestContent(current, `${reader.description}: ${current.digest}`);
    if (content.kind === "manifest") return current;
    let best: { desc: Descriptor; score: number } | undefined;
    for (const d of content.manifests) {
      if (d.platform === undefined) continue;
      const score = platformScore(wanted, d.platform);
      if (score !== undefined && (best === undefined || score > best.score)) best = { desc: d, score };
    }
    if (best === undefined) {
      const present = content.manifests.flatMap((d) => (d.platform === undefined ? [] : [formatPlatform(d.platform)])).join(", ");
      if (!strict) return root;
      throw new DrydockError("PLATFORM_NOT_FOUND", `${reader.description}: no image for ${formatPlatform(wanted)}${present === "" ? "" : ` (it has ${present})`}; choose one with --platform`);
    }
    current = await reader.manifest(best.desc);
  }
  throw new DrydockError("MANIFEST_INVALID", `${reader.description}: indexes nested more than ${MAX_INDEX_DEPTH} deep`);
}

async function collect(
  reader: ImageReader,
  blob: ManifestBlob,
  platform: Platform | undefined,
  depth: number,
  manifests: { blob: ManifestBlob; platform: Platform | undefined }[],
  blobs: Map<string, Descriptor>,
  platforms: string[],
): Promise<void> {
  if (depth > MAX_INDEX_DEPTH) throw new DrydockError("MANIFEST_INVALID", `${reader.description}: indexes nested more than ${MAX_INDEX_DEPTH} deep`);
  const content = manifestContent(blob, `${reader.description}: ${blob.digest}`);
  if (content.kind === "manifest") {
    for (const d of [content.config, ...content.layers]) if (!blobs.has(d.digest)) blobs.set(d.digest, d);
    if (platform !== undefined) platforms.push(formatPlatform(platform));
    return;
  }
  for (const child of content.manifests) {
    const childBlob = await reader.manifest(child);
    await collect(reader, childBlob, child.platform, depth + 1, manifests, blobs, platforms);
    if (!manifests.some((m) => m.blob.digest === childBlob.digest)) manifests.push({ blob: childBlob, platform: child.platform });
  }
}

/** Runs fn over items with at most `limit` at once; the first failure stops new work and is rethrown. */
export async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (e) {
        failure ??= { error: e };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
}

// ---- where images are: "docker://REF", "oci:DIR[:TAG]", "docker-archive:FILE[:NAME:TAG]" ----

export type Endpoint =
  | { kind: "registry"; ref: ImageReference }
  | { kind: "oci"; path: string; selector: string | undefined }
  | { kind: "docker-archive"; path: string; selector: string | undefined };

/**
 * Parses an image location. With a transport prefix it is explicit; a bare string is a path when one exists
 * there (directory → OCI layout, file → archive), else a registry reference.
 */
export async function parseEndpoint(text: string, role: "source" | "destination", cwd: string): Promise<Endpoint> {
  if (text.startsWith("docker://")) return { kind: "registry", ref: parseReference(text.slice("docker://".length)) };
  for (const prefix of ["oci:", "oci-archive:", "docker-archive:"] as const) {
    if (!text.startsWith(prefix)) continue;
    const rest = text.slice(prefix.length);
    if (rest === "") throw new DrydockError("USAGE", `${text}: no path after ${prefix}`);
    const kind = prefix === "oci:" ? "oci" : "docker-archive";
    if (role === "destination" && prefix === "oci-archive:") throw new DrydockError("USAGE", `${text}: oci-archive: is read-only here; write oci:DIR or docker-archive:FILE`);
    const { path, selector } = role === "source" ? await splitExisting(rest, cwd) : splitDestination(rest, kind, cwd);
    return { kind, path, selector };
  }
  const local = await stat(resolve(cwd, text)).catch(() => undefined);
  if (local !== undefined || text.startsWith("/") || text.startsWith("./") || text.startsWith("../")) {
    if (local === undefined && role === "source") throw new DrydockError("IMAGE_NOT_FOUND", `${text}: no such file or directory`);
    return { kind: local?.isDirectory() === true || role === "destination" ? "oci" : "docker-archive", path: resolve(cwd, text), selector: undefined };
  }
  return { kind: "registry", ref: parseReference(text) };
}

/** The longest prefix that exists is the path; what follows its colon selects an image. */
async function splitExisting(rest: string, cwd: string): Promise<{ path: string; selector: string | undefined }> {
  const candidates: [string, string | undefined][] = [[rest, undefined]];
  for (let i = rest.indexOf(":"); i > 0; i = rest.indexOf(":", i + 1)) candidates.push([rest.slice(0, i), rest.slice(i + 1)]);
  candidates.sort((a, b) => b[0].length - a[0].length);
  for (const [p, selector] of candidates) {
    if ((await stat(resolve(cwd, p)).catch(() => undefined)) !== undefined) return { path: resolve(cwd, p), selector };
  }
  throw new DrydockError("IMAGE_NOT_FOUND", `${rest}: no such file or directory`);
}

/** oci:DIR:TAG splits at the last colon when a tag follows; docker-archive:FILE:NAME:TAG at the first. */
function splitDestination(rest: string, kind: "oci" | "docker-archive", cwd: string): { path: string; selector: string | undefined } {
  if (kind === "oci") {
    const i = rest.lastIndexOf(":");
    if (i > 0 && isValidTag(rest.slice(i + 1))) return { path: resolve(cwd, rest.slice(0, i)), selector: rest.slice(i + 1) };
    return { path: resolve(cwd, rest), selector: undefined };
  }
  const i = rest.indexOf(":");
  if (i > 0) return { path: resolve(cwd, rest.slice(0, i)), selector: rest.slice(i + 1) };
  return { path: resolve(cwd, rest), selector: undefined };
}

export function describeEndpoint(e: Endpoint): string {
  switch (e.kind) {
    case "registry":
      return formatReference(e.ref);
    case "oci":
      return `oci:${e.path}${e.selector === undefined ? "" : `:${e.selector}`}`;
    case "docker-archive":
      return `docker-archive:${e.path}${e.selector === undefined ? "" : `:${e.selector}`}`;
  }
}

export async function openReader(e: Endpoint, client: RegistryClient): Promise<ImageReader> {
  switch (e.kind) {
    case "registry":
      return new RegistryReader(client, withDefaultTag(e.ref));
    case "oci": {
      const info = await stat(e.path).catch(() => undefined);
      // An oci: path that is a file is an oci-archive tar; the archive reader handles both.
      return info?.isFile() === true ? openDockerArchive(e.path, e.selector) : openOciLayout(e.path, e.selector);
    }
    case "docker-archive":
      return openDockerArchive(e.path, e.selector);
  }
}

/** `sourceName` names the image in a docker-archive when the destination does not ("nginx:1.27"). */
export function openWriter(e: Endpoint, client: RegistryClient, sourceName: string | undefined): ImageWriter {
  switch (e.kind) {
    case "registry":
      return new RegistryWriter(client, e.ref);
    case "oci":
      return new OciLayoutWriter(e.path, e.selector);
    case "docker-archive":
      return new DockerArchiveWriter(e.path, e.selector ?? sourceName);
  }
}
