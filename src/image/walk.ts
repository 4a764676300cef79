// The layer walker: reads each layer once, in order; decompresses (none, gzip, zstd); verifies the blob digest
// and the diffID while streaming; turns tar headers into normalized entries (whiteouts and opaque markers as
// data, not applied); and offers a file's first bytes only to consumers that asked for them by its header.
// Memory is bounded by the largest head asked for, shared by all entries and layers. A consumer that needs whole
// files (SBOM catalogers) asks per entry for a content sink and gets the bytes streamed, chunk by chunk.
import { createHash } from "node:crypto";
import { finished, type Transform } from "node:stream";
import { createGunzip, createZstdDecompress } from "node:zlib";
import { DrydockError, isDrydockError } from "../core/errors.ts";
import type { Location } from "../core/finding.ts";
import { AnomalyLog, type Anomaly, type AnomalyCode } from "./anomaly.ts";
import { parseDigest, shortDigest } from "./digest.ts";
import { sniffCompression, type Compression } from "./media.ts";
import { baseName, joinPath, normalizePath, parentOf } from "./paths.ts";
import { walkRootfs } from "./rootfs.ts";
import type { BlobLayer, ImageLayer, ImageSource } from "./source.ts";
import { STREAM_CONTENT, TarParser, type TarHeader } from "./tar.ts";
import { ZstdFrameSplitter } from "./zstd-frames.ts";

export type EntryKind = "file" | "dir" | "symlink" | "hardlink" | "whiteout" | "opaque" | "char-device" | "block-device" | "fifo";

export interface LayerEntry {
  /** Index of the layer, bottom first. */
  readonly layer: number;
  /** The layer's blob digest (its diffID when the source names no blob digest; "" for a directory). */
  readonly layerDigest: string;
  readonly kind: EntryKind;
  /**
   * Relative, normalized ("etc/passwd"; "" is the root). For a whiteout, the path it hides (".wh." removed);
   * for an opaque marker, the directory whose lower contents it hides.
   */
  readonly path: string;
  /** Permission bits with setuid, setgid and sticky (07777). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Content bytes (0 for everything but files). */
  readonly size: number;
  /** A symlink's target as stored; a hardlink's target path, normalized; "" otherwise. */
  readonly linkname: string;
  /** Seconds since the epoch. */
  readonly mtime: number;
  /** Extended attributes from PAX headers (security.capability, ...), when present. */
  readonly xattrs?: ReadonlyMap<string, Uint8Array>;
}

export interface EntryConsumer {
  /** The most content bytes this consumer wants of a wanted file (default 0: headers only). */
  readonly headBytes?: number;
  /** Header-only interest: entries it returns false for are not delivered. */
  wants(entry: LayerEntry): boolean;
  /**
   * A wanted entry. For a file, when headBytes > 0, head holds its first min(size, headBytes) bytes: a view of
   * a reused buffer, valid only during this call (copy what you keep). undefined for other kinds.
   */
  entry(entry: LayerEntry, head: Uint8Array | undefined): void;
  /**
   * Whole-content interest in a wanted file, asked right after wants() returned true: a sink receives every
   * content byte, in order, then end(). undefined: no content beyond the head. entry() is still called as usual.
   */
  contentSink?(entry: LayerEntry): ContentSink | undefined;
  /** After a layer was read to its end and verified. */
  layerDone?(layer: WalkedLayer): void;
}

/** Receives one file's content. Chunks are views valid only during the call (copy what you keep). */
export interface ContentSink {
  /** Returns false when it needs no more bytes (it still gets end()); a directory walk then stops reading early. */
  write(chunk: Uint8Array): boolean | void;
  /** The content is complete (or, after write() returned false, the walker stopped sending it). */
  end(): void;
}

export interface WalkOptions {
  /** Directory names a root file system walk does not descend into (".git"); blob layers are not affected. */
  skipDirectoryNames?: ReadonlySet<string>;
}

export interface WalkedLayer {
  index: number;
  /** Digest computed over the blob as read (undefined for a directory). */
  digest: string | undefined;
  /** sha256 of the uncompressed tar, computed (undefined for a directory). */
  diffId: string | undefined;
  compression: Compression | undefined;
  compressedBytes: number;
  uncompressedBytes: number;
  entries: number;
}

export interface WalkResult {
  layers: WalkedLayer[];
  entries: number;
  anomalies: Anomaly[];
  /** Anomalies past the limit, counted only. */
  anomaliesDropped: number;
}

/** Running totals over the whole image, checked against its limits. */
interface Totals {
  entries: number;
  uncompressed: number;
  pathLength: number;
}

/** zlib output chunks: large enough that per-chunk work does not show, small enough to stay in cache. */
const INFLATE_CHUNK = 256 * 1024;

/**
 * Reads every layer of the image once, bottom first, and hands each entry to the consumers that want it.
 * Throws a DrydockError on anything that stops the image from being read faithfully (digest mismatches, corrupt
 * compression or tar, paths escaping the root, limits); records odd-but-readable things as anomalies.
 * Entries of a layer are delivered before its digests are checked (streaming); a mismatch then fails the walk.
 */
export async function walkImage(source: ImageSource, consumers: readonly EntryConsumer[], options: WalkOptions = {}): Promise<WalkResult> {
  const limits = source.limits;
  const anomalies = new AnomalyLog(limits.maxAnomalies);
  for (const a of source.anomalies) anomalies.add(a);
  const headCapacity = Math.min(limits.maxHeadBytes, Math.max(0, ...consumers.map((c) => c.headBytes ?? 0)));
  const headBuffer = new Uint8Array(headCapacity);
  const totals: Totals = { entries: 0, uncompressed: 0, pathLength: 0 };
  const layers: WalkedLayer[] = [];
  for (const layer of source.layers) {
    const dispatcher = new Dispatcher(source, layer, consumers, anomalies, totals, headBuffer);
    const walked = layer.kind === "directory"
      ? await walkRootfs(layer.path, layer.index, dispatcher, headBuffer, options.skipDirectoryNames)
      : await readBlobLayer(source, layer, dispatcher, headBuffer, totals);
    walked.entries = dispatcher.count;
    layers.push(walked);
    for (const c of consumers) c.layerDone?.(walked);
  }
  return { layers, entries: totals.entries, anomalies: anomalies.list, anomaliesDropped: anomalies.dropped };
}

/** Turns headers into entries and routes them (and their heads) to the consumers that want them. */
export class Dispatcher {
  readonly source: ImageSource;
  readonly layer: ImageLayer;
  readonly layerDigest: string;
  readonly where: string;
  readonly #consumers: readonly EntryConsumer[];
  readonly #anomalies: AnomalyLog;
  readonly #totals: Totals;
  /** Paths seen in this layer and their kinds: duplicates, and hardlink targets. */
  readonly #seen = new Map<string, EntryKind>();
  #pending: { entry: LayerEntry; wanting: EntryConsumer[] } | undefined;
  /** The entry being streamed: its open sinks, and its head while it is collected from the stream. */
  #stream: StreamState | undefined;
  readonly #headBuffer: Uint8Array;
  count = 0;

  constructor(source: ImageSource, layer: ImageLayer, consumers: readonly EntryConsumer[], anomalies: AnomalyLog, totals: Totals, headBuffer: Uint8Array = new Uint8Array(0)) {
    this.source = source;
    this.#headBuffer = headBuffer;
    this.layer = layer;
    this.layerDigest = layer.digest ?? layer.diffId ?? "";
    this.where = `${source.ref}: layer ${layer.index}${this.layerDigest === "" ? "" : ` (${shortDigest(this.layerDigest)})`}`;
    this.#consumers = consumers;
    this.#anomalies = anomalies;
    this.#totals = totals;
  }

  anomaly(code: AnomalyCode, message: string, path?: string): void {
    this.#anomalies.add(path === undefined ? { code, message, layer: this.layer.index } : { code, message, layer: this.layer.index, path });
  }

  location(path: string): Location {
    return { kind: "layer", image: this.source.ref, layer: this.layer.index, digest: this.layerDigest, path };
  }

  /**
   * A tar header: returns how many head bytes to collect before content() is called (0: delivered already), or
   * STREAM_CONTENT when a consumer asked for the whole content (then data() and dataEnd() follow).
   */
  fromTar(h: TarHeader): number {
    const n = normalizePath(h.name);
    if (n.escapes) {
      throw new DrydockError("TAR_PATH_ESCAPE", `${this.where}: entry "${h.name}" resolves outside the layer root; the image is not read`, { location: this.location(h.name) });
    }
    if (n.absolute) this.anomaly("ABSOLUTE_PATH", `${this.where}: entry "${h.name}" has an absolute name; read as /${n.path}`, n.path);
    if (n.dotDot) this.anomaly("DOT_DOT_PATH", `${this.where}: entry "${h.name}" holds ".."; read as /${n.path}`, n.path);
    let kind: EntryKind = h.type;
    let path = n.path;
    let linkname = h.linkname;
    const base = baseName(path);
    if (base !== ".wh..wh..opq" && path.startsWith(".wh..wh.")) {
      // aufs bookkeeping at the root (.wh..wh.plnk/, .wh..wh.aufs), skipped as Docker's applier skips it.
      this.anomaly("WHITEOUT_METADATA", `${this.where}: aufs metadata "${h.name}" ignored`, path);
      return 0;
    }
    if (base.startsWith(".wh.")) {
      if (base === ".wh..wh..opq") {
        kind = "opaque";
        path = parentOf(path);
      } else if (base.startsWith(".wh..wh.")) {
        this.anomaly("WHITEOUT_METADATA", `${this.where}: aufs metadata "${h.name}" ignored`, path);
        return 0;
      } else {
        const hidden = base.slice(4);
        if (hidden === "" || hidden === "." || hidden === "..") {
          this.anomaly("INVALID_WHITEOUT", `${this.where}: "${h.name}" whites out nothing; ignored`, path);
          return 0;
        }
        kind = "whiteout";
        path = joinPath(parentOf(path), hidden);
      }
      linkname = "";
    } else if (kind === "hardlink") {
      const target = normalizePath(h.linkname);
      if (target.escapes) {
        throw new DrydockError("TAR_PATH_ESCAPE", `${this.where}: hardlink "${h.name}" points outside the layer root ("${h.linkname}"); the image is not read`, { location: this.location(n.path) });
      }
      linkname = target.path;
      if (!this.#seen.has(linkname)) {
        this.anomaly("HARDLINK_TARGET_MISSING", `${this.where}: hardlink "${path}" points at "${linkname}", which is not earlier in this layer`, path);
      }
    }
    if (h.sparse) this.anomaly("SPARSE_FILE", `${this.where}: "${path}" is a sparse file; its content is read without the holes`, path);
    const entry: LayerEntry = {
      layer: this.layer.index,
      layerDigest: this.layerDigest,
      kind,
      path,
      mode: h.mode,
      uid: h.uid,
      gid: h.gid,
      size: kind === "file" ? h.size : 0,
      linkname,
      mtime: h.mtime,
      ...(h.xattrs === undefined ? {} : { xattrs: h.xattrs }),
    };
    return this.offer(entry);
  }

  /**
   * An entry: counts it, checks duplicates, asks the consumers; returns the head bytes wanted (0: delivered), or
   * STREAM_CONTENT when some consumer gave a content sink: the caller then passes every byte to data(), then dataEnd().
   */
  offer(entry: LayerEntry): number {
    this.count++;
    const limits = this.source.limits;
    if (++this.#totals.entries > limits.maxEntries) {
      throw new DrydockError("IMAGE_TOO_LARGE", `${this.where}: more than ${limits.maxEntries} entries in the image`, { location: this.location(entry.path) });
    }
    this.#totals.pathLength += entry.path.length + entry.linkname.length;
    if (this.#totals.pathLength > limits.maxTotalPathLength) {
      throw new DrydockError("IMAGE_TOO_LARGE", `${this.where}: entry names add up to more than ${limits.maxTotalPathLength} characters`, { location: this.location(entry.path) });
    }
    if (entry.kind !== "whiteout" && entry.kind !== "opaque") {
      const before = this.#seen.get(entry.path);
      if (before !== undefined && !(before === "dir" && entry.kind === "dir")) {
        this.anomaly("DUPLICATE_ENTRY", `${this.where}: "${entry.path}" appears twice in the layer; the later ${entry.kind} wins`, entry.path);
      }
      this.#seen.set(entry.path, entry.kind);
    }
    let wanting: EntryConsumer[] | undefined;
    let sinks: ContentSink[] | undefined;
    let head = 0;
    for (const c of this.#consumers) {
      if (!c.wants(entry)) continue;
      (wanting ??= []).push(c);
      if (entry.kind === "file") {
        head = Math.max(head, c.headBytes ?? 0);
        if (c.contentSink !== undefined) {
          const sink = c.contentSink(entry);
          if (sink !== undefined) (sinks ??= []).push(sink);
        }
      }
    }
    if (wanting === undefined) return 0;
    if (head === 0) {
      for (const c of wanting) c.entry(entry, undefined);
      if (sinks === undefined) return 0;
    } else {
      this.#pending = { entry, wanting };
      if (sinks === undefined) return head;
    }
    this.#stream = { sinks, head: Math.min(head, this.#headBuffer.length), headFill: 0 };
    return STREAM_CONTENT;
  }

  /** The next bytes of the entry offer() returned STREAM_CONTENT for: to its sinks, and into its head. */
  data(chunk: Uint8Array): void {
    const s = this.#stream;
    if (s === undefined) return;
    if (s.headFill < s.head) {
      const take = Math.min(s.head - s.headFill, chunk.length);
      if (s.headFill === 0 && take === s.head) {
        s.headFill = s.head;
        this.content(chunk.subarray(0, take));
      } else {
        this.#headBuffer.set(chunk.subarray(0, take), s.headFill);
        s.headFill += take;
        if (s.headFill === s.head) this.content(this.#headBuffer.subarray(0, s.head));
      }
    }
    let open = 0;
    for (let i = 0; i < s.sinks.length; i++) {
      const sink = s.sinks[i] as ContentSink;
      if (sink === CLOSED_SINK) continue;
      if (sink.write(chunk) === false) {
        sink.end();
        s.sinks[i] = CLOSED_SINK;
      } else {
        open++;
      }
    }
    s.open = open;
  }

  /** The streamed entry is complete. */
  dataEnd(): void {
    const s = this.#stream;
    this.#stream = undefined;
    if (s === undefined) return;
    if (this.#pending !== undefined) this.content(this.#headBuffer.subarray(0, s.headFill));
    for (const sink of s.sinks) if (sink !== CLOSED_SINK) sink.end();
  }

  /** Whether the streamed entry still has a sink and a head to fill: false lets a directory walk stop reading. */
  get streamWantsMore(): boolean {
    const s = this.#stream;
    return s !== undefined && (s.open === undefined || s.open > 0 || s.headFill < s.head);
  }

  /** The head of the entry offer() returned a non-zero count for. */
  content(head: Uint8Array): void {
    const p = this.#pending;
    this.#pending = undefined;
    if (p === undefined) return;
    for (const c of p.wanting) {
      const n = c.headBytes ?? 0;
      c.entry(p.entry, n > 0 ? (n >= head.length ? head : head.subarray(0, n)) : undefined);
    }
  }
}

interface StreamState {
  sinks: ContentSink[];
  /** Sinks still open after the last chunk (undefined before the first). */
  open?: number;
  head: number;
  headFill: number;
}

/** Stands in for a sink that said it needs no more, so it is neither written to nor ended twice. */
const CLOSED_SINK: ContentSink = { write: () => false, end: () => {} };

async function readBlobLayer(
  source: ImageSource,
  layer: BlobLayer,
  dispatcher: Dispatcher,
  headBuffer: Uint8Array,
  totals: Totals,
): Promise<WalkedLayer> {
  const where = dispatcher.where;
  const limits = source.limits;
  const at = { location: dispatcher.location("") };
  const parser = new TarParser(
    {
      entry: (h) => dispatcher.fromTar(h),
      content: (_h, head) => dispatcher.content(head),
      data: (_h, chunk) => dispatcher.data(chunk),
      dataEnd: () => dispatcher.dataEnd(),
      anomaly: (code, message, path) => dispatcher.anomaly(code, message, path),
    },
    { where, maxMetadataBytes: limits.maxTarMetadataBytes, headBuffer },
  );
  const algorithm = layer.digest === undefined ? "sha256" : (parseDigest(layer.digest)?.algorithm ?? "sha256");
  const blobHash = createHash(algorithm);
  const diffHash = createHash("sha256");
  let compressedBytes = 0;
  let uncompressedBytes = 0;
  const onTar = (chunk: Uint8Array): void => {
    diffHash.update(chunk);
    uncompressedBytes += chunk.length;
    totals.uncompressed += chunk.length;
    if (totals.uncompressed > limits.maxUncompressedBytes) {
      throw new DrydockError("IMAGE_TOO_LARGE", `${where}: the layers expand to more than ${limits.maxUncompressedBytes} bytes`, at);
    }
    parser.write(chunk);
  };

  const input = await layer.open();
  let compression: Compression | undefined;
  let inflater: Inflater | undefined;
  const early: Uint8Array[] = [];
  let earlyBytes = 0;
  const start = async (first: Uint8Array): Promise<void> => {
    compression = sniffCompression(first);
    if (layer.compression !== undefined && layer.compression !== compression) {
      dispatcher.anomaly("COMPRESSION_MISMATCH", `${where}: the media type says ${layer.compression}, the bytes are ${compression === "none" ? "uncompressed" : compression}; read as the bytes say`);
    }
    if (compression !== "none") inflater = new Inflater(compression, onTar, where);
    await feed(first);
  };
  const feed = async (chunk: Uint8Array): Promise<void> => {
    if (inflater === undefined) onTar(chunk);
    else await inflater.write(chunk);
  };
  const chunks = input[Symbol.asyncIterator]();
  try {
    try {
      for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) {
        const data = next.value;
        blobHash.update(data);
        compressedBytes += data.length;
        if (layer.size !== undefined && compressedBytes > layer.size) {
          throw new DrydockError("LAYER_DIGEST_MISMATCH", `${where}: the blob is longer than the ${layer.size} bytes its descriptor declares`, at);
        }
        if (compression !== undefined) {
          await feed(data);
        } else {
          // Four bytes tell gzip and zstd apart from a tar; a first read shorter than that is rare but possible.
          // Input buffers are reused: keep a copy until the decision.
          early.push(earlyBytes === 0 && data.length >= 4 ? data : Uint8Array.from(data));
          earlyBytes += data.length;
          if (earlyBytes >= 4) await start(concat(early));
        }
      }
      if (compression === undefined) await start(concat(early));
      if (inflater !== undefined) await inflater.end();
      parser.end();
    } catch (e) {
      inflater?.destroy();
      const error = isDrydockError(e) ? e : new DrydockError("LAYER_CORRUPT", `${where}: cannot read the layer (${errorText(e)})`, { ...at, cause: e });
      // A broken tar or stream in a blob that does not match its digest: the alteration is the news, not its symptom.
      if (layer.digest !== undefined && (error.code === "LAYER_CORRUPT" || error.code.startsWith("TAR_"))) {
        for (let next = await chunks.next(); next.done !== true && compressedBytes <= (layer.size ?? Infinity); next = await chunks.next()) {
          blobHash.update(next.value);
          compressedBytes += next.value.length;
        }
        const digest = `${algorithm}:${blobHash.digest("hex")}`;
        if (digest !== layer.digest) {
          throw new DrydockError("LAYER_DIGEST_MISMATCH", `${where}: the blob's digest is ${digest}, not ${layer.digest}: the layer was altered or damaged (reading it failed: ${error.message})`, { ...at, cause: error });
        }
      }
      throw error;
    }
  } finally {
    await chunks.return?.();
  }
  const digest = `${algorithm}:${blobHash.digest("hex")}`;
  const diffId = `sha256:${diffHash.digest("hex")}`;
  if (layer.size !== undefined && compressedBytes !== layer.size) {
    throw new DrydockError("LAYER_DIGEST_MISMATCH", `${where}: the blob is ${compressedBytes} bytes, its descriptor declares ${layer.size}`, at);
  }
  if (layer.digest !== undefined && digest !== layer.digest) {
    throw new DrydockError("LAYER_DIGEST_MISMATCH", `${where}: the blob's digest is ${digest}, not ${layer.digest}: the layer was altered or damaged`, at);
  }
  if (layer.diffId !== undefined && diffId !== layer.diffId) {
    throw new DrydockError("LAYER_DIFFID_MISMATCH", `${where}: the uncompressed layer's digest is ${diffId}, the config's diff_ids say ${layer.diffId}`, at);
  }
  return { index: layer.index, digest, diffId, compression, compressedBytes, uncompressedBytes, entries: 0 };
}

/**
 * Decompresses a layer: one gunzip stream (it handles multi-member gzip), or one zstd decompressor per frame
 * (see zstd-frames.ts). Output goes synchronously to onData; an error there (a bad tar, a limit) stops the
 * stream and surfaces from write() or end().
 */
class Inflater {
  readonly #compression: "gzip" | "zstd";
  readonly #onData: (chunk: Uint8Array) => void;
  readonly #where: string;
  readonly #frames: ZstdFrameSplitter | undefined;
  #current: DecompressStream | undefined;

  constructor(compression: "gzip" | "zstd", onData: (chunk: Uint8Array) => void, where: string) {
    this.#compression = compression;
    this.#onData = onData;
    this.#where = where;
    this.#frames = compression === "zstd" ? new ZstdFrameSplitter(where) : undefined;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.#frames === undefined) return this.#stream().write(chunk);
    for (const segment of this.#frames.split(chunk)) {
      const stream = this.#stream();
      if (segment.data.length > 0) await stream.write(segment.data);
      if (segment.frameEnd) {
        this.#current = undefined;
        await stream.end();
      }
    }
  }

  async end(): Promise<void> {
    this.#frames?.end();
    const last = this.#current;
    this.#current = undefined;
    if (last !== undefined) await last.end();
    else if (this.#compression === "gzip") await this.#stream().end();
  }

  destroy(): void {
    this.#current?.destroy();
  }

  #stream(): DecompressStream {
    this.#current ??= new DecompressStream(this.#compression, this.#onData, this.#where);
    return this.#current;
  }
}

/** One zlib decompressor fed with backpressure. */
class DecompressStream {
  readonly #stream: Transform;
  readonly #where: string;
  #failure: unknown;
  readonly #done: Promise<void>;

  constructor(compression: "gzip" | "zstd", onData: (chunk: Uint8Array) => void, where: string) {
    this.#where = where;
    this.#stream = compression === "gzip" ? createGunzip({ chunkSize: INFLATE_CHUNK }) : createZstdDecompress({ chunkSize: INFLATE_CHUNK });
    this.#stream.on("data", (chunk: Buffer) => {
      if (this.#failure !== undefined) return;
      try {
        onData(chunk);
      } catch (e) {
        this.#failure = e;
        this.#stream.destroy(e instanceof Error ? e : new Error(String(e)));
      }
    });
    this.#done = new Promise<void>((resolve, reject) => {
      finished(this.#stream, (err) => (err ? reject(err) : resolve()));
    });
    this.#done.catch(() => {});
  }

  /** Resolves once zlib has consumed the whole chunk, so the caller may reuse its buffer. */
  async write(chunk: Uint8Array): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    const consumed = new Promise<void>((resolve, reject) => {
      this.#stream.write(chunk, (err) => (err ? reject(err) : resolve()));
    });
    await Promise.race([consumed, this.#done.then(() => consumed)]).catch((e: unknown) => {
      throw this.#failure ?? this.#wrap(e);
    });
    if (this.#failure !== undefined) throw this.#failure;
  }

  async end(): Promise<void> {
    this.#stream.end();
    await this.#done.catch((e: unknown) => {
      throw this.#failure ?? this.#wrap(e);
    });
    if (this.#failure !== undefined) throw this.#failure;
  }

  destroy(): void {
    this.#stream.destroy();
  }

  #wrap(e: unknown): DrydockError {
    const code = (e as { code?: unknown } | undefined)?.code;
    const truncated = code === "Z_BUF_ERROR" || (e instanceof Error && /unexpected end/i.test(e.message));
    return new DrydockError("LAYER_CORRUPT", `${this.#where}: the compressed stream is ${truncated ? "truncated or corrupt" : "corrupt"} (${errorText(e)})`, { cause: e });
  }
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
