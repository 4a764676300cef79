// Real image formats built by code: tars with tar-stream (and raw header blocks for tricks it will not write),
// gzip and zstd with zlib, OCI layouts, oci-archive and docker-archive tars (classic and Docker 25+).
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gzipSync, zstdCompressSync } from "node:zlib";
import { pack, type Header } from "tar-stream";
import type { EntryConsumer, LayerEntry } from "../../src/image/walk.ts";

export interface FileSpec {
  name: string;
  type?: Header["type"];
  content?: string | Buffer;
  mode?: number;
  uid?: number;
  gid?: number;
  linkname?: string;
  mtime?: number;
  pax?: Record<string, string>;
}

/** A tar made by tar-stream; mtime defaults to a fixed time so bytes are reproducible. */
export async function tarOf(files: readonly FileSpec[]): Promise<Buffer> {
  const p = pack();
  for (const f of files) {
    const content = typeof f.content === "string" ? Buffer.from(f.content) : f.content;
    const type = f.type ?? "file";
    const header: Partial<Header> & { name: string } = {
      name: f.name,
      type,
      mode: f.mode ?? (type === "directory" ? 0o755 : 0o644),
      uid: f.uid ?? 0,
      gid: f.gid ?? 0,
      mtime: new Date((f.mtime ?? 1_700_000_000) * 1000),
      ...(f.linkname === undefined ? {} : { linkname: f.linkname }),
      ...(type === "file" ? { size: content?.length ?? 0 } : {}),
    };
    if (f.pax !== undefined) Object.assign(header, { pax: f.pax });
    if (type === "file") p.entry(header, content ?? Buffer.alloc(0));
    else p.entry(header);
  }
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

export interface RawHeader {
  name: string;
  size?: number;
  /** Raw text for the size field (12 bytes), for malformed numbers. */
  sizeField?: string;
  /** Raw bytes for the size field, for base-256. */
  sizeBytes?: number[];
  mode?: number;
  uid?: number;
  gid?: number;
  mtime?: number;
  typeflag?: string;
  linkname?: string;
  magic?: "posix" | "gnu" | "none";
  prefix?: string;
  /** Added to the computed checksum (non-zero makes it wrong). */
  checksumDelta?: number;
}

/** One 512-byte header block written byte by byte, so any field can be wrong on purpose. */
export function rawHeader(h: RawHeader): Buffer {
  const b = Buffer.alloc(512);
  const put = (text: string, at: number, len: number): void => {
    const bytes = Buffer.from(text, "utf8");
    bytes.copy(b, at, 0, Math.min(len, bytes.length));
  };
  const octal = (n: number, len: number): string => `${n.toString(8).padStart(len - 1, "0")}\0`;
  put(h.name, 0, 100);
  put(octal(h.mode ?? 0o644, 8), 100, 8);
  put(octal(h.uid ?? 0, 8), 108, 8);
  put(octal(h.gid ?? 0, 8), 116, 8);
  if (h.sizeBytes !== undefined) Buffer.from(h.sizeBytes).copy(b, 124);
  else put(h.sizeField ?? octal(h.size ?? 0, 12), 124, 12);
  put(octal(h.mtime ?? 1_700_000_000, 12), 136, 12);
  put(h.typeflag ?? "0", 156, 1);
  put(h.linkname ?? "", 157, 100);
  const magic = h.magic ?? "posix";
  if (magic === "posix") put("ustar\u000000", 257, 8);
  if (magic === "gnu") put("ustar  \0", 257, 8);
  if (h.prefix !== undefined) put(h.prefix, 345, 155);
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of b) sum += byte;
  sum += h.checksumDelta ?? 0;
  put(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8);
  return b;
}

/** Data padded to whole blocks. */
export function blocks(data: string | Buffer): Buffer {
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  const padded = Buffer.alloc(Math.ceil(bytes.length / 512) * 512);
  bytes.copy(padded);
  return padded;
}

export const END = Buffer.alloc(1024);

/** A PAX extended header's data: records with their self-counting lengths. */
export function paxData(records: Record<string, string>): Buffer {
  let out = "";
  for (const [k, v] of Object.entries(records)) {
    const body = ` ${k}=${v}\n`;
    let len = body.length + 1;
    while (String(len).length + body.length !== len) len = String(len).length + body.length;
    out += `${len}${body}`;
  }
  return Buffer.from(out);
}

/** A raw entry: header plus padded data. */
export function rawEntry(h: RawHeader, data: string | Buffer = ""): Buffer {
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  return Buffer.concat([rawHeader({ size: bytes.length, ...h }), blocks(bytes)]);
}

export const gzip = (b: Buffer): Buffer => gzipSync(b);
export const zstd = (b: Buffer): Buffer => zstdCompressSync(b);

export function sha256(b: Buffer | string): string {
  return `sha256:${createHash("sha256").update(b).digest("hex")}`;
}

export type LayerCompression = "none" | "gzip" | "zstd";

export interface LayerSpec {
  tar: Buffer;
  compression?: LayerCompression;
  /** Override the media type written in the manifest. */
  mediaType?: string;
  /** The blob itself, already compressed as `compression` says (instead of compressing tar). */
  blob?: Buffer;
  /** Override the stored blob bytes (after the digest was computed from the real ones). */
  tamper?: (blob: Buffer) => Buffer;
  /** Override the diffID written in the config. */
  diffId?: string;
}

export interface ImageSpec {
  layers: LayerSpec[];
  config?: Record<string, unknown>;
  os?: string;
  architecture?: string;
  variant?: string;
  history?: Record<string, unknown>[];
  /** Docker schema 2 media types instead of OCI ones. */
  docker?: boolean;
}

export interface BuiltImage {
  blobs: Map<string, Buffer>;
  manifest: Buffer;
  manifestDigest: string;
  manifestMediaType: string;
  config: Buffer;
  configDigest: string;
  layerBlobs: { digest: string; diffId: string; tar: Buffer; blob: Buffer; mediaType: string }[];
  spec: ImageSpec;
}

const LAYER_MEDIA = {
  oci: { none: "application/vnd.oci.image.layer.v1.tar", gzip: "application/vnd.oci.image.layer.v1.tar+gzip", zstd: "application/vnd.oci.image.layer.v1.tar+zstd" },
  docker: { none: "application/vnd.docker.image.rootfs.diff.tar", gzip: "application/vnd.docker.image.rootfs.diff.tar.gzip", zstd: "application/vnd.docker.image.rootfs.diff.tar.zstd" },
} as const;

export function buildImage(spec: ImageSpec): BuiltImage {
  const blobs = new Map<string, Buffer>();
  const layerBlobs = spec.layers.map((l) => {
    const compression = l.compression ?? "gzip";
    const blob = l.blob ?? (compression === "gzip" ? gzip(l.tar) : compression === "zstd" ? zstd(l.tar) : l.tar);
    const digest = sha256(blob);
    blobs.set(digest, l.tamper === undefined ? blob : l.tamper(blob));
    return { digest, diffId: l.diffId ?? sha256(l.tar), tar: l.tar, blob, mediaType: l.mediaType ?? LAYER_MEDIA[spec.docker === true ? "docker" : "oci"][compression] };
  });
  const configJson = {
    architecture: spec.architecture ?? "amd64",
    os: spec.os ?? "linux",
    ...(spec.variant === undefined ? {} : { variant: spec.variant }),
    created: "2024-01-02T03:04:05Z",
    config: spec.config ?? { Env: ["PATH=/usr/local/bin:/usr/bin:/bin"], Cmd: ["/bin/sh"] },
    rootfs: { type: "layers", diff_ids: layerBlobs.map((l) => l.diffId) },
    history: spec.history ?? layerBlobs.map((_, i) => ({ created: "2024-01-02T03:04:05Z", created_by: `/bin/sh -c step ${i}` })),
  };
  const config = Buffer.from(JSON.stringify(configJson));
  const configDigest = sha256(config);
  blobs.set(configDigest, config);
  const manifestMediaType = spec.docker === true ? "application/vnd.docker.distribution.manifest.v2+json" : "application/vnd.oci.image.manifest.v1+json";
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: manifestMediaType,
    config: { mediaType: spec.docker === true ? "application/vnd.docker.container.image.v1+json" : "application/vnd.oci.image.config.v1+json", digest: configDigest, size: config.length },
    layers: layerBlobs.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.blob.length })),
  }));
  const manifestDigest = sha256(manifest);
  blobs.set(manifestDigest, manifest);
  return { blobs, manifest, manifestDigest, manifestMediaType, config, configDigest, layerBlobs, spec };
}

export interface IndexEntry {
  image: BuiltImage;
  tag?: string;
  platform?: { os: string; architecture: string; variant?: string };
  annotations?: Record<string, string>;
}

/** The files of an OCI layout (path → bytes); index.json lists the entries (or an override). */
export function ociLayoutFiles(entries: readonly IndexEntry[], options: { indexJson?: unknown; nestedIndex?: boolean } = {}): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  files.set("oci-layout", Buffer.from(JSON.stringify({ imageLayoutVersion: "1.0.0" })));
  for (const e of entries) for (const [digest, blob] of e.image.blobs) files.set(`blobs/sha256/${digest.slice(7)}`, blob);
  const descriptors = entries.map((e) => ({
    mediaType: e.image.manifestMediaType,
    digest: e.image.manifestDigest,
    size: e.image.manifest.length,
    ...(e.platform === undefined ? {} : { platform: e.platform }),
    ...(e.tag === undefined && e.annotations === undefined ? {} : { annotations: { ...e.annotations, ...(e.tag === undefined ? {} : { "org.opencontainers.image.ref.name": e.tag }) } }),
  }));
  let top: unknown = { schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: descriptors };
  if (options.nestedIndex === true) {
    const nested = Buffer.from(JSON.stringify(top));
    const digest = sha256(nested);
    files.set(`blobs/sha256/${digest.slice(7)}`, nested);
    top = { schemaVersion: 2, manifests: [{ mediaType: "application/vnd.oci.image.index.v1+json", digest, size: nested.length, annotations: { "org.opencontainers.image.ref.name": "multi" } }] };
  }
  files.set("index.json", Buffer.from(JSON.stringify(options.indexJson ?? top)));
  return files;
}

/** `docker save` files: classic (`<id>/layer.tar`, uncompressed) or Docker 25+ (OCI layout plus manifest.json). */
export function dockerArchiveFiles(entries: readonly { image: BuiltImage; repoTags: string[] }[], style: "classic" | "docker25"): Map<string, Buffer> {
  const files = style === "docker25" ? ociLayoutFiles(entries.map((e) => ({ image: e.image, ...(e.repoTags[0] === undefined ? {} : { tag: e.repoTags[0].split(":").pop() ?? "" }) }))) : new Map<string, Buffer>();
  const manifest = entries.map(({ image, repoTags }) => {
    if (style === "docker25") {
      return { Config: `blobs/sha256/${image.configDigest.slice(7)}`, RepoTags: repoTags, Layers: image.layerBlobs.map((l) => `blobs/sha256/${l.digest.slice(7)}`) };
    }
    const config = `${image.configDigest.slice(7)}.json`;
    files.set(config, image.config);
    const layers = image.layerBlobs.map((l, i) => {
      const id = createHash("sha256").update(`${image.configDigest}/${i}`).digest("hex");
      files.set(`${id}/VERSION`, Buffer.from("1.0"));
      files.set(`${id}/json`, Buffer.from("{}"));
      files.set(`${id}/layer.tar`, l.tar);
      return `${id}/layer.tar`;
    });
    return { Config: config, RepoTags: repoTags, Layers: layers };
  });
  files.set("manifest.json", Buffer.from(JSON.stringify(manifest)));
  return files;
}

/** A tar of files (directories implied), as docker save and skopeo write archives. */
export async function archiveOf(files: ReadonlyMap<string, Buffer>): Promise<Buffer> {
  return tarOf([...files].map(([name, content]) => ({ name, content })));
}

/** A temporary directory, removed by cleanup(). */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "drydock-image-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeFiles(dir: string, files: ReadonlyMap<string, Buffer>): void {
  for (const [name, content] of files) {
    const full = join(dir, name);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

export interface Seen {
  entry: LayerEntry;
  head: string | undefined;
}

/** A consumer that keeps every entry (and, with headBytes, a copy of each file's head as text). */
export function recorder(headBytes = 0, wants: (e: LayerEntry) => boolean = () => true): EntryConsumer & { seen: Seen[] } {
  const seen: Seen[] = [];
  return {
    seen,
    headBytes,
    wants,
    entry(entry, head) {
      seen.push({ entry, head: head === undefined ? undefined : Buffer.from(head).toString("latin1") });
    },
  };
}

/** Entries as compact strings for deepEqual: "layer kind path [-> link] mode uid:gid size". */
export function summarize(seen: readonly Seen[]): string[] {
  return seen.map(({ entry: e }) => `${e.layer} ${e.kind} ${e.path}${e.linkname === "" ? "" : ` -> ${e.linkname}`} ${e.mode.toString(8)} ${e.uid}:${e.gid} ${e.size}`);
}
