// PE/COFF (Microsoft PE format specification): the COFF header, the optional header's magic and image base, and
// the section table. Long section names ("/123") are read from the COFF string table.
import { ByteReader, type Executable, type Section } from "./exe.ts";

const PE32 = 0x10b;
const PE32_PLUS = 0x20b;
const IMAGE_SCN_CNT_UNINITIALIZED_DATA = 0x80;
const IMAGE_SCN_MEM_WRITE = 0x80000000;

export function readPe(bytes: Uint8Array, where: string): Executable {
  const r: ByteReader = new ByteReader(bytes, where);
  r.littleEndian = true;
  const pe = r.u32(0x3c, "e_lfanew");
  r.check(pe, 24, "PE header");
  if (r.u32(pe, "PE signature") !== 0x00004550) r.fail("an MZ file without a PE signature");
  const nsections = r.u16(pe + 6, "NumberOfSections");
  const symbolTable = r.u32(pe + 8, "PointerToSymbolTable");
  const nsymbols = r.u32(pe + 12, "NumberOfSymbols");
  const optionalSize = r.u16(pe + 20, "SizeOfOptionalHeader");
  const optional = pe + 24;
  r.check(optional, optionalSize, "optional header");
  const magic = r.u16(optional, "optional header magic");
  if (magic !== PE32 && magic !== PE32_PLUS) r.fail(`unknown optional header magic 0x${magic.toString(16)}`);
  const imageBase = magic === PE32_PLUS ? r.u64(optional + 24, "ImageBase") : BigInt(r.u32(optional + 28, "ImageBase"));
  const table = optional + optionalSize;
  r.check(table, nsections * 40, "section table");
  const strings = symbolTable === 0 ? undefined : symbolTable + nsymbols * 18;
  const sections: Section[] = [];
  for (let i = 0; i < nsections; i++) {
    const at = table + i * 40;
    let name = r.cString(at, 8, "section name");
    if (name.startsWith("/") && strings !== undefined) {
      const offset = Number.parseInt(name.slice(1), 10);
      if (Number.isSafeInteger(offset)) name = r.cString(strings + offset, 256, "long section name");
    }
    const virtualSize = r.u32(at + 8, "VirtualSize");
    const virtualAddress = r.u32(at + 12, "VirtualAddress");
    const rawSize = r.u32(at + 16, "SizeOfRawData");
    const rawPointer = r.u32(at + 20, "PointerToRawData");
    const characteristics = r.u32(at + 36, "Characteristics");
    const uninitialized = (characteristics & IMAGE_SCN_CNT_UNINITIALIZED_DATA) !== 0 || rawPointer === 0;
    // Raw data is padded to the file alignment: the section proper is the smaller of the two sizes.
    const inFile = uninitialized ? 0 : virtualSize === 0 ? rawSize : Math.min(rawSize, virtualSize);
    r.check(rawPointer, inFile, `section ${name}`);
    sections.push({
      name,
      segment: undefined,
      addr: imageBase + BigInt(virtualAddress),
      offset: rawPointer,
      fileSize: inFile,
      memSize: virtualSize === 0 ? rawSize : virtualSize,
      loaded: true,
      writable: (characteristics & IMAGE_SCN_MEM_WRITE) !== 0,
    });
  }
  return { format: "pe", pointerSize: magic === PE32_PLUS ? 8 : 4, littleEndian: true, sections, segments: [], bytes };
}
