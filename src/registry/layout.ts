// Blob-level readers and writers for the two on-disk image formats push and pull deal in:
//  - the OCI image layout (image-spec image-layout.md): `oci-layout`, `index.json`, `blobs/<alg>/<hex>`;
//  - docker-archive tars: Docker 25+'s OCI-layout-in-a-tar with `manifest.json` (written with the blobs as they
//    are, as containerd exports them), and, for reading, the classic `manifest.json` + `<id>/layer.tar` form.
// No layer is unpacked: blobs are copied, and verified against their digests on the way.
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { chmod, copyFile, link, lstat, mkdir, open, readFile, readdir, rename, rm, stat, writeFile, type FileHandle } from "node:fs/promises";
import { basename, dirname, join, posix, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { pack } from "tar-stream";
import { DrydockError } from "../core/errors.ts";
import { MEDIA, sniffCompression } from "../image/media.ts";
import type { Platform } from "../image/platform.ts";
import type { BlobSource } from "./client.ts";
import { declaredMediaType, isRecord, parseRegistryJson, digestAlgorithm, digestOfBytes, manifestContent, type Descriptor, type ManifestBlob } from "./manifest.ts";
import { isArtifactEntry } from "../image/manifest.ts";
import { familiarReference, formatReference, isValidTag, parseReference, withDefaultTag } from "./reference.ts";
import type { BlobOutcome, ImageReader, ImageWriter } from "./store.ts";

const REF_NAME = "org.opencontainers.image.ref.name";
const CONTAINERD_NAME = "io.containerd.image.name";
const MAX_JSON = 4 << 20;
const LAYOUT_FILE = `${JSON.stringify({ imageLayoutVersion: "1.0.0" })}`;

/** "blobs/sha256/<hex>", after checking the digest is safe to use as a file name. */
export function blobPath(digest: string): string {
  const algorithm = digestAlgorithm(digest);
  const hex = digest.slice(algorithm.length + 1);
  if (!/^[a-f0-9]+$/.test(hex) || hex.length !== (algorithm === "sha256" ? 64 : 128)) {
    throw new DrydockError("MANIFEST_INVALID", `${JSON.stringify(digest)} is not a valid ${algorithm} digest`);
  }
  return `blobs/${algorithm}/${hex}`;
}

// ---- files: a directory or a tar, read by path ----

interface FileSet {
  size(path: string): Promise<number | undefined>;
  read(path: string, limit: number): Promise<Buffer | undefined>;
  stream(path: string): AsyncIterable<Uint8Array>;
  close(): Promise<void>;
}

class DirectoryFiles implements FileSet {
  private readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  private full(path: string): string {
    return join(this.root, ...path.split("/"));
  }

  async size(path: string): Promise<number | undefined> {
    const info = await stat(this.full(path)).catch(() => undefined);
    return info?.isFile() === true ? info.size : undefined;
  }

  async read(path: string, limit: number): Promise<Buffer | undefined> {
    const size = await this.size(path);
    if (size === undefined) return undefined;
    if (size > limit) throw new DrydockError("IMAGE_TOO_LARGE", `${this.full(path)}: ${size} bytes, more than the ${limit} a JSON document may have`);
    return readFile(this.full(path));
  }

  stream(path: string): AsyncIterable<Uint8Array> {
    return createReadStream(this.full(path), { highWaterMark: 1 << 20 });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

interface TarEntry {
  type: "file" | "symlink" | "hardlink" | "other";
  offset: number;
  size: number;
  linkname: string;
}

/** A tar read by random access: headers are scanned once (data is skipped), entries read where they lie. */
class TarFiles implements FileSet {
  private readonly file: string;
  private readonly handle: FileHandle;
  private readonly entries: Map<string, TarEntry>;

  private constructor(file: string, handle: FileHandle, entries: Map<string, TarEntry>) {
    this.file = file;
    this.handle = handle;
    this.entries = entries;
  }

  static async open(file: string): Promise<TarFiles> {
    let handle: FileHandle;
    try {
      handle = await open(file, "r");
    } catch (e) {
      throw new DrydockError("IMAGE_NOT_FOUND", `${file}: cannot open the archive`, { cause: e });
    }
    try {
      return new TarFiles(file, handle, await scanTar(handle, file));
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  /** Follows symlinks and hard links inside the archive (Docker 25 links legacy paths to blobs). */
  private resolve(path: string): TarEntry | undefined {
    let current = normalizeTarPath(path);
    for (let depth = 0; depth < 16; depth++) {
      const entry = this.entries.get(current);
      if (entry === undefined) return undefined;
      if (entry.type === "file") return entry;
      if (entry.type === "symlink") current = normalizeTarPath(posix.join(posix.dirname(current), entry.linkname));
      else if (entry.type === "hardlink") current = normalizeTarPath(entry.linkname);
      else return undefined;
    }
    throw new DrydockError("TAR_LINK_LOOP", `${this.file}: ${path} is a chain of more than 16 links`);
  }

  has(path: string): boolean {
    return this.resolve(path) !== undefined;
  }

  size(path: string): Promise<number | undefined> {
    return Promise.resolve(this.resolve(path)?.size);
  }

  async read(path: string, limit: number): Promise<Buffer | undefined> {
    const entry = this.resolve(path);
    if (entry === undefined) return undefined;
    if (entry.size > limit) throw new DrydockError("IMAGE_TOO_LARGE", `${this.file}: ${path} is ${entry.size} bytes, more than the ${limit} a JSON document may have`);
    const buffer = Buffer.alloc(entry.size);
    const { bytesRead } = await this.handle.read(buffer, 0, entry.size, entry.offset);
    if (bytesRead !== entry.size) throw new DrydockError("TAR_TRUNCATED", `${this.file}: ${path} is cut short`);
    return buffer;
  }

  stream(path: string): AsyncIterable<Uint8Array> {
    const entry = this.resolve(path);
    if (entry === undefined) throw new DrydockError("BLOB_MISSING", `${this.file}: no ${path} in the archive`);
    if (entry.size === 0) return (async function* () {})();
    return createReadStream(this.file, { start: entry.offset, end: entry.offset + entry.size - 1, highWaterMark: 1 << 20 });
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

function normalizeTarPath(path: string): string {
  const n = posix.normalize(path.replace(/^\.?\/+/, "")).replace(/\/+$/, "");
  return n === "." ? "" : n.replace(/^(\.\.\/)+/, "");
}

/** Headers only: ustar names with prefix, PAX path/size/linkpath, GNU long names; base-256 sizes. */
async function scanTar(handle: FileHandle, file: string): Promise<Map<string, TarEntry>> {
  const entries = new Map<string, TarEntry>();
  const { size: total } = await handle.stat();
  const block = Buffer.alloc(512);
  let offset = 0;
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;
  for (let count = 0; offset + 512 <= total; count++) {
    if (count > 1_000_000) throw new DrydockError("IMAGE_TOO_LARGE", `${file}: more than a million tar entries`);
    const { bytesRead } = await handle.read(block, 0, 512, offset);
    if (bytesRead < 512) break;
    if (block.every((b) => b === 0)) break;
    if (!checksumOk(block)) throw new DrydockError("TAR_HEADER_INVALID", `${file}: bad tar header checksum at byte ${offset}`);
    const size = tarNumber(block.subarray(124, 136), file, offset);
    const type = String.fromCharCode(block[156] ?? 0);
    const dataOffset = offset + 512;
    const next = dataOffset + Math.ceil(size / 512) * 512;
    if (dataOffset + size > total) throw new DrydockError("TAR_TRUNCATED", `${file}: an entry at byte ${offset} runs past the end of the archive`);
    if (type === "x" || type === "L" || type === "K") {
      if (size > 1 << 20) throw new DrydockError("TAR_HEADER_TOO_LARGE", `${file}: an extended header of ${size} bytes`);
      const data = Buffer.alloc(size);
      await handle.read(data, 0, size, dataOffset);
      if (type === "x") pax = parsePax(data);
      else if (type === "L") longName = cString(data);
      else longLink = cString(data);
      offset = next;
      continue;
    }
    if (type === "g") {
      offset = next;
      continue;
    }
    const magic = block.subarray(257, 263).toString("latin1");
    const prefix = magic.startsWith("ustar") ? cString(block.subarray(345, 500)) : "";
    const rawName = pax["path"] ?? longName ?? (prefix === "" ? cString(block.subarray(0, 100)) : `${prefix}/${cString(block.subarray(0, 100))}`);
    const linkname = pax["linkpath"] ?? longLink ?? cString(block.subarray(157, 257));
    const realSize = pax["size"] !== undefined ? Number(pax["size"]) : size;
    const kind: TarEntry["type"] = type === "0" || type === "\0" || type === "7" ? "file" : type === "2" ? "symlink" : type === "1" ? "hardlink" : "other";
    entries.set(normalizeTarPath(rawName), { type: kind, offset: dataOffset, size: realSize, linkname });
    pax = {};
    longName = undefined;
    longLink = undefined;
    offset = kind === "file" ? dataOffset + Math.ceil(realSize / 512) * 512 : next;
  }
  return entries;
}

function checksumOk(block: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : (block[i] ?? 0);
  const stored = parseInt(cString(block.subarray(148, 156)).trim() || "0", 8);
  return stored === sum;
}

function tarNumber(field: Buffer, file: string, offset: number): number {
  if (((field[0] ?? 0) & 0x80) !== 0) {
    let n = 0;
    for (let i = 1; i < field.length; i++) n = n * 256 + (field[i] ?? 0);
    if (!Number.isSafeInteger(n)) throw new DrydockError("TAR_HEADER_INVALID", `${file}: an entry size at byte ${offset} is too large`);
    return n;
  }
  const text = cString(field).trim();
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text)) throw new DrydockError("TAR_HEADER_INVALID", `${file}: an entry size at byte ${offset} is not a number`);
  return parseInt(text, 8);
}

function cString(b: Buffer): string {
  const nul = b.indexOf(0);
  return b.subarray(0, nul < 0 ? b.length : nul).toString("utf8");
}

function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < data.length) {
    const space = data.indexOf(0x20, i);
    if (space < 0) break;
    const length = Number(data.subarray(i, space).toString("latin1"));
    if (!Number.isSafeInteger(length) || length <= 0) break;
    const record = data.subarray(space + 1, i + length - 1).toString("utf8");
    const eq = record.indexOf("=");
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    i += length;
  }
  return out;
}

/** Streams a blob and throws at the end unless its size and digest are the descriptor's. */
async function* verified(source: AsyncIterable<Uint8Array>, desc: Pick<Descriptor, "digest" | "size">, where: string): AsyncGenerator<Uint8Array> {
  const hash = createHash(digestAlgorithm(desc.digest));
  let size = 0;
  for await (const chunk of source) {
    size += chunk.length;
    if (size > desc.size) throw new DrydockError("BLOB_DIGEST_MISMATCH", `${where}: blob ${desc.digest} is longer than ${desc.size} bytes`);
    hash.update(chunk);
    yield chunk;
  }
  const actual = `${digestAlgorithm(desc.digest)}:${hash.digest("hex")}`;
  if (size !== desc.size || actual !== desc.digest) {
    throw new DrydockError("BLOB_DIGEST_MISMATCH", `${where}: blob ${desc.digest} has ${size} bytes with digest ${actual}`);
  }
}

// ---- readers ----

/** An OCI image layout, as a directory or inside a tar (Docker 25+ archives, oci-archive). */
class LayoutReader implements ImageReader {
  readonly description: string;
  readonly repository = undefined;
  readonly tag: string | undefined;
  private readonly files: FileSet;
  private readonly chosen: Descriptor;

  constructor(description: string, files: FileSet, chosen: Descriptor, tag: string | undefined) {
    this.description = description;
    this.files = files;
    this.chosen = chosen;
    this.tag = tag;
  }

  root(): Promise<ManifestBlob> {
    return this.manifest(this.chosen);
  }

  async manifest(desc: Descriptor): Promise<ManifestBlob> {
    const bytes = await this.files.read(blobPath(desc.digest), MAX_JSON);
    if (bytes === undefined) throw new DrydockError("BLOB_MISSING", `${this.description}: manifest ${desc.digest} is not in the layout`);
    const actual = digestOfBytes(bytes, digestAlgorithm(desc.digest));
    if (actual !== desc.digest || bytes.length !== desc.size) {
      throw new DrydockError("BLOB_DIGEST_MISMATCH", `${this.description}: manifest ${desc.digest} holds bytes with digest ${actual}`);
    }
    return { bytes, mediaType: declaredMediaType(bytes, desc.mediaType), digest: desc.digest };
  }

  blob(desc: Descriptor): AsyncIterable<Uint8Array> {
    return verified(this.files.stream(blobPath(desc.digest)), desc, this.description);
  }

  close(): Promise<void> {
    return this.files.close();
  }
}

/** The classic `docker save` archive: manifest.json with a config file and uncompressed layer tars. */
class ClassicArchiveReader implements ImageReader {
  readonly description: string;
  readonly repository = undefined;
  readonly tag: string | undefined;
  private readonly files: TarFiles;
  private readonly manifestBlob: ManifestBlob;
  private readonly paths: Map<string, string>;

  constructor(description: string, files: TarFiles, manifest: ManifestBlob, paths: Map<string, string>, tag: string | undefined) {
    this.description = description;
    this.files = files;
    this.manifestBlob = manifest;
    this.paths = paths;
    this.tag = tag;
  }

  root(): Promise<ManifestBlob> {
    return Promise.resolve(this.manifestBlob);
  }

  manifest(desc: Descriptor): Promise<ManifestBlob> {
    return Promise.reject(new DrydockError("BLOB_MISSING", `${this.description}: no manifest ${desc.digest}`));
  }

  blob(desc: Descriptor): AsyncIterable<Uint8Array> {
    const path = this.paths.get(desc.digest);
    if (path === undefined) throw new DrydockError("BLOB_MISSING", `${this.description}: no blob ${desc.digest}`);
    return verified(this.files.stream(path), desc, this.description);
  }

  close(): Promise<void> {
    return this.files.close();
  }
}

export async function openOciLayout(dir: string, selector: string | undefined): Promise<ImageReader> {
  const files = new DirectoryFiles(dir);
  const description = `oci:${dir}${selector === undefined ? "" : `:${selector}`}`;
  const { chosen, tag } = await chooseFromLayout(files, description, selector);
  return new LayoutReader(description, files, chosen, tag);
}

/** A docker-archive (either form) or an oci-archive tar. */
export async function openDockerArchive(file: string, selector: string | undefined): Promise<ImageReader> {
  const files = await TarFiles.open(file);
  const description = `docker-archive:${file}${selector === undefined ? "" : `:${selector}`}`;
  try {
    if (files.has("oci-layout") && files.has("index.json")) {
      const { chosen, tag } = await chooseFromLayout(files, description, selector);
      return new LayoutReader(description, files, chosen, tag);
    }
    if (files.has("manifest.json")) return await readClassicArchive(files, description, selector);
    throw new DrydockError("IMAGE_FORMAT_UNKNOWN", `${description}: neither manifest.json nor an OCI layout in the archive`);
  } catch (e) {
    await files.close();
    throw e;
  }
}

async function readLayoutIndex(files: FileSet, description: string): Promise<Descriptor[]> {
  const layout = await files.read("oci-layout", MAX_JSON);
  if (layout === undefined) throw new DrydockError("IMAGE_FORMAT_UNKNOWN", `${description}: no oci-layout file; not an OCI image layout`);
  const version = parseRegistryJson(layout, `${description}: oci-layout`);
  if (!isRecord(version) || typeof version["imageLayoutVersion"] !== "string" || !version["imageLayoutVersion"].startsWith("1.")) {
    throw new DrydockError("MANIFEST_INVALID", `${description}: oci-layout must declare imageLayoutVersion 1.x`);
  }
  const indexBytes = await files.read("index.json", MAX_JSON);
  if (indexBytes === undefined) throw new DrydockError("MANIFEST_INVALID", `${description}: no index.json`);
  const content = manifestContent({ bytes: indexBytes, mediaType: MEDIA.ociIndex, digest: digestOfBytes(indexBytes) }, `${description}: index.json`);
  if (content.kind !== "index") throw new DrydockError("MANIFEST_INVALID", `${description}: index.json is not an image index`);
  return content.manifests;
}

/** The image a selector names in index.json: a tag (ref.name), a full name (containerd's), or the only one. */
async function chooseFromLayout(files: FileSet, description: string, selector: string | undefined): Promise<{ chosen: Descriptor; tag: string | undefined }> {
  const manifests = await readLayoutIndex(files, description);
  if (manifests.length === 0) throw new DrydockError("IMAGE_NOT_FOUND", `${description}: the layout's index.json lists no image`);
  const names = (d: Descriptor): string[] => [d.annotations?.[REF_NAME], d.annotations?.[CONTAINERD_NAME]].filter((n): n is string => n !== undefined);
  if (selector === undefined) {
    // Signatures and attestations stored beside the image (drydock sign, cosign) are not images to choose from.
    const images = manifests.filter((d) => !isArtifactEntry(d));
    if (images.length === 1) return { chosen: images[0] as Descriptor, tag: tagOf(images[0]?.annotations?.[REF_NAME]) };
    if (manifests.length > 1) {
      const listed = manifests.map((d) => names(d)[0] ?? d.digest).join(", ");
      throw new DrydockError("IMAGE_AMBIGUOUS", `${description}: the layout holds ${manifests.length} images (${listed}); name one as DIR:TAG`);
    }
    const only = manifests[0] as Descriptor;
    return { chosen: only, tag: tagOf(only.annotations?.[REF_NAME]) };
  }
  const wantedFull = fullName(selector);
  const found = manifests.find((d) => names(d).includes(selector) || (wantedFull !== undefined && names(d).some((n) => fullName(n) === wantedFull)))
    ?? manifests.find((d) => d.digest === selector);
  if (found === undefined) {
    const listed = manifests.flatMap(names).join(", ");
    throw new DrydockError("IMAGE_NOT_FOUND", `${description}: no image named ${JSON.stringify(selector)} in the layout${listed === "" ? "" : ` (it has: ${listed})`}`);
  }
  return { chosen: found, tag: tagOf(found.annotations?.[REF_NAME]) ?? tagOf(selector) };
}

function tagOf(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  if (isValidTag(name)) return name;
  try {
    return parseReference(name).tag;
  } catch {
    return undefined;
  }
}

function fullName(name: string): string | undefined {
  try {
    return formatReference(withDefaultTag(parseReference(name)));
  } catch {
    return undefined;
  }
}

async function readClassicArchive(files: TarFiles, description: string, selector: string | undefined): Promise<ImageReader> {
  const bytes = await files.read("manifest.json", MAX_JSON);
  const json = parseRegistryJson(bytes ?? Buffer.alloc(0), `${description}: manifest.json`);
  if (!Array.isArray(json) || json.length === 0) throw new DrydockError("MANIFEST_INVALID", `${description}: manifest.json lists no image`);
  const images = json.filter(isRecord);
  let index = 0;
  if (selector !== undefined && /^@\d+$/.test(selector)) {
    index = Number(selector.slice(1));
  } else if (selector !== undefined) {
    const wanted = fullName(selector);
    index = images.findIndex((im) => Array.isArray(im["RepoTags"]) && im["RepoTags"].some((t) => t === selector || (typeof t === "string" && fullName(t) === wanted)));
    if (index < 0) throw new DrydockError("IMAGE_NOT_FOUND", `${description}: no image tagged ${JSON.stringify(selector)} in manifest.json`);
  } else if (images.length > 1) {
    throw new DrydockError("IMAGE_AMBIGUOUS", `${description}: the archive holds ${images.length} images; name one as FILE:NAME:TAG or FILE:@N`);
  }
  const image = images[index];
  if (image === undefined) throw new DrydockError("IMAGE_NOT_FOUND", `${description}: no image ${selector ?? ""}`);
  const configPath = image["Config"];
  const layerPaths = image["Layers"];
  if (typeof configPath !== "string" || !Array.isArray(layerPaths) || !layerPaths.every((l) => typeof l === "string")) {
    throw new DrydockError("MANIFEST_INVALID", `${description}: a manifest.json entry needs Config and Layers`);
  }
  const config = await files.read(configPath, MAX_JSON);
  if (config === undefined) throw new DrydockError("BLOB_MISSING", `${description}: ${configPath} is not in the archive`);
  const paths = new Map<string, string>();
  const configDigest = digestOfBytes(config);
  paths.set(configDigest, configPath);
  const layers: Descriptor[] = [];
  for (const path of layerPaths as string[]) {
    const size = await files.size(path);
    if (size === undefined) throw new DrydockError("BLOB_MISSING", `${description}: layer ${path} is not in the archive`);
    // The archive does not name layer digests: one pass computes the digest and sniffs the compression.
    const hash = createHash("sha256");
    let head: Buffer | undefined;
    for await (const chunk of files.stream(path)) {
      head ??= Buffer.from(chunk.subarray(0, 8));
      hash.update(chunk);
    }
    const digest = `sha256:${hash.digest("hex")}`;
    const compression = sniffCompression(head ?? Buffer.alloc(0));
    const mediaType = compression === "gzip" ? MEDIA.ociLayerGzip : compression === "zstd" ? MEDIA.ociLayerZstd : MEDIA.ociLayer;
    layers.push({ mediaType, digest, size });
    paths.set(digest, path);
  }
  const manifest = {
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    config: { mediaType: MEDIA.ociConfig, digest: configDigest, size: config.length },
    layers,
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest), "utf8");
  const tags = Array.isArray(image["RepoTags"]) ? image["RepoTags"].filter((t): t is string => typeof t === "string") : [];
  const tag = tagOf(selector ?? tags[0]);
  return new ClassicArchiveReader(description, files, { bytes: manifestBytes, mediaType: MEDIA.ociManifest, digest: digestOfBytes(manifestBytes) }, paths, tag);
}

// ---- writers ----

/**
 * Writes into an OCI layout. A new directory is staged beside its final path and renamed into place on commit;
 * an existing layout is added to in place, each blob and finally index.json written to a temporary name and
 * renamed, so an interrupted pull leaves at most unreferenced blobs.
 */
/**
 * Puts a local file of the expected size at `to`: a hard link when both are on one file system (no bytes move),
 * else a copy. false when the file is not usable (missing, another size): the caller streams instead.
 */
async function placeLocalFile(from: string, to: string, size: number): Promise<boolean> {
  const info = await stat(from).catch(() => undefined);
  if (info?.isFile() !== true || info.size !== size) return false;
  try {
    await link(from, to);
  } catch {
    try {
      await copyFile(from, to);
    } catch {
      await rm(to, { force: true });
      return false;
    }
  }
  await chmod(to, 0o644);
  return true;
}

export class OciLayoutWriter implements ImageWriter {
  readonly description: string;
  readonly repository = undefined;
  readonly singleImage: boolean = false;
  private readonly dir: string;
  private readonly tag: string | undefined;
  private staging: Promise<string> | undefined;
  private inPlace = false;
  private readonly written = new Set<string>();
  private readonly platforms = new Map<string, Platform>();

  constructor(dir: string, tag: string | undefined) {
    this.dir = resolve(dir);
    this.tag = tag;
    this.description = `oci:${this.dir}${tag === undefined ? "" : `:${tag}`}`;
  }

  /** The directory blobs go to (the final one when adding to an existing layout); decided once. */
  private target(): Promise<string> {
    this.staging ??= this.prepare();
    return this.staging;
  }

  private async prepare(): Promise<string> {
    const info = await lstat(this.dir).catch(() => undefined);
    if (info !== undefined) {
      if (!info.isDirectory()) throw new DrydockError("OUTPUT_UNWRITABLE", `${this.dir} exists and is not a directory`);
      const entries = await readdir(this.dir);
      if (entries.length > 0 && !entries.includes("oci-layout")) {
        throw new DrydockError("OUTPUT_UNWRITABLE", `${this.dir} is a non-empty directory and not an OCI layout; choose a new directory`);
      }
      this.inPlace = entries.length > 0;
    }
    const dir = this.inPlace ? this.dir : `${this.dir}.drydock-${process.pid}-${randomBytes(4).toString("hex")}`;
    await mkdir(join(dir, "blobs", "sha256"), { recursive: true });
    return dir;
  }

  /** Where a blob written by this writer lies until commit. */
  async blobFile(digest: string): Promise<string> {
    return join(await this.target(), blobPath(digest));
  }

  async hasBlob(desc: Descriptor): Promise<boolean> {
    if (this.written.has(desc.digest)) return true;
    const root = await this.target();
    if (!this.inPlace) return false;
    const info = await stat(join(root, blobPath(desc.digest))).catch(() => undefined);
    return info?.isFile() === true && info.size === desc.size;
  }

  async putBlob(desc: Descriptor, source: BlobSource, options: { onBytes: (n: number) => void }): Promise<BlobOutcome> {
    const root = await this.target();
    const path = join(root, blobPath(desc.digest));
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.tmp-${randomBytes(4).toString("hex")}`;
    if (source.file !== undefined && (await placeLocalFile(source.file, temp, desc.size))) {
      try {
        await rename(temp, path);
      } catch (e) {
        await rm(temp, { force: true });
        throw wrapWrite(e, path);
      }
      options.onBytes(desc.size);
      this.written.add(desc.digest);
      return "copied";
    }
    try {
      const counted = async function* (): AsyncGenerator<Uint8Array> {
        // The rename below happens only after the iteration ended, when a self-verifying source has checked it.
        for await (const chunk of source.verified === true ? source.open() : verified(source.open(), desc, "blob")) {
          options.onBytes(chunk.length);
          yield chunk;
        }
      };
      await pipeline(counted, createWriteStream(temp, { highWaterMark: 1 << 20 }));
      await rename(temp, path);
    } catch (e) {
      await rm(temp, { force: true });
      throw wrapWrite(e, path);
    }
    this.written.add(desc.digest);
    return "copied";
  }

  async putManifest(blob: ManifestBlob, options: { platform: Platform | undefined }): Promise<void> {
    const root = await this.target();
    const path = join(root, blobPath(blob.digest));
    await mkdir(dirname(path), { recursive: true });
    await writeAtomically(path, blob.bytes);
    this.written.add(blob.digest);
    if (options.platform !== undefined) this.platforms.set(blob.digest, options.platform);
  }

  async commit(root: ManifestBlob, sourceTag: string | undefined): Promise<void> {
    const dir = await this.target();
    const tag = this.tag ?? sourceTag;
    let manifests: Descriptor[] = [];
    if (this.inPlace) manifests = await readLayoutIndex(new DirectoryFiles(dir), this.description);
    const entry: Descriptor = { mediaType: root.mediaType, digest: root.digest, size: root.bytes.length };
    const platform = this.platforms.get(root.digest);
    if (platform !== undefined) entry.platform = platform;
    if (tag !== undefined) entry.annotations = { [REF_NAME]: tag };
    // A tag names one image: the new one replaces an old one of the same name; an untagged copy is added once.
    manifests = manifests.filter((d) => (tag === undefined ? !(d.digest === root.digest && d.annotations?.[REF_NAME] === undefined) : d.annotations?.[REF_NAME] !== tag));
    manifests.push(entry);
    await writeAtomically(join(dir, "oci-layout"), Buffer.from(LAYOUT_FILE));
    await writeAtomically(join(dir, "index.json"), Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests }), "utf8"));
    if (!this.inPlace) {
      try {
        await rename(dir, this.dir);
      } catch (e) {
        throw new DrydockError("OUTPUT_UNWRITABLE", `${this.dir}: cannot move the finished layout into place (did it appear meanwhile?)`, { cause: e });
      }
    }
  }

  async abort(): Promise<void> {
    if (this.staging === undefined) return;
    const dir = await this.staging.catch(() => undefined);
    if (dir !== undefined && !this.inPlace) await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Writes a docker-archive as Docker 25+ does (an OCI layout plus manifest.json in one tar) with the blobs as
 * pulled; `docker load`, skopeo and drydock read it. Staged in a directory, packed into FILE.tmp, renamed.
 */
export class DockerArchiveWriter implements ImageWriter {
  readonly description: string;
  readonly repository = undefined;
  readonly singleImage = true;
  private readonly file: string;
  private readonly name: string | undefined;
  private readonly stage: OciLayoutWriter;

  /** `name` is the image's name for RepoTags ("nginx:latest"); undefined leaves the image untagged. */
  constructor(file: string, name: string | undefined) {
    this.file = resolve(file);
    this.name = name;
    this.description = `docker-archive:${this.file}`;
    // Staged as a (never committed) OCI layout beside the file; the stage's own temporary directory is removed after packing.
    this.stage = new OciLayoutWriter(join(dirname(this.file), `.${basename(this.file)}.drydock-${process.pid}-${randomBytes(4).toString("hex")}`), undefined);
  }

  hasBlob(desc: Descriptor): Promise<boolean> {
    return this.stage.hasBlob(desc);
  }

  putBlob(desc: Descriptor, source: BlobSource, options: { mountFrom: undefined; onBytes: (n: number) => void }): Promise<BlobOutcome> {
    return this.stage.putBlob(desc, source, options);
  }

  putManifest(blob: ManifestBlob, options: { root: boolean; tag: string | undefined; platform: Platform | undefined }): Promise<void> {
    return this.stage.putManifest(blob, options);
  }

  async commit(root: ManifestBlob): Promise<void> {
    const content = manifestContent(root, this.description);
    if (content.kind !== "manifest") throw new DrydockError("USAGE", `${this.description}: a docker-archive holds one image; choose a platform`);
    const name = this.name === undefined ? undefined : normalizedName(this.name);
    const annotations: Record<string, string> = {};
    if (name !== undefined) {
      annotations[CONTAINERD_NAME] = name.full;
      if (name.tag !== undefined) annotations[REF_NAME] = name.tag;
    }
    const index = {
      schemaVersion: 2,
      mediaType: MEDIA.ociIndex,
      manifests: [{ mediaType: root.mediaType, digest: root.digest, size: root.bytes.length, ...(name === undefined ? {} : { annotations }) }],
    };
    const manifestJson = [{
      Config: blobPath(content.config.digest),
      RepoTags: name === undefined ? [] : [name.familiar],
      Layers: content.layers.map((l) => blobPath(l.digest)),
    }];
    const blobs = [root.digest, content.config.digest, ...content.layers.map((l) => l.digest)];
    const temp = `${this.file}.tmp-${randomBytes(4).toString("hex")}`;
    try {
      const files: [string, string][] = [];
      for (const digest of new Set(blobs)) files.push([blobPath(digest), await this.stage.blobFile(digest)]);
      await packArchive(temp, files, {
        "oci-layout": Buffer.from(LAYOUT_FILE),
        "index.json": Buffer.from(JSON.stringify(index)),
        "manifest.json": Buffer.from(JSON.stringify(manifestJson)),
      });
      await rename(temp, this.file);
    } catch (e) {
      await rm(temp, { force: true });
      throw wrapWrite(e, this.file);
    } finally {
      await this.stage.abort();
    }
  }

  abort(): Promise<void> {
    return this.stage.abort();
  }
}

function normalizedName(name: string): { full: string; familiar: string; tag: string | undefined } | undefined {
  try {
    const ref = parseReference(name);
    const tagged = ref.digest === undefined ? withDefaultTag(ref) : { ...ref, digest: undefined };
    if (tagged.tag === undefined) return undefined;
    return { full: formatReference(tagged), familiar: familiarReference(tagged), tag: tagged.tag };
  } catch {
    return undefined;
  }
}

/** The tar: blobs (archive name, file on disk) first, then the JSON documents that name them. */
async function packArchive(file: string, blobs: readonly [string, string][], docs: Record<string, Buffer>): Promise<void> {
  const tar = pack();
  const output = pipeline(tar, createWriteStream(file));
  const mtime = new Date(0);
  const entry = (header: Parameters<typeof tar.entry>[0], body?: Buffer): Promise<void> =>
    new Promise((res, rej) => {
      const cb = (err?: Error | null): void => (err ? rej(err) : res());
      if (body === undefined) tar.entry(header, cb);
      else tar.entry(header, body, cb);
    });
  try {
    await entry({ name: "blobs/", type: "directory", mode: 0o755, mtime });
    await entry({ name: "blobs/sha256/", type: "directory", mode: 0o755, mtime });
    for (const [name, path] of blobs) {
      const { size } = await stat(path);
      await new Promise<void>((res, rej) => {
        const sink = tar.entry({ name, size, mode: 0o644, mtime }, (err) => (err ? rej(err) : res()));
        pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), sink).catch(rej);
      });
    }
    for (const [name, body] of Object.entries(docs)) await entry({ name, size: body.length, mode: 0o644, mtime }, body);
    tar.finalize();
  } catch (e) {
    tar.destroy(e instanceof Error ? e : new Error(String(e)));
  }
  await output;
}

async function writeAtomically(path: string, bytes: Buffer): Promise<void> {
  const temp = `${path}.tmp-${randomBytes(4).toString("hex")}`;
  try {
    await writeFile(temp, bytes);
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw wrapWrite(e, path);
  }
}

function wrapWrite(e: unknown, path: string): unknown {
  if (e instanceof DrydockError) return e;
  const code = typeof e === "object" && e !== null && "code" in e ? String(e.code) : "";
  if (["ENOSPC", "EACCES", "EPERM", "EROFS", "ENOENT", "EISDIR", "ENOTDIR", "EDQUOT"].includes(code)) {
    return new DrydockError("OUTPUT_UNWRITABLE", `${path}: cannot write (${code})`, { cause: e });
  }
  return e;
}

