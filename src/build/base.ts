// Base images of a build: opened through the registry package's readers (a registry, an OCI layout, a
// docker-archive), narrowed to the build's platform, and — only when a step needs to look inside — their
// layers read into a file tree (headers always; file contents only under the paths asked for, into a cache
// directory). Base layers are never rewritten: the output reuses the blobs as they are.
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createZstdDecompress } from "node:zlib";
import { extract as tarExtract } from "tar-stream";
import { DrydockError } from "../core/errors.ts";
import { MEDIA, sniffCompression } from "../image/media.ts";
import type { Platform } from "../image/platform.ts";
import type { RegistryClient } from "../registry/client.ts";
import { narrowToPlatform, openReader, parseEndpoint, type Endpoint } from "../registry/copy.ts";
import { manifestContent, type Descriptor, type ManifestBlob } from "../registry/manifest.ts";
import { formatReference, parseReference, withDefaultTag } from "../registry/reference.ts";
import type { ImageReader } from "../registry/store.ts";
import { baseNameOf, cleanRelative, joinRelative, MapTree, parentPath, type TreeNode } from "./tree.ts";

const MAX_CONFIG_BYTES = 8 << 20;

export interface BaseImage {
  /** "docker.io/library/alpine:3.20", "oci:/layouts/base:1.0": for messages and the base.name annotation. */
  readonly name: string;
  /** What the reference resolved to (an index or a manifest): the base.digest annotation. */
  readonly digest: string;
  readonly manifest: ManifestBlob;
  /** The config as stored, parsed but otherwise untouched (unknown fields are kept in the new image). */
  readonly config: Record<string, unknown>;
  readonly layers: readonly Descriptor[];
  readonly diffIds: readonly string[];
  /** A layer's bytes: from the cache when a step already read it, else from the source (verified). */
  openBlob(desc: Descriptor): AsyncIterable<Uint8Array>;
  /** The file tree of the image; contents are present for files under the given prefixes ("" = all). */
  tree(contentsUnder: readonly string[]): Promise<MapTree>;
  close(): Promise<void>;
}

export interface OpenBaseOptions {
  client: RegistryClient;
  platform: Platform;
  cwd: string;
  /** Directory for cached blobs and extracted files (removed by the caller). */
  workDir: string;
  /** `--build-context name=oci:DIR`: names that stand for other sources. */
  contexts?: ReadonlyMap<string, string>;
}

/** The endpoint a FROM or COPY --from names: `oci:`, `oci-archive:`, `docker-archive:` or a registry reference. */
export async function baseEndpoint(ref: string, cwd: string): Promise<Endpoint> {
  if (/^(oci|oci-archive|docker-archive):/.test(ref)) {
    const text = ref.startsWith("oci-archive:") ? `oci:${ref.slice("oci-archive:".length)}` : ref;
    return parseEndpoint(text, "source", cwd);
  }
  if (ref.startsWith("docker://")) return { kind: "registry", ref: parseReference(ref.slice("docker://".length)) };
  return { kind: "registry", ref: parseReference(ref) };
}

export async function openBase(ref: string, options: OpenBaseOptions): Promise<BaseImage> {
  const mapped = options.contexts?.get(ref) ?? ref;
  const endpoint = await baseEndpoint(mapped, options.cwd);
  const reader = await openReader(endpoint, options.client);
  try {
    const root = await reader.root();
    const manifest = await narrowToPlatform(reader, root, options.platform, true);
    const content = manifestContent(manifest, `${reader.description}: ${manifest.digest}`);
    if (content.kind !== "manifest") throw new DrydockError("MANIFEST_INVALID", `${reader.description}: no image manifest for the platform`);
    if (content.config.size > MAX_CONFIG_BYTES) throw new DrydockError("IMAGE_TOO_LARGE", `${reader.description}: config of ${content.config.size} bytes`);
    const chunks: Buffer[] = [];
    for await (const c of reader.blob(content.config)) chunks.push(Buffer.from(c));
    let config: unknown;
    try {
      config = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch (e) {
      throw new DrydockError("IMAGE_CONFIG_INVALID", `${reader.description}: the config is not JSON`, { cause: e });
    }
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
      throw new DrydockError("IMAGE_CONFIG_INVALID", `${reader.description}: the config is not a JSON object`);
    }
    const record = config as Record<string, unknown>;
    const rootfs = record["rootfs"];
    const diffIds = typeof rootfs === "object" && rootfs !== null && Array.isArray((rootfs as Record<string, unknown>)["diff_ids"])
      ? ((rootfs as Record<string, unknown>)["diff_ids"] as unknown[]).filter((d): d is string => typeof d === "string")
      : [];
    if (diffIds.length !== content.layers.length) {
      throw new DrydockError("IMAGE_CONFIG_INVALID", `${reader.description}: ${content.layers.length} layers but ${diffIds.length} diff_ids`);
    }
    const name = endpoint.kind === "registry" ? formatReference(withDefaultTag(endpoint.ref)) : reader.description;
    return new OpenedBase(reader, name, root.digest, manifest, record, content.layers, diffIds, join(options.workDir, `base-${randomBytes(4).toString("hex")}`));
  } catch (e) {
    await reader.close().catch(() => {});
    throw e;
  }
}

class OpenedBase implements BaseImage {
  readonly name: string;
  readonly digest: string;
  readonly manifest: ManifestBlob;
  readonly config: Record<string, unknown>;
  readonly layers: readonly Descriptor[];
  readonly diffIds: readonly string[];
  private readonly reader: ImageReader;
  private readonly dir: string;
  private readonly cached = new Map<string, string>();
  private loaded: { tree: MapTree; origin: Map<string, number>; prefixes: string[] } | undefined;

  constructor(reader: ImageReader, name: string, digest: string, manifest: ManifestBlob, config: Record<string, unknown>, layers: readonly Descriptor[], diffIds: readonly string[], dir: string) {
    this.reader = reader;
    this.name = name;
    this.digest = digest;
    this.manifest = manifest;
    this.config = config;
    this.layers = layers;
    this.diffIds = diffIds;
    this.dir = dir;
  }

  openBlob(desc: Descriptor): AsyncIterable<Uint8Array> {
    const file = this.cached.get(desc.digest);
    if (file !== undefined) return fileChunks(file);
    return this.reader.blob(desc);
  }

  /** A registry blob is saved once, so reading the tree twice and writing the output download it once. */
  private async localBlob(desc: Descriptor): Promise<AsyncIterable<Uint8Array>> {
    if (this.reader.repository === undefined) return this.reader.blob(desc);
    let file = this.cached.get(desc.digest);
    if (file === undefined) {
      await mkdir(join(this.dir, "blobs"), { recursive: true });
      file = join(this.dir, "blobs", desc.digest.replace(":", "-"));
      const temp = `${file}.tmp`;
      await pipeline(Readable.from(this.reader.blob(desc)), createWriteStream(temp));
      await rename(temp, file);
      this.cached.set(desc.digest, file);
    }
    return fileChunks(file);
  }

  async tree(contentsUnder: readonly string[]): Promise<MapTree> {
    const wanted = contentsUnder.map(cleanRelative);
    if (this.loaded !== undefined) {
      const missing = wanted.filter((p) => !this.loaded!.prefixes.some((q) => covers(q, p)));
      if (missing.length === 0) return this.loaded.tree;
      wanted.push(...this.loaded.prefixes);
    }
    const tree = new MapTree(`image ${this.name}`);
    const origin = new Map<string, number>();
    const filesDir = join(this.dir, `files-${randomBytes(4).toString("hex")}`);
    await mkdir(filesDir, { recursive: true });
    let counter = 0;
    for (let i = 0; i < this.layers.length; i++) {
      const desc = this.layers[i] as Descriptor;
      await readLayer(await this.localBlob(desc), `${this.name}: layer ${i}`, async (path, node, body) => {
        if (node === "opaque") return tree.clear(path);
        if (node === "whiteout") return tree.remove(path);
        if (node.kind === "file" && body !== undefined && wanted.some((p) => covers(p, path))) {
          const file = join(filesDir, String(counter++));
          await pipeline(body, createWriteStream(file));
          node.content = { kind: "path", path: file };
        } else {
          body?.resume();
        }
        tree.set(path, node);
        origin.set(path, i);
      });
    }
    resolveHardlinks(tree);
    this.loaded = { tree, origin, prefixes: wanted };
    return tree;
  }

  async close(): Promise<void> {
    await this.reader.close().catch(() => {});
    await rm(this.dir, { recursive: true, force: true });
  }
}

function covers(prefix: string, path: string): boolean {
  return prefix === "" || path === prefix || path.startsWith(`${prefix}/`);
}

function fileChunks(file: string): AsyncIterable<Uint8Array> {
  return createReadStream(file, { highWaterMark: 1 << 20 });
}

/** A hardlink's content is its target's (the tree keeps the link; COPY writes the file). */
function resolveHardlinks(tree: MapTree): void {
  const visit = (dir: string): void => {
    for (const name of tree.children(dir)) {
      const path = joinRelative(dir, name);
      const node = tree.get(path);
      if (node === undefined) continue;
      if (node.kind === "dir") visit(path);
      else if (node.kind === "hardlink") {
        const target = tree.get(node.linkname);
        if (target?.kind === "file") {
          node.size = target.size;
          if (target.content !== undefined) node.content = target.content;
        }
      }
    }
  };
  visit("");
}

type EntryHandler = (path: string, node: TreeNode | "whiteout" | "opaque", body: Readable | undefined) => Promise<void>;

/** Reads one layer blob (gzip, zstd or plain tar), entry by entry; whiteouts come as markers, not applied. */
export async function readLayer(blob: AsyncIterable<Uint8Array>, where: string, onEntry: EntryHandler): Promise<void> {
  const source = Readable.from(blob);
  const head = await peek(source);
  const compression = sniffCompression(head.bytes);
  const extract = tarExtract();
  const decompressor = compression === "gzip" ? createGunzip() : compression === "zstd" ? createZstdDecompress() : undefined;
  const feeding = (decompressor === undefined ? pipeline(head.stream, extract) : pipeline(head.stream, decompressor, extract))
    .catch((e: unknown) => {
      extract.destroy(e instanceof Error ? e : new Error(String(e)));
      throw e;
    });
  try {
    for await (const entry of extract) {
      const h = entry.header;
      const path = cleanRelative(h.name);
      const base = baseNameOf(path);
      if (path === "" || (path.startsWith(".wh..wh.") && base !== ".wh..wh..opq")) {
        entry.resume();
        continue;
      }
      if (base === ".wh..wh..opq") {
        entry.resume();
        await onEntry(parentPath(path), "opaque", undefined);
        continue;
      }
      if (base.startsWith(".wh.")) {
        entry.resume();
        await onEntry(joinRelative(parentPath(path), base.slice(4)), "whiteout", undefined);
        continue;
      }
      const kind = h.type === "directory" ? "dir" : h.type === "symlink" ? "symlink" : h.type === "link" ? "hardlink" : h.type === "file" || h.type === "contiguous-file" ? "file" : undefined;
      if (kind === undefined) {
        entry.resume();
        continue; // devices and fifos cannot be copied out of an image by COPY either
      }
      const node: TreeNode = {
        kind,
        mode: h.mode & 0o7777,
        uid: h.uid,
        gid: h.gid,
        mtime: Math.floor(h.mtime.getTime() / 1000),
        size: kind === "file" ? h.size : 0,
        linkname: kind === "hardlink" ? cleanRelative(h.linkname) : kind === "symlink" ? h.linkname : "",
      };
      await onEntry(path, node, kind === "file" ? (entry as unknown as Readable) : (entry.resume(), undefined));
    }
    await feeding;
  } catch (e) {
    await feeding.catch(() => {});
    if (e instanceof DrydockError) throw e;
    throw new DrydockError("LAYER_CORRUPT", `${where}: cannot read the layer (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
}

/** The first bytes of a stream (to sniff compression), and a stream that still yields all of it. */
async function peek(source: Readable): Promise<{ bytes: Uint8Array; stream: Readable }> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  const head: Uint8Array = first.done === true ? new Uint8Array(0) : (first.value as Uint8Array);
  const rest = async function* (): AsyncGenerator<Uint8Array> {
    if (head.length > 0) yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) return;
      yield next.value as Uint8Array;
    }
  };
  return { bytes: head.subarray(0, 8), stream: Readable.from(rest()) };
}

/** Whether a layer media type is one the output may carry over unchanged. */
export function isKnownLayerType(mediaType: string): boolean {
  return mediaType.startsWith("application/vnd.oci.image.layer.") || mediaType === MEDIA.dockerLayerGzip
    || mediaType.startsWith("application/vnd.docker.image.rootfs.");
}
