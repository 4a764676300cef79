// What the executable readers share: a list of sections (name, virtual address, where the bytes are in the file)
// and the reads built on it — a section's bytes, or bytes at a virtual address. Every offset and size comes
// from the file, so each is checked against the file's length before it is used.
import { DrydockError } from "../../core/errors.ts";
import { readElf } from "./elf.ts";
import { isFatMachO } from "./fat.ts";
import { readMachO } from "./macho.ts";
import { readPe } from "./pe.ts";

export type ExecutableFormat = "elf" | "macho" | "pe";

export interface Section {
  /** ".go.buildinfo" (ELF, PE), "__go_buildinfo" (Mach-O: see `segment`). */
  name: string;
  /** Mach-O segment of the section ("__DATA"); undefined for ELF and PE. */
  segment: string | undefined;
  /** Virtual address when loaded (PE: image base + RVA). */
  addr: bigint;
  /** Where the section's bytes start in the file. */
  offset: number;
  /** Bytes present in the file (0 for .bss / zerofill sections). */
  fileSize: number;
  /** Bytes in memory (may exceed fileSize: the rest is zeros). */
  memSize: number;
  /** Mapped when the program runs (ELF SHF_ALLOC; always for Mach-O and PE). */
  loaded: boolean;
  writable: boolean;
}

export interface Executable {
  format: ExecutableFormat;
  pointerSize: 4 | 8;
  littleEndian: boolean;
  sections: Section[];
  /** Loaded ranges outside sections (ELF PT_LOAD), for address translation when section headers are stripped. */
  segments: Section[];
  bytes: Uint8Array;
}

/** The format named by a file's first bytes; thin binaries only (universal Mach-O: see looksExecutable). */
export function executableFormat(head: Uint8Array): ExecutableFormat | undefined {
  if (head.length >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46) return "elf";
  if (head.length >= 4) {
    const le = (head[0] as number) | ((head[1] as number) << 8) | ((head[2] as number) << 16) | ((head[3] as number) << 24);
    const be = ((head[0] as number) << 24) | ((head[1] as number) << 16) | ((head[2] as number) << 8) | (head[3] as number);
    for (const magic of [le >>> 0, be >>> 0]) if (magic === 0xfeedface || magic === 0xfeedfacf) return "macho";
  }
  if (head.length >= 2 && head[0] === 0x4d && head[1] === 0x5a) return "pe";
  return undefined;
}

/** Worth reading as an executable: a thin ELF, Mach-O or PE file, or a universal Mach-O (see fat.ts). */
export function looksExecutable(head: Uint8Array): boolean {
  return executableFormat(head) !== undefined || isFatMachO(head);
}

/** Reads an executable's section table; throws EXECUTABLE_INVALID when a structure is out of bounds. */
export function readExecutable(bytes: Uint8Array, where: string): Executable {
  switch (executableFormat(bytes)) {
    case "elf":
      return readElf(bytes, where);
    case "macho":
      return readMachO(bytes, where);
    case "pe":
      return readPe(bytes, where);
    default:
      throw new DrydockError("EXECUTABLE_INVALID", `${where}: not an ELF, Mach-O or PE executable`);
  }
}

/** The first section called `name` (and, for Mach-O, in `segment` when given). */
export function findSection(exe: Executable, name: string, segment?: string): Section | undefined {
  return exe.sections.find((s) => s.name === name && (segment === undefined || s.segment === segment));
}

/** A section's bytes as stored in the file (a view, not a copy). */
export function sectionBytes(exe: Executable, section: Section): Uint8Array {
  return exe.bytes.subarray(section.offset, section.offset + section.fileSize);
}

/**
 * `length` bytes at virtual address `addr`, from the section (or, failing that, the segment) holding them all;
 * undefined when no loaded range in the file holds them.
 */
export function readAddress(exe: Executable, addr: bigint, length: number): Uint8Array | undefined {
  for (const range of [...exe.sections, ...exe.segments]) {
    if (!range.loaded || range.fileSize === 0 || addr < range.addr) continue;
    const delta = addr - range.addr;
    if (delta + BigInt(length) > BigInt(range.fileSize)) continue;
    const start = range.offset + Number(delta);
    return exe.bytes.subarray(start, start + length);
  }
  return undefined;
}

/** Bounds and endianness-aware integer reads for the format readers. */
export class ByteReader {
  readonly bytes: Uint8Array;
  readonly where: string;
  littleEndian = true;
  private readonly view: DataView;

  constructor(bytes: Uint8Array, where: string) {
    this.bytes = bytes;
    this.where = where;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(message: string): never {
    throw new DrydockError("EXECUTABLE_INVALID", `${this.where}: ${message}`);
  }

  check(offset: number, length: number, what: string): void {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > this.bytes.length) {
      this.fail(`${what} (${length} bytes at offset ${offset}) runs past the end of the file (${this.bytes.length} bytes)`);
    }
  }

  u8(offset: number, what: string): number {
    this.check(offset, 1, what);
    return this.view.getUint8(offset);
  }

  u16(offset: number, what: string): number {
    this.check(offset, 2, what);
    return this.view.getUint16(offset, this.littleEndian);
  }

  u32(offset: number, what: string): number {
    this.check(offset, 4, what);
    return this.view.getUint32(offset, this.littleEndian);
  }

  u64(offset: number, what: string): bigint {
    this.check(offset, 8, what);
    return this.view.getBigUint64(offset, this.littleEndian);
  }

  /** A 64-bit file offset or size as a number; anything past the file is refused by the caller's check. */
  u64Number(offset: number, what: string): number {
    const v = this.u64(offset, what);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
  }

  /** A NUL-terminated string starting at `offset`, at most `max` bytes. */
  cString(offset: number, max: number, what: string): string {
    this.check(offset, 0, what);
    const end = Math.min(this.bytes.length, offset + max);
    let i = offset;
    while (i < end && this.bytes[i] !== 0) i++;
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + offset, i - offset).toString("latin1");
  }
}
