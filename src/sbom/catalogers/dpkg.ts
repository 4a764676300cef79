// Debian packages from dpkg's database: var/lib/dpkg/status (deb822 paragraphs, one per package) and the
// distroless layout var/lib/dpkg/status.d/<name> (one paragraph per file, *.md5sums beside them ignored).
// An image may carry both (drydock base writes both by default): a status.d paragraph naming a package that the
// status file also lists as present, with the same name, architecture and version, is the same package and is
// reported once, at var/lib/dpkg/status (the database dpkg itself reads). A status.d package the status file does
// not list, or lists at another version, is still reported: deduplication never drops a package.
// A package is reported when its files are on disk: every state but not-installed and config-files (what
// `dpkg-query -W` lists, less the config-files leftovers of removed packages). Licences come from
// usr/share/doc/<package>/copyright when it is machine-readable (DEP-5: a Format: line naming copyright-format).
import { purl } from "../purl.ts";
import type { CatalogContext, CatalogedPackage, CatalogFile, Cataloger } from "../model.ts";
import { DEFAULT_OS_ECOSYSTEM } from "../distro.ts";

const STATUS = "var/lib/dpkg/status";
const STATUS_D = "var/lib/dpkg/status.d/";
const DOC = "usr/share/doc/";
/** Copyright files are text of a few KiB to a few hundred; a larger one is not worth reading for licence names. */
const MAX_COPYRIGHT_BYTES = 1024 * 1024;
/** States whose package files are gone: only configuration (config-files) or nothing (not-installed) is left. */
const ABSENT_STATES = new Set(["not-installed", "config-files"]);

const utf8 = new TextDecoder("utf-8");

/** One deb822 paragraph: field names lowercased, continuation lines joined with "\n". */
export type Deb822Paragraph = Map<string, string>;

/**
 * deb822 paragraphs: "Field: value" lines, continuation lines start with a space or tab, paragraphs are separated
 * by blank lines; "#" comment lines are skipped. Lines that are neither are counted in `malformed`, not fatal.
 */
export function parseDeb822(text: string): { paragraphs: Deb822Paragraph[]; malformed: number } {
  const paragraphs: Deb822Paragraph[] = [];
  let current: Deb822Paragraph | undefined;
  let lastField: string | undefined;
  let malformed = 0;
  for (const raw of text.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") {
      current = undefined;
      lastField = undefined;
      continue;
    }
    const first = line.charCodeAt(0);
    if (first === 0x20 || first === 0x09) {
      if (current === undefined || lastField === undefined) {
        malformed++;
        continue;
      }
      current.set(lastField, `${current.get(lastField) ?? ""}\n${line.trim()}`);
      continue;
    }
    if (first === 0x23) continue; // '#'
    const colon = line.indexOf(":");
    if (colon <= 0) {
      malformed++;
      continue;
    }
    if (current === undefined) {
      current = new Map();
      paragraphs.push(current);
    }
    lastField = line.slice(0, colon).trim().toLowerCase();
    current.set(lastField, line.slice(colon + 1).trim());
  }
  return { paragraphs, malformed };
}

/** "name" or "name (version)" from a Source field. */
export function parseSourceField(value: string): { name: string; version: string | undefined } | undefined {
  const m = /^([^\s(]+)\s*(?:\(\s*([^)\s]+)\s*\))?\s*$/.exec(value);
  if (m === null) return undefined;
  return { name: m[1] as string, version: m[2] };
}

/** Whether a Status field ("install ok installed") says the package's files are installed. */
function isPresent(status: string | undefined): boolean {
  if (status === undefined) return true; // distroless status.d files carry no Status: their packages are installed
  const state = status.split(/\s+/)[2];
  return state === undefined || !ABSENT_STATES.has(state);
}

export function debPackageOf(p: Deb822Paragraph, file: CatalogFile): CatalogedPackage | undefined {
  const name = p.get("package");
  if (name === undefined || name === "" || !isPresent(p.get("status"))) return undefined;
  const version = p.get("version") ?? "";
  const arch = p.get("architecture");
  const metadata: Record<string, string> = {};
  if (arch !== undefined && arch !== "") metadata.arch = arch;
  const maintainer = p.get("maintainer");
  if (maintainer !== undefined && maintainer !== "") metadata.maintainer = maintainer;
  const installedSize = p.get("installed-size");
  if (installedSize !== undefined && /^\d+$/.test(installedSize)) metadata.installedSize = installedSize;
  const pkg: CatalogedPackage = {
    name,
    version,
    ecosystem: DEFAULT_OS_ECOSYSTEM.deb,
    purl: purl({ type: "deb", namespace: "debian", name, version, qualifiers: { arch } }),
    type: "deb",
    licenses: [],
    locations: [file.location],
    cataloger: "dpkg",
    metadata,
  };
  const source = p.get("source");
  const parsed = source === undefined ? undefined : parseSourceField(source);
  if (parsed !== undefined) {
    pkg.sourceName = parsed.name;
    metadata.source = parsed.name;
    if (parsed.version !== undefined && parsed.version !== version) pkg.sourceVersion = parsed.version;
  }
  return pkg;
}

/**
 * The licences a DEP-5 copyright file declares: the first line of every License field, once each, in order of
 * appearance ("GPL-2+", "BSD-3-clause", "LGPL-2.1+ or GPL-3"), as declared. [] for a free-form file.
 */
export function dep5Licenses(text: string): string[] {
  const { paragraphs } = parseDeb822(text);
  const format = paragraphs[0]?.get("format") ?? "";
  if (!format.includes("copyright-format")) return [];
  const out = new Set<string>();
  for (const p of paragraphs) {
    const name = p.get("license")?.split("\n")[0]?.trim();
    if (name !== undefined && name !== "") out.add(name);
  }
  return [...out];
}

/** Identity of an installed package across the two database layouts. */
function packageKey(name: string, arch: string | undefined, version: string): string {
  return `${name}\0${arch ?? ""}\0${version}`;
}

/**
 * The packages a status file reports (their keys). Memoised per content: the driver hands the same companion bytes
 * to every status.d file, and a status file with hundreds of paragraphs should be parsed once, not once per file.
 */
const statusKeysByContent = new WeakMap<Uint8Array, ReadonlySet<string>>();
function presentInStatus(bytes: Uint8Array): ReadonlySet<string> {
  const known = statusKeysByContent.get(bytes);
  if (known !== undefined) return known;
  const keys = new Set<string>();
  for (const p of parseDeb822(utf8.decode(bytes)).paragraphs) {
    const name = p.get("package");
    if (name === undefined || name === "" || !isPresent(p.get("status"))) continue;
    keys.add(packageKey(name, p.get("architecture"), p.get("version") ?? ""));
  }
  statusKeysByContent.set(bytes, keys);
  return keys;
}

export const dpkgCataloger: Cataloger = {
  name: "dpkg",
  wants(path) {
    if (path === STATUS) return true;
    return path.startsWith(STATUS_D) && path.indexOf("/", STATUS_D.length) < 0 && !path.endsWith(".md5sums") && path.length > STATUS_D.length;
  },
  parse(file: CatalogFile, context: CatalogContext): CatalogedPackage[] {
    const text = utf8.decode(file.bytes);
    const { paragraphs, malformed } = parseDeb822(text);
    if (malformed > 0) context.note(`dpkg: /${file.path} has ${malformed} malformed line(s); they were skipped`);
    if (paragraphs.length === 0 && file.bytes.length > 0) context.note(`dpkg: /${file.path} holds no package paragraphs`);
    const statusCompanion = file.path === STATUS ? undefined : file.companions?.get(STATUS);
    const inStatus = statusCompanion === undefined ? undefined : presentInStatus(statusCompanion);
    const out: CatalogedPackage[] = [];
    for (const p of paragraphs) {
      if (!p.has("package")) {
        context.note(`dpkg: /${file.path} has a paragraph without a Package field; skipped`);
        continue;
      }
      const pkg = debPackageOf(p, file);
      if (pkg === undefined) continue;
      if (inStatus?.has(packageKey(pkg.name, pkg.metadata?.arch, pkg.version)) === true) continue; // reported from the status file
      out.push(pkg);
    }
    return out;
  },
  // A status.d file needs the status file beside it to tell a duplicate from a package of its own.
  companions: (path) => (path === STATUS ? [] : [STATUS]),
  licenseFiles: {
    wants(path, size) {
      return size <= MAX_COPYRIGHT_BYTES && path.startsWith(DOC) && path.endsWith("/copyright") && path.indexOf("/", DOC.length) === path.length - "/copyright".length;
    },
    read: (bytes) => dep5Licenses(utf8.decode(bytes)),
    // Multi-Arch: same packages share one doc directory, named without the architecture.
    pathOf: (pkg) => `${DOC}${pkg.name}/copyright`,
  },
};
