// Rust: the dependency list cargo-auditable embeds in binaries, and Cargo.lock.
// cargo-auditable (https://github.com/rust-secure-code/cargo-auditable, format "v0") stores zlib-compressed JSON
// {"packages":[{"name","version","source","kind","dependencies","root"}]} in a section named .dep-v0 (ELF, PE;
// __DATA,.dep-v0 in Mach-O). "kind": "build" marks build-time-only crates (build scripts, proc macros): they are
// not in the binary and are not reported.
import { inflateSync } from "node:zlib";
import { isDrydockError } from "../../core/errors.ts";
import { findSection, looksExecutable, sectionBytes, type Executable } from "../binary/exe.ts";
import { catalogExecutable } from "../binary/slices.ts";
import type { CatalogContext, CatalogedPackage, Cataloger, CatalogFile } from "../model.ts";
import { purl } from "../purl.ts";
import { parseToml } from "../toml.ts";

const SECTION = ".dep-v0";
/** Largest inflated dependency list believed (thousands of crates take a few hundred KiB). */
const MAX_JSON = 16 * 1024 * 1024;
const MIN_EXECUTABLE_SIZE = 128;
const CRATES_IO_INDEXES = new Set(["registry+https://github.com/rust-lang/crates.io-index", "sparse+https://index.crates.io/"]);

export const rustBinaryCataloger: Cataloger = {
  name: "rust-binary",
  wants: (path, size, mode) => size >= MIN_EXECUTABLE_SIZE && ((mode & 0o111) !== 0 || path.toLowerCase().endsWith(".exe")),
  wantsContent: (_path, head) => looksExecutable(head),
  // A universal Mach-O is read slice by slice.
  parse: (file, context) => catalogExecutable(file, context, (exe, where) => packagesFromExecutable(exe, where, file, context)),
};

function packagesFromExecutable(exe: Executable, where: string, file: CatalogFile, context: CatalogContext): CatalogedPackage[] {
  const section = exe.format === "macho" ? findSection(exe, SECTION, "__DATA") : findSection(exe, SECTION);
  if (section === undefined) return [];
  let json: string;
  try {
    json = inflateSync(sectionBytes(exe, section), { maxOutputLength: MAX_JSON }).toString("utf8");
  } catch (e) {
    const tooBig = (e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE";
    context.note(`${where}: ${SECTION} ${tooBig ? `inflates past ${MAX_JSON} bytes` : "is not zlib data"}; cargo-auditable data not read`);
    return [];
  }
  return packagesFromAuditData(json, where, file, context);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function cratePackage(name: string, version: string, file: CatalogFile, cataloger: string, metadata: Record<string, string>): CatalogedPackage {
  return {
    name,
    version,
    // Crates from elsewhere (git, a path, another registry) keep the ecosystem; metadata.source says where they came from.
    ecosystem: "crates.io",
    purl: purl({ type: "cargo", name, version }),
    type: "cargo",
    licenses: [],
    locations: [file.location],
    cataloger,
    metadata,
  };
}

function packagesFromAuditData(json: string, where: string, file: CatalogFile, context: CatalogContext): CatalogedPackage[] {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (e) {
    context.note(`${where}: ${SECTION} is not JSON (${(e as Error).message})`);
    return [];
  }
  if (!isObject(doc) || !Array.isArray(doc.packages)) {
    context.note(`${where}: ${SECTION} has no "packages" list`);
    return [];
  }
  const packages: CatalogedPackage[] = [];
  let malformed = 0;
  for (const entry of doc.packages) {
    if (!isObject(entry) || typeof entry.name !== "string" || typeof entry.version !== "string") {
      malformed++;
      continue;
    }
    if (entry.kind === "build") continue;
    const source = typeof entry.source === "string" ? entry.source : "crates.io";
    const metadata: Record<string, string> = {};
    if (source !== "crates.io") metadata.source = source;
    if (entry.root === true) metadata.root = "true";
    packages.push(cratePackage(entry.name, entry.version, file, "rust-binary", metadata));
  }
  if (malformed > 0) context.note(`${where}: ${malformed} ${SECTION} entries without a name and version`);
  return packages;
}

export const cargoLockCataloger: Cataloger = {
  name: "cargo-lock",
  wants: (path) => path === "Cargo.lock" || path.endsWith("/Cargo.lock"),
  parse(file, context) {
    let doc: Record<string, unknown>;
    try {
      doc = parseToml(Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength).toString("utf8"), file.path);
    } catch (e) {
      const message = isDrydockError(e) ? e.message : String(e);
      context.note(message.startsWith(file.path) ? message : `${file.path}: ${message}`);
      return [];
    }
    const list = doc.package;
    if (list === undefined) return [];
    if (!Array.isArray(list)) {
      context.note(`${file.path}: "package" is not an array of tables`);
      return [];
    }
    const packages: CatalogedPackage[] = [];
    let malformed = 0;
    for (const entry of list) {
      if (!isObject(entry) || typeof entry.name !== "string" || typeof entry.version !== "string") {
        malformed++;
        continue;
      }
      const metadata: Record<string, string> = {};
      const source = typeof entry.source === "string" ? entry.source : undefined;
      // No source: a workspace member or a path dependency.
      if (source === undefined) metadata.source = "local";
      else if (!CRATES_IO_INDEXES.has(source)) metadata.source = source;
      if (typeof entry.checksum === "string") metadata.checksum = entry.checksum;
      packages.push(cratePackage(entry.name, entry.version, file, "cargo-lock", metadata));
    }
    if (malformed > 0) context.note(`${file.path}: ${malformed} [[package]] entries without a name and version`);
    return packages;
  },
};
