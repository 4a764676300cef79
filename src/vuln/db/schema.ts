// The vulnerability database: one SQLite file, built by the importers, read by the matcher.
//
//   sources     one row per imported source ("osv:PyPI", "debian-tracker", "alpine:v3.19/main"); advisories
//               refer to it by id, so naming a source once its content is known touches one row
//   advisories  one row per advisory of a source: id, summary, severity, dates, aliases/upstream (JSON arrays)
//   affected    one row per (advisory, ecosystem, release, package): OSV ranges/versions (JSON) or a distro status
//   aliases     every id an advisory is known by (its own and its aliases), for lookups across sources
import { existsSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { DrydockError } from "../../core/errors.ts";

export const SCHEMA_VERSION = "1";

export const TABLES_SQL = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  origin TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  records INTEGER NOT NULL,
  newest TEXT
);
CREATE TABLE advisories (
  id INTEGER PRIMARY KEY,
  vuln_id TEXT NOT NULL,
  source INTEGER NOT NULL,
  summary TEXT,
  severity TEXT,
  cvss TEXT,
  published TEXT,
  modified TEXT,
  withdrawn TEXT,
  aliases TEXT NOT NULL,
  upstream TEXT NOT NULL
);
CREATE TABLE affected (
  advisory INTEGER NOT NULL,
  ecosystem TEXT NOT NULL,
  release TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  fixed TEXT,
  ranges TEXT,
  versions TEXT,
  severity TEXT
);
CREATE TABLE aliases (alias TEXT NOT NULL, advisory INTEGER NOT NULL);
`;

/** Created after a bulk load: building an index once is cheaper than keeping it up to date row by row. */
export const INDEXES_SQL = `
CREATE UNIQUE INDEX advisories_by_source ON advisories(source, vuln_id);
CREATE INDEX affected_by_package ON affected(ecosystem, name);
CREATE INDEX aliases_by_alias ON aliases(alias);
`;

/** Distro statuses; "osv" rows are decided by their ranges and versions. */
export type AffectedStatus = "osv" | "fixed" | "open" | "wont-fix" | "not-affected";

export interface SourceInfo {
  name: string;
  kind: string;
  origin: string;
  importedAt: string;
  records: number;
  newest: string | undefined;
}

export interface AffectedRow {
  advisory: number;
  vulnId: string;
  source: string;
  ecosystem: string;
  release: string;
  name: string;
  status: AffectedStatus;
  fixed: string | undefined;
  ranges: string | undefined;
  versions: string | undefined;
  severity: string | undefined;
}

export interface AdvisoryRow {
  id: number;
  vulnId: string;
  source: string;
  summary: string | undefined;
  severity: string | undefined;
  cvss: string | undefined;
  published: string | undefined;
  modified: string | undefined;
  withdrawn: string | undefined;
  aliases: string[];
  upstream: string[];
}

type Row = Record<string, unknown>;

function text(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function list(v: unknown): string[] {
  if (typeof v !== "string") return [];
  const parsed: unknown = JSON.parse(v);
  return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === "string") : [];
}

function toAdvisory(r: Row): AdvisoryRow {
  return {
    id: Number(r.id),
    vulnId: String(r.vuln_id),
    source: String(r.source_name),
    summary: text(r.summary),
    severity: text(r.severity),
    cvss: text(r.cvss),
    published: text(r.published),
    modified: text(r.modified),
    withdrawn: text(r.withdrawn),
    aliases: list(r.aliases),
    upstream: list(r.upstream),
  };
}

/** A database opened for reading (matching, status). */
export class VulnDb {
  readonly path: string;
  private readonly db: DatabaseSync;
  private readonly affectedQuery;
  private readonly aliasQuery;
  private readonly advisoryQuery;
  private readonly mavenArtifactQuery;

  private constructor(path: string, db: DatabaseSync) {
    this.path = path;
    this.db = db;
    this.affectedQuery = db.prepare(`SELECT f.*, a.vuln_id, s.name AS source_name FROM affected f JOIN advisories a ON a.id = f.advisory
      JOIN sources s ON s.id = a.source WHERE f.ecosystem = ? AND f.name = ?`);
    this.aliasQuery = db.prepare(`SELECT a.*, s.name AS source_name FROM aliases x JOIN advisories a ON a.id = x.advisory
      JOIN sources s ON s.id = a.source WHERE x.alias = ?`);
    this.advisoryQuery = db.prepare("SELECT a.*, s.name AS source_name FROM advisories a JOIN sources s ON s.id = a.source WHERE a.id = ?");
    this.mavenArtifactQuery = db.prepare("SELECT DISTINCT name FROM affected WHERE ecosystem = 'Maven' AND name GLOB ? LIMIT 16");
  }

  /**
   * The Maven packages ("group:artifact") advisories name with this artifactId, for a jar known only by its
   * artifact (a file name, a manifest without a group). GLOB is case-sensitive like Maven coordinates.
   */
  mavenPackagesWithArtifact(artifactId: string): string[] {
    if (artifactId === "" || /[*?[\]:]/.test(artifactId)) return [];
    return this.mavenArtifactQuery.all(`*:${artifactId}`).map((r) => String(r.name));
  }

  /** Opens an existing database; DB_NOT_FOUND when there is none, DB_INVALID when the file is not ours. */
  static open(path: string): VulnDb {
    if (!existsSync(path)) {
      throw new DrydockError("DB_NOT_FOUND", `no vulnerability database at ${path}; build one with \`drydock db import FILE...\` or \`drydock db update\``);
    }
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(path, { readOnly: true });
    } catch (e) {
      throw new DrydockError("DB_INVALID", `${path}: cannot open as SQLite: ${(e as Error).message}`, { cause: e });
    }
    try {
      const version = db.prepare("SELECT value FROM meta WHERE key = 'schema'").get();
      if (version?.value !== SCHEMA_VERSION) {
        throw new DrydockError("DB_INVALID", `${path}: schema ${String(version?.value)} is not the schema ${SCHEMA_VERSION} this drydock reads; import the files again`);
      }
      return new VulnDb(path, db);
    } catch (e) {
      db.close();
      if (e instanceof DrydockError) throw e;
      throw new DrydockError("DB_INVALID", `${path}: not a drydock vulnerability database (${(e as Error).message})`, { cause: e });
    }
  }

  close(): void {
    this.db.close();
  }

  sources(): SourceInfo[] {
    return this.db.prepare("SELECT * FROM sources ORDER BY name").all().map((r) => ({
      name: String(r.name),
      kind: String(r.kind),
      origin: String(r.origin),
      importedAt: String(r.imported_at),
      records: Number(r.records),
      newest: text(r.newest),
    }));
  }

  /** Affected rows for a package (name already keyed with packageKey), all releases. */
  affected(ecosystem: string, name: string): AffectedRow[] {
    return this.affectedQuery.all(ecosystem, name).map((r) => ({
      advisory: Number(r.advisory),
      vulnId: String(r.vuln_id),
      source: String(r.source_name),
      ecosystem: String(r.ecosystem),
      release: String(r.release),
      name: String(r.name),
      status: String(r.status) as AffectedStatus,
      fixed: text(r.fixed),
      ranges: text(r.ranges),
      versions: text(r.versions),
      severity: text(r.severity),
    }));
  }

  advisory(id: number): AdvisoryRow | undefined {
    const r = this.advisoryQuery.get(id);
    return r === undefined ? undefined : toAdvisory(r);
  }

  /** Advisories known by this id, as their own id or as an alias. */
  advisoriesKnownAs(id: string): AdvisoryRow[] {
    return this.aliasQuery.all(id).map(toAdvisory);
  }
}
