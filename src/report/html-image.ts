// An image's layers as the HTML report shows them: per layer its stored and unpacked size, the build step that
// made it, and the files it added or changed — the largest ones, and every one an audit finding or the entry's own
// mode marks (secret, setuid, world-writable). Built from entry headers alone: no file content is read, and what is
// kept per layer is bounded, so an image of a million files costs a walk, not a million rows.
import type { Finding } from "../core/finding.ts";
import type { ImageSource } from "../image/source.ts";
import { walkImage, type EntryConsumer, type LayerEntry, type WalkedLayer } from "../image/walk.ts";
import type { FileMark, HtmlAddedFile, HtmlImage, HtmlLayer } from "./html.ts";

export interface HtmlImageOptions {
  /** Unmarked files listed per layer, largest first; the rest are counted (default 25). */
  maxFilesPerLayer?: number;
}

export const DEFAULT_MAX_FILES_PER_LAYER = 25;
/** Marked files are always listed, up to this many per layer: an image with 10,000 setuid files says so by count. */
export const MAX_MARKED_FILES_PER_LAYER = 500;

/** The audit rules whose findings at a layer and path mark the file there. */
export const MARK_RULES: Readonly<Record<string, FileMark>> = {
  DI006: "secret",
  DI004: "setuid",
  DI019: "world-writable",
};

const FILE_MARK_ORDER: readonly FileMark[] = ["secret", "setuid", "world-writable"];

/** Walks the image once (headers only) and describes its layers for the HTML report. */
export async function imageLayersForHtml(source: ImageSource, findings: readonly Finding[], options: HtmlImageOptions = {}): Promise<HtmlImage> {
  const collector = new HtmlLayerCollector(source.ref, findings, options);
  const walk = await walkImage(source, [collector]);
  return collector.image(source, walk.layers);
}

/**
 * The HTML layer table for a walk shared with the audit that produces the findings (`check` reads an image once):
 * the entries' headers are recorded in the walk, and the table is made from them once the findings are known,
 * exactly as HtmlLayerCollector makes it during a walk of its own. Keeps a few fields per entry.
 */
export class HtmlLayerRecorder implements EntryConsumer {
  readonly headBytes = 0;
  readonly #entries: LayerEntry[] = [];

  wants(e: LayerEntry): boolean {
    return e.kind === "file" || e.kind === "symlink" || e.kind === "hardlink" || e.kind === "dir";
  }

  entry(e: LayerEntry): void {
    const { layer, layerDigest, kind, path, mode, size, linkname } = e;
    this.#entries.push({ layer, layerDigest, kind, path, mode, uid: 0, gid: 0, size, linkname, mtime: 0 });
  }

  image(source: ImageSource, walked: readonly WalkedLayer[], findings: readonly Finding[], options: HtmlImageOptions = {}): HtmlImage {
    const collector = new HtmlLayerCollector(source.ref, findings, options);
    for (const e of this.#entries) if (collector.wants(e)) collector.entry(e);
    return collector.image(source, walked);
  }
}

/** "layer\0path" → the marks audit findings put there. */
export function marksFromFindings(image: string, findings: readonly Finding[]): Map<string, Set<FileMark>> {
  const marks = new Map<string, Set<FileMark>>();
  for (const f of findings) {
    const mark = MARK_RULES[f.ruleId];
    const loc = f.location;
    if (mark === undefined || loc.kind !== "layer" || loc.image !== image) continue;
    const key = markKey(loc.layer, loc.path);
    let set = marks.get(key);
    if (set === undefined) marks.set(key, (set = new Set()));
    set.add(mark);
  }
  return marks;
}

/** The marks an entry's own mode gives: setuid/setgid bits on a file, write for others on a file. */
export function marksFromMode(kind: LayerEntry["kind"], mode: number): FileMark[] {
  if (kind !== "file" && kind !== "hardlink") return [];
  const out: FileMark[] = [];
  if ((mode & 0o6000) !== 0) out.push("setuid");
  if ((mode & 0o002) !== 0) out.push("world-writable");
  return out;
}

interface LayerFiles {
  /** Entries this layer added or changed that the report lists (files, links; marked directories). */
  count: number;
  /** Content bytes of those entries (for a directory-backed image, which has no unpacked tar size). */
  contentBytes: number;
  marked: HtmlAddedFile[];
  /** Largest unmarked files so far; trimmed to the cap now and then. */
  largest: HtmlAddedFile[];
}

/**
 * The entry consumer behind imageLayersForHtml: give it to any walk of the image (it asks for headers only), then
 * call image() with the walked layers. Marks from findings are known before the walk: the audit ran first.
 */
export class HtmlLayerCollector implements EntryConsumer {
  readonly headBytes = 0;
  readonly #marks: ReadonlyMap<string, ReadonlySet<FileMark>>;
  readonly #cap: number;
  readonly #layers = new Map<number, LayerFiles>();

  constructor(image: string, findings: readonly Finding[], options: HtmlImageOptions = {}) {
    this.#marks = marksFromFindings(image, findings);
    this.#cap = Math.max(0, Math.floor(options.maxFilesPerLayer ?? DEFAULT_MAX_FILES_PER_LAYER));
  }

  wants(e: LayerEntry): boolean {
    // Directories only when a finding marks them (a world-writable upload directory); the rest are noise here.
    return e.kind === "file" || e.kind === "symlink" || e.kind === "hardlink" || (e.kind === "dir" && this.#marks.has(markKey(e.layer, e.path)));
  }

  entry(e: LayerEntry): void {
    const layer = this.#layer(e.layer);
    layer.count++;
    layer.contentBytes += e.size;
    const marks = new Set<FileMark>([...(this.#marks.get(markKey(e.layer, e.path)) ?? []), ...marksFromMode(e.kind, e.mode)]);
    const file: HtmlAddedFile = {
      path: e.path,
      size: e.size,
      marks: FILE_MARK_ORDER.filter((m) => marks.has(m)),
      ...(e.kind === "file" ? {} : { kind: e.kind === "hardlink" ? "hardlink" : e.kind === "dir" ? "dir" : "symlink" }),
      ...(e.linkname === "" ? {} : { linkTarget: e.linkname }),
    };
    if (file.marks.length > 0) {
      // Past the cap a marked file is only counted (in omitted), like the small unmarked ones.
      if (layer.marked.length < MAX_MARKED_FILES_PER_LAYER) layer.marked.push(file);
      return;
    }
    if (this.#cap === 0) return;
    layer.largest.push(file);
    if (layer.largest.length >= 2 * this.#cap + 64) layer.largest = largestFirst(layer.largest).slice(0, this.#cap);
  }

  /** The image as the report shows it, once the walk is done. */
  image(source: ImageSource, walked: readonly WalkedLayer[]): HtmlImage {
    const history = source.config?.history ?? [];
    const layers = walked.map((w): HtmlLayer => {
      const stored = source.layers[w.index];
      const files = this.#layers.get(w.index);
      const directory = stored?.kind === "directory";
      const listed = files === undefined ? [] : [...files.marked, ...largestFirst(files.largest).slice(0, this.#cap)];
      const omitted = files === undefined ? 0 : files.count - listed.length;
      return {
        index: w.index,
        digest: stored?.digest ?? w.digest ?? w.diffId,
        size: directory ? undefined : (stored?.size ?? w.compressedBytes),
        uncompressedSize: directory ? files?.contentBytes ?? 0 : w.uncompressedBytes,
        createdBy: history.find((h) => h.layer === w.index)?.createdBy,
        added: listed,
        ...(omitted > 0 ? { omitted } : {}),
      };
    });
    return { ref: source.ref, digest: source.manifest?.digest, layers };
  }

  #layer(index: number): LayerFiles {
    let layer = this.#layers.get(index);
    if (layer === undefined) this.#layers.set(index, (layer = { count: 0, contentBytes: 0, marked: [], largest: [] }));
    return layer;
  }
}

function markKey(layer: number, path: string): string {
  return `${layer}\0${path.replace(/^\/+/, "")}`;
}

/** Largest first; equal sizes by path, so the listing is the same every run. */
function largestFirst(files: readonly HtmlAddedFile[]): HtmlAddedFile[] {
  return [...files].sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
