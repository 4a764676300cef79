// A push parser for tar streams (ustar, PAX, GNU, v7), written for hostile input: every size is checked before
// it is trusted, metadata is bounded, data is never buffered except the head a caller asks for, and every
// malformation is a DrydockError with a code. Layers and outer archives share it: layers push decompressed
// chunks; archive indexing pushes headers and jumps over data with skip().
import { DrydockError } from "../core/errors.ts";
import type { AnomalyCode } from "./anomaly.ts";

export type TarEntryType = "file" | "hardlink" | "symlink" | "char-device" | "block-device" | "dir" | "fifo";

export interface TarHeader {
  /** The name as stored (PAX path and GNU long names applied), not normalized. */
  name: string;
  type: TarEntryType;
  /** Permission bits with setuid, setgid and sticky (07777); type bits some writers add are dropped. */
  mode: number;
  uid: number;
  gid: number;
  /** Bytes of data that follow the header in the archive (0 for header-only types). */
  size: number;
  /** Seconds since the epoch (fractions from PAX kept). */
  mtime: number;
  linkname: string;
  uname: string;
  gname: string;
  /** PAX SCHILY.xattr.* values (file capabilities live in security.capability). */
  xattrs: ReadonlyMap<string, Uint8Array> | undefined;
  sparse: boolean;
  /** Offset of the entry's first header block (its PAX/long-name headers included) in the stream. */
  headerOffset: number;
  /** Offset of its data. */
  dataOffset: number;
}

export interface TarHandler {
  /**
   * An entry; returns how many leading content bytes to collect for content() (0: none), or STREAM_CONTENT to
   * have every data byte passed to data() and then dataEnd() (content() is not called then).
   */
  entry(header: TarHeader): number;
  /** The collected head: a view of a reused buffer (or of the input chunk), valid only during the call. */
  content(header: TarHeader, head: Uint8Array): void;
  /** A streamed entry's next data bytes: a view of the input chunk, valid only during the call. */
  data?(header: TarHeader, chunk: Uint8Array): void;
  /** A streamed entry's data is complete (also called, with no data() before it, for an empty file). */
  dataEnd?(header: TarHeader): void;
  anomaly(code: AnomalyCode, message: string, path?: string): void;
}

export interface TarParserOptions {
  /** Names the stream in messages: "layer 2 (sha256:...)". */
  where: string;
  maxMetadataBytes: number;
  /** Where heads are collected, reused for every entry; its length caps what entry() may ask for. */
  headBuffer: Uint8Array;
}

/** What TarHandler.entry() returns to have an entry's whole content streamed to data(). */
export const STREAM_CONTENT = Number.POSITIVE_INFINITY;

const BLOCK = 512;
/** Linux's PATH_MAX: no extractor can create a longer name, so a longer one is an attack, not a file. */
export const MAX_NAME_LENGTH = 4096;
const STATE = { header: 0, meta: 1, sparseExt: 2, data: 3, skip: 4, end: 5 } as const;
type State = (typeof STATE)[keyof typeof STATE];

/** Overrides collected from PAX and GNU long-name headers for the next entry. */
interface PendingMeta {
  path?: string;
  linkpath?: string;
  size?: number;
  uid?: number;
  gid?: number;
  mtime?: number;
  uname?: string;
  gname?: string;
  xattrs?: Map<string, Uint8Array>;
  sparse?: boolean;
}

type MetaKind = "pax" | "pax-global" | "gnu-long-name" | "gnu-long-link";

const utf8 = new TextDecoder("utf-8", { fatal: true });
const latin1 = new TextDecoder("latin1");

export class TarParser {
  readonly #handler: TarHandler;
  readonly #opts: TarParserOptions;
  #state: State = STATE.header;
  /** Bytes consumed so far: the stream offset of the next byte. */
  #offset = 0;
  readonly #block = new Uint8Array(BLOCK);
  #blockFill = 0;
  #zeroBlocks = 0;
  #entryStart = -1;
  #pending: PendingMeta = {};
  #global: PendingMeta = {};
  #metaKind: MetaKind = "pax";
  #meta: Uint8Array = new Uint8Array(0);
  #metaFill = 0;
  #current: TarHeader | undefined;
  #remaining = 0;
  #pad = 0;
  #skip = 0;
  #headWanted = 0;
  #headFill = 0;
  /** The current entry's data goes to handler.data() (set only when the handler asked for it). */
  #streaming = false;
  #trailingReported = false;
  #sawAnything = false;

  constructor(handler: TarHandler, options: TarParserOptions) {
    this.#handler = handler;
    this.#opts = options;
  }

  get offset(): number {
    return this.#offset;
  }

  /** True once the end-of-archive marker (two zero blocks) was read. */
  get ended(): boolean {
    return this.#state === STATE.end;
  }

  write(chunk: Uint8Array): void {
    if (chunk.length > 0) this.#sawAnything = true;
    let pos = 0;
    const len = chunk.length;
    while (pos < len) {
      switch (this.#state) {
        case STATE.header:
        case STATE.sparseExt: {
          if (this.#blockFill === 0 && len - pos >= BLOCK) {
            const view = chunk.subarray(pos, pos + BLOCK);
            pos += BLOCK;
            this.#offset += BLOCK;
            this.#onBlock(view);
          } else {
            const n = Math.min(BLOCK - this.#blockFill, len - pos);
            this.#block.set(chunk.subarray(pos, pos + n), this.#blockFill);
            this.#blockFill += n;
            pos += n;
            this.#offset += n;
            if (this.#blockFill === BLOCK) {
              this.#blockFill = 0;
              this.#onBlock(this.#block);
            }
          }
          break;
        }
        case STATE.meta: {
          const n = Math.min(this.#meta.length - this.#metaFill, len - pos);
          this.#meta.set(chunk.subarray(pos, pos + n), this.#metaFill);
          this.#metaFill += n;
          pos += n;
          this.#offset += n;
          if (this.#metaFill === this.#meta.length) this.#onMetaComplete();
          break;
        }
        case STATE.data: {
          const n = Math.min(this.#remaining, len - pos);
          if (this.#streaming) {
            const h = this.#current;
            if (h !== undefined && n > 0) this.#handler.data?.(h, chunk.subarray(pos, pos + n));
          } else if (this.#headFill < this.#headWanted) {
            const want = this.#headWanted - this.#headFill;
            if (this.#headFill === 0 && n >= want) {
              // The whole head is in this chunk: hand out a view, no copy.
              this.#deliverHead(chunk.subarray(pos, pos + want));
            } else {
              const take = Math.min(want, n);
              const head = this.#headBuffer();
              head.set(chunk.subarray(pos, pos + take), this.#headFill);
              this.#headFill += take;
              if (this.#headFill === this.#headWanted) this.#deliverHead(head.subarray(0, this.#headWanted));
            }
          }
          pos += n;
          this.#offset += n;
          this.#remaining -= n;
          if (this.#remaining === 0) this.#endData();
          break;
        }
        case STATE.skip: {
          const n = Math.min(this.#skip, len - pos);
          pos += n;
          this.#offset += n;
          this.#skip -= n;
          if (this.#skip === 0) this.#state = STATE.header;
          break;
        }
        case STATE.end: {
          if (!this.#trailingReported) {
            for (let i = pos; i < len; i++) {
              if (chunk[i] !== 0) {
                this.#trailingReported = true;
                this.#handler.anomaly("TRAILING_DATA", `${this.#opts.where}: data after the end-of-archive marker at offset ${this.#offset + i - pos}; not read`);
                break;
              }
            }
          }
          this.#offset += len - pos;
          pos = len;
          break;
        }
      }
    }
  }

  /** Bytes that may be jumped over without reading them (data nobody asked for, and padding). */
  skippable(): number {
    if (this.#state === STATE.skip) return this.#skip;
    if (this.#state === STATE.data && !this.#streaming && this.#headFill >= this.#headWanted) return this.#remaining + this.#pad;
    return 0;
  }

  /** Advances over n bytes the caller did not read; n must not exceed skippable(). */
  skip(n: number): void {
    if (n <= 0) return;
    if (n > this.skippable()) throw new RangeError("TarParser.skip beyond the skippable bytes");
    this.#offset += n;
    if (this.#state === STATE.skip) {
      this.#skip -= n;
      if (this.#skip === 0) this.#state = STATE.header;
      return;
    }
    const inData = Math.min(n, this.#remaining);
    this.#remaining -= inData;
    if (this.#remaining > 0) return;
    const padLeft = this.#pad - (n - inData);
    this.#current = undefined;
    this.#headWanted = 0;
    this.#headFill = 0;
    this.#pad = 0;
    this.#skip = padLeft;
    this.#state = padLeft > 0 ? STATE.skip : STATE.header;
  }

  /** The stream is over: checks it did not stop inside an entry. */
  end(): void {
    const where = this.#opts.where;
    switch (this.#state) {
      case STATE.end:
        return;
      case STATE.header:
        if (this.#blockFill > 0) {
          throw new DrydockError("TAR_TRUNCATED", `${where}: the tar stream ends inside a header at offset ${this.#offset - this.#blockFill}`);
        }
        if (Object.keys(this.#pending).length > 0) {
          this.#handler.anomaly("ORPHAN_METADATA", `${where}: a PAX or long-name header at the end with no entry after it`);
        }
        if (this.#zeroBlocks === 0 && this.#sawAnything) {
          this.#handler.anomaly("NO_END_MARKER", `${where}: the tar stream ends without its end-of-archive marker`);
        }
        return;
      case STATE.data: {
        const name = this.#current?.name ?? "";
        throw new DrydockError("TAR_TRUNCATED", `${where}: the tar stream ends inside the data of "${name}" (${this.#remaining} of ${this.#current?.size ?? 0} bytes missing)`);
      }
      case STATE.meta:
        throw new DrydockError("TAR_TRUNCATED", `${where}: the tar stream ends inside a ${this.#metaKind} header`);
      case STATE.sparseExt:
        throw new DrydockError("TAR_TRUNCATED", `${where}: the tar stream ends inside a GNU sparse header`);
      case STATE.skip:
        throw new DrydockError("TAR_TRUNCATED", `${where}: the tar stream ends inside the padding of an entry`);
    }
  }

  #headBuffer(): Uint8Array {
    return this.#opts.headBuffer;
  }

  #deliverHead(head: Uint8Array): void {
    this.#headFill = this.#headWanted;
    const h = this.#current;
    if (h !== undefined) this.#handler.content(h, head);
  }

  #endData(): void {
    if (this.#streaming) {
      this.#streaming = false;
      const h = this.#current;
      if (h !== undefined) this.#handler.dataEnd?.(h);
    } else if (this.#headFill < this.#headWanted) {
      this.#deliverHead(this.#headBuffer().subarray(0, this.#headFill));
    }
    this.#current = undefined;
    this.#headWanted = 0;
    this.#headFill = 0;
    if (this.#pad > 0) {
      this.#skip = this.#pad;
      this.#pad = 0;
      this.#state = STATE.skip;
    } else {
      this.#state = STATE.header;
    }
  }

  #onBlock(block: Uint8Array): void {
    if (this.#state === STATE.sparseExt) {
      // Old GNU sparse extension blocks: 21 map entries, then the "more follow" flag at byte 504.
      if (block[504] === 0) this.#startData();
      return;
    }
    const headerAt = this.#offset - BLOCK;
    if (isZeroBlock(block)) {
      this.#zeroBlocks++;
      if (this.#zeroBlocks === 2) this.#state = STATE.end;
      return;
    }
    const where = this.#opts.where;
    if (this.#zeroBlocks > 0) {
      throw new DrydockError("TAR_HEADER_INVALID", `${where}: a header follows a zero block at offset ${headerAt}; readers disagree on such archives, so it is not read`);
    }
    if (!checksumMatches(block)) {
      throw new DrydockError("TAR_HEADER_INVALID", `${where}: the header at offset ${headerAt} has a wrong checksum: not a tar stream, or a corrupt one`);
    }
    if (this.#entryStart < 0) this.#entryStart = headerAt;
    const typeflag = block[156] ?? 0;
    const size = numeric(block, 124, 12, where, "size", headerAt);
    switch (typeflag) {
      case 0x78: // 'x'
        return this.#startMeta("pax", size, headerAt);
      case 0x67: // 'g'
        return this.#startMeta("pax-global", size, headerAt);
      case 0x4c: // 'L'
        return this.#startMeta("gnu-long-name", size, headerAt);
      case 0x4b: // 'K'
        return this.#startMeta("gnu-long-link", size, headerAt);
    }
    const header = this.#decodeEntry(block, typeflag, size, headerAt);
    if (header === undefined) return;
    this.#current = header;
    this.#remaining = header.size;
    this.#pad = (BLOCK - (header.size % BLOCK)) % BLOCK;
    const wanted = this.#handler.entry(header);
    this.#headFill = 0;
    if (wanted === STREAM_CONTENT) {
      this.#headWanted = 0;
      this.#streaming = header.size > 0;
      if (header.size === 0) this.#handler.dataEnd?.(header);
    } else {
      this.#headWanted = Math.max(0, Math.min(wanted, this.#opts.headBuffer.length, header.size));
      if (wanted > 0 && header.size === 0) this.#handler.content(header, new Uint8Array(0));
    }
    if (typeflag === 0x53 && block[482] !== 0) {
      this.#state = STATE.sparseExt;
      return;
    }
    this.#startData();
  }

  #startData(): void {
    if (this.#remaining === 0) {
      this.#current = undefined;
      this.#headWanted = 0;
      this.#state = STATE.header;
    } else {
      this.#state = STATE.data;
    }
  }

  #startMeta(kind: MetaKind, size: number, headerAt: number): void {
    if (size > this.#opts.maxMetadataBytes) {
      throw new DrydockError("TAR_HEADER_TOO_LARGE", `${this.#opts.where}: a ${kind} header at offset ${headerAt} declares ${size} bytes (limit ${this.#opts.maxMetadataBytes})`);
    }
    this.#metaKind = kind;
    this.#meta = new Uint8Array(size);
    this.#metaFill = 0;
    this.#pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (size === 0) this.#onMetaComplete();
    else this.#state = STATE.meta;
  }

  #onMetaComplete(): void {
    const where = this.#opts.where;
    const data = this.#meta;
    this.#meta = new Uint8Array(0);
    switch (this.#metaKind) {
      case "pax":
        applyPax(parsePaxRecords(data, where), this.#pending, where, false);
        break;
      case "pax-global":
        applyPax(parsePaxRecords(data, where), this.#global, where, true);
        break;
      case "gnu-long-name":
        this.#pending.path = this.#decodeName(cString(data, 0, data.length));
        break;
      case "gnu-long-link":
        this.#pending.linkpath = this.#decodeName(cString(data, 0, data.length));
        break;
    }
    if (this.#pad > 0) {
      this.#skip = this.#pad;
      this.#pad = 0;
      this.#state = STATE.skip;
    } else {
      this.#state = STATE.header;
    }
  }

  #decodeEntry(block: Uint8Array, typeflag: number, blockSize: number, headerAt: number): TarHeader | undefined {
    const where = this.#opts.where;
    const meta: PendingMeta = { ...this.#global, ...this.#pending };
    if (this.#global.xattrs !== undefined || this.#pending.xattrs !== undefined) {
      meta.xattrs = new Map([...(this.#global.xattrs ?? []), ...(this.#pending.xattrs ?? [])]);
    }
    this.#pending = {};
    const entryStart = this.#entryStart;
    this.#entryStart = -1;

    const posix = block[257] === 0x75 && block[262] === 0 && block[263] === 0x30; // "ustar\0" "00"
    let name = meta.path;
    if (name === undefined) {
      name = this.#decodeName(cString(block, 0, 100));
      const prefix = posix ? cString(block, 345, 155) : undefined;
      if (prefix !== undefined && prefix.length > 0) name = `${this.#decodeName(prefix)}/${name}`;
    }
    let type: TarEntryType | undefined;
    let sparse = meta.sparse === true;
    let headerOnly = false;
    switch (typeflag) {
      case 0x30: case 0x37: type = "file"; break; // '0', '7' (contiguous)
      case 0x00: type = name.endsWith("/") ? "dir" : "file"; break; // v7: a trailing slash made a directory
      case 0x31: type = "hardlink"; headerOnly = true; break;
      case 0x32: type = "symlink"; headerOnly = true; break;
      case 0x33: type = "char-device"; headerOnly = true; break;
      case 0x34: type = "block-device"; headerOnly = true; break;
      case 0x35: type = "dir"; headerOnly = true; break;
      case 0x36: type = "fifo"; headerOnly = true; break;
      case 0x44: type = "dir"; break; // 'D' GNU dumpdir: a directory whose data lists its names
      case 0x53: type = "file"; sparse = true; break; // 'S' old GNU sparse
    }
    let size = meta.size ?? blockSize;
    if (type === undefined) {
      const flag = typeflag >= 0x20 && typeflag < 0x7f ? `'${String.fromCharCode(typeflag)}'` : `0x${typeflag.toString(16)}`;
      this.#handler.anomaly("UNKNOWN_ENTRY_TYPE", `${where}: entry "${name}" has tar type ${flag}, which images do not use; skipped`, name);
      this.#remaining = size;
      this.#pad = (BLOCK - (size % BLOCK)) % BLOCK;
      this.#headWanted = 0;
      this.#headFill = 0;
      this.#current = undefined;
      this.#startData();
      return undefined;
    }
    if (headerOnly && size > 0) {
      this.#handler.anomaly("HEADER_ONLY_WITH_SIZE", `${where}: ${type} "${name}" declares ${size} bytes of data; read as none, as Go's archive/tar does`, name);
      size = 0;
    }
    if (name.includes("\0")) {
      throw new DrydockError("TAR_HEADER_INVALID", `${where}: the entry name at offset ${headerAt} contains a NUL byte`);
    }
    const linkname = meta.linkpath ?? this.#decodeName(cString(block, 157, 100));
    if (name.length > MAX_NAME_LENGTH || linkname.length > MAX_NAME_LENGTH) {
      throw new DrydockError("TAR_HEADER_TOO_LARGE", `${where}: the entry at offset ${headerAt} has a name or link target of ${Math.max(name.length, linkname.length)} characters; no file system accepts more than ${MAX_NAME_LENGTH}`);
    }
    return {
      name,
      type,
      mode: numeric(block, 100, 8, where, "mode", headerAt) & 0o7777,
      uid: meta.uid ?? numeric(block, 108, 8, where, "uid", headerAt),
      gid: meta.gid ?? numeric(block, 116, 8, where, "gid", headerAt),
      size,
      mtime: meta.mtime ?? numeric(block, 136, 12, where, "mtime", headerAt),
      linkname,
      uname: meta.uname ?? latin1.decode(cString(block, 265, 32)),
      gname: meta.gname ?? latin1.decode(cString(block, 297, 32)),
      xattrs: meta.xattrs,
      sparse,
      headerOffset: entryStart < 0 ? headerAt : entryStart,
      dataOffset: this.#offset,
    };
  }

  #decodeName(bytes: Uint8Array): string {
    let ascii = true;
    for (let i = 0; i < bytes.length; i++) {
      if ((bytes[i] ?? 0) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return latin1.decode(bytes);
    try {
      return utf8.decode(bytes);
    } catch {
      const name = latin1.decode(bytes);
      this.#handler.anomaly("NON_UTF8_NAME", `${this.#opts.where}: the name "${name}" is not UTF-8; read as Latin-1`, name);
      return name;
    }
  }
}

function isZeroBlock(block: Uint8Array): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

/** The checksum counts the checksum field as spaces; old writers summed signed bytes, so both sums pass. */
function checksumMatches(block: Uint8Array): boolean {
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
    unsigned += b;
    signed += b >= 0x80 ? b - 256 : b;
  }
  let stored: number;
  try {
    stored = octal(block, 148, 8);
  } catch {
    return false;
  }
  return stored === unsigned || stored === signed;
}

/** A numeric field: octal ASCII, or GNU base-256 when the high bit of the first byte is set. */
function numeric(block: Uint8Array, start: number, length: number, where: string, field: string, headerAt: number): number {
  const first = block[start] ?? 0;
  if ((first & 0x80) !== 0) {
    if ((first & 0x40) !== 0) {
      throw new DrydockError("TAR_HEADER_INVALID", `${where}: the ${field} field of the header at offset ${headerAt} is negative`);
    }
    let value = first & 0x3f;
    for (let i = start + 1; i < start + length; i++) {
      value = value * 256 + (block[i] ?? 0);
      if (value > Number.MAX_SAFE_INTEGER) {
        throw new DrydockError("TAR_HEADER_INVALID", `${where}: the ${field} field of the header at offset ${headerAt} is too large`);
      }
    }
    return value;
  }
  try {
    return octal(block, start, length);
  } catch {
    throw new DrydockError("TAR_HEADER_INVALID", `${where}: the ${field} field of the header at offset ${headerAt} is not an octal number`);
  }
}

/** Octal digits, optionally surrounded by spaces and NULs (writers pad both ways). */
function octal(block: Uint8Array, start: number, length: number): number {
  let i = start;
  const end = start + length;
  while (i < end && (block[i] === 0x20 || block[i] === 0)) i++;
  let value = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = block[i] ?? 0;
    if (c < 0x30 || c > 0x37) break;
    value = value * 8 + (c - 0x30);
    digits++;
  }
  for (; i < end; i++) {
    const c = block[i];
    if (c !== 0x20 && c !== 0) throw new RangeError("not octal");
  }
  return digits === 0 ? 0 : value;
}

function cString(bytes: Uint8Array, start: number, length: number): Uint8Array {
  const end = start + length;
  let i = start;
  while (i < end && bytes[i] !== 0) i++;
  return bytes.subarray(start, i);
}

interface PaxRecord {
  key: string;
  value: Uint8Array;
}

/** "<length> <key>=<value>\n" records; the length counts the whole record, its own digits included. */
export function parsePaxRecords(data: Uint8Array, where: string): PaxRecord[] {
  const records: PaxRecord[] = [];
  let pos = 0;
  const bad = (why: string): DrydockError => new DrydockError("TAR_HEADER_INVALID", `${where}: malformed PAX header: ${why}`);
  while (pos < data.length) {
    let length = 0;
    let i = pos;
    while (i < data.length && i - pos < 20 && (data[i] ?? 0) >= 0x30 && (data[i] ?? 0) <= 0x39) {
      length = length * 10 + ((data[i] ?? 0) - 0x30);
      i++;
    }
    if (i === pos || data[i] !== 0x20) throw bad(`no record length at byte ${pos}`);
    if (length <= i - pos + 1 || pos + length > data.length) throw bad(`record length ${length} at byte ${pos} does not fit`);
    const recordEnd = pos + length;
    if (data[recordEnd - 1] !== 0x0a) throw bad(`record at byte ${pos} does not end with a newline`);
    const body = data.subarray(i + 1, recordEnd - 1);
    const eq = body.indexOf(0x3d);
    if (eq <= 0) throw bad(`record at byte ${pos} has no key`);
    let key: string;
    try {
      key = utf8.decode(body.subarray(0, eq));
    } catch {
      throw bad(`record at byte ${pos} has a key that is not UTF-8`);
    }
    records.push({ key, value: body.subarray(eq + 1) });
    pos = recordEnd;
  }
  return records;
}

const DECIMAL = /^[0-9]{1,16}$/;
const TIME = /^-?[0-9]{1,16}(\.[0-9]{0,18})?$/;

/** Global headers apply to every later entry, so their xattrs (which no writer sets globally) are ignored: kept, they would pile up. */
function applyPax(records: readonly PaxRecord[], into: PendingMeta, where: string, global: boolean): void {
  const text = (v: Uint8Array): string => {
    try {
      return utf8.decode(v);
    } catch {
      return latin1.decode(v);
    }
  };
  const integer = (key: string, v: Uint8Array): number | undefined => {
    const s = text(v);
    if (s === "") return undefined; // an empty value cancels the field
    if (!DECIMAL.test(s) || Number(s) > Number.MAX_SAFE_INTEGER) {
      throw new DrydockError("TAR_HEADER_INVALID", `${where}: PAX ${key}=${JSON.stringify(s.slice(0, 40))} is not a decimal number`);
    }
    return Number(s);
  };
  for (const { key, value } of records) {
    switch (key) {
      case "path": into.path = text(value) || undefined; break;
      case "linkpath": into.linkpath = text(value) || undefined; break;
      case "size": into.size = integer(key, value); break;
      case "uid": into.uid = integer(key, value); break;
      case "gid": into.gid = integer(key, value); break;
      case "uname": into.uname = text(value); break;
      case "gname": into.gname = text(value); break;
      case "mtime": {
        const s = text(value);
        if (s !== "" && !TIME.test(s)) throw new DrydockError("TAR_HEADER_INVALID", `${where}: PAX mtime=${JSON.stringify(s.slice(0, 40))} is not a time`);
        into.mtime = s === "" ? undefined : Number(s);
        break;
      }
      case "GNU.sparse.name": into.path = text(value) || undefined; into.sparse = true; break;
      default:
        if (key.startsWith("GNU.sparse.")) into.sparse = true;
        else if (key.startsWith("SCHILY.xattr.") && !global) {
          into.xattrs ??= new Map();
          into.xattrs.set(key.slice("SCHILY.xattr.".length), Uint8Array.from(value));
        }
    }
  }
}
