// The database: zip reading (against Python's zipfile as the writer), importers, idempotent and atomic imports.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { deflateRawSync } from "node:zlib";
import { after, describe, test } from "node:test";
import { importAdvisories, type ImportProgress } from "../../src/vuln/db/import.ts";
import { VulnDb } from "../../src/vuln/db/schema.ts";
import { ZipReader } from "../../src/vuln/db/zip.ts";
import { matchPackages } from "../../src/vuln/match.ts";
import { ALPINE_SECDB, DEBIAN_TRACKER, LODASH, LOG4SHELL, REQUESTS_GHSA, REQUESTS_PYSEC, writeOsvFolder, zipWithPython } from "./fixtures.ts";

const work = mkdtempSync(join(tmpdir(), "drydock-db-"));
after(() => rmSync(work, { recursive: true, force: true }));
let counter = 0;
const fresh = (name: string): string => join(work, `${counter++}-${name}`);
const sha256 = (path: string): string => createHash("sha256").update(readFileSync(path)).digest("hex");

/** Every table's rows in a stable order, to compare two databases. */
function dump(path: string): string {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const advisories = db.prepare(`SELECT a.vuln_id, s.name, a.summary, a.severity, a.cvss, a.published, a.modified, a.withdrawn, a.aliases, a.upstream
      FROM advisories a JOIN sources s ON s.id = a.source ORDER BY 2, 1`).all();
    const affected = db.prepare(`SELECT s.name AS source_name, a.vuln_id, f.ecosystem, f.release, f.name, f.status, f.fixed, f.ranges, f.versions, f.severity
      FROM affected f JOIN advisories a ON a.id = f.advisory JOIN sources s ON s.id = a.source ORDER BY 1, 2, 3, 4, 5, 6, 7, 8`).all();
    const aliases = db.prepare("SELECT x.alias, a.vuln_id FROM aliases x JOIN advisories a ON a.id = x.advisory ORDER BY 1, 2").all();
    const sources = db.prepare("SELECT name, kind, records, newest FROM sources ORDER BY name").all();
    return JSON.stringify({ advisories, affected, aliases, sources });
  } finally {
    db.close();
  }
}

describe("zip reader", () => {
  test("reads deflated and stored entries written by Python's zipfile", async () => {
    const files = { "a/GHSA-1.json": JSON.stringify(LOG4SHELL), "b.json": "x".repeat(100_000), "empty.json": "" };
    for (const stored of [false, true]) {
      const zip = ZipReader.open(zipWithPython(fresh("t.zip"), files, { stored }));
      try {
        assert.deepEqual(zip.entries.map((e) => e.name), Object.keys(files));
        assert.deepEqual(zip.entries.map((e) => zip.read(e).toString("utf8")), Object.values(files));
      } finally {
        zip.close();
      }
    }
  });

  test("reads ZIP64 archives (more than 65,535 entries)", async () => {
    const path = fresh("many.zip");
    execFileSync("/usr/bin/python3", ["-c", `import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_STORED) as z:
    for i in range(65600): z.writestr(f"{i}.json", str(i))`, path]);
    const zip = ZipReader.open(path);
    try {
      assert.equal(zip.entries.length, 65_600);
      const last = zip.entries[65_599];
      assert.ok(last !== undefined);
      assert.equal(zip.read(last).toString(), "65599");
    } finally {
      zip.close();
    }
  });

  test("a truncated download is ZIP_TRUNCATED", async () => {
    const path = zipWithPython(fresh("t.zip"), { "a.json": JSON.stringify(LOG4SHELL), "b.json": JSON.stringify(LODASH) });
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 30));
    assert.throws(() => ZipReader.open(path), { code: "ZIP_TRUNCATED" });
    writeFileSync(path, bytes.subarray(0, 100));
    assert.throws(() => ZipReader.open(path), { code: "ZIP_TRUNCATED" });
  });

  test("a zip bomb is refused before it is inflated", async () => {
    const path = fresh("bomb.zip");
    execFileSync("/usr/bin/python3", ["-c", `import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("bomb.json", bytes(50 * 1024 * 1024))`, path]);
    assert.throws(() => ZipReader.open(path), (e: Error & { code?: string }) => e.code === "ZIP_TOO_LARGE" && /zip bomb/.test(e.message));
  });

  test("an entry that inflates past its declared size is refused", async () => {
    const path = zipWithPython(fresh("lie.zip"), { "a.json": "A".repeat(5000) });
    const bytes = readFileSync(path);
    // Make the central directory (and local header) claim 100 bytes.
    const cd = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bytes.writeUInt32LE(100, cd + 24);
    bytes.writeUInt32LE(100, 22);
    writeFileSync(path, bytes);
    const zip = ZipReader.open(path);
    try {
      const entry = zip.entries[0];
      assert.ok(entry !== undefined);
      assert.throws(() => zip.read(entry), { code: "ZIP_TOO_LARGE" });
    } finally {
      zip.close();
    }
  });

  test("corrupt data is ZIP_INVALID", async () => {
    const path = zipWithPython(fresh("crc.zip"), { "a.json": "hello hello hello hello" }, { stored: true });
    const bytes = readFileSync(path);
    bytes[30 + "a.json".length] = "j".charCodeAt(0);
    writeFileSync(path, bytes);
    const zip = ZipReader.open(path);
    try {
      assert.throws(() => zip.read(zip.entries[0] ?? assert.fail()), (e: Error & { code?: string }) => e.code === "ZIP_INVALID" && /CRC/.test(e.message));
    } finally {
      zip.close();
    }
    const deflated = fresh("bad-deflate.zip");
    const good = readFileSync(zipWithPython(fresh("d.zip"), { "a.json": "x".repeat(1000) }));
    const data = deflateRawSync(Buffer.from("x".repeat(1000)));
    good.fill(0xff, 30 + "a.json".length, 30 + "a.json".length + Math.min(4, data.length));
    writeFileSync(deflated, good);
    const z2 = ZipReader.open(deflated);
    try {
      assert.throws(() => z2.read(z2.entries[0] ?? assert.fail()), { code: "ZIP_INVALID" });
    } finally {
      z2.close();
    }
  });
});

describe("import", () => {
  test("bad JSON names the file and the entry", async () => {
    const zip = zipWithPython(fresh("bad.zip"), { "GHSA-ok.json": JSON.stringify(LODASH), "GHSA-bad.json": "{\"id\": \"GHSA-bad\",," });
    await assert.rejects(importAdvisories({ dbPath: fresh("x.db"), files: [zip] }),
      (e: Error & { code?: string }) => e.code === "ADVISORY_INVALID" && e.message.includes("bad.zip:GHSA-bad.json: bad JSON"));
    const file = fresh("bad.json");
    writeFileSync(file, "[{\"id\": 1}]");
    await assert.rejects(importAdvisories({ dbPath: fresh("x.db"), files: [file] }),
      (e: Error & { code?: string }) => e.code === "ADVISORY_INVALID" && e.message.includes("without an \"id\""));
    const tracker = fresh("tracker.json");
    writeFileSync(tracker, JSON.stringify({ openssl: { "CVE-2022-0778": { releases: { bullseye: {} } }, "CVE-X": "oops" } }));
    await assert.rejects(importAdvisories({ dbPath: fresh("x.db"), files: [tracker] }),
      (e: Error & { code?: string }) => e.code === "ADVISORY_INVALID" && e.message.includes("openssl CVE-X"));
    await assert.rejects(importAdvisories({ dbPath: fresh("x.db"), files: [fresh("missing.json")] }), { code: "INPUT_UNREADABLE" });
  });

  test("importing the same files twice gives the same database", async () => {
    const folder = writeOsvFolder(fresh("osv"), [REQUESTS_GHSA, REQUESTS_PYSEC, LODASH]);
    const tracker = fresh("debian.json");
    writeFileSync(tracker, JSON.stringify(DEBIAN_TRACKER));
    const a = fresh("a.db");
    await importAdvisories({ dbPath: a, files: [folder, tracker] });
    const once = dump(a);
    await importAdvisories({ dbPath: a, files: [folder, tracker] });
    assert.equal(dump(a), once);
    const b = fresh("b.db");
    await importAdvisories({ dbPath: b, files: [folder, tracker, folder] });
    assert.equal(dump(b), once, "a file given twice in one import counts once");
  });

  test("a new import replaces its sources and keeps the others", async () => {
    const db = fresh("keep.db");
    const pypi = writeOsvFolder(fresh("pypi"), [REQUESTS_GHSA]);
    const tracker = fresh("debian.json");
    writeFileSync(tracker, JSON.stringify(DEBIAN_TRACKER));
    const alpine = fresh("alpine.json");
    writeFileSync(alpine, JSON.stringify(ALPINE_SECDB));
    const first = await importAdvisories({ dbPath: db, files: [pypi, tracker, alpine] });
    assert.deepEqual(first.imported.map((s) => [s.name, s.records]), [["alpine:v3.15/main", 7], ["debian-tracker", 6], ["osv:PyPI", 1]]);
    const newer = writeOsvFolder(fresh("pypi2"), [REQUESTS_PYSEC]);
    const second = await importAdvisories({ dbPath: db, files: [newer] });
    assert.deepEqual(second.kept, ["alpine:v3.15/main", "debian-tracker"]);
    const vdb = VulnDb.open(db);
    try {
      assert.deepEqual(vdb.sources().map((s) => [s.name, s.kind, s.records]), [
        ["alpine:v3.15/main", "alpine-secdb", 7], ["debian-tracker", "debian-tracker", 6], ["osv:PyPI", "osv", 1],
      ]);
      const found = matchPackages(vdb, [{ name: "requests", version: "2.30.0", ecosystem: "PyPI" },
        { name: "libssl1.1", sourceName: "openssl", version: "1.1.1w-0+deb11u1", ecosystem: "Debian", release: "11" }]).findings;
      assert.deepEqual(found.map((f) => [f.id, f.sources.join(" ")]), [
        ["CVE-2023-32681", "osv:PyPI:PYSEC-2023-74"], ["CVE-2024-0727", "debian-tracker:CVE-2024-0727"],
      ]);
    } finally {
      vdb.close();
    }
  });

  test("when a record comes twice, the later `modified` wins", async () => {
    const older = { ...LODASH, modified: "2020-01-01T00:00:00Z", summary: "old" };
    const one = writeOsvFolder(fresh("one"), [LODASH]);
    const two = writeOsvFolder(fresh("two"), [older]);
    const db = fresh("dup.db");
    await importAdvisories({ dbPath: db, files: [one, two] });
    const vdb = VulnDb.open(db);
    try {
      assert.deepEqual(vdb.advisoriesKnownAs("GHSA-35jh-r3h4-6jhm").map((a) => a.summary), ["Command Injection in lodash"]);
      assert.equal(vdb.sources()[0]?.records, 1);
      assert.equal(vdb.sources()[0]?.newest, "2024-03-20T18:19:35Z");
    } finally {
      vdb.close();
    }
  });

  test("worker threads give the same database as one thread, and report bad records the same way", async () => {
    const records = Array.from({ length: 600 }, (_, i) => ({ ...LODASH, id: `GHSA-par-${i}`, affected: [{ ...LODASH.affected[0], package: { ecosystem: "npm", name: `pkg-${i % 300}` } }] }));
    const files = Object.fromEntries(records.map((r) => [`${r.id}.json`, JSON.stringify(r)]));
    const zip = zipWithPython(fresh("par.zip"), files);
    const folder = writeOsvFolder(fresh("par"), records);
    const one = fresh("one.db");
    const many = fresh("many.db");
    await importAdvisories({ dbPath: one, files: [zip, folder], workers: 0 });
    await importAdvisories({ dbPath: many, files: [zip, folder], workers: 2 });
    assert.equal(dump(many), dump(one));
    const bad = zipWithPython(fresh("par-bad.zip"), { ...files, "GHSA-par-500.json": "{\"id\": " });
    await assert.rejects(importAdvisories({ dbPath: fresh("bad.db"), files: [bad], workers: 2 }),
      (e: Error & { code?: string }) => e.code === "ADVISORY_INVALID" && e.message.includes("par-bad.zip:GHSA-par-500.json: bad JSON"));
  });

  test("progress is reported per file", async () => {
    const seen: ImportProgress[] = [];
    const zip = zipWithPython(fresh("p.zip"), { "a.json": JSON.stringify(LODASH), "b.json": JSON.stringify(LOG4SHELL) });
    await importAdvisories({ dbPath: fresh("p.db"), files: [zip], onProgress: (p) => seen.push(p) });
    assert.deepEqual(seen.map((p) => [p.kind, p.records, p.total, p.done]), [["osv-zip", 2, 2, true]]);
  });

  test("a failed import leaves the old database untouched and no temporary file", async () => {
    const db = fresh("atomic.db");
    await importAdvisories({ dbPath: db, files: [writeOsvFolder(fresh("ok"), [LODASH])] });
    const before = sha256(db);
    const bad = fresh("bad.json");
    writeFileSync(bad, "{");
    await assert.rejects(importAdvisories({ dbPath: db, files: [writeOsvFolder(fresh("ok2"), [LOG4SHELL]), bad] }), { code: "ADVISORY_INVALID" });
    assert.equal(sha256(db), before);
    assert.deepEqual(readdirSync(work).filter((n) => n.includes(".import-")), []);
  });

  test("a killed import leaves the old database intact; the next import clears its leftovers", async () => {
    const db = fresh("killed.db");
    await importAdvisories({ dbPath: db, files: [writeOsvFolder(fresh("seed"), [LODASH])] });
    const before = sha256(db);
    const big = fresh("big.json");
    const records = Array.from({ length: 60_000 }, (_, i) => ({ ...REQUESTS_GHSA, id: `GHSA-test-${i}` }));
    writeFileSync(big, JSON.stringify(records));
    const child = spawn(process.execPath, [join(import.meta.dirname, "import-child.ts"), db, big], { stdio: ["ignore", "pipe", "inherit"] });
    const outcome = await new Promise<string>((resolve) => {
      child.stdout.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("progress")) child.kill("SIGKILL");
      });
      child.on("exit", (_code, signal) => resolve(String(signal)));
    });
    assert.equal(outcome, "SIGKILL", "the import was still running when killed");
    assert.equal(sha256(db), before);
    const leftovers = readdirSync(work).filter((n) => n.startsWith("killed.db.import-") || n.includes("-killed.db.import-"));
    assert.equal(leftovers.length, 1, `the killed import left its unfinished file: ${leftovers.join(" ")}`);
    const vdb = VulnDb.open(db);
    assert.deepEqual(vdb.sources().map((s) => s.name), ["osv:npm"]);
    vdb.close();
    await importAdvisories({ dbPath: db, files: [writeOsvFolder(fresh("next"), [LOG4SHELL])] });
    assert.equal(readdirSync(work).filter((n) => n.includes("killed.db.import-")).length, 0);
    assert.ok(existsSync(db));
  });

  test("a file that is not a database of ours is not overwritten", async () => {
    const db = fresh("other.db");
    writeFileSync(db, "not sqlite at all, not even close: some user's file");
    await assert.rejects(importAdvisories({ dbPath: db, files: [writeOsvFolder(fresh("o"), [LODASH])] }), { code: "DB_INVALID" });
    assert.equal(readFileSync(db, "utf8"), "not sqlite at all, not even close: some user's file");
    assert.throws(() => VulnDb.open(db), { code: "DB_INVALID" });
    assert.throws(() => VulnDb.open(fresh("none.db")), { code: "DB_NOT_FOUND" });
  });
});
