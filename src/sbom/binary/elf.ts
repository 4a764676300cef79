// ELF (System V ABI, "Object Files" chapter): the section header table with names from .shstrtab, and the
// PT_LOAD program headers for address translation. 32/64-bit, either byte order; extended section numbering
// (e_shnum = 0, e_shstrndx = SHN_XINDEX) is followed through section 0.
import { ByteReader, type Executable, type Section } from "./exe.ts";

const SHT_NOBITS = 8;
const SHF_WRITE = 0x1;
const SHF_ALLOC = 0x2;
const PT_LOAD = 1;
const PF_W = 0x2;
const SHN_XINDEX = 0xffff;

interface RawSection {
  nameOffset: number;
  type: number;
  flags: bigint;
  addr: bigint;
  offset: number;
  size: number;
  link: number;
}

export function readElf(bytes: Uint8Array, where: string): Executable {
  const r: ByteReader = new ByteReader(bytes, where);
  r.check(0, 16, "ELF identification");
  const elfClass = r.u8(4, "EI_CLASS");
  const data = r.u8(5, "EI_DATA");
  if (elfClass !== 1 && elfClass !== 2) r.fail(`unknown ELF class ${elfClass}`);
  if (data !== 1 && data !== 2) r.fail(`unknown ELF byte order ${data}`);
  r.littleEndian = data === 1;
  const is64 = elfClass === 2;
  r.check(0, is64 ? 64 : 52, "ELF header");
  const phoff = is64 ? r.u64Number(32, "e_phoff") : r.u32(28, "e_phoff");
  const shoff = is64 ? r.u64Number(40, "e_shoff") : r.u32(32, "e_shoff");
  const base = is64 ? 54 : 42;
  const phentsize = r.u16(base, "e_phentsize");
  const phnum = r.u16(base + 2, "e_phnum");
  const shentsize = r.u16(base + 4, "e_shentsize");
  let shnum = r.u16(base + 6, "e_shnum");
  let shstrndx = r.u16(base + 8, "e_shstrndx");

  const sections: Section[] = [];
  if (shoff !== 0) {
    if (shentsize < (is64 ? 64 : 40)) r.fail(`section header entries of ${shentsize} bytes are too small`);
    r.check(shoff, Math.max(1, shnum) * shentsize, "section header table");
    const section0 = readSectionHeader(r, shoff, is64);
    if (shnum === 0) shnum = section0.size;
    if (shstrndx === SHN_XINDEX) shstrndx = section0.link;
    r.check(shoff, shnum * shentsize, "section header table");
    const raw: RawSection[] = [];
    for (let i = 0; i < shnum; i++) raw.push(readSectionHeader(r, shoff + i * shentsize, is64));
    const strtab = raw[shstrndx];
    if (strtab === undefined) r.fail(`section name table index ${shstrndx} is not a section`);
    r.check(strtab.offset, strtab.size, "section name table");
    for (const s of raw) {
      // NOBITS sections (.bss) occupy no file bytes, and linkers give them offsets past the end of the file.
      if (s.type === 0) continue;
      const inFile = s.type === SHT_NOBITS ? 0 : s.size;
      if (inFile > 0) r.check(s.offset, inFile, `section at index ${raw.indexOf(s)}`);
      if (s.nameOffset >= strtab.size) r.fail(`section name offset ${s.nameOffset} is outside the name table`);
      sections.push({
        name: r.cString(strtab.offset + s.nameOffset, strtab.size - s.nameOffset, "section name"),
        segment: undefined,
        addr: s.addr,
        offset: s.offset,
        fileSize: inFile,
        memSize: s.size,
        loaded: (s.flags & BigInt(SHF_ALLOC)) !== 0n,
        writable: (s.flags & BigInt(SHF_WRITE)) !== 0n,
      });
    }
  }

  const segments: Section[] = [];
  if (phoff !== 0 && phnum > 0) {
    if (phentsize < (is64 ? 56 : 32)) r.fail(`program header entries of ${phentsize} bytes are too small`);
    r.check(phoff, phnum * phentsize, "program header table");
    for (let i = 0; i < phnum; i++) {
      const at = phoff + i * phentsize;
      if (r.u32(at, "p_type") !== PT_LOAD) continue;
      const flags = is64 ? r.u32(at + 4, "p_flags") : r.u32(at + 24, "p_flags");
      const offset = is64 ? r.u64Number(at + 8, "p_offset") : r.u32(at + 4, "p_offset");
      const addr = is64 ? r.u64(at + 16, "p_vaddr") : BigInt(r.u32(at + 8, "p_vaddr"));
      const fileSize = is64 ? r.u64Number(at + 32, "p_filesz") : r.u32(at + 16, "p_filesz");
      const memSize = is64 ? r.u64Number(at + 40, "p_memsz") : r.u32(at + 20, "p_memsz");
      r.check(offset, fileSize, `loadable segment ${i}`);
      segments.push({ name: `PT_LOAD[${i}]`, segment: undefined, addr, offset, fileSize, memSize, loaded: true, writable: (flags & PF_W) !== 0 });
    }
  }
  return { format: "elf", pointerSize: is64 ? 8 : 4, littleEndian: r.littleEndian, sections, segments, bytes };
}

function readSectionHeader(r: ByteReader, at: number, is64: boolean): RawSection {
  if (is64) {
    return {
      nameOffset: r.u32(at, "sh_name"),
      type: r.u32(at + 4, "sh_type"),
      flags: r.u64(at + 8, "sh_flags"),
      addr: r.u64(at + 16, "sh_addr"),
      offset: r.u64Number(at + 24, "sh_offset"),
      size: r.u64Number(at + 32, "sh_size"),
      link: r.u32(at + 40, "sh_link"),
    };
  }
  return {
    nameOffset: r.u32(at, "sh_name"),
    type: r.u32(at + 4, "sh_type"),
    flags: BigInt(r.u32(at + 8, "sh_flags")),
    addr: BigInt(r.u32(at + 12, "sh_addr")),
    offset: r.u32(at + 16, "sh_offset"),
    size: r.u32(at + 20, "sh_size"),
    link: r.u32(at + 24, "sh_link"),
  };
}
