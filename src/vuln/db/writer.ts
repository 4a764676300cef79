// Writes rows into a database being built (a new file, no indexes yet, one transaction). Advisories are keyed by
// (source, id): when a record comes twice, the later `modified` wins, as the OSV spec says.
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { AffectedStatus } from "./schema.ts";

export interface AdvisoryInput {
  vulnId: string;
  summary: string | undefined;
  severity: string | undefined;
  /** JSON array of OSV severity entries ({type, score}). */
  cvss: string | undefined;
  published: string | undefined;
  modified: string | undefined;
  withdrawn: string | undefined;
  aliases: readonly string[];
  upstream: readonly string[];
}

export interface AffectedInput {
  ecosystem: string;
  release: string;
  /** Already keyed with packageKey. */
  name: string;
  status: AffectedStatus;
  fixed: string | undefined;
  ranges: string | undefined;
  versions: string | undefined;
  severity: string | undefined;
}

export interface SourceTally {
  records: number;
  newest: string | undefined;
}

export class DbWriter {
  private readonly db: DatabaseSync;
  private readonly insertAdvisory: StatementSync;
  private readonly insertAffected: StatementSync;
  /** (source id, advisory id) → the row holding it and its `modified`. */
  private readonly seen = new Map<string, { row: number; modified: string }>();
  private readonly superseded: number[] = [];
  private readonly sourceIds = new Map<string, number>();
  private readonly sourceNames = new Map<number, string>();
  private readonly tallyById = new Map<number, SourceTally>();
  private nextRow = 1;

  constructor(db: DatabaseSync) {
    this.db = db;
    this.insertAdvisory = db.prepare(`INSERT INTO advisories (id, vuln_id, source, summary, severity, cvss, published, modified, withdrawn, aliases, upstream)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertAffected = db.prepare(`INSERT INTO affected (advisory, ecosystem, release, name, status, fixed, ranges, versions, severity)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  }

  /** The id of a source, registering it (with no records yet) on first use. */
  source(name: string): number {
    let id = this.sourceIds.get(name);
    if (id === undefined) {
      id = this.sourceIds.size + 1;
      this.sourceIds.set(name, id);
      this.sourceNames.set(id, name);
      this.tallyById.set(id, { records: 0, newest: undefined });
    }
    return id;
  }

  /** Registers a source even if it turns out to have no records (an empty secdb branch is still imported data). */
  touch(name: string): void {
    this.source(name);
  }

  /** Sources by id with their names and tallies, in id order. */
  get sources(): { id: number; name: string; tally: SourceTally }[] {
    return [...this.sourceNames].map(([id, name]) => ({ id, name, tally: this.tallyById.get(id) ?? { records: 0, newest: undefined } }));
  }

  tally(name: string): SourceTally | undefined {
    const id = this.sourceIds.get(name);
    return id === undefined ? undefined : this.tallyById.get(id);
  }

  /** Adds an advisory with its affected packages; returns its row id, or undefined when an existing copy is newer. */
  add(sourceName: string, advisory: AdvisoryInput, affected: readonly AffectedInput[]): number | undefined {
    const source = this.source(sourceName);
    const key = `${source}\u0000${advisory.vulnId}`;
    const modified = advisory.modified ?? "";
    const previous = this.seen.get(key);
    const tally = this.tallyById.get(source) ?? { records: 0, newest: undefined };
    if (previous !== undefined) {
      if (modified <= previous.modified) return undefined;
      this.superseded.push(previous.row);
    } else {
      tally.records++;
    }
    const date = advisory.modified ?? advisory.published;
    if (date !== undefined && (tally.newest === undefined || date > tally.newest)) tally.newest = date;
    const row = this.nextRow++;
    this.seen.set(key, { row, modified });
    this.insertAdvisory.run(row, advisory.vulnId, source, advisory.summary ?? null, advisory.severity ?? null, advisory.cvss ?? null,
      advisory.published ?? null, advisory.modified ?? null, advisory.withdrawn ?? null,
      JSON.stringify(advisory.aliases), JSON.stringify(advisory.upstream));
    for (const a of affected) this.addAffected(row, a);
    return row;
  }

  addAffected(row: number, a: AffectedInput): void {
    this.insertAffected.run(row, a.ecosystem, a.release, a.name, a.status, a.fixed ?? null, a.ranges ?? null, a.versions ?? null, a.severity ?? null);
  }

  /** Drops the rows that later copies replaced. */
  finish(): void {
    if (this.superseded.length === 0) return;
    this.db.exec("CREATE TEMP TABLE superseded (id INTEGER PRIMARY KEY)");
    const insert = this.db.prepare("INSERT OR IGNORE INTO superseded VALUES (?)");
    for (const id of this.superseded) insert.run(id);
    this.db.exec("DELETE FROM affected WHERE advisory IN (SELECT id FROM superseded); DELETE FROM advisories WHERE id IN (SELECT id FROM superseded); DROP TABLE superseded");
  }

  /**
   * Renames a source once its content is known (a file's dominant ecosystem): one map entry, no rows, unless
   * the name is taken; then its advisories join that source, the newer copy of an advisory in both winning.
   */
  renameSource(from: string, to: string): void {
    const id = this.sourceIds.get(from);
    if (id === undefined || from === to) return;
    const target = this.sourceIds.get(to);
    this.sourceIds.delete(from);
    if (target === undefined) {
      this.sourceIds.set(to, id);
      this.sourceNames.set(id, to);
      return;
    }
    const moving = this.tallyById.get(id) ?? { records: 0, newest: undefined };
    const into = this.tallyById.get(target) ?? { records: 0, newest: undefined };
    const prefix = `${id}\u0000`;
    for (const [key, value] of [...this.seen]) {
      if (!key.startsWith(prefix)) continue;
      this.seen.delete(key);
      const newKey = `${target}\u0000${key.slice(prefix.length)}`;
      const existing = this.seen.get(newKey);
      if (existing === undefined) {
        this.seen.set(newKey, value);
        continue;
      }
      moving.records--;
      if (value.modified > existing.modified) {
        this.superseded.push(existing.row);
        this.seen.set(newKey, value);
      } else {
        this.superseded.push(value.row);
      }
    }
    this.db.prepare("UPDATE advisories SET source = ? WHERE source = ?").run(target, id);
    this.sourceNames.delete(id);
    this.tallyById.delete(id);
    this.tallyById.set(target, {
      records: into.records + moving.records,
      newest: [into.newest, moving.newest].filter((d): d is string => d !== undefined).sort().pop(),
    });
  }

  get rowsWritten(): number {
    return this.nextRow - 1;
  }
}
