// Alpine (and Wolfi/Chainguard) packages from apk's database, lib/apk/db/installed: one record per package,
// records separated by blank lines, each line "X:value" with a one-letter key (P name, V version, A arch,
// o origin — the source package advisories name, L licence, m maintainer; F/R lines list files and are skipped).
import { DEFAULT_OS_ECOSYSTEM } from "../distro.ts";
import type { CatalogContext, CatalogedPackage, CatalogFile, Cataloger } from "../model.ts";
import { purl } from "../purl.ts";

const PATHS = new Set(["lib/apk/db/installed", "usr/lib/apk/db/installed"]);
const utf8 = new TextDecoder("utf-8");

/** The fields of one record that matter here; F/R/Z/a/M lines (file lists) are not kept. */
type ApkRecord = Map<string, string>;
const KEPT = new Set(["P", "V", "A", "o", "L", "m", "U", "t", "c"]);

export function parseApkInstalled(text: string): { records: ApkRecord[]; malformed: number } {
  const records: ApkRecord[] = [];
  let current: ApkRecord | undefined;
  let malformed = 0;
  for (const raw of text.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line === "") {
      current = undefined;
      continue;
    }
    if (line.length < 2 || line[1] !== ":") {
      malformed++;
      continue;
    }
    if (current === undefined) {
      current = new Map();
      records.push(current);
    }
    const key = line[0] as string;
    // A record has one of each kept field; the first wins (the format never repeats them).
    if (KEPT.has(key) && !current.has(key)) current.set(key, line.slice(2));
  }
  return { records, malformed };
}

function apkPackageOf(r: ApkRecord, file: CatalogFile): CatalogedPackage | undefined {
  const name = r.get("P");
  const version = r.get("V");
  if (name === undefined || name === "" || version === undefined || version === "") return undefined;
  const arch = r.get("A");
  const metadata: Record<string, string> = {};
  if (arch !== undefined && arch !== "") metadata.arch = arch;
  const maintainer = r.get("m");
  if (maintainer !== undefined && maintainer !== "") metadata.maintainer = maintainer;
  const url = r.get("U");
  if (url !== undefined && url !== "") metadata.url = url;
  const commit = r.get("c");
  if (commit !== undefined && commit !== "") metadata.commit = commit;
  const license = r.get("L");
  const pkg: CatalogedPackage = {
    name,
    version,
    ecosystem: DEFAULT_OS_ECOSYSTEM.apk,
    purl: purl({ type: "apk", namespace: "alpine", name, version, qualifiers: { arch } }),
    type: "apk",
    licenses: license === undefined || license === "" ? [] : [license],
    locations: [file.location],
    cataloger: "apk",
    metadata,
  };
  const origin = r.get("o");
  if (origin !== undefined && origin !== "") {
    pkg.sourceName = origin;
    metadata.origin = origin;
  }
  return pkg;
}

export const apkCataloger: Cataloger = {
  name: "apk",
  wants: (path) => PATHS.has(path),
  parse(file: CatalogFile, context: CatalogContext): CatalogedPackage[] {
    const { records, malformed } = parseApkInstalled(utf8.decode(file.bytes));
    if (malformed > 0) context.note(`apk: /${file.path} has ${malformed} malformed line(s); they were skipped`);
    const out: CatalogedPackage[] = [];
    let incomplete = 0;
    for (const r of records) {
      const pkg = apkPackageOf(r, file);
      if (pkg === undefined) incomplete++;
      else out.push(pkg);
    }
    if (incomplete > 0) context.note(`apk: /${file.path} has ${incomplete} record(s) without a name or version; skipped`);
    return out;
  },
};
