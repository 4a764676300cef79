// Things in an image that are odd but readable: recorded beside the result, never silently dropped.

export type AnomalyCode =
  /** An entry name began with "/"; it was read relative to the root, as extractors do. */
  | "ABSOLUTE_PATH"
  /** An entry name held ".." that stayed inside the root ("a/../b"); read as the normalized path. */
  | "DOT_DOT_PATH"
  /** The same path twice in one layer; the later entry wins, as on extraction. */
  | "DUPLICATE_ENTRY"
  /** A hardlink to a path not earlier in the same layer (the spec scopes links to their layer). */
  | "HARDLINK_TARGET_MISSING"
  /** ".wh." alone, or a whiteout of "." / ".."; ignored. */
  | "INVALID_WHITEOUT"
  /** aufs bookkeeping (".wh..wh.plnk" and the like); ignored. */
  | "WHITEOUT_METADATA"
  /** A tar entry type no extractor of images creates (volume labels, multi-volume parts, ...); skipped. */
  | "UNKNOWN_ENTRY_TYPE"
  /** A GNU sparse file: the content offered is the stored data, without the holes. */
  | "SPARSE_FILE"
  /** A directory, link, device or fifo header declared a size; no data follows such headers (as Go reads them). */
  | "HEADER_ONLY_WITH_SIZE"
  /** A tar that ends without the two zero blocks. */
  | "NO_END_MARKER"
  /** Non-zero bytes after the end of a tar, or after the end of a compressed stream. */
  | "TRAILING_DATA"
  /** A PAX or GNU long-name header with no entry after it. */
  | "ORPHAN_METADATA"
  /** A name that is not UTF-8; read as Latin-1. */
  | "NON_UTF8_NAME"
  /** The media type says one compression and the bytes another; the bytes win. */
  | "COMPRESSION_MISMATCH"
  /** Resolving a path met a symlink loop. */
  | "SYMLINK_LOOP"
  /** An entry below a path that a symlink occupies: an extractor would write through the link. */
  | "PARENT_IS_SYMLINK"
  /** An entry below a path that a file occupies. */
  | "PARENT_NOT_DIRECTORY"
  /** The same name twice in an outer archive; the later one is used, as Go's readers do. */
  | "ARCHIVE_DUPLICATE_ENTRY";

export interface Anomaly {
  code: AnomalyCode;
  message: string;
  /** Layer index, when the anomaly is inside a layer. */
  layer?: number;
  /** Path inside the layer (normalized, no leading "/"), or inside the archive. */
  path?: string;
}

/** A bounded list: the first `max` anomalies in full, the rest counted. */
export class AnomalyLog {
  readonly max: number;
  readonly list: Anomaly[] = [];
  dropped = 0;

  constructor(max: number) {
    this.max = max;
  }

  add(a: Anomaly): void {
    if (this.list.length < this.max) this.list.push(a);
    else this.dropped++;
  }
}
