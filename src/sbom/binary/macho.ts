// Mach-O (thin, 32/64-bit, either byte order): LC_SEGMENT and LC_SEGMENT_64 load commands and their sections.
// A fat (universal) binary is a header and thin Mach-O slices: fat.ts finds the slices, this reads each one.
import { ByteReader, type Executable, type Section } from "./exe.ts";

const MH_MAGIC = 0xfeedface;
const MH_MAGIC_64 = 0xfeedfacf;
const LC_SEGMENT = 0x1;
const LC_SEGMENT_64 = 0x19;
const VM_PROT_WRITE = 0x2;
/** Section types whose bytes are not in the file. */
const ZEROFILL_TYPES = new Set([0x1, 0xc, 0x12]);
/** More load commands than any real binary has; bounds the loop on a damaged header. */
const MAX_COMMANDS = 65_536;

export function readMachO(bytes: Uint8Array, where: string): Executable {
  const r: ByteReader = new ByteReader(bytes, where);
  r.littleEndian = true;
  let magic = r.u32(0, "Mach-O magic");
  if (magic !== MH_MAGIC && magic !== MH_MAGIC_64) {
    r.littleEndian = false;
    magic = r.u32(0, "Mach-O magic");
    if (magic !== MH_MAGIC && magic !== MH_MAGIC_64) r.fail("not a Mach-O file");
  }
  const is64 = magic === MH_MAGIC_64;
  const ncmds = r.u32(16, "ncmds");
  const sizeofcmds = r.u32(20, "sizeofcmds");
  const first = is64 ? 32 : 28;
  r.check(first, sizeofcmds, "load commands");
  if (ncmds > MAX_COMMANDS) r.fail(`${ncmds} load commands`);
  const end = first + sizeofcmds;
  const sections: Section[] = [];
  const segments: Section[] = [];
  let at = first;
  for (let i = 0; i < ncmds; i++) {
    if (at + 8 > end) r.fail(`load command ${i} is outside the load command area`);
    const cmd = r.u32(at, "cmd");
    const cmdsize = r.u32(at + 4, "cmdsize");
    if (cmdsize < 8 || at + cmdsize > end) r.fail(`load command ${i} has a bad size (${cmdsize})`);
    if (cmd === LC_SEGMENT || cmd === LC_SEGMENT_64) readSegment(r, at, cmdsize, cmd === LC_SEGMENT_64, sections, segments);
    at += cmdsize;
  }
  return { format: "macho", pointerSize: is64 ? 8 : 4, littleEndian: r.littleEndian, sections, segments, bytes };
}

function readSegment(r: ByteReader, at: number, cmdsize: number, is64: boolean, sections: Section[], segments: Section[]): void {
  const segname = r.cString(at + 8, 16, "segname");
  const vmaddr = is64 ? r.u64(at + 24, "vmaddr") : BigInt(r.u32(at + 24, "vmaddr"));
  const vmsize = is64 ? r.u64Number(at + 32, "vmsize") : r.u32(at + 28, "vmsize");
  const fileoff = is64 ? r.u64Number(at + 40, "fileoff") : r.u32(at + 32, "fileoff");
  const filesize = is64 ? r.u64Number(at + 48, "filesize") : r.u32(at + 36, "filesize");
  const initprot = is64 ? r.u32(at + 60, "initprot") : r.u32(at + 44, "initprot");
  const nsects = is64 ? r.u32(at + 64, "nsects") : r.u32(at + 48, "nsects");
  const writable = (initprot & VM_PROT_WRITE) !== 0;
  r.check(fileoff, filesize, `segment ${segname}`);
  segments.push({ name: segname, segment: segname, addr: vmaddr, offset: fileoff, fileSize: filesize, memSize: vmsize, loaded: true, writable });
  const headerSize = is64 ? 72 : 56;
  const sectionSize = is64 ? 80 : 68;
  if (headerSize + nsects * sectionSize > cmdsize) r.fail(`segment ${segname}: ${nsects} sections do not fit its load command`);
  for (let k = 0; k < nsects; k++) {
    const s = at + headerSize + k * sectionSize;
    const name = r.cString(s, 16, "sectname");
    const addr = is64 ? r.u64(s + 32, "section addr") : BigInt(r.u32(s + 32, "section addr"));
    const size = is64 ? r.u64Number(s + 40, "section size") : r.u32(s + 36, "section size");
    const offset = is64 ? r.u32(s + 48, "section offset") : r.u32(s + 40, "section offset");
    const flags = is64 ? r.u32(s + 64, "section flags") : r.u32(s + 56, "section flags");
    const inFile = ZEROFILL_TYPES.has(flags & 0xff) ? 0 : size;
    r.check(offset, inFile, `section ${segname},${name}`);
    sections.push({ name, segment: r.cString(s + 16, 16, "section segname"), addr, offset, fileSize: inFile, memSize: size, loaded: true, writable });
  }
}
