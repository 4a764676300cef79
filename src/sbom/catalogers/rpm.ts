// RPM packages from the rpm database: rpmdb.sqlite (rpm ≥ 4.16: RHEL 9, Fedora ≥ 33, ...) at var/lib/rpm or
// usr/lib/sysimage/rpm. SQLite needs a file, so the bytes (and the -wal beside them, which holds transactions
// not yet checkpointed) are written to a private temporary directory, opened read-only, and removed. Each row
// of the Packages table is an RPM header blob, parsed by rpm-header.ts. Berkeley DB (Packages) and ndb
// (Packages.db) databases are noted as unsupported.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { DEFAULT_OS_ECOSYSTEM } from "../distro.ts";
import type { CatalogContext, CatalogedPackage, CatalogFile, Cataloger } from "../model.ts";
import { purl } from "../purl.ts";
import { parseRpmHeader, RPM_TAG, RpmHeaderError } from "../rpm-header.ts";

const DB_DIRS = ["var/lib/rpm/", "usr/lib/sysimage/rpm/"];
const SQLITE = "rpmdb.sqlite";
const WAL_SUFFIX = "-wal";
const LEGACY = new Set(["Packages", "Packages.db"]);

function split(path: string): { dir: string; name: string } | undefined {
  for (const dir of DB_DIRS) {
    if (path.startsWith(dir) && path.indexOf("/", dir.length) < 0) return { dir, name: path.slice(dir.length) };
  }
  return undefined;
}

/** "bash-5.1.8-6.el9.src.rpm" → { name: "bash", versionRelease: "5.1.8-6.el9" }. */
export function parseSourceRpm(sourceRpm: string): { name: string; versionRelease: string } | undefined {
  const m = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(sourceRpm);
  if (m === null) return undefined;
  return { name: m[1] as string, versionRelease: `${m[2]}-${m[3]}` };
}

/** One header blob as a package; undefined for gpg-pubkey pseudo packages and headers without name or version. */
export function rpmPackageOf(blob: Uint8Array, file: CatalogFile): CatalogedPackage | undefined {
  const h = parseRpmHeader(blob);
  const name = h.string(RPM_TAG.NAME);
  const version = h.string(RPM_TAG.VERSION);
  if (name === undefined || name === "" || version === undefined || name === "gpg-pubkey") return undefined;
  const release = h.string(RPM_TAG.RELEASE);
  const epoch = h.number(RPM_TAG.EPOCH);
  const arch = h.string(RPM_TAG.ARCH);
  const versionRelease = release === undefined || release === "" ? version : `${version}-${release}`;
  const metadata: Record<string, string> = { versionRelease };
  if (epoch !== undefined) metadata.epoch = String(epoch);
  if (arch !== undefined && arch !== "") metadata.arch = arch;
  const vendor = h.string(RPM_TAG.VENDOR);
  if (vendor !== undefined && vendor !== "") metadata.vendor = vendor;
  const sourceRpm = h.string(RPM_TAG.SOURCERPM);
  if (sourceRpm !== undefined && sourceRpm !== "") metadata.sourceRpm = sourceRpm;
  const modularity = h.string(RPM_TAG.MODULARITYLABEL);
  if (modularity !== undefined && modularity !== "") metadata.modularityLabel = modularity;
  const license = h.string(RPM_TAG.LICENSE);
  const pkg: CatalogedPackage = {
    name,
    // What matching compares: rpm's EVR, the epoch only when set (rpm treats none and 0 alike).
    version: epoch !== undefined && epoch !== 0 ? `${epoch}:${versionRelease}` : versionRelease,
    ecosystem: DEFAULT_OS_ECOSYSTEM.rpm,
    purl: purl({ type: "rpm", namespace: "redhat", name, version: versionRelease, qualifiers: { arch, epoch: epoch === undefined || epoch === 0 ? undefined : String(epoch) } }),
    type: "rpm",
    licenses: license === undefined || license === "" ? [] : [license],
    locations: [file.location],
    cataloger: "rpm",
    metadata,
  };
  const source = sourceRpm === undefined ? undefined : parseSourceRpm(sourceRpm);
  if (source !== undefined) {
    pkg.sourceName = source.name;
    if (source.versionRelease !== versionRelease) pkg.sourceVersion = source.versionRelease;
  }
  return pkg;
}

function readSqliteRpmdb(file: CatalogFile, context: CatalogContext): CatalogedPackage[] {
  const dir = mkdtempSync(join(tmpdir(), "drydock-rpmdb-"));
  const out: CatalogedPackage[] = [];
  try {
    const dbPath = join(dir, SQLITE);
    writeFileSync(dbPath, file.bytes, { mode: 0o600 });
    const wal = file.companions?.get(`${file.path}${WAL_SUFFIX}`);
    if (wal !== undefined && wal.length > 0) writeFileSync(`${dbPath}${WAL_SUFFIX}`, wal, { mode: 0o600 });
    let db: DatabaseSync | undefined;
    try {
      db = new DatabaseSync(dbPath, { readOnly: true });
      let bad = 0;
      for (const row of db.prepare("SELECT blob FROM Packages ORDER BY hnum").iterate()) {
        const blob = (row as { blob?: unknown }).blob;
        if (!(blob instanceof Uint8Array)) {
          bad++;
          continue;
        }
        try {
          const pkg = rpmPackageOf(blob, file);
          if (pkg !== undefined) out.push(pkg);
        } catch (e) {
          if (!(e instanceof RpmHeaderError)) throw e;
          bad++;
        }
      }
      if (bad > 0) context.note(`rpm: /${file.path} has ${bad} unreadable package header(s); skipped`);
    } catch (e) {
      context.note(`rpm: /${file.path} is not a readable rpm SQLite database (${e instanceof Error ? e.message : String(e)})`);
    } finally {
      db?.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

export const rpmCataloger: Cataloger = {
  name: "rpm",
  wants(path) {
    const at = split(path);
    return at !== undefined && (at.name === SQLITE || at.name === `${SQLITE}${WAL_SUFFIX}` || LEGACY.has(at.name));
  },
  companions(path) {
    return path.endsWith(SQLITE) ? [`${path}${WAL_SUFFIX}`] : [];
  },
  parse(file, context) {
    const at = split(file.path);
    if (at === undefined || at.name.endsWith(WAL_SUFFIX)) return []; // a companion: read with its database
    if (LEGACY.has(at.name)) {
      context.note(`rpm: /${file.path}: rpmdb in Berkeley DB / ndb format is not supported`);
      return [];
    }
    if (file.bytes.length === 0) return [];
    return readSqliteRpmdb(file, context);
  },
};
