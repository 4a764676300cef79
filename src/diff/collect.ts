// Reads one image into a description that can be compared with another: manifest and config facts, every
// layer's entries (headers plus the sha256 of each file's content) in tar order, and the merged view. Each layer
// is streamed once; memory grows with the number of entries (a hash per file), never with their content.
import { createHash, type Hash } from "node:crypto";
import type { ImageConfig } from "../image/config.ts";
import type { Compression } from "../image/media.ts";
import { MergedFs } from "../image/merged.ts";
import { formatPlatform } from "../image/platform.ts";
import type { ImageSource, Transport } from "../image/source.ts";
import { walkImage, type ContentSink, type EntryConsumer, type EntryKind, type LayerEntry } from "../image/walk.ts";

/** One tar entry as compared: the header facts the walker exposes and, for a file, its content digest. */
export interface EntryFacts {
  readonly path: string;
  readonly kind: EntryKind;
  /** Permission bits with setuid, setgid and sticky (07777). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly linkname: string;
  /** Seconds since the epoch. */
  readonly mtime: number;
  /** Extended attributes, values base64-encoded; absent when the entry has none. */
  readonly xattrs?: Readonly<Record<string, string>>;
  /** "sha256:<hex>" of a file's content; absent for other kinds. */
  readonly sha256?: string;
}

export interface CollectedLayer {
  readonly index: number;
  /** The blob's digest as read (undefined for a root file system directory). */
  readonly digest: string | undefined;
  /** sha256 of the uncompressed tar as read. */
  readonly diffId: string | undefined;
  readonly mediaType: string | undefined;
  readonly compression: Compression | undefined;
  readonly compressedBytes: number;
  readonly uncompressedBytes: number;
  /** In tar order, whiteouts and opaque markers included. */
  readonly entries: readonly EntryFacts[];
}

export interface CollectedImage {
  readonly ref: string;
  readonly transport: Transport;
  readonly name: string | undefined;
  readonly manifest: { digest: string; mediaType: string; annotations: Readonly<Record<string, string>> } | undefined;
  readonly configDigest: string | undefined;
  readonly platform: string | undefined;
  readonly config: ImageConfig | undefined;
  readonly layers: readonly CollectedLayer[];
  /** What a container sees: visible paths (sorted) and the facts of the entry that put each there. */
  readonly merged: ReadonlyMap<string, EntryFacts>;
}

/** Streams every layer of the image once and keeps what a comparison needs. */
export async function collectImage(source: ImageSource): Promise<CollectedImage> {
  const collector = new EntryCollector(source.layers.length);
  const merged = new MergedFs(source.limits.maxAnomalies);
  const walked = await walkImage(source, [collector, merged]);
  const layers = walked.layers.map((w, i): CollectedLayer => {
    const declared = source.layers[i];
    return {
      index: w.index,
      digest: w.digest,
      diffId: w.diffId,
      mediaType: declared?.mediaType,
      compression: w.compression,
      compressedBytes: w.compressedBytes,
      uncompressedBytes: w.uncompressedBytes,
      entries: collector.layerEntries(i),
    };
  });
  return {
    ref: source.ref,
    transport: source.transport,
    name: source.name,
    manifest: source.manifest === undefined ? undefined : { digest: source.manifest.digest, mediaType: source.manifest.mediaType, annotations: source.manifest.annotations ?? {} },
    configDigest: source.configDigest,
    platform: source.platform === undefined ? undefined : formatPlatform(source.platform),
    config: source.config,
    layers,
    merged: mergedView(merged, layers),
  };
}

/** Keeps every entry's facts, hashing file content as the walker streams it. */
class EntryCollector implements EntryConsumer {
  readonly headBytes = 0;
  readonly #layers: MutableFacts[][];

  constructor(layerCount: number) {
    this.#layers = Array.from({ length: layerCount }, () => []);
  }

  wants(): boolean {
    return true;
  }

  contentSink(e: LayerEntry): ContentSink {
    const facts = this.#push(e);
    const hash: Hash = createHash("sha256");
    return {
      write(chunk) {
        hash.update(chunk);
      },
      end() {
        facts.sha256 = `sha256:${hash.digest("hex")}`;
      },
    };
  }

  entry(e: LayerEntry): void {
    // Files were recorded when their sink was asked for; everything else is recorded here.
    if (e.kind !== "file") this.#push(e);
  }

  layerEntries(index: number): readonly EntryFacts[] {
    return this.#layers[index] ?? [];
  }

  #push(e: LayerEntry): MutableFacts {
    const facts: MutableFacts = { path: e.path, kind: e.kind, mode: e.mode, uid: e.uid, gid: e.gid, size: e.size, linkname: e.linkname, mtime: e.mtime };
    if (e.xattrs !== undefined && e.xattrs.size > 0) {
      const xattrs: Record<string, string> = {};
      for (const [k, v] of [...e.xattrs].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) xattrs[k] = Buffer.from(v).toString("base64");
      facts.xattrs = xattrs;
    }
    let list = this.#layers[e.layer];
    if (list === undefined) this.#layers[e.layer] = list = [];
    list.push(facts);
    return facts;
  }
}

type MutableFacts = { -readonly [K in keyof EntryFacts]: EntryFacts[K] };

/** The merged view's visible paths, each with the facts (content digest included) of the entry that made it. */
function mergedView(merged: MergedFs, layers: readonly CollectedLayer[]): Map<string, EntryFacts> {
  // Within a layer a later entry at the same path wins, as it does when the layer is extracted.
  const lastByPath = layers.map((l) => new Map(l.entries.filter((e) => e.kind !== "whiteout" && e.kind !== "opaque").map((e) => [e.path, e])));
  const out = new Map<string, EntryFacts>();
  for (const [path, version] of merged.visible()) {
    const facts = lastByPath[version.layer]?.get(path);
    if (facts !== undefined) out.set(path, facts);
  }
  return out;
}
