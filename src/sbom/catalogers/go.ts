// Go: the build information the linker embeds in every module-aware Go binary (ELF, Mach-O, PE), and go.mod
// files. go.sum lists every module version the build ever considered, not what is linked: it is not read.
//
// Build info layout (Go's debug/buildinfo): a 32-byte header starting "\xff Go buildinf:", at a 16-byte aligned
// offset near the start of the data (ELF .go.buildinfo, Mach-O __go_buildinfo, PE's first writable data section);
// byte 14 is the pointer size, byte 15 flags (bit 0 big-endian, bit 1 strings inline). Go ≥ 1.18 writes the
// runtime version and the module information after the header as two uvarint-length-prefixed strings; older
// linkers wrote two pointers to Go string headers (data pointer, length) that are followed through the
// executable's address map. The module information is text: "path", "mod", "dep", "=>" and "build" lines.
import { findSection, looksExecutable, readAddress, sectionBytes, type Executable, type Section } from "../binary/exe.ts";
import { catalogExecutable } from "../binary/slices.ts";
import type { CatalogContext, CatalogedPackage, Cataloger, CatalogFile } from "../model.ts";
import { purl } from "../purl.ts";

const MAGIC = Buffer.from("\xff Go buildinf:", "latin1");
const HEADER_SIZE = 32;
/** The header sits within the first 64 KiB of the data it is searched in. */
const SEARCH_WINDOW = 64 * 1024;
const ALIGN = 16;
const FLAG_BIG_ENDIAN = 0x1;
const FLAG_INLINE_STRINGS = 0x2;
/** Longest version or module information string believed (large programs have a few hundred KiB). */
const MAX_STRING = 16 * 1024 * 1024;
/** Module information is framed by 16-byte sentinels in the binary (runtime/debug's modinfo). */
const SENTINEL_LENGTH = 16;
/** Smallest file worth opening: ELF, Mach-O and PE headers alone take this much. */
const MIN_EXECUTABLE_SIZE = 128;

export interface GoBuildInfo {
  /** The toolchain that built the binary: "go1.19.8". */
  goVersion: string;
  /** The main package's import path. */
  path: string | undefined;
  main: GoModule | undefined;
  deps: GoModule[];
  /** build lines: "-compiler" → "gc", "GOOS" → "linux", "vcs.revision" → "...". */
  settings: Map<string, string>;
}

export interface GoModule {
  path: string;
  version: string;
  sum: string | undefined;
  replace: GoModule | undefined;
}

/** Executables are candidates by mode (or a .exe name); their magic decides. Universal Mach-O: every slice. */
export const goBinaryCataloger: Cataloger = {
  name: "go-binary",
  wants: (path, size, mode) => size >= MIN_EXECUTABLE_SIZE && ((mode & 0o111) !== 0 || path.toLowerCase().endsWith(".exe")),
  wantsContent: (_path, head) => looksExecutable(head),
  parse(file, context) {
    return catalogExecutable(file, context, (exe, where) => {
      const info = readGoBuildInfo(exe);
      if (typeof info === "string") {
        if (info !== NOT_GO) context.note(`${where}: ${info}`);
        return [];
      }
      return packagesFromBuildInfo(info, file);
    });
  },
};

export const goModCataloger: Cataloger = {
  name: "go-mod",
  wants: (path) => path === "go.mod" || path.endsWith("/go.mod"),
  parse(file, context) {
    const text = Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength).toString("utf8");
    return packagesFromGoMod(parseGoMod(text, file.path, context), file);
  },
};

const NOT_GO = "not a Go binary";

/** The build info of an executable; a string says why there is none (NOT_GO when there is no header at all). */
export function readGoBuildInfo(exe: Executable): GoBuildInfo | string {
  const header = findHeader(exe);
  if (header === undefined) return NOT_GO;
  const pointerSize = header[14];
  const flags = header[15] as number;
  let version: Uint8Array | undefined;
  let modinfo: Uint8Array | undefined;
  if ((flags & FLAG_INLINE_STRINGS) !== 0) {
    const strings = readInlineStrings(header, 2);
    if (strings === undefined) return "Go build info is damaged (string lengths run past its section)";
    [version, modinfo] = strings;
  } else {
    if (pointerSize !== 4 && pointerSize !== 8) return `Go build info with a pointer size of ${pointerSize}`;
    const bigEndian = (flags & FLAG_BIG_ENDIAN) !== 0;
    version = readStringAt(exe, header, HEADER_SIZE / 2, pointerSize, bigEndian);
    modinfo = readStringAt(exe, header, HEADER_SIZE / 2 + pointerSize, pointerSize, bigEndian);
    if (version === undefined || modinfo === undefined) return "Go < 1.18 build info not read (its pointers lead outside the file)";
  }
  const goVersion = version === undefined ? "" : utf8(version);
  if (goVersion === "") return "Go build info without a Go version";
  return { goVersion, ...parseModInfo(utf8(stripSentinels(modinfo ?? new Uint8Array(0)))) };
}

/** The header and what follows it in its region (the strings are read from this view). */
function findHeader(exe: Executable): Uint8Array | undefined {
  for (const region of candidateRegions(exe)) {
    const data = sectionBytes(exe, region);
    const limit = Math.min(data.length, SEARCH_WINDOW) - HEADER_SIZE;
    for (let at = 0; at <= limit; at += ALIGN) {
      if (data[at] !== 0xff) continue;
      if (MAGIC.every((b, i) => data[at + i] === b)) return data.subarray(at);
    }
  }
  return undefined;
}

/** The named build info section first, then where linkers without one put it: writable data. */
function candidateRegions(exe: Executable): Section[] {
  const named = exe.format === "macho" ? findSection(exe, "__go_buildinfo") : findSection(exe, ".go.buildinfo");
  const writable = [...exe.sections, ...exe.segments].filter((s) => s.loaded && s.writable && s.fileSize > 0 && s !== named);
  return named === undefined ? writable : [named, ...writable];
}

/** `count` uvarint-length-prefixed strings after the header; undefined when a length runs past the data. */
function readInlineStrings(data: Uint8Array, count: number): Uint8Array[] | undefined {
  const out: Uint8Array[] = [];
  let at = HEADER_SIZE;
  for (let k = 0; k < count; k++) {
    const length = readUvarint(data, at);
    if (length === undefined) return undefined;
    at = length.next;
    if (length.value > MAX_STRING || at + length.value > data.length) return undefined;
    out.push(data.subarray(at, at + length.value));
    at += length.value;
  }
  return out;
}

/** Unsigned LEB128 as Go's encoding/binary writes it; at most 10 bytes. */
export function readUvarint(data: Uint8Array, at: number): { value: number; next: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10 && at + i < data.length; i++) {
    const b = data[at + i] as number;
    value += (b & 0x7f) * scale;
    if (b < 0x80) return Number.isSafeInteger(value) ? { value, next: at + i + 1 } : undefined;
    scale *= 128;
  }
  return undefined;
}

/** Go < 1.18: the header holds the address of a string header {data pointer, length}. */
function readStringAt(exe: Executable, header: Uint8Array, at: number, pointerSize: number, bigEndian: boolean): Uint8Array | undefined {
  const stringHeaderAddress = readPointer(header, at, pointerSize, bigEndian);
  if (stringHeaderAddress === undefined) return undefined;
  const stringHeader = readAddress(exe, stringHeaderAddress, pointerSize * 2);
  if (stringHeader === undefined) return undefined;
  const dataAddress = readPointer(stringHeader, 0, pointerSize, bigEndian);
  const length = readPointer(stringHeader, pointerSize, pointerSize, bigEndian);
  if (dataAddress === undefined || length === undefined || length > BigInt(MAX_STRING)) return undefined;
  if (length === 0n) return new Uint8Array(0);
  return readAddress(exe, dataAddress, Number(length));
}

function readPointer(data: Uint8Array, at: number, size: number, bigEndian: boolean): bigint | undefined {
  if (at + size > data.length) return undefined;
  const view = new DataView(data.buffer, data.byteOffset + at, size);
  return size === 8 ? view.getBigUint64(0, !bigEndian) : BigInt(view.getUint32(0, !bigEndian));
}

function stripSentinels(modinfo: Uint8Array): Uint8Array {
  if (modinfo.length >= 2 * SENTINEL_LENGTH + 1 && modinfo[modinfo.length - SENTINEL_LENGTH - 1] === 0x0a) {
    return modinfo.subarray(SENTINEL_LENGTH, modinfo.length - SENTINEL_LENGTH);
  }
  return modinfo;
}

function utf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

/** The module information text (runtime/debug.BuildInfo's String form). Unknown lines are skipped. */
export function parseModInfo(text: string): Omit<GoBuildInfo, "goVersion"> {
  let path: string | undefined;
  let main: GoModule | undefined;
  const deps: GoModule[] = [];
  const settings = new Map<string, string>();
  let last: GoModule | undefined;
  for (const line of text.split("\n")) {
    const tab = line.indexOf("\t");
    if (tab < 0) continue;
    const kind = line.slice(0, tab);
    const rest = line.slice(tab + 1);
    const fields = rest.split("\t");
    switch (kind) {
      case "path":
        path = rest;
        break;
      case "mod":
        main = moduleFrom(fields);
        last = main;
        break;
      case "dep":
        last = moduleFrom(fields);
        if (last !== undefined) deps.push(last);
        break;
      case "=>":
        if (last !== undefined) last.replace = moduleFrom(fields);
        last = undefined;
        break;
      case "build": {
        const setting = parseBuildSetting(rest);
        if (setting !== undefined) settings.set(setting[0], setting[1]);
        break;
      }
      default:
        break;
    }
  }
  return { path, main, deps, settings };
}

function moduleFrom(fields: string[]): GoModule | undefined {
  const [path, version, sum] = fields;
  if (path === undefined || path === "") return undefined;
  return { path, version: version ?? "", sum: sum === undefined || sum === "" ? undefined : sum, replace: undefined };
}

/** key=value, where a key or value with spaces, quotes or "=" is written as a Go quoted string. */
function parseBuildSetting(text: string): [string, string] | undefined {
  let key: string;
  let rest: string;
  if (text.startsWith("\"")) {
    const quoted = readGoQuoted(text);
    if (quoted === undefined) return undefined;
    key = quoted.value;
    rest = text.slice(quoted.end);
    if (!rest.startsWith("=")) return undefined;
    rest = rest.slice(1);
  } else {
    const eq = text.indexOf("=");
    if (eq < 0) return undefined;
    key = text.slice(0, eq);
    rest = text.slice(eq + 1);
  }
  if (rest.startsWith("\"")) {
    const quoted = readGoQuoted(rest);
    return quoted === undefined ? undefined : [key, quoted.value];
  }
  return [key, rest];
}

/** A double-quoted Go string at the start of `text` (strconv.Quote's escapes), and where it ends. */
function readGoQuoted(text: string): { value: string; end: number } | undefined {
  let out = "";
  for (let i = 1; i < text.length; i++) {
    const c = text[i] as string;
    if (c === "\"") return { value: out, end: i + 1 };
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = text[++i];
    const simple: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", "\"": "\"", "'": "'" };
    if (e !== undefined && simple[e] !== undefined) {
      out += simple[e];
    } else if (e === "x" || e === "u" || e === "U") {
      const digits = e === "x" ? 2 : e === "u" ? 4 : 8;
      const code = Number.parseInt(text.slice(i + 1, i + 1 + digits), 16);
      if (!Number.isFinite(code) || code > 0x10ffff) return undefined;
      out += String.fromCodePoint(code);
      i += digits;
    } else if (e !== undefined && /[0-7]/.test(e)) {
      out += String.fromCharCode(Number.parseInt(text.slice(i, i + 3), 8));
      i += 2;
    } else {
      return undefined;
    }
  }
  return undefined;
}

/** "go1.21.5" → "1.21.5"; "go1.22.0 X:boringcrypto" → "1.22.0"; a devel toolchain keeps its text. */
export function stdlibVersion(goVersion: string): string {
  const first = goVersion.trim().split(/\s+/)[0] ?? "";
  return /^go\d/.test(first) ? first.slice(2) : goVersion.trim();
}

/** purl for a Go module: the path's last element is the name, the rest the namespace. */
function goPurl(path: string, version: string | undefined): string {
  const slash = path.lastIndexOf("/");
  return purl({ type: "golang", namespace: slash < 0 ? undefined : path.slice(0, slash), name: path.slice(slash + 1), version });
}

function goPackage(path: string, version: string, file: CatalogFile, cataloger: string, metadata: Record<string, string>): CatalogedPackage {
  return {
    name: path,
    version,
    ecosystem: "Go",
    // "(devel)" is what a main module built from a checkout reports: no version to put in a purl.
    purl: goPurl(path, version === "(devel)" || version === "" ? undefined : version),
    type: "golang",
    licenses: [],
    locations: [file.location],
    cataloger,
    metadata,
  };
}

/** A replacement by a directory ("../lib", "/src/x", "C:\\x"): the go command records no version, or "(devel)". */
function isDirectoryReplacement(r: GoModule): boolean {
  return r.version === "" || r.version === "(devel)" || /^(\.{1,2}[\\/]|\/|[A-Za-z]:[\\/])/.test(r.path) || r.path === "." || r.path === "..";
}

/** A module as linked: a replacement with a version stands in for the module; a directory replacement does not. */
function linkedModule(m: GoModule): { path: string; version: string; metadata: Record<string, string> } {
  const metadata: Record<string, string> = {};
  const r = m.replace;
  if (r !== undefined && !isDirectoryReplacement(r)) {
    metadata.replaces = `${m.path}@${m.version}`;
    if (r.sum !== undefined) metadata.h1Digest = r.sum;
    return { path: r.path, version: r.version, metadata };
  }
  if (r !== undefined) metadata.replacedBy = r.path;
  if (m.sum !== undefined) metadata.h1Digest = m.sum;
  return { path: m.path, version: m.version, metadata };
}

export function packagesFromBuildInfo(info: GoBuildInfo, file: CatalogFile): CatalogedPackage[] {
  const packages: CatalogedPackage[] = [];
  const common: Record<string, string> = { goVersion: info.goVersion };
  if (info.main !== undefined) {
    const main = linkedModule(info.main);
    const settings = Object.fromEntries(info.settings);
    packages.push(goPackage(main.path, main.version, file, "go-binary", {
      ...settings, ...common, ...main.metadata, ...(info.path === undefined ? {} : { mainPackage: info.path }), mainModule: "true",
    }));
  }
  for (const dep of info.deps) {
    const m = linkedModule(dep);
    packages.push(goPackage(m.path, m.version, file, "go-binary", { ...common, ...m.metadata }));
  }
  // The standard library is linked into every Go program; OSV files its advisories under "stdlib".
  const stdlibMeta: Record<string, string> = { ...common };
  if (info.main === undefined && info.path !== undefined) stdlibMeta.mainPackage = info.path;
  packages.push(goPackage("stdlib", stdlibVersion(info.goVersion), file, "go-binary", stdlibMeta));
  return packages;
}

export interface GoModFile {
  module: string | undefined;
  goVersion: string | undefined;
  requires: Array<{ path: string; version: string; indirect: boolean }>;
  /** Keyed by "path" (every version) or "path@version". */
  replaces: Map<string, { path: string; version: string | undefined }>;
}

/** go.mod (https://go.dev/ref/mod#go-mod-file): directives, one per line or in parenthesised blocks. */
export function parseGoMod(text: string, where: string, context: CatalogContext): GoModFile {
  const mod: GoModFile = { module: undefined, goVersion: undefined, requires: [], replaces: new Map() };
  let block: string | undefined;
  let bad = 0;
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n] as string;
    const comment = commentOf(raw);
    const tokens = tokenize(comment.code);
    if (tokens === undefined) {
      bad++;
      continue;
    }
    if (tokens.length === 0) continue;
    if (block !== undefined) {
      if (tokens.length === 1 && tokens[0] === ")") {
        block = undefined;
        continue;
      }
      if (!applyDirective(mod, block, tokens, comment.text)) bad++;
      continue;
    }
    const [verb, ...args] = tokens as [string, ...string[]];
    if (args.length === 1 && args[0] === "(") {
      block = verb;
      continue;
    }
    if (!applyDirective(mod, verb, args, comment.text)) bad++;
  }
  if (bad > 0) context.note(`${where}: ${bad} go.mod line(s) not understood`);
  return mod;
}

function applyDirective(mod: GoModFile, verb: string, args: string[], comment: string): boolean {
  switch (verb) {
    case "module":
      mod.module = args[0];
      return args.length === 1;
    case "go":
      mod.goVersion = args[0];
      return args.length === 1;
    case "require": {
      const [path, version] = args;
      if (args.length !== 2 || path === undefined || version === undefined) return false;
      mod.requires.push({ path, version, indirect: /^\s*indirect\s*(;|$)/.test(comment) });
      return true;
    }
    case "replace": {
      const arrow = args.indexOf("=>");
      if (arrow !== 1 && arrow !== 2) return false;
      const from = args.slice(0, arrow);
      const to = args.slice(arrow + 1);
      if (to.length !== 1 && to.length !== 2) return false;
      const key = from.length === 2 ? `${from[0]}@${from[1]}` : (from[0] as string);
      mod.replaces.set(key, { path: to[0] as string, version: to[1] });
      return true;
    }
    default:
      // toolchain, exclude, retract, godebug, tool, ignore: nothing about what is linked.
      return true;
  }
}

function commentOf(line: string): { code: string; text: string } {
  // A "//" inside a quoted path cannot occur in practice: module paths have no "//".
  const at = line.indexOf("//");
  return at < 0 ? { code: line, text: "" } : { code: line.slice(0, at), text: line.slice(at + 2) };
}

/** Whitespace-separated tokens; "quoted" and `raw` strings are single tokens. Undefined on an open quote. */
function tokenize(code: string): string[] | undefined {
  const tokens: string[] = [];
  let i = 0;
  while (i < code.length) {
    const c = code[i] as string;
    if (c === " " || c === "\t") {
      i++;
    } else if (c === "\"" || c === "`") {
      const end = code.indexOf(c, i + 1);
      if (end < 0) return undefined;
      tokens.push(code.slice(i + 1, end));
      i = end + 1;
    } else if (c === "(" || c === ")") {
      tokens.push(c);
      i++;
    } else {
      let j = i;
      while (j < code.length && !" \t\"`()".includes(code[j] as string)) j++;
      tokens.push(code.slice(i, j));
      i = j;
    }
  }
  return tokens;
}

export function packagesFromGoMod(mod: GoModFile, file: CatalogFile): CatalogedPackage[] {
  return mod.requires.map((req) => {
    const replacement = mod.replaces.get(`${req.path}@${req.version}`) ?? mod.replaces.get(req.path);
    const replace: GoModule | undefined = replacement === undefined ? undefined : { path: replacement.path, version: replacement.version ?? "", sum: undefined, replace: undefined };
    const m = linkedModule({ path: req.path, version: req.version, sum: undefined, replace });
    return goPackage(m.path, m.version, file, "go-mod", { ...m.metadata, ...(req.indirect ? { indirect: "true" } : {}) });
  });
}
