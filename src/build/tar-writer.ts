// A deterministic tar writer for image layers. One format: POSIX ustar headers, with a PAX extended header only
// where ustar cannot hold a value (long or non-ASCII names, ids or sizes past their octal fields). Entries are
// written in walk order (children sorted by byte value under their parent), with the owner, mode and clamped
// mtime the caller gives; uname/gname stay empty and no atime/ctime is ever written, so the same tree always
// gives the same bytes.
import { open, type FileHandle } from "node:fs/promises";
import { DrydockError } from "../core/errors.ts";

export type LayerEntryKind = "file" | "dir" | "symlink" | "hardlink" | "whiteout";

/** Where a file's bytes come from: a file on disk (read when the tar is written) or bytes in memory. */
export type Content =
  | { kind: "path"; path: string }
  | { kind: "bytes"; bytes: Uint8Array };

export interface LayerEntry {
  /** Relative, "/"-separated, cleaned ("usr/bin/app"); never "" (the root is not written). */
  path: string;
  kind: LayerEntryKind;
  /** Permission bits with setuid, setgid and sticky (07777). */
  mode: number;
  uid: number;
  gid: number;
  /** Seconds since the epoch, already clamped by the caller. */
  mtime: number;
  /** Bytes of content (files only). */
  size: number;
  /** A symlink's target as written; a hardlink's target path (relative, like path). */
  linkname?: string;
  content?: Content;
  /** Extended attributes (security.capability, ...), written as PAX SCHILY.xattr records. */
  xattrs?: ReadonlyMap<string, Uint8Array>;
}

const BLOCK = 512;
const END_OF_ARCHIVE = new Uint8Array(BLOCK * 2);
/** Output is gathered into chunks of this size: fewer, larger writes into zlib and the hashes. */
const CHUNK = 1 << 20;
/** Files up to this size are read in one call; larger ones are streamed in CHUNK pieces. */
const SMALL_FILE = 256 << 10;

const TYPEFLAG: Record<LayerEntryKind, string> = { file: "0", hardlink: "1", symlink: "2", dir: "5", whiteout: "0" };
const encoder = new TextEncoder();

/** Byte-wise comparison of paths as walk order: "a/b" sorts before "a.txt" because its parent "a" does. */
export function compareWalkOrder(a: string, b: string): number {
  const la = a.length;
  const lb = b.length;
  const n = Math.min(la, lb);
  for (let i = 0; i < n; i++) {
    let ca = a.charCodeAt(i);
    let cb = b.charCodeAt(i);
    if (ca === cb) continue;
    // "/" ends a component, so it sorts before every other character.
    if (ca === 0x2f) ca = -1;
    if (cb === 0x2f) cb = -1;
    // Surrogate pairs compare correctly as UTF-16 code units against other non-BMP characters; against BMP
    // characters above U+D7FF they would not, so compare code points there.
    if (ca >= 0xd800 && cb >= 0xd800) return (a.codePointAt(i) ?? 0) - (b.codePointAt(i) ?? 0);
    return ca - cb;
  }
  return la - lb;
}

/** Entries sorted into walk order; a later entry for the same path replaces an earlier one. */
export function sortEntries(entries: Iterable<LayerEntry>): LayerEntry[] {
  const byPath = new Map<string, LayerEntry>();
  for (const e of entries) byPath.set(e.path, e);
  return [...byPath.values()].sort((a, b) => compareWalkOrder(a.path, b.path));
}

/** The tar name of an entry: directories end with "/", whiteouts are `.wh.<name>` beside what they hide. */
function tarName(e: LayerEntry): string {
  if (e.kind === "dir") return `${e.path}/`;
  if (e.kind === "whiteout") {
    const slash = e.path.lastIndexOf("/");
    return slash < 0 ? `.wh.${e.path}` : `${e.path.slice(0, slash + 1)}.wh.${e.path.slice(slash + 1)}`;
  }
  return e.path;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7e || s.charCodeAt(i) < 0x20) return false;
  return true;
}

/** ustar keeps names up to 100 bytes, or up to 256 split at a "/" into prefix (155) and name (100). */
function splitUstarName(name: string): { prefix: string; name: string } | undefined {
  if (!isAscii(name)) return undefined;
  if (name.length <= 100) return { prefix: "", name };
  if (name.length > 256) return undefined;
  for (let i = name.indexOf("/"); i >= 0 && i <= 155; i = name.indexOf("/", i + 1)) {
    const rest = name.slice(i + 1);
    if (i <= 155 && rest.length <= 100 && rest.length > 0) return { prefix: name.slice(0, i), name: rest };
  }
  return undefined;
}

/** Octal digits that fit a field of `width` bytes (width-1 digits and a NUL). */
function fitsOctal(value: number, width: number): boolean {
  return Number.isInteger(value) && value >= 0 && value < 8 ** (width - 1);
}

function writeString(block: Uint8Array, offset: number, width: number, value: string): void {
  const bytes = encoder.encode(value);
  block.set(bytes.subarray(0, width), offset);
}

function writeOctal(block: Uint8Array, offset: number, width: number, value: number): void {
  writeString(block, offset, width - 1, value.toString(8).padStart(width - 1, "0"));
}

function paxRecord(key: string, value: Uint8Array): Uint8Array {
  // The length counts its own digits: grow it until it is stable.
  const rest = encoder.encode(` ${key}=`).length + value.length + 1;
  let len = rest + 1;
  while (String(len).length + rest !== len) len = String(len).length + rest;
  const head = encoder.encode(`${len} ${key}=`);
  const out = new Uint8Array(len);
  out.set(head, 0);
  out.set(value, head.length);
  out[len - 1] = 0x0a;
  return out;
}

function headerBlock(fields: {
  name: string; prefix: string; mode: number; uid: number; gid: number; size: number; mtime: number; typeflag: string; linkname: string;
}): Uint8Array {
  const block = new Uint8Array(BLOCK);
  writeString(block, 0, 100, fields.name);
  writeOctal(block, 100, 8, fields.mode);
  writeOctal(block, 108, 8, fields.uid);
  writeOctal(block, 116, 8, fields.gid);
  writeOctal(block, 124, 12, fields.size);
  writeOctal(block, 136, 12, fields.mtime);
  block.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  writeString(block, 156, 1, fields.typeflag);
  writeString(block, 157, 100, fields.linkname);
  writeString(block, 257, 8, "ustar\u000000");
  writeString(block, 345, 155, fields.prefix);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += block[i] ?? 0;
  writeString(block, 148, 8, `${sum.toString(8).padStart(6, "0")}\u0000 `);
  return block;
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

/** The header blocks of one entry: a PAX header first when a value does not fit ustar. */
export function entryHeader(e: LayerEntry): Uint8Array {
  const name = tarName(e);
  const linkname = e.linkname ?? "";
  const size = e.kind === "file" ? e.size : 0;
  const pax: Uint8Array[] = [];
  const split = splitUstarName(name);
  if (split === undefined) pax.push(paxRecord("path", encoder.encode(name)));
  const linkFits = isAscii(linkname) && linkname.length <= 100;
  if (!linkFits) pax.push(paxRecord("linkpath", encoder.encode(linkname)));
  if (!fitsOctal(e.uid, 8)) pax.push(paxRecord("uid", encoder.encode(String(e.uid))));
  if (!fitsOctal(e.gid, 8)) pax.push(paxRecord("gid", encoder.encode(String(e.gid))));
  if (!fitsOctal(size, 12)) pax.push(paxRecord("size", encoder.encode(String(size))));
  const mtime = Math.max(0, Math.floor(e.mtime));
  if (!fitsOctal(mtime, 12)) pax.push(paxRecord("mtime", encoder.encode(String(mtime))));
  if (e.xattrs !== undefined) {
    for (const key of [...e.xattrs.keys()].sort()) pax.push(paxRecord(`SCHILY.xattr.${key}`, e.xattrs.get(key) ?? new Uint8Array(0)));
  }
  const main = headerBlock({
    name: split?.name ?? asciiFallback(name, 100),
    prefix: split?.prefix ?? "",
    mode: e.mode & 0o7777,
    uid: fitsOctal(e.uid, 8) ? e.uid : 0,
    gid: fitsOctal(e.gid, 8) ? e.gid : 0,
    size: fitsOctal(size, 12) ? size : 0,
    mtime: fitsOctal(mtime, 12) ? mtime : 0,
    typeflag: TYPEFLAG[e.kind],
    linkname: linkFits ? linkname : asciiFallback(linkname, 100),
  });
  if (pax.length === 0) return main;
  let paxSize = 0;
  for (const r of pax) paxSize += r.length;
  const paxHeader = headerBlock({
    name: asciiFallback(`PaxHeaders/${name.replace(/\/$/, "").split("/").pop() ?? ""}`, 100),
    prefix: "", mode: 0o644, uid: 0, gid: 0, size: paxSize, mtime: 0, typeflag: "x", linkname: "",
  });
  const out = new Uint8Array(BLOCK + paxSize + padding(paxSize) + BLOCK);
  out.set(paxHeader, 0);
  let at = BLOCK;
  for (const r of pax) {
    out.set(r, at);
    at += r.length;
  }
  out.set(main, BLOCK + paxSize + padding(paxSize));
  return out;
}

/** The name written in a ustar field when PAX holds the real one: its ASCII characters, cut to fit. */
function asciiFallback(name: string, width: number): string {
  let out = "";
  for (const ch of name) if (isAscii(ch)) out += ch;
  return out.slice(0, width);
}

/** Small files read ahead of the writer, so per-file open/read/close latency overlaps (it dominates otherwise). */
const READ_AHEAD = 32;

/**
 * The tar stream of the entries, in the order given (sort them with sortEntries first). File contents are read
 * as the stream is consumed; a file whose size changed since it was listed is an error, not a corrupt layer.
 */
export async function* tarChunks(entries: Iterable<LayerEntry>): AsyncGenerator<Uint8Array> {
  let buffer = new Uint8Array(CHUNK);
  let fill = 0;
  const push = function* (bytes: Uint8Array): Generator<Uint8Array> {
    let offset = 0;
    while (offset < bytes.length) {
      const n = Math.min(CHUNK - fill, bytes.length - offset);
      buffer.set(bytes.subarray(offset, offset + n), fill);
      fill += n;
      offset += n;
      if (fill === CHUNK) {
        yield buffer;
        buffer = new Uint8Array(CHUNK);
        fill = 0;
      }
    }
  };
  const list = [...entries];
  const pending = new Map<number, Promise<Uint8Array>>();
  let next = 0;
  const readAhead = (from: number): void => {
    for (next = Math.max(next, from); next < list.length && pending.size < READ_AHEAD; next++) {
      const e = list[next] as LayerEntry;
      if (e.kind === "file" && e.content?.kind === "path" && e.size > 0 && e.size <= SMALL_FILE) {
        const read = readSmall(e.content.path, e.size);
        read.catch(() => {}); // observed when its turn comes
        pending.set(next, read);
      }
    }
  };
  for (let i = 0; i < list.length; i++) {
    const e = list[i] as LayerEntry;
    readAhead(i + 1);
    yield* push(entryHeader(e));
    if (e.kind !== "file" || e.size === 0) continue;
    const content = e.content;
    if (content === undefined) throw new DrydockError("USAGE", `layer entry ${e.path} has size ${e.size} but no content`);
    const early = pending.get(i);
    if (early !== undefined) {
      pending.delete(i);
      yield* push(await early);
    } else if (content.kind === "bytes") {
      if (content.bytes.length !== e.size) throw changed(e.path, e.size, content.bytes.length);
      yield* push(content.bytes);
    } else {
      yield* yieldFile(content.path, e, push);
    }
    const pad = padding(e.size);
    if (pad > 0) yield* push(new Uint8Array(pad));
  }
  yield* push(END_OF_ARCHIVE);
  if (fill > 0) yield buffer.subarray(0, fill);
}

/** A small file's bytes, checked against the size listed. */
async function readSmall(path: string, size: number): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (err) {
    throw new DrydockError("INPUT_UNREADABLE", `${path}: cannot read a file of the layer (${errorCode(err)})`, { cause: err });
  }
  try {
    const bytes = new Uint8Array(size + 1);
    const { bytesRead } = await readFully(handle, bytes);
    if (bytesRead !== size) throw changed(path, size, bytesRead);
    return bytes.subarray(0, size);
  } finally {
    await handle.close();
  }
}

async function* yieldFile(path: string, e: LayerEntry, push: (bytes: Uint8Array) => Generator<Uint8Array>): AsyncGenerator<Uint8Array> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (err) {
    throw new DrydockError("INPUT_UNREADABLE", `${path}: cannot read a file of the layer (${errorCode(err)})`, { cause: err });
  }
  try {
    if (e.size <= SMALL_FILE) {
      const bytes = new Uint8Array(e.size + 1);
      const { bytesRead } = await readFully(handle, bytes);
      if (bytesRead !== e.size) throw changed(path, e.size, bytesRead);
      yield* push(bytes.subarray(0, e.size));
      return;
    }
    const piece = new Uint8Array(Math.min(CHUNK, e.size));
    let done = 0;
    while (done < e.size) {
      const want = Math.min(piece.length, e.size - done);
      const { bytesRead } = await handle.read(piece, 0, want, done);
      if (bytesRead === 0) throw changed(path, e.size, done);
      done += bytesRead;
      yield* push(piece.subarray(0, bytesRead));
    }
    const extra = await handle.read(new Uint8Array(1), 0, 1, done);
    if (extra.bytesRead !== 0) throw changed(path, e.size, done + 1);
  } finally {
    await handle.close();
  }
}

async function readFully(handle: FileHandle, into: Uint8Array): Promise<{ bytesRead: number }> {
  let total = 0;
  while (total < into.length) {
    const { bytesRead } = await handle.read(into, total, into.length - total, total);
    if (bytesRead === 0) break;
    total += bytesRead;
  }
  return { bytesRead: total };
}

function changed(path: string, expected: number, actual: number): DrydockError {
  return new DrydockError("INPUT_UNREADABLE", `${path}: changed while the layer was written (${expected} bytes listed, ${actual === expected + 1 ? "more" : actual} read); build again`);
}

function errorCode(e: unknown): string {
  return typeof e === "object" && e !== null && "code" in e ? String(e.code) : "error";
}
