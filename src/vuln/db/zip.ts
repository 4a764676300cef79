// A small reader of zip archives (the OSV exports): the central directory, ZIP64 included, then each entry's
// data through zlib's raw inflate. Sizes are bounded before anything is inflated, and checked (size, CRC-32)
// after, so a truncated file or a zip bomb is an error, not a hang or an exhausted heap. ZipReader reads a file
// through a descriptor; ZipMemoryReader reads an archive already in memory (a jar inside an image layer) with
// the same directory parsing and the same checks.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { crc32, inflateRawSync } from "node:zlib";
import { DrydockError } from "../../core/errors.ts";

export interface ZipEntry {
  name: string;
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
  /** Why the entry cannot be read (encrypted, a compression method other than stored and deflate), when listed anyway. */
  unsupported?: string;
}

export interface ZipLimits {
  maxEntries: number;
  /** Largest uncompressed entry. */
  maxEntrySize: number;
  /** Largest sum of uncompressed entries. */
  maxTotalSize: number;
  /** Largest uncompressed/compressed ratio of an entry above 1 MiB (deflate tops out near 1032:1). */
  maxRatio: number;
  /**
   * An encrypted entry, or one compressed with another method than stored and deflate: an error for the whole
   * archive ("error", the default), or listed with the reason and an error only when read ("list": a jar with one
   * deflate64 entry still shows its pom.properties).
   */
  unsupportedEntries?: "error" | "list";
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 10_000_000,
  maxEntrySize: 64 * 1024 * 1024,
  maxTotalSize: 32 * 1024 * 1024 * 1024,
  maxRatio: 200,
};

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;
/** Entries are usually stored in order: reading ahead in windows this big saves a system call per entry. */
const WINDOW = 4 * 1024 * 1024;

export class ZipReader {
  readonly path: string;
  readonly entries: readonly ZipEntry[];
  private readonly fd: number;
  private readonly fileSize: number;
  private window: Buffer = Buffer.alloc(0);
  private windowStart = 0;

  private constructor(path: string, fd: number, fileSize: number, entries: ZipEntry[]) {
    this.path = path;
    this.fd = fd;
    this.fileSize = fileSize;
    this.entries = entries;
  }

  static open(path: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipReader {
    let fd: number;
    try {
      fd = openSync(path, "r");
    } catch (e) {
      throw new DrydockError("INPUT_UNREADABLE", `${path}: cannot open: ${(e as Error).message}`, { cause: e });
    }
    try {
      const size = fstatSync(fd).size;
      const entries = readCentralDirectory(path, size, (offset, length) => readFileAt(fd, offset, length), limits);
      return new ZipReader(path, fd, size, entries);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  /** Opens an archive whose entries were already listed (by another thread's ZipReader.open), to read them. */
  static attach(path: string, entries: readonly ZipEntry[] = []): ZipReader {
    const fd = openSync(path, "r");
    return new ZipReader(path, fd, fstatSync(fd).size, [...entries]);
  }

  close(): void {
    closeSync(this.fd);
  }

  /** The entry's uncompressed bytes, verified against its size and CRC-32. */
  read(entry: ZipEntry): Buffer {
    return readEntry(this.path, entry, (offset, length) => this.bytes(offset, length, entry.name));
  }

  private bytes(offset: number, length: number, what: string): Buffer {
    if (offset + length > this.fileSize) throw zipError("ZIP_TRUNCATED", this.path, `${what}: data runs past the end of the file (truncated download?)`);
    if (offset >= this.windowStart && offset + length <= this.windowStart + this.window.length) {
      return this.window.subarray(offset - this.windowStart, offset - this.windowStart + length);
    }
    const size = Math.min(Math.max(WINDOW, length), this.fileSize - offset);
    const buf = Buffer.allocUnsafe(size);
    readFully(this.fd, buf, offset);
    this.window = buf;
    this.windowStart = offset;
    return buf.subarray(0, length);
  }
}

/** Reads `length` bytes at `offset` of the archive; throws ZIP_TRUNCATED past its end. */
type ReadAt = (offset: number, length: number) => Buffer;

/** An archive held in memory (a nested jar, a file handed over by an image walk). */
export class ZipMemoryReader {
  readonly path: string;
  readonly entries: readonly ZipEntry[];
  private readonly data: Buffer;

  private constructor(path: string, data: Buffer, entries: ZipEntry[]) {
    this.path = path;
    this.data = data;
    this.entries = entries;
  }

  /** `path` names the archive in error messages only. */
  static open(path: string, bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipMemoryReader {
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const readAt = (offset: number, length: number): Buffer => {
      if (offset < 0 || offset + length > data.length) throw zipError("ZIP_TRUNCATED", path, "data runs past the end of the archive (truncated?)");
      return data.subarray(offset, offset + length);
    };
    return new ZipMemoryReader(path, data, readCentralDirectory(path, data.length, readAt, limits));
  }

  /** The entry's uncompressed bytes, verified against its size and CRC-32. */
  read(entry: ZipEntry): Buffer {
    return readEntry(this.path, entry, (offset, length) => {
      if (offset + length > this.data.length) throw zipError("ZIP_TRUNCATED", this.path, `${entry.name}: data runs past the end of the archive (truncated?)`);
      return this.data.subarray(offset, offset + length);
    });
  }
}

function readEntry(path: string, entry: ZipEntry, bytes: ReadAt): Buffer {
  if (entry.unsupported !== undefined) throw zipError("ZIP_INVALID", path, `${entry.name}: ${entry.unsupported}`);
  const header = bytes(entry.localHeaderOffset, 30);
  if (header.readUInt32LE(0) !== LOCAL) throw zipError("ZIP_INVALID", path, `${entry.name}: no local header at offset ${entry.localHeaderOffset}`);
  const dataStart = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const compressed = bytes(dataStart, entry.compressedSize);
  let data: Buffer;
  if (entry.method === 0) {
    data = compressed;
  } else {
    try {
      // One byte more than declared: an entry that inflates past its declared size is refused, not followed.
      data = inflateRawSync(compressed, { maxOutputLength: Math.max(1, entry.size + 1) });
    } catch (e) {
      const tooBig = (e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE";
      throw zipError(tooBig ? "ZIP_TOO_LARGE" : "ZIP_INVALID", path,
        tooBig ? `${entry.name}: inflates past its declared ${entry.size} bytes` : `${entry.name}: corrupt deflate data (${(e as Error).message})`);
    }
  }
  if (data.length !== entry.size) {
    throw zipError(data.length > entry.size ? "ZIP_TOO_LARGE" : "ZIP_INVALID", path, `${entry.name}: ${data.length} bytes, the directory says ${entry.size}`);
  }
  if (crc32(data) !== entry.crc32) throw zipError("ZIP_INVALID", path, `${entry.name}: CRC-32 mismatch`);
  return data;
}

function readFully(fd: number, buf: Buffer, position: number): void {
  let done = 0;
  while (done < buf.length) {
    const n = readSync(fd, buf, done, buf.length - done, position + done);
    if (n === 0) throw new DrydockError("ZIP_TRUNCATED", "unexpected end of file");
    done += n;
  }
}

function zipError(code: "ZIP_INVALID" | "ZIP_TRUNCATED" | "ZIP_TOO_LARGE", path: string, message: string): DrydockError {
  return new DrydockError(code, `${path}: ${message}`);
}

function readFileAt(fd: number, offset: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  readFully(fd, buf, offset);
  return buf;
}

function startsWithSignature(readAt: ReadAt, offset: number, signature: number): boolean {
  try {
    return readAt(offset, 4).readUInt32LE(0) === signature;
  } catch {
    return false;
  }
}

/**
 * The ZIP64 end record: where the locator says, or, with a prefix before the zip data, right before the locator
 * (its usual place: the record's extensible data sector is empty in practice).
 */
function zip64RecordAt(path: string, stated: number, locatorAt: number, readAt: ReadAt, needed: boolean): number | undefined {
  for (const at of [stated, locatorAt - 56]) {
    if (at >= 0 && at + 56 <= locatorAt && readAt(at, 56).readUInt32LE(0) === ZIP64_EOCD) return at;
  }
  // Not needed: the "locator" was bytes of the last directory entry that happen to look like one.
  if (!needed) return undefined;
  if (stated + 56 > locatorAt) throw zipError("ZIP_TRUNCATED", path, "ZIP64 end record past the end of the file");
  throw zipError("ZIP_INVALID", path, "bad ZIP64 end record");
}

function readCentralDirectory(path: string, fileSize: number, readAt: ReadAt, limits: ZipLimits): ZipEntry[] {
  const tailSize = Math.min(fileSize, 22 + MAX_COMMENT);
  if (tailSize < 22) throw zipError("ZIP_INVALID", path, "too short to be a zip archive");
  const tailStart = fileSize - tailSize;
  const tail = readAt(tailStart, tailSize);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD && i + 22 + tail.readUInt16LE(i + 20) <= tail.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    throw zipError("ZIP_TRUNCATED", path, "no end-of-central-directory record: not a zip archive, or a truncated one");
  }
  const eocdAt = tailStart + eocd;
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  // Where the central directory ends: right before the end record, or before the ZIP64 end record when there is
  // one (some writers, zip -fz among them, add it even when no value needs 64 bits; its values are then the same).
  let cdEnd = eocdAt;
  const needs64 = count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff;
  const locatorAt = eocdAt - 20;
  const locator = locatorAt >= 0 ? readAt(locatorAt, 20) : undefined;
  const recordAt = locator !== undefined && locator.readUInt32LE(0) === ZIP64_LOCATOR
    ? zip64RecordAt(path, Number(locator.readBigUInt64LE(8)), locatorAt, readAt, needs64)
    : undefined;
  if (recordAt !== undefined) {
    const record = readAt(recordAt, 56);
    count = Number(record.readBigUInt64LE(32));
    cdSize = Number(record.readBigUInt64LE(40));
    cdOffset = Number(record.readBigUInt64LE(48));
    cdEnd = recordAt;
  } else if (needs64) {
    throw zipError("ZIP_INVALID", path, "ZIP64 sizes without a ZIP64 locator");
  }
  if (count > limits.maxEntries) throw zipError("ZIP_TOO_LARGE", path, `${count} entries (limit ${limits.maxEntries})`);
  if (cdOffset + cdSize > cdEnd) throw zipError("ZIP_TRUNCATED", path, "the central directory runs past the end of the file (truncated download?)");
  // Offsets count from the start of the zip data, which is not the start of the file when something was prepended
  // (a launch script in a "fully executable" Spring Boot jar, a self-extractor stub). As unzip does, the distance
  // from where the directory says it ends to where its end record really is gives that prefix, and every offset
  // is shifted by it — unless the directory is found unshifted (junk between the directory and the end record).
  // A prefix is believed only when the end record closes the file and the file does not itself start as a zip:
  // otherwise the end record found is a stored inner archive's, seen through a truncated outer one.
  const gap = cdEnd - (cdOffset + cdSize);
  const closesFile = eocdAt + 22 + tail.readUInt16LE(eocd + 20) === fileSize;
  const shifted = gap > 0 && closesFile && !startsWithSignature(readAt, 0, LOCAL)
    && (count === 0 || startsWithSignature(readAt, cdOffset + gap, CENTRAL) || !startsWithSignature(readAt, cdOffset, CENTRAL));
  const prefix = shifted ? gap : 0;
  cdOffset += prefix;
  if (cdSize > count * (46 + 3 * 0xffff)) throw zipError("ZIP_INVALID", path, "central directory larger than its entries can be");
  const cd = readAt(cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let total = 0;
  let p = 0;
  for (let k = 0; k < count; k++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL) throw zipError("ZIP_INVALID", path, `central directory entry ${k} is damaged`);
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    const crc = cd.readUInt32LE(p + 16);
    let compressedSize = cd.readUInt32LE(p + 20);
    let size = cd.readUInt32LE(p + 24);
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    let localHeaderOffset = cd.readUInt32LE(p + 42);
    const end = p + 46 + nameLength + extraLength + commentLength;
    if (end > cd.length) throw zipError("ZIP_INVALID", path, `central directory entry ${k} is damaged`);
    const name = cd.toString("utf8", p + 46, p + 46 + nameLength);
    // ZIP64 extra field: 64-bit values for exactly those fields that hold 0xFFFFFFFF.
    let x = p + 46 + nameLength;
    const extraEnd = x + extraLength;
    while (x + 4 <= extraEnd) {
      const id = cd.readUInt16LE(x);
      const len = cd.readUInt16LE(x + 2);
      if (id === 0x0001) {
        let q = x + 4;
        const next = (): number => {
          if (q + 8 > x + 4 + len) throw zipError("ZIP_INVALID", path, `${name}: short ZIP64 extra field`);
          const v = Number(cd.readBigUInt64LE(q));
          q += 8;
          return v;
        };
        if (size === 0xffffffff) size = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = next();
      }
      x += 4 + len;
    }
    p = end;
    if (name.endsWith("/")) continue;
    const unsupported = (flags & 1) !== 0 ? "encrypted entries are not supported"
      : method !== 0 && method !== 8 ? `compression method ${method} is not supported (only stored and deflate)` : undefined;
    if (unsupported !== undefined) {
      if (limits.unsupportedEntries !== "list") throw zipError("ZIP_INVALID", path, `${name}: ${unsupported}`);
      // Never inflated: its sizes bound nothing, but its place in the file is still checked.
      localHeaderOffset += prefix;
      if (localHeaderOffset + 30 + compressedSize > fileSize) throw zipError("ZIP_TRUNCATED", path, `${name}: data runs past the end of the file (truncated download?)`);
      entries.push({ name, method, crc32: crc, compressedSize, size, localHeaderOffset, unsupported });
      continue;
    }
    if (size > limits.maxEntrySize) throw zipError("ZIP_TOO_LARGE", path, `${name}: ${size} bytes uncompressed (limit ${limits.maxEntrySize})`);
    if (size > 1024 * 1024 && size > compressedSize * limits.maxRatio) {
      throw zipError("ZIP_TOO_LARGE", path, `${name}: compression ratio ${Math.round(size / Math.max(1, compressedSize))}:1 looks like a zip bomb (limit ${limits.maxRatio}:1)`);
    }
    total += size;
    if (total > limits.maxTotalSize) throw zipError("ZIP_TOO_LARGE", path, `more than ${limits.maxTotalSize} bytes uncompressed in total`);
    localHeaderOffset += prefix;
    if (localHeaderOffset + 30 + compressedSize > fileSize) throw zipError("ZIP_TRUNCATED", path, `${name}: data runs past the end of the file (truncated download?)`);
    entries.push({ name, method, crc32: crc, compressedSize, size, localHeaderOffset });
  }
  return entries;
}
