// `drydock db import`: builds the database into a new file next to the old one, then renames it over the old
// one. An import that fails or is killed leaves the old database as it was; a file an earlier killed import left
// behind is removed by the next import.
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { basename, dirname, extname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { DatabaseSync } from "node:sqlite";
import { DrydockError, isDrydockError, type ErrorCode } from "../../core/errors.ts";
import { alpineSourceName, importAlpineSecdb, importDebianTracker, looksLikeAlpineSecdb, looksLikeDebianTracker } from "./distro-trackers.ts";
import { osvRows, type OsvRows } from "./osv.ts";
import type { WorkerJob, WorkerReply } from "./osv-worker.ts";
import { INDEXES_SQL, SCHEMA_VERSION, TABLES_SQL, VulnDb } from "./schema.ts";
import { DbWriter } from "./writer.ts";
import { DEFAULT_ZIP_LIMITS, ZipReader, type ZipLimits } from "./zip.ts";

export type InputKind = "osv-zip" | "osv-dir" | "osv-json" | "debian-tracker" | "alpine-secdb";

export interface ImportProgress {
  file: string;
  kind: InputKind;
  /** Records read so far from this file. */
  records: number;
  /** Records in the file, when known (zip entries, files in a folder). */
  total: number | undefined;
  done: boolean;
}

export interface ImportOptions {
  dbPath: string;
  files: readonly string[];
  onProgress?: (p: ImportProgress) => void;
  /** Time stamp written as the sources' import time (tests pass a fixed one). */
  now?: Date;
  zipLimits?: ZipLimits;
  /** Largest JSON file read whole (the Debian tracker's is about 100 MB). */
  maxJsonBytes?: number;
  /** Worker threads that read and parse OSV records (default: the CPUs, at most 4; 0 = none). */
  workers?: number;
}

export interface ImportedSource {
  name: string;
  kind: string;
  origin: string;
  records: number;
  newest: string | undefined;
}

export interface ImportResult {
  dbPath: string;
  imported: ImportedSource[];
  /** Sources kept unchanged from the previous database. */
  kept: string[];
}

const PROGRESS_EVERY = 2000;
const DEFAULT_MAX_JSON = 1024 * 1024 * 1024;
const TEMP_MARK = ".import-";

export async function importAdvisories(options: ImportOptions): Promise<ImportResult> {
  const dbPath = options.dbPath;
  if (options.files.length === 0) throw new DrydockError("USAGE", "db import needs at least one file or folder");
  mkdirSync(dirname(dbPath), { recursive: true });
  removeStaleTempFiles(dbPath);
  const temp = `${dbPath}${TEMP_MARK}${process.pid}-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}.tmp`;
  activeTempFiles.add(temp);
  const db = new DatabaseSync(temp);
  let closed = false;
  try {
    // The file is private until renamed, so it needs no rollback journal on disk (and Node's SQLite refuses OFF).
    db.exec("PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;");
    db.exec(TABLES_SQL);
    db.prepare("INSERT INTO meta VALUES ('schema', ?)").run(SCHEMA_VERSION);
    const writer = new DbWriter(db);
    const origins = new Map<string, { kind: string; origin: string }>();
    db.exec("BEGIN");
    for (const file of options.files) {
      for (const [name, info] of await importFile(file, writer, options)) origins.set(name, info);
    }
    writer.finish();
    db.exec("COMMIT");
    const ours = writer.sources;
    const importedAt = (options.now ?? new Date()).toISOString();
    const insertSource = db.prepare("INSERT INTO sources (id, name, kind, origin, imported_at, records, newest) VALUES (?, ?, ?, ?, ?, ?, ?)");
    const imported: ImportedSource[] = [];
    for (const { id, name, tally } of ours) {
      const info = origins.get(name) ?? { kind: "osv", origin: "" };
      insertSource.run(id, name, info.kind, info.origin, importedAt, tally.records, tally.newest ?? null);
      imported.push({ name, kind: info.kind, origin: info.origin, records: tally.records, newest: tally.newest });
    }
    imported.sort((a, b) => (a.name < b.name ? -1 : 1));
    const kept = carryOver(db, dbPath, new Set(ours.map((s) => s.name)));
    db.exec(`INSERT INTO aliases SELECT vuln_id, id FROM advisories;
      INSERT INTO aliases SELECT j.value, a.id FROM advisories a, json_each(a.aliases) j WHERE j.value <> a.vuln_id;`);
    db.exec(INDEXES_SQL);
    db.close();
    closed = true;
    syncFile(temp);
    renameSync(temp, dbPath);
    syncFile(dirname(dbPath));
    return { dbPath, imported, kept };
  } catch (e) {
    if (!closed) db.close();
    rmSync(temp, { force: true });
    throw e;
  } finally {
    activeTempFiles.delete(temp);
  }
}

function syncFile(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    fsyncSync(fd);
  } catch {
    // Directories cannot be synced everywhere; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Imports running in this process (several may run at once, e.g. in a server). */
const activeTempFiles = new Set<string>();

/** Temp files of imports whose process is gone (killed mid-import). */
function removeStaleTempFiles(dbPath: string): void {
  const dir = dirname(dbPath);
  const prefix = `${basename(dbPath)}${TEMP_MARK}`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(".tmp")) continue;
    const path = join(dir, name);
    const pid = Number(name.slice(prefix.length).split("-")[0]);
    if (activeTempFiles.has(path) || (Number.isInteger(pid) && pid !== process.pid && isAlive(pid))) continue;
    rmSync(path, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === "EPERM";
  }
}

/** Copies the sources this import does not replace from the old database (if any) into the new one. */
function carryOver(db: DatabaseSync, oldPath: string, replaced: ReadonlySet<string>): string[] {
  let old: VulnDb;
  try {
    old = VulnDb.open(oldPath);
  } catch (e) {
    if (isDrydockError(e) && e.code === "DB_NOT_FOUND") return [];
    throw new DrydockError("DB_INVALID", `${oldPath} exists but cannot be updated: ${(e as Error).message}; move it away or pass another --db`, { cause: e });
  }
  const keep = old.sources().map((s) => s.name).filter((n) => !replaced.has(n));
  old.close();
  if (keep.length === 0) return [];
  db.prepare("ATTACH DATABASE ? AS old").run(oldPath);
  try {
    const rowOffset = Number(db.prepare("SELECT coalesce(max(id), 0) AS m FROM advisories").get()?.m ?? 0);
    const sourceOffset = Number(db.prepare("SELECT coalesce(max(id), 0) AS m FROM sources").get()?.m ?? 0);
    db.exec("BEGIN; CREATE TEMP TABLE kept (id INTEGER PRIMARY KEY)");
    const insertKept = db.prepare("INSERT INTO kept SELECT id FROM old.sources WHERE name = ?");
    for (const name of keep) insertKept.run(name);
    db.prepare("INSERT INTO sources SELECT id + ?, name, kind, origin, imported_at, records, newest FROM old.sources WHERE id IN (SELECT id FROM kept)").run(sourceOffset);
    db.prepare(`INSERT INTO advisories SELECT id + ?, vuln_id, source + ?, summary, severity, cvss, published, modified, withdrawn, aliases, upstream
      FROM old.advisories WHERE source IN (SELECT id FROM kept)`).run(rowOffset, sourceOffset);
    db.prepare(`INSERT INTO affected SELECT f.advisory + ?, f.ecosystem, f.release, f.name, f.status, f.fixed, f.ranges, f.versions, f.severity
      FROM old.affected f JOIN old.advisories a ON a.id = f.advisory WHERE a.source IN (SELECT id FROM kept)`).run(rowOffset);
    db.exec("DROP TABLE kept; COMMIT");
  } finally {
    db.exec("DETACH DATABASE old");
  }
  return keep;
}

// ---------------------------------------------------------------------------------------------------------------

async function importFile(file: string, writer: DbWriter, options: ImportOptions): Promise<Map<string, { kind: string; origin: string }>> {
  let info;
  try {
    info = statSync(file);
  } catch (e) {
    throw new DrydockError("INPUT_UNREADABLE", `${file}: ${(e as Error).message}`, { cause: e });
  }
  if (info.isDirectory()) return importOsvFolder(file, writer, options);
  if (isZip(file)) return importOsvZip(file, writer, options);
  const maxJson = options.maxJsonBytes ?? DEFAULT_MAX_JSON;
  if (info.size > maxJson) throw new DrydockError("INPUT_TOO_LARGE", `${file}: ${info.size} bytes is more than the ${maxJson} bytes a JSON advisory file may have`);
  const data = parseJson(readFileSync(file, "utf8"), file);
  const progress = counter(file, options, undefined);
  if (looksLikeDebianTracker(data)) {
    const source = "debian-tracker";
    progress.kind = "debian-tracker";
    writer.touch(source);
    importDebianTracker(data, file, writer, source, progress.tick);
    progress.end();
    datedByFile(writer, source, info.mtime);
    return new Map([[source, { kind: "debian-tracker", origin: file }]]);
  }
  if (looksLikeAlpineSecdb(data)) {
    const source = alpineSourceName(data as Record<string, unknown>);
    progress.kind = "alpine-secdb";
    writer.touch(source);
    importAlpineSecdb(data, file, writer, source, progress.tick);
    progress.end();
    datedByFile(writer, source, info.mtime);
    return new Map([[source, { kind: "alpine-secdb", origin: file }]]);
  }
  const records = Array.isArray(data) ? data : [data];
  const batch = new OsvBatch(writer, file);
  progress.kind = "osv-json";
  records.forEach((r, i) => {
    batch.add(r, Array.isArray(data) ? `${file}[${i}]` : file);
    progress.tick();
  });
  progress.end();
  return batch.finish();
}

/** Distro trackers carry no dates: the file's (a download's Last-Modified) says how new the data is. */
function datedByFile(writer: DbWriter, source: string, mtime: Date): void {
  const tally = writer.tally(source);
  if (tally !== undefined && tally.newest === undefined) tally.newest = mtime.toISOString();
}

function isZip(file: string): boolean {
  const fd = openSync(file, "r");
  try {
    const head = Buffer.alloc(4);
    const n = readSync(fd, head, 0, 4, 0);
    // A local file header, or the end record of an empty archive.
    return n === 4 && (head.readUInt32LE(0) === 0x04034b50 || head.readUInt32LE(0) === 0x06054b50);
  } finally {
    closeSync(fd);
  }
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DrydockError("ADVISORY_INVALID", `${where}: bad JSON: ${(e as Error).message}`, { cause: e });
  }
}

/** OSV records of one input: written under a provisional source, renamed to "osv:<dominant ecosystem>". */
class OsvBatch {
  private readonly writer: DbWriter;
  private readonly file: string;
  private readonly provisional: string;
  private readonly counts = new Map<string, number>();

  constructor(writer: DbWriter, file: string) {
    this.writer = writer;
    this.file = file;
    this.provisional = `\u0000pending:${file}`;
  }

  add(value: unknown, where: string): void {
    this.addRows(osvRows(value, where));
  }

  addRows(rows: OsvRows): void {
    const first = rows.ecosystems[0];
    if (first !== undefined) this.counts.set(first, (this.counts.get(first) ?? 0) + 1);
    this.writer.add(this.provisional, rows.advisory, rows.affected);
  }

  finish(): Map<string, { kind: string; origin: string }> {
    let best = "";
    let bestCount = -1;
    for (const [eco, n] of this.counts) if (n > bestCount || (n === bestCount && eco < best)) [best, bestCount] = [eco, n];
    const name = `osv:${best === "" ? basename(this.file) : best}`;
    this.writer.renameSource(this.provisional, name);
    return new Map([[name, { kind: "osv", origin: this.file }]]);
  }
}

function counter(file: string, options: ImportOptions, total: number | undefined): { kind: InputKind; tick: () => void; end: () => void } {
  const state = {
    kind: "osv-json" as InputKind,
    records: 0,
    tick: (): void => {
      state.records++;
      if (state.records % PROGRESS_EVERY === 0) options.onProgress?.({ file, kind: state.kind, records: state.records, total, done: false });
    },
    end: (): void => {
      options.onProgress?.({ file, kind: state.kind, records: state.records, total, done: true });
    },
  };
  return state;
}

async function importOsvZip(file: string, writer: DbWriter, options: ImportOptions): Promise<Map<string, { kind: string; origin: string }>> {
  const zip = ZipReader.open(file, options.zipLimits ?? DEFAULT_ZIP_LIMITS);
  try {
    const entries = zip.entries.filter((e) => e.name.endsWith(".json"));
    const progress = counter(file, options, entries.length);
    progress.kind = "osv-zip";
    const batch = new OsvBatch(writer, file);
    if (useWorkers(entries.length, options)) {
      const jobs = chunks(entries).map((part, chunk): WorkerJob => ({ chunk, zip: file, entries: part }));
      await inWorkers(jobs, (rows) => {
        for (const r of rows) {
          batch.addRows(r);
          progress.tick();
        }
      }, options.workers);
    } else {
      const decoder = new TextDecoder("utf-8");
      for (const entry of entries) {
        const where = `${file}:${entry.name}`;
        batch.add(parseJson(decoder.decode(zip.read(entry)), where), where);
        progress.tick();
      }
    }
    progress.end();
    return batch.finish();
  } finally {
    zip.close();
  }
}

async function importOsvFolder(dir: string, writer: DbWriter, options: ImportOptions): Promise<Map<string, { kind: string; origin: string }>> {
  const files = listJsonFiles(dir);
  if (files.length === 0) throw new DrydockError("USAGE", `${dir}: no .json files in this folder`);
  const progress = counter(dir, options, files.length);
  progress.kind = "osv-dir";
  const batch = new OsvBatch(writer, dir);
  const names = files.map((f) => relative(process.cwd(), f) || f);
  if (useWorkers(files.length, options)) {
    const jobs = chunks(files).map((part, chunk): WorkerJob => ({ chunk, files: part, names: part.map((f) => relative(process.cwd(), f) || f) }));
    await inWorkers(jobs, (rows) => {
      for (const r of rows) {
        batch.addRows(r);
        progress.tick();
      }
    }, options.workers);
  } else {
    files.forEach((f, i) => {
      const where = names[i] ?? f;
      batch.add(parseJson(readFileSync(f, "utf8"), where), where);
      progress.tick();
    });
  }
  progress.end();
  return batch.finish();
}

/** Below this many records, starting worker threads costs more than it saves. */
const PARALLEL_MIN_RECORDS = 20_000;
const CHUNK = 256;
/** Chunks in flight per worker: enough to keep it busy, few enough to bound memory. */
const IN_FLIGHT = 3;

/** Workers when asked for explicitly, else when the input is big enough to repay starting them. */
function useWorkers(records: number, options: ImportOptions): boolean {
  if (options.workers !== undefined) return options.workers > 0;
  return defaultWorkers() > 1 && records >= PARALLEL_MIN_RECORDS;
}

function defaultWorkers(): number {
  return Math.min(4, availableParallelism());
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * Runs the jobs on worker threads and hands each chunk's rows to `apply` in job order (so row ids, and thus the
 * database, do not depend on timing). The first error stops everything and is rethrown with its code.
 */
function inWorkers(jobs: readonly WorkerJob[], apply: (rows: OsvRows[]) => void, count: number = defaultWorkers()): Promise<void> {
  const here = fileURLToPath(import.meta.url);
  const script = new URL(`./osv-worker${extname(here)}`, import.meta.url);
  const workers = Array.from({ length: Math.max(1, Math.min(count, jobs.length)) }, () => new Worker(script));
  return new Promise<void>((resolve, reject) => {
    let next = 0;
    let applied = 0;
    let failed = false;
    const done = new Map<number, OsvRows[]>();
    const inFlight = new Map<Worker, number>();
    const stop = (error?: unknown): void => {
      if (failed) return;
      failed = error !== undefined;
      for (const w of workers) void w.terminate();
      if (error === undefined) resolve();
      else reject(error);
    };
    const feed = (w: Worker): void => {
      while ((inFlight.get(w) ?? 0) < IN_FLIGHT && next < jobs.length && next - applied < workers.length * IN_FLIGHT * 2) {
        w.postMessage(jobs[next++]);
        inFlight.set(w, (inFlight.get(w) ?? 0) + 1);
      }
    };
    for (const w of workers) {
      w.on("message", (reply: WorkerReply) => {
        if (failed) return;
        inFlight.set(w, (inFlight.get(w) ?? 1) - 1);
        if ("error" in reply) {
          stop(new DrydockError(reply.error.code as ErrorCode, reply.error.message));
          return;
        }
        done.set(reply.chunk, reply.rows);
        try {
          for (let rows = done.get(applied); rows !== undefined; rows = done.get(applied)) {
            done.delete(applied);
            apply(rows);
            applied++;
          }
        } catch (e) {
          stop(e);
          return;
        }
        if (applied === jobs.length) stop();
        else for (const other of workers) feed(other);
      });
      w.on("error", (e) => stop(e));
      w.on("exit", (code) => {
        if (code !== 0 && applied < jobs.length) stop(new DrydockError("INPUT_UNREADABLE", `an import worker stopped (exit code ${code})`));
      });
      feed(w);
    }
  });
}

function listJsonFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number): void => {
    if (depth > 32) return;
    const entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = join(d, e.name);
      if (e.isDirectory()) walk(full, depth + 1);
      else if (e.isFile() && e.name.endsWith(".json")) out.push(full);
    }
  };
  walk(dir, 0);
  return out;
}
