// Java archives (jar, war, ear and their relatives): Maven coordinates from every
// META-INF/maven/<groupId>/<artifactId>/pom.properties (a shaded jar carries several), else from
// META-INF/MANIFEST.MF, else from the file name. Archives inside archives (WEB-INF/lib, BOOT-INF/lib, ear
// modules) are read the same way, in memory, down to MAX_DEPTH levels.
import { isDrydockError } from "../../core/errors.ts";
import { ZipMemoryReader, type ZipEntry, type ZipLimits } from "../../vuln/db/zip.ts";
import type { CatalogContext, CatalogedPackage, Cataloger, CatalogFile, PackageLocation } from "../model.ts";
import { purl } from "../purl.ts";

const CATALOGER = "java-archive";
const ARCHIVE_EXTENSIONS = new Set(["jar", "war", "ear", "par", "sar", "jpi", "hpi", "nar"]);
/** Nested archives deeper than this are not opened (a jar in a jar in a jar in a war in an ear is the most seen). */
const MAX_DEPTH = 4;
/** Largest nested archive read into memory, and largest metadata file (pom.properties, MANIFEST.MF). */
const MAX_NESTED_ARCHIVE = 256 * 1024 * 1024;
const MAX_METADATA_FILE = 1024 * 1024;
/** Sum of nested archive bytes inflated for one top-level file: bounds the work a crafted archive can cause. */
const MAX_NESTED_TOTAL = 1024 * 1024 * 1024;
/** Ratio above which an inflating entry over 1 MiB is taken for a zip bomb (deflate tops out near 1032:1). */
const MAX_RATIO = 200;

// Entry sizes are checked here, per entry we actually read, so one huge unrelated entry (a model file in a fat
// jar) does not make the whole archive unreadable.
const ARCHIVE_LIMITS: ZipLimits = {
  maxEntries: 1_000_000,
  maxEntrySize: Number.MAX_SAFE_INTEGER,
  maxTotalSize: Number.MAX_SAFE_INTEGER,
  maxRatio: Number.MAX_SAFE_INTEGER,
  // One entry drydock cannot inflate (deflate64, encrypted) leaves the others readable.
  unsupportedEntries: "list",
};

/** The lowercased extension of a path's last segment, without the dot ("" when none). */
function extensionOf(path: string): string {
  const slash = path.lastIndexOf("/");
  const dot = path.lastIndexOf(".");
  return dot > slash ? path.slice(dot + 1).toLowerCase() : "";
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

export function isJavaArchivePath(path: string): boolean {
  return ARCHIVE_EXTENSIONS.has(extensionOf(path));
}

/**
 * A local file header ("PK\3\4"), an end-of-central-directory record (an empty archive), or "#!": a "fully
 * executable" jar (Spring Boot's launch script, then the zip) whose zip part only its end shows.
 */
function mayBeJavaArchive(head: Uint8Array): boolean {
  if (head.length >= 2 && head[0] === 0x23 && head[1] === 0x21) return true;
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b
    && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));
}

export const javaArchiveCataloger: Cataloger = {
  name: CATALOGER,
  wants: (path) => isJavaArchivePath(path),
  wantsContent: (_path, head) => mayBeJavaArchive(head),
  parse(file, context) {
    const walk: ArchiveWalk = { file, context, nestedBytes: 0 };
    return catalogArchive(walk, file.bytes, baseName(file.path), undefined, 0);
  },
};

interface ArchiveWalk {
  file: CatalogFile;
  context: CatalogContext;
  nestedBytes: number;
}

/** Maven coordinates as far as they are known. */
interface Coordinates {
  groupId: string | undefined;
  artifactId: string;
  version: string;
}

function catalogArchive(walk: ArchiveWalk, bytes: Uint8Array, fileName: string, inner: string | undefined, depth: number): CatalogedPackage[] {
  const where = inner === undefined ? walk.file.path : `${walk.file.path}!${inner}`;
  let zip: ZipMemoryReader;
  try {
    zip = ZipMemoryReader.open(where, bytes, ARCHIVE_LIMITS);
  } catch (e) {
    walk.context.note(`${where}: not a readable Java archive (${isDrydockError(e) ? e.message : String(e)})`);
    return [];
  }
  const location: PackageLocation = inner === undefined ? walk.file.location : { ...walk.file.location, inner };
  const packages: CatalogedPackage[] = [];
  const poms = zip.entries.filter((e) => isPomProperties(e.name)).sort((a, b) => compareText(a.name, b.name));
  for (const entry of poms) {
    const text = readSmallEntry(walk, zip, entry, where);
    if (text === undefined) continue;
    const coordinates = coordinatesFromPomProperties(parseProperties(text), entry.name);
    if (coordinates === undefined) {
      walk.context.note(`${where}!${entry.name}: pom.properties without groupId, artifactId and version`);
      continue;
    }
    packages.push(mavenPackage(coordinates, location, { pomProperties: entry.name }));
  }
  if (packages.length === 0) {
    const identity = identityWithoutPom(walk, zip, fileName, where);
    if (identity !== undefined) packages.push(mavenPackage(identity.coordinates, location, identity.metadata, identity.licenses));
    else walk.context.note(`${where}: no pom.properties, manifest version or versioned file name: Java archive not identified`);
  } else {
    const licenses = manifestLicenses(walk, zip, where);
    // The manifest describes the archive itself: its licence belongs to the one artifact it was built from.
    if (licenses.length > 0 && packages.length === 1 && packages[0] !== undefined) packages[0].licenses = licenses;
  }
  if (depth < MAX_DEPTH) {
    for (const entry of zip.entries) {
      if (!isJavaArchivePath(entry.name)) continue;
      const nested = readNestedArchive(walk, zip, entry, where);
      if (nested === undefined) continue;
      const nestedInner = inner === undefined ? entry.name : `${inner}!${entry.name}`;
      packages.push(...catalogArchive(walk, nested, baseName(entry.name), nestedInner, depth + 1));
    }
  } else if (zip.entries.some((e) => isJavaArchivePath(e.name))) {
    walk.context.note(`${where}: Java archives nested deeper than ${MAX_DEPTH} levels were not read`);
  }
  return packages;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** META-INF/maven/<groupId>/<artifactId>/pom.properties, exactly that depth. */
function isPomProperties(name: string): boolean {
  if (!name.startsWith("META-INF/maven/") || !name.endsWith("/pom.properties")) return false;
  return name.split("/").length === 5;
}

function readSmallEntry(walk: ArchiveWalk, zip: ZipMemoryReader, entry: ZipEntry, where: string): string | undefined {
  if (entry.size > MAX_METADATA_FILE) {
    walk.context.note(`${where}!${entry.name}: ${entry.size} bytes, too large for a metadata file; skipped`);
    return undefined;
  }
  const data = readEntry(walk, zip, entry, where);
  return data === undefined ? undefined : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("utf8");
}

function readNestedArchive(walk: ArchiveWalk, zip: ZipMemoryReader, entry: ZipEntry, where: string): Uint8Array | undefined {
  if (entry.size > MAX_NESTED_ARCHIVE) {
    walk.context.note(`${where}!${entry.name}: nested archive of ${entry.size} bytes not read (limit ${MAX_NESTED_ARCHIVE})`);
    return undefined;
  }
  if (walk.nestedBytes + entry.size > MAX_NESTED_TOTAL) {
    walk.context.note(`${walk.file.path}: more than ${MAX_NESTED_TOTAL} bytes of nested archives; the rest were not read`);
    return undefined;
  }
  walk.nestedBytes += entry.size;
  return readEntry(walk, zip, entry, where);
}

function readEntry(walk: ArchiveWalk, zip: ZipMemoryReader, entry: ZipEntry, where: string): Uint8Array | undefined {
  if (entry.size > 1024 * 1024 && entry.size > entry.compressedSize * MAX_RATIO) {
    walk.context.note(`${where}!${entry.name}: compression ratio ${Math.round(entry.size / Math.max(1, entry.compressedSize))}:1 looks like a zip bomb; not read`);
    return undefined;
  }
  try {
    return zip.read(entry);
  } catch (e) {
    walk.context.note(`${where}!${entry.name}: unreadable (${isDrydockError(e) ? e.message : String(e)})`);
    return undefined;
  }
}

function coordinatesFromPomProperties(props: Map<string, string>, entryName: string): Coordinates | undefined {
  const [, , dirGroup, dirArtifact] = entryName.split("/");
  const groupId = nonEmpty(props.get("groupId")) ?? nonEmpty(dirGroup);
  const artifactId = nonEmpty(props.get("artifactId")) ?? nonEmpty(dirArtifact);
  const version = nonEmpty(props.get("version"));
  if (groupId === undefined || artifactId === undefined || version === undefined) return undefined;
  return { groupId, artifactId, version };
}

function nonEmpty(s: string | undefined): string | undefined {
  const t = s?.trim();
  return t === undefined || t === "" ? undefined : t;
}

interface Identity {
  coordinates: Coordinates;
  metadata: Record<string, string>;
  licenses: string[];
}

/** An archive without pom.properties: its manifest, then its file name. */
function identityWithoutPom(walk: ArchiveWalk, zip: ZipMemoryReader, fileName: string, where: string): Identity | undefined {
  const manifest = readManifest(walk, zip, where);
  const fromName = coordinatesFromFileName(fileName);
  const licenses = manifest === undefined ? [] : licensesOf(manifest);
  if (manifest !== undefined) {
    const version = nonEmpty(manifest.get("Implementation-Version")) ?? nonEmpty(manifest.get("Bundle-Version")) ?? nonEmpty(manifest.get("Specification-Version"));
    const symbolicName = nonEmpty(manifest.get("Bundle-SymbolicName")?.split(";")[0]);
    const artifactId = fromName?.artifactId ?? nonEmpty(manifest.get("Implementation-Title")) ?? symbolicName ?? nonEmpty(manifest.get("Specification-Title"));
    if (version !== undefined && artifactId !== undefined) {
      const groupId = nonEmpty(manifest.get("Implementation-Vendor-Id")) ?? groupFromSymbolicName(symbolicName, artifactId);
      return { coordinates: { groupId, artifactId, version }, metadata: { guessedFrom: "manifest" }, licenses };
    }
  }
  if (fromName !== undefined && fromName.version !== undefined) {
    return { coordinates: { groupId: undefined, artifactId: fromName.artifactId, version: fromName.version }, metadata: { guessedFrom: "filename" }, licenses };
  }
  return undefined;
}

/**
 * OSGi symbolic names are often "<groupId>.<artifactId>" or "<groupId>.<last part of the artifactId>"
 * (org.apache.logging.log4j.core for org.apache.logging.log4j:log4j-core). An artifactId without "-" gives no
 * groupId: "com.google.guava" is the groupId of guava itself, not "com.google" plus "guava".
 */
function groupFromSymbolicName(symbolicName: string | undefined, artifactId: string): string | undefined {
  if (symbolicName === undefined || !artifactId.includes("-")) return undefined;
  const tails = [artifactId, artifactId.slice(artifactId.lastIndexOf("-") + 1)];
  for (const tail of tails) {
    if (tail !== "" && symbolicName.endsWith(`.${tail}`) && symbolicName.length > tail.length + 1) {
      return symbolicName.slice(0, symbolicName.length - tail.length - 1);
    }
  }
  return undefined;
}

/** "log4j-core-2.14.1.jar" → log4j-core 2.14.1: the version starts at the first "-<digit>". */
export function coordinatesFromFileName(fileName: string): { artifactId: string; version: string | undefined } | undefined {
  const dot = fileName.lastIndexOf(".");
  const stem = dot > 0 ? fileName.slice(0, dot) : fileName;
  if (stem === "") return undefined;
  const m = /^(.+?)-(\d.*)$/.exec(stem);
  if (m === null) return { artifactId: stem, version: undefined };
  return { artifactId: m[1] as string, version: m[2] as string };
}

function readManifest(walk: ArchiveWalk, zip: ZipMemoryReader, where: string): Map<string, string> | undefined {
  const entry = zip.entries.find((e) => e.name === "META-INF/MANIFEST.MF") ?? zip.entries.find((e) => e.name.toUpperCase() === "META-INF/MANIFEST.MF");
  if (entry === undefined) return undefined;
  const text = readSmallEntry(walk, zip, entry, where);
  return text === undefined ? undefined : parseManifest(text);
}

function manifestLicenses(walk: ArchiveWalk, zip: ZipMemoryReader, where: string): string[] {
  const manifest = readManifest(walk, zip, where);
  return manifest === undefined ? [] : licensesOf(manifest);
}

/** Bundle-License: a comma-separated list of licences, each maybe followed by ";link=..." or other attributes. */
function licensesOf(manifest: Map<string, string>): string[] {
  const value = nonEmpty(manifest.get("Bundle-License"));
  if (value === undefined) return [];
  return splitOutsideQuotes(value, ",").map((l) => (splitOutsideQuotes(l, ";")[0] ?? "").trim().replace(/^"(.*)"$/, "$1")).filter((l) => l !== "");
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\"") quoted = !quoted;
    else if (c === separator && !quoted) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/**
 * The main section of a JAR manifest: "Name: value" lines, a line starting with one space continues the previous
 * value, a blank line ends the section (https://docs.oracle.com/en/java/javase/21/docs/specs/jar/jar.html).
 */
export function parseManifest(text: string): Map<string, string> {
  const attributes = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === "") break;
    if (line.startsWith(" ")) {
      if (last !== undefined) attributes.set(last, `${attributes.get(last) ?? ""}${line.slice(1)}`);
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) {
      last = undefined;
      continue;
    }
    last = line.slice(0, colon).trim();
    attributes.set(last, line.slice(colon + 1).replace(/^ /, ""));
  }
  return attributes;
}

/**
 * java.util.Properties text: "key=value", "key: value" or "key value"; "#" and "!" comments; a line ending in an
 * odd number of backslashes continues on the next one (leading blanks dropped); \t \n \r \f \uXXXX escapes.
 */
export function parseProperties(text: string): Map<string, string> {
  const props = new Map<string, string>();
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = (lines[i] as string).replace(/^[ \t\f]+/, "");
    if (line === "" || line.startsWith("#") || line.startsWith("!")) continue;
    while (endsWithOddBackslashes(line) && i + 1 < lines.length) {
      i++;
      line = line.slice(0, -1) + (lines[i] as string).replace(/^[ \t\f]+/, "");
    }
    if (endsWithOddBackslashes(line)) line = line.slice(0, -1);
    let k = 0;
    while (k < line.length && !" \t\f=:".includes(line[k] as string)) k += line[k] === "\\" ? 2 : 1;
    const key = line.slice(0, Math.min(k, line.length));
    let v = k;
    while (v < line.length && " \t\f".includes(line[v] as string)) v++;
    if (v < line.length && (line[v] === "=" || line[v] === ":")) v++;
    while (v < line.length && " \t\f".includes(line[v] as string)) v++;
    props.set(unescapeProperty(key), unescapeProperty(line.slice(v)));
  }
  return props;
}

function endsWithOddBackslashes(line: string): boolean {
  let n = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === "\\"; i--) n++;
  return n % 2 === 1;
}

function unescapeProperty(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_all, c: string) => {
    if (c.length === 5) return String.fromCharCode(Number.parseInt(c.slice(1), 16));
    return c === "t" ? "\t" : c === "n" ? "\n" : c === "r" ? "\r" : c === "f" ? "\f" : c;
  });
}

function mavenPackage(c: Coordinates, location: PackageLocation, metadata: Record<string, string>, licenses: string[] = []): CatalogedPackage {
  return {
    // OSV keys Maven packages as "groupId:artifactId"; without a groupId only the artifactId is known.
    name: c.groupId === undefined ? c.artifactId : `${c.groupId}:${c.artifactId}`,
    version: c.version,
    ecosystem: "Maven",
    purl: purl({ type: "maven", namespace: c.groupId, name: c.artifactId, version: c.version }),
    type: "maven",
    ...(c.groupId === undefined ? {} : { namespace: c.groupId }),
    licenses,
    locations: [location],
    cataloger: CATALOGER,
    metadata: { artifactId: c.artifactId, ...metadata },
  };
}
