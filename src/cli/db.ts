// `drydock db import|status|update`: build the vulnerability database from files, report on it, refresh it.
import { Option, type Command } from "commander";
import { rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { DrydockError, isDrydockError } from "../core/errors.ts";
import { importAdvisories, type ImportProgress, type ImportResult } from "../vuln/db/import.ts";
import { defaultDbPath } from "../vuln/db/location.ts";
import { VulnDb, type SourceInfo } from "../vuln/db/schema.ts";
import {
  ALPINE_SECDB_BASE, alpineReleasesFromIndex, DEFAULT_OSV_ECOSYSTEMS, downloadAll, fetchText, plannedDownloads, type UpdatePlan,
} from "../vuln/db/update.ts";
import type { Io } from "./main.ts";
import { collect } from "./options.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_MAX_AGE_DAYS = 7;
const DEFAULT_ALPINE_RELEASES = 6;

export function registerDb(program: Command, io: Io): void {
  const db = program
    .command("db")
    .description("build and inspect the local vulnerability database (offline after import)");

  db.command("import")
    .description("import OSV exports (all.zip or a folder of OSV JSON), the Debian security tracker JSON, Alpine secdb JSON")
    .argument("<files...>", "files or folders")
    .option("--db <path>", "database file (default: $DRYDOCK_DB or the user cache directory)")
    .action(async (files: string[], opts: { db?: string }) => {
      const dbPath = dbPathOf(opts.db, io);
      const result = await importAdvisories({ dbPath, files: files.map((f) => resolve(io.cwd, f)), onProgress: progressPrinter(io) });
      io.stdout(renderImport(result));
    });

  db.command("status")
    .description("sources, record counts, newest record and age of the database")
    .option("--db <path>", "database file (default: $DRYDOCK_DB or the user cache directory)")
    .option("--max-age <days>", "warn when the newest data is older than this", String(DEFAULT_MAX_AGE_DAYS))
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .action((opts: { db?: string; maxAge: string; format: "text" | "json" }) => {
      const dbPath = dbPathOf(opts.db, io);
      const maxAge = Number(opts.maxAge);
      if (!Number.isFinite(maxAge) || maxAge < 0) throw new DrydockError("USAGE", `--max-age expects a number of days; got ${JSON.stringify(opts.maxAge)}`);
      let sources: SourceInfo[];
      try {
        const vdb = VulnDb.open(dbPath);
        sources = vdb.sources();
        vdb.close();
      } catch (e) {
        if (isDrydockError(e) && e.code === "DB_NOT_FOUND") {
          if (opts.format === "json") io.stdout(`${JSON.stringify({ db: dbPath, exists: false, sources: [] }, null, 2)}\n`);
          else io.stdout(`No vulnerability database at ${dbPath}.\nBuild one with \`drydock db import FILE...\` or \`drydock db update\`.\n`);
          return;
        }
        throw e;
      }
      const now = Date.now();
      const rows = sources.map((s) => ({ ...s, ageDays: ageDays(s, now) }));
      const stale = rows.filter((r) => r.ageDays > maxAge);
      if (opts.format === "json") {
        io.stdout(`${JSON.stringify({ db: dbPath, exists: true, sources: rows, stale: stale.map((r) => r.name) }, null, 2)}\n`);
      } else {
        io.stdout(renderStatus(dbPath, rows));
      }
      // Old data is a warning, never a failure: an offline site may knowingly scan with last month's data.
      for (const r of stale) io.stderr(`drydock: warning: ${r.name} is ${Math.floor(r.ageDays)} days old (more than ${maxAge}); run \`drydock db update\` or import newer files\n`);
    });

  db.command("update")
    .description("download the advisory files from their official locations and import them")
    .option("--db <path>", "database file (default: $DRYDOCK_DB or the user cache directory)")
    .option("--ecosystem <name>", `OSV ecosystem to download (repeatable; default: ${DEFAULT_OSV_ECOSYSTEMS.join(", ")})`, collect, [])
    .option("--alpine <branch>", "Alpine secdb branch such as v3.20 (repeatable; default: the newest few)", collect, [])
    .option("--no-alpine-secdb", "do not download Alpine's secdb")
    .option("--no-debian", "do not download the Debian security tracker")
    .option("--mirror <url>", "a mirror with osv/<Ecosystem>/all.zip, debian/json and alpine/<branch>/<repo>.json")
    .option("--print-urls", "only print the URLs (to fetch them elsewhere for an air-gapped import)")
    .action(async (opts: UpdateOptions) => {
      const dbPath = dbPathOf(opts.db, io);
      const alpineReleases = opts.alpineSecdb === false ? [] : opts.alpine.length > 0 ? opts.alpine
        : opts.printUrls === true ? ["v3.NN"] : await discoverAlpineReleases(opts.mirror);
      const plan: UpdatePlan = {
        osvEcosystems: opts.ecosystem.length > 0 ? opts.ecosystem : DEFAULT_OSV_ECOSYSTEMS,
        debian: opts.debian,
        alpineReleases,
        ...(opts.mirror === undefined ? {} : { mirror: opts.mirror }),
      };
      const downloads = plannedDownloads(plan);
      if (opts.printUrls === true) {
        io.stdout(downloads.map((d) => `${d.url}\n`).join(""));
        return;
      }
      const dir = join(dirname(dbPath), `downloads-${process.pid}`);
      try {
        const files = await downloadAll(downloads, dir, {
          onProgress: io.isTTY ? (d, bytes) => io.stderr(`\r\x1b[Kdownloading ${d.url} ${(bytes / 1e6).toFixed(1)} MB`) : undefined,
        });
        if (io.isTTY) io.stderr("\r\x1b[K");
        const result = await importAdvisories({ dbPath, files, onProgress: progressPrinter(io) });
        io.stdout(renderImport(result));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
}

interface UpdateOptions {
  db?: string;
  ecosystem: string[];
  alpine: string[];
  alpineSecdb: boolean;
  debian: boolean;
  mirror?: string;
  printUrls?: boolean;
}

async function discoverAlpineReleases(mirror: string | undefined): Promise<string[]> {
  const index = mirror === undefined ? `${ALPINE_SECDB_BASE}/` : `${mirror.replace(/\/+$/, "")}/alpine/`;
  const releases = alpineReleasesFromIndex(await fetchText(index), DEFAULT_ALPINE_RELEASES);
  if (releases.length === 0) throw new DrydockError("DOWNLOAD_FAILED", `${index}: no Alpine branches listed; pass --alpine vX.Y`);
  return releases;
}

function dbPathOf(option: string | undefined, io: Io): string {
  return option === undefined ? defaultDbPath(io.env) : resolve(io.cwd, option);
}

function progressPrinter(io: Io): ((p: ImportProgress) => void) | undefined {
  if (!io.isTTY) return undefined;
  return (p) => {
    const of = p.total === undefined ? "" : ` of ${p.total.toLocaleString("en-US")}`;
    io.stderr(`\r\x1b[K${p.file}: ${p.records.toLocaleString("en-US")}${of} records${p.done ? "\n" : ""}`);
  };
}

function ageDays(s: SourceInfo, now: number): number {
  const t = Date.parse(s.newest ?? s.importedAt);
  return Number.isFinite(t) ? Math.max(0, (now - t) / DAY_MS) : Number.POSITIVE_INFINITY;
}

function renderImport(r: ImportResult): string {
  const lines = [`Imported into ${r.dbPath}:`];
  for (const s of r.imported) lines.push(`  ${s.name.padEnd(24)} ${String(s.records).padStart(8)} records  newest ${s.newest ?? "-"}  (${s.origin})`);
  if (r.kept.length > 0) lines.push(`Kept unchanged: ${r.kept.join(", ")}`);
  return `${lines.join("\n")}\n`;
}

function renderStatus(dbPath: string, rows: readonly (SourceInfo & { ageDays: number })[]): string {
  const lines = [`Database: ${dbPath}`];
  if (rows.length === 0) lines.push("No sources imported.");
  const header = ["source", "records", "newest record", "age (days)", "imported"];
  const table = rows.map((r) => [r.name, String(r.records), r.newest ?? "-", Number.isFinite(r.ageDays) ? r.ageDays.toFixed(1) : "?", r.importedAt]);
  if (rows.length > 0) {
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] ?? "").length)));
    const fmt = (cells: readonly string[]): string => cells.map((c, i) => (i === 1 || i === 3 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join("  ").trimEnd();
    lines.push(fmt(header), ...table.map(fmt));
    lines.push(`Total: ${rows.reduce((n, r) => n + r.records, 0)} records in ${rows.length} sources`);
  }
  return `${lines.join("\n")}\n`;
}
