// The vulnerability DB benchmark: import a generated OSV export of 200,000+ records, and match 500 packages.
// The baselines run in the same process on the same files: reading every record (inflate + JSON.parse) and
// JSON.parse alone, so the ratios are measured rather than remembered. A report, not a test: exits 0 after a
// valid run and prints PASS/FAIL against the targets.
//
//   node bench/scan.ts [--records N] [--packages N] [--seed S] [--folder] [--keep DIR]
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { crc32, deflateRawSync } from "node:zlib";
import { importAdvisories } from "../src/vuln/db/import.ts";
import { VulnDb } from "../src/vuln/db/schema.ts";
import { ZipReader } from "../src/vuln/db/zip.ts";
import { matchPackages, type PackageQuery } from "../src/vuln/match.ts";
import type { Catalog, CatalogedPackage } from "../src/sbom/model.ts";
import { scanFormats } from "../src/scan/render.ts";
import { scanCatalog } from "../src/scan/scan.ts";

/** The targets. */
const TARGET_RECORDS_PER_S = 20_000;
const TARGET_PARSE_RATIO = 3;
const TARGET_MATCH_MS = 1000;

interface Options {
  records: number;
  packages: number;
  seed: number;
  folder: boolean;
  keep: string | undefined;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      records: { type: "string", default: "200000" },
      packages: { type: "string", default: "500" },
      seed: { type: "string", default: "1" },
      folder: { type: "boolean", default: false },
      keep: { type: "string" },
    },
    strict: true,
  });
  const records = Number(values.records);
  const packages = Number(values.packages);
  const seed = Number(values.seed);
  if (!Number.isInteger(records) || records < 1 || !Number.isInteger(packages) || packages < 1 || !Number.isInteger(seed)) {
    console.error("usage: node bench/scan.ts [--records N] [--packages N] [--seed S] [--folder] [--keep DIR]");
    process.exit(2);
  }
  return { records, packages, seed, folder: values.folder === true, keep: values.keep };
}

// ---- generated data --------------------------------------------------------------------------------------------

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ECOSYSTEMS = ["npm", "PyPI", "Maven", "Go", "crates.io", "RubyGems", "Packagist", "NuGet", "Debian:12", "Alpine:v3.19"] as const;
const WORDS = "the a remote attacker can cause denial of service via crafted input leading to memory corruption buffer overflow cross site scripting in parser when handling untrusted data allows bypass authentication injection path traversal".split(" ");

interface Generated {
  text: string;
  ecosystem: string;
  name: string;
  introduced: string;
  fixed: string;
}

/** A record shaped like GitHub's and osv.dev's exports: ids, dates, CVSS, a range, a versions list, references. */
function makeRecord(i: number, rnd: () => number): Generated {
  const int = (n: number): number => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  const ecosystem = pick(ECOSYSTEMS);
  const base = ecosystem.split(":")[0] ?? ecosystem;
  const pkgIndex = int(20_000);
  const name = base === "Maven" ? `org.example${pkgIndex % 97}:lib-${pkgIndex}` : base === "Go" ? `github.com/example/mod${pkgIndex}`
    : base === "Packagist" ? `vendor${pkgIndex % 50}/pkg-${pkgIndex}` : `pkg-${pkgIndex}`;
  const major = int(5);
  const minor = int(20);
  const fixedPatch = 1 + int(30);
  const semverish = (p: number): string => (base === "Debian" ? `${major}.${minor}.${p}-1+deb12u${1 + int(3)}` : base === "Alpine" ? `${major}.${minor}.${p}-r${int(5)}` : `${major}.${minor}.${p}`);
  const introduced = rnd() < 0.3 ? "0" : semverish(0);
  const fixed = semverish(fixedPatch);
  const versions = Array.from({ length: int(12) }, (_, k) => semverish(k));
  const id = base === "Debian" ? `DEBIAN-CVE-2024-${10000 + i}` : base === "Alpine" ? `ALPINE-CVE-2024-${10000 + i}` : `GHSA-${i.toString(36).padStart(4, "0")}-${int(36 ** 4).toString(36).padStart(4, "0")}-bench`;
  const details = Array.from({ length: 20 + int(60) }, () => pick(WORDS)).join(" ");
  const year = 2015 + int(10);
  const record = {
    schema_version: "1.6.0",
    id,
    modified: `${year + 1}-0${1 + int(9)}-1${int(9)}T12:00:00Z`,
    published: `${year}-0${1 + int(9)}-1${int(9)}T12:00:00Z`,
    aliases: [`CVE-${year}-${1000 + int(50_000)}`],
    summary: details.slice(0, 80),
    details,
    severity: [{ type: "CVSS_V3", score: `CVSS:3.1/AV:${pick(["N", "A", "L"])}/AC:${pick(["L", "H"])}/PR:N/UI:${pick(["N", "R"])}/S:U/C:${pick(["H", "L", "N"])}/I:${pick(["H", "L", "N"])}/A:H` }],
    affected: [{
      package: { ecosystem, name, purl: `pkg:${base.toLowerCase()}/${name}` },
      ranges: [{ type: base === "npm" || base === "crates.io" ? "SEMVER" : "ECOSYSTEM", events: [{ introduced }, { fixed }] }],
      versions,
      database_specific: { source: `https://github.com/github/advisory-database/blob/main/advisories/${id}.json` },
    }],
    references: Array.from({ length: 2 + int(4) }, (_, k) => ({ type: pick(["WEB", "ADVISORY", "FIX", "PACKAGE"]), url: `https://example.org/${base}/${name}/advisory/${i}/${k}` })),
    database_specific: { cwe_ids: [`CWE-${int(1000)}`], severity: pick(["LOW", "MODERATE", "HIGH", "CRITICAL"]), github_reviewed: true },
  };
  return { text: JSON.stringify(record, null, 2), ecosystem: base, name, introduced, fixed };
}

/** A zip (ZIP64 end records when there are more than 65,535 entries) of deflated entries, like osv.dev's all.zip. */
function writeZip(path: string, entries: Iterable<{ name: string; data: Buffer }>): number {
  const fd = openSync(path, "w");
  const central: Buffer[] = [];
  let offset = 0;
  let count = 0;
  const write = (b: Buffer): void => {
    writeSync(fd, b);
    offset += b.length;
  };
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name);
    const compressed = deflateRawSync(data);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(8, 10);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(compressed.length, 20);
    header.writeUInt32LE(data.length, 24);
    header.writeUInt16LE(nameBytes.length, 28);
    header.writeUInt32LE(offset, 42);
    central.push(header, nameBytes);
    write(local);
    write(nameBytes);
    write(compressed);
    count++;
  }
  const cdOffset = offset;
  const cd = Buffer.concat(central);
  write(cd);
  const zip64At = offset;
  const zip64 = Buffer.alloc(56);
  zip64.writeUInt32LE(0x06064b50, 0);
  zip64.writeBigUInt64LE(44n, 4);
  zip64.writeUInt16LE(45, 12);
  zip64.writeUInt16LE(45, 14);
  zip64.writeBigUInt64LE(BigInt(count), 24);
  zip64.writeBigUInt64LE(BigInt(count), 32);
  zip64.writeBigUInt64LE(BigInt(cd.length), 40);
  zip64.writeBigUInt64LE(BigInt(cdOffset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(zip64At), 8);
  locator.writeUInt32LE(1, 16);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(count, 0xffff), 8);
  end.writeUInt16LE(Math.min(count, 0xffff), 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(cdOffset, 16);
  write(Buffer.concat([zip64, locator, end]));
  closeSync(fd);
  return offset;
}

// ---- measurements ----------------------------------------------------------------------------------------------

function time<T>(f: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = f();
  return { ms: performance.now() - start, value };
}

async function timeAsync(f: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await f();
  return performance.now() - start;
}

/** Reads every entry (inflate + JSON.parse); returns the total and the JSON.parse share. */
function readZipRecords(path: string): { totalMs: number; parseMs: number; records: number } {
  const start = performance.now();
  let parseMs = 0;
  let records = 0;
  const zip = ZipReader.open(path);
  const decoder = new TextDecoder();
  for (const entry of zip.entries) {
    const text = decoder.decode(zip.read(entry));
    const t = performance.now();
    JSON.parse(text);
    parseMs += performance.now() - t;
    records++;
  }
  zip.close();
  return { totalMs: performance.now() - start, parseMs, records };
}

function readFolderRecords(dir: string, names: readonly string[]): { totalMs: number; parseMs: number } {
  const start = performance.now();
  let parseMs = 0;
  for (const name of names) {
    const text = readFileSync(join(dir, name), "utf8");
    const t = performance.now();
    JSON.parse(text);
    parseMs += performance.now() - t;
  }
  return { totalMs: performance.now() - start, parseMs };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

async function main(): Promise<void> {
  const opts = readOptions();
  const dir = opts.keep ?? mkdtempSync(join(tmpdir(), "drydock-bench-scan-"));
  mkdirSync(dir, { recursive: true });
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  console.log(`Node ${process.version}, ${cpu}, ${availableParallelism()} cores`);
  try {
    // 1. Generate, straight into the zip: only what the package list needs stays in memory.
    const rnd = prng(opts.seed);
    const generated: Omit<Generated, "text">[] = [];
    let bytes = 0;
    const zipPath = join(dir, "all.zip");
    const folder = opts.folder ? join(dir, "osv") : undefined;
    if (folder !== undefined) mkdirSync(folder, { recursive: true });
    const gen = time(() => writeZip(zipPath, (function* () {
      for (let i = 0; i < opts.records; i++) {
        const { text, ...meta } = makeRecord(i, rnd);
        generated.push(meta);
        bytes += text.length;
        if (folder !== undefined) writeFileSync(join(folder, `REC-${i}.json`), text);
        yield { name: `REC-${i}.json`, data: Buffer.from(text) };
      }
    })()));
    console.log(`Generated ${fmt(opts.records)} OSV records (${(bytes / 1e6).toFixed(0)} MB of JSON) into all.zip (${(statSync(zipPath).size / 1e6).toFixed(0)} MB) in ${fmt(gen.ms)} ms`);

    // 2. Import against its baselines: three rounds, taking turns (the first contender rotates).
    const rounds = 3;
    const baseline: { totalMs: number; parseMs: number }[] = [];
    const parallel: number[] = [];
    const single: number[] = [];
    let dbIndex = 0;
    const importInto = async (workers: number | undefined): Promise<number> => {
      const dbPath = join(dir, `bench-${dbIndex++}.db`);
      const ms = await timeAsync(() => importAdvisories({ dbPath, files: [zipPath], ...(workers === undefined ? {} : { workers }) }));
      if (dbIndex > 1) rmSync(dbPath, { force: true });
      return ms;
    };
    const contenders: (() => Promise<void>)[] = [
      async () => { baseline.push(readZipRecords(zipPath)); },
      async () => { parallel.push(await importInto(undefined)); },
      async () => { single.push(await importInto(0)); },
    ];
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < contenders.length; k++) await contenders[(r + k) % contenders.length]?.();
    }
    const readMs = median(baseline.map((b) => b.totalMs));
    const parseMs = median(baseline.map((b) => b.parseMs));
    const importMs = median(parallel);
    const singleMs = median(single);
    const dbSize = statSync(join(dir, "bench-0.db")).size;
    const workers = Math.min(4, availableParallelism());
    console.log("");
    console.log("| step (all.zip, median of 3) | ms | records/s |");
    console.log("| --- | ---: | ---: |");
    console.log(`| JSON.parse of every record (inflated text in hand) | ${fmt(parseMs)} | ${fmt(opts.records / (parseMs / 1000))} |`);
    console.log(`| read every record: inflate + JSON.parse (baseline) | ${fmt(readMs)} | ${fmt(opts.records / (readMs / 1000))} |`);
    console.log(`| drydock db import (${workers} worker threads; new DB file, indexes, rename) | ${fmt(importMs)} | ${fmt(opts.records / (importMs / 1000))} |`);
    console.log(`| drydock db import, one thread (workers: 0) | ${fmt(singleMs)} | ${fmt(opts.records / (singleMs / 1000))} |`);
    console.log(`DB size ${(dbSize / 1e6).toFixed(0)} MB; load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);

    if (folder !== undefined) {
      const names = generated.map((_, i) => `REC-${i}.json`);
      const fb = readFolderRecords(folder, names);
      const dbPath = join(dir, "bench-folder.db");
      const fi = await timeAsync(() => importAdvisories({ dbPath, files: [folder] }));
      console.log(`folder of ${fmt(names.length)} files: read + JSON.parse ${fmt(fb.totalMs)} ms (JSON.parse alone ${fmt(fb.parseMs)} ms); import ${fmt(fi)} ms = ${(fi / fb.totalMs).toFixed(2)}× reading, ${(fi / fb.parseMs).toFixed(2)}× JSON.parse alone`);
    }

    // 3. Match 500 packages: most drawn from the advisories (inside, at and past their ranges), the rest unknown.
    const db = VulnDb.open(join(dir, "bench-0.db"));
    const prnd = prng(opts.seed + 1);
    const packages: PackageQuery[] = [];
    for (let i = 0; i < opts.packages; i++) {
      const g = generated[Math.floor(prnd() * generated.length)];
      if (g === undefined || i % 5 === 4) {
        packages.push({ name: `unknown-${i}`, version: "1.0.0", ecosystem: "npm" });
        continue;
      }
      const version = prnd() < 0.5 ? g.fixed : g.fixed.replace(/\.(\d+)(?=(-|$))/, (_, d: string) => `.${Math.max(0, Number(d) - 1)}`);
      const release = g.ecosystem === "Debian" ? "12" : g.ecosystem === "Alpine" ? "v3.19" : undefined;
      packages.push({ name: g.name, version, ecosystem: g.ecosystem, ...(release === undefined ? {} : { release }) });
    }
    matchPackages(db, packages.slice(0, 50));
    const matches: number[] = [];
    let found = 0;
    for (let r = 0; r < 5; r++) {
      const m = time(() => matchPackages(db, packages));
      matches.push(m.ms);
      found = m.value.findings.length;
    }
    const matchMs = median(matches);
    console.log(`match ${fmt(opts.packages)} packages: ${matchMs.toFixed(1)} ms (median of 5), ${fmt(found)} findings`);

    // 3b. The whole scan after the image is read: the catalog of those packages through scanCatalog (release from
    // the distro, ignores, report building) and the JSON report written.
    const catalog: Catalog = {
      target: "bench-image", kind: "image", distro: { id: "debian", versionId: "12", versionCodename: "bookworm", prettyName: undefined }, notes: [],
      packages: packages.map((p, i): CatalogedPackage => ({
        ...p, purl: `pkg:generic/${encodeURIComponent(p.name)}@${encodeURIComponent(p.version)}`, type: p.ecosystem === "Debian" ? "deb" : "npm",
        licenses: [], locations: [{ path: `usr/lib/pkg-${i}/package.json`, layerIndex: 0, layer: "sha256:00" }], cataloger: "bench",
      })),
    };
    const scans: number[] = [];
    for (let r = 0; r < 5; r++) scans.push(time(() => scanFormats.json.render(scanCatalog(catalog, db, {}), { color: false })).ms);
    db.close();
    const scanMs = median(scans);
    console.log(`scan a ${fmt(opts.packages)}-package catalog and render its JSON report: ${scanMs.toFixed(1)} ms (median of 5)`);

    // 4. Verdicts.
    const rate = opts.records / (importMs / 1000);
    const ratioRead = importMs / readMs;
    const ratioParse = importMs / parseMs;
    console.log("");
    console.log("| measure | value | target |");
    console.log("| --- | ---: | --- |");
    console.log(`| import records/s | ${fmt(rate)} | ≥ ${fmt(TARGET_RECORDS_PER_S)} ${rate >= TARGET_RECORDS_PER_S ? "PASS" : "FAIL"} |`);
    console.log(`| import / read every record (inflate + JSON.parse) | ${ratioRead.toFixed(2)}× | ≤ ${TARGET_PARSE_RATIO}× ${ratioRead <= TARGET_PARSE_RATIO ? "PASS" : "FAIL"} |`);
    console.log(`| import / JSON.parse alone | ${ratioParse.toFixed(2)}× | (context; ≤ ${TARGET_PARSE_RATIO}× ${ratioParse <= TARGET_PARSE_RATIO ? "met" : "not met"}) |`);
    console.log(`| one-thread import / read every record | ${(singleMs / readMs).toFixed(2)}× | (context) |`);
    console.log(`| match ${opts.packages} packages | ${matchMs.toFixed(1)} ms | < ${TARGET_MATCH_MS} ms ${matchMs < TARGET_MATCH_MS ? "PASS" : "FAIL"} |`);
    console.log(`| scan ${opts.packages} packages (after the image is read) + JSON report | ${scanMs.toFixed(1)} ms | < ${TARGET_MATCH_MS} ms ${scanMs < TARGET_MATCH_MS ? "PASS" : "FAIL"} |`);
  } finally {
    if (opts.keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
