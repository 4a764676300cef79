// Universal ("fat") Mach-O (<mach-o/fat.h>): a big-endian header {magic, nfat_arch}, then nfat_arch records
// {cputype, cpusubtype, offset, size, align} (fat_arch, 32-bit offsets; fat_arch_64 with 64-bit offset and size
// and a reserved word), each naming a thin Mach-O slice of the file. 0xcafebabe is also the magic of a Java class
// file, whose next four bytes are its minor and major version (major ≥ 45): like Go's debug/macho and file(1), a
// header is only believed with a small architecture count and every slice inside the file.
import { ByteReader } from "./exe.ts";

const FAT_MAGIC = 0xcafebabe;
const FAT_MAGIC_64 = 0xcafebabf;
/** More architectures than any universal binary has, and fewer than the smallest Java class major version (45). */
export const MAX_FAT_ARCHES = 30;
const CPU_ARCH_ABI64 = 0x01000000;
const CPU_ARCH_ABI64_32 = 0x02000000;
const CPU_SUBTYPE_MASK = 0x00ffffff;

/** Names as lipo(1) prints them. */
const CPU_NAMES = new Map<number, string>([
  [7, "i386"],
  [7 | CPU_ARCH_ABI64, "x86_64"],
  [12, "arm"],
  [12 | CPU_ARCH_ABI64, "arm64"],
  [12 | CPU_ARCH_ABI64_32, "arm64_32"],
  [18, "ppc"],
  [18 | CPU_ARCH_ABI64, "ppc64"],
]);

export interface FatSlice {
  /** "x86_64", "arm64", "arm64e"...; "cputype 0x..." for a CPU without a name here. */
  arch: string;
  cputype: number;
  cpusubtype: number;
  offset: number;
  size: number;
}

/** Byte order of a fat header from its first four bytes; undefined when they are not a fat magic. */
function fatByteOrder(head: Uint8Array): { littleEndian: boolean; is64: boolean } | undefined {
  if (head.length < 4) return undefined;
  const be = (((head[0] as number) << 24) | ((head[1] as number) << 16) | ((head[2] as number) << 8) | (head[3] as number)) >>> 0;
  const le = (((head[3] as number) << 24) | ((head[2] as number) << 16) | ((head[1] as number) << 8) | (head[0] as number)) >>> 0;
  // Tools write the header big-endian; the byte-swapped form (FAT_CIGAM) is accepted as <mach-o/fat.h> allows it.
  if (be === FAT_MAGIC || be === FAT_MAGIC_64) return { littleEndian: false, is64: be === FAT_MAGIC_64 };
  if (le === FAT_MAGIC || le === FAT_MAGIC_64) return { littleEndian: true, is64: le === FAT_MAGIC_64 };
  return undefined;
}

/**
 * Whether a file's first bytes (8 are enough) look like a universal binary rather than a Java class file: a fat
 * magic followed by an architecture count from 1 to MAX_FAT_ARCHES.
 */
export function isFatMachO(head: Uint8Array): boolean {
  const order = fatByteOrder(head);
  if (order === undefined || head.length < 8) return false;
  const count = new DataView(head.buffer, head.byteOffset, 8).getUint32(4, order.littleEndian);
  return count >= 1 && count <= MAX_FAT_ARCHES;
}

/** The slices of a universal binary; throws EXECUTABLE_INVALID when the header or a slice is out of bounds. */
export function readFatSlices(bytes: Uint8Array, where: string): FatSlice[] {
  const order = fatByteOrder(bytes);
  const r: ByteReader = new ByteReader(bytes, where);
  if (order === undefined) r.fail("not a universal Mach-O file");
  r.littleEndian = order.littleEndian;
  const count = r.u32(4, "nfat_arch");
  if (count < 1 || count > MAX_FAT_ARCHES) r.fail(`a universal binary header with ${count} architectures (a Java class file?)`);
  const recordSize = order.is64 ? 32 : 20;
  const headerEnd = 8 + count * recordSize;
  r.check(8, count * recordSize, "fat_arch table");
  const slices: FatSlice[] = [];
  for (let i = 0; i < count; i++) {
    const at = 8 + i * recordSize;
    const cputype = r.u32(at, "cputype");
    const cpusubtype = r.u32(at + 4, "cpusubtype");
    const offset = order.is64 ? r.u64Number(at + 8, "offset") : r.u32(at + 8, "offset");
    const size = order.is64 ? r.u64Number(at + 16, "size") : r.u32(at + 12, "size");
    const arch = archName(cputype, cpusubtype);
    r.check(offset, size, `${arch} slice`);
    if (offset < headerEnd) r.fail(`${arch} slice at offset ${offset} overlaps the universal header`);
    slices.push({ arch, cputype, cpusubtype, offset, size });
  }
  return slices;
}

/** lipo's name for a CPU type: arm64e and x86_64h are subtypes of arm64 and x86_64. */
export function archName(cputype: number, cpusubtype: number): string {
  const name = CPU_NAMES.get(cputype);
  if (name === undefined) return `cputype 0x${cputype.toString(16)}`;
  const subtype = cpusubtype & CPU_SUBTYPE_MASK;
  if (name === "arm64" && subtype === 2) return "arm64e";
  if (name === "x86_64" && subtype === 8) return "x86_64h";
  return name;
}
