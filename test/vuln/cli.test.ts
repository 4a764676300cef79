// `drydock db import|status|update`, run in-process through commander with a captured Io.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { runMain, type MainResult } from "../helpers/main.ts";
import { defaultDbPath } from "../../src/vuln/db/location.ts";
import { ALPINE_SECDB, DEBIAN_TRACKER, LODASH, REQUESTS_GHSA, zipWithPython } from "./fixtures.ts";

const work = mkdtempSync(join(tmpdir(), "drydock-dbcli-"));
after(() => rmSync(work, { recursive: true, force: true }));


/** Runs `drydock <args>` through the real main(). */
function drydock(args: readonly string[], env: Record<string, string> = {}): Promise<MainResult> {
  return runMain(args, { cwd: work, env });
}

describe("db import and status", () => {
  const db = join(work, "cli.db");
  test("import prints what it imported; status lists the sources", async () => {
    const tracker = join(work, "debian.json");
    writeFileSync(tracker, JSON.stringify(DEBIAN_TRACKER));
    const zip = zipWithPython(join(work, "npm.zip"), { "GHSA-35jh-r3h4-6jhm.json": JSON.stringify(LODASH) });
    const imported = await drydock(["db", "import", "--db", db, "npm.zip", "debian.json"]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /osv:npm\s+1 records\s+newest 2024-03-20T18:19:35Z/);
    assert.match(imported.stdout, /debian-tracker\s+6 records/);
    const status = await drydock(["db", "status", "--db", db, "--format", "json"]);
    assert.equal(status.code, 0);
    const parsed = JSON.parse(status.stdout) as { exists: boolean; sources: { name: string; records: number }[]; stale: string[] };
    assert.equal(parsed.exists, true);
    assert.deepEqual(parsed.sources.map((s) => [s.name, s.records]), [["debian-tracker", 6], ["osv:npm", 1]]);
    void zip;
  });

  test("old data gives a warning and exit code 0", async () => {
    const tracker = join(work, "old-alpine.json");
    writeFileSync(tracker, JSON.stringify(ALPINE_SECDB));
    utimesSync(tracker, new Date("2020-01-01T00:00:00Z"), new Date("2020-01-01T00:00:00Z"));
    assert.equal((await drydock(["db", "import", "--db", db, tracker])).code, 0);
    const status = await drydock(["db", "status", "--db", db, "--max-age", "30"]);
    assert.equal(status.code, 0);
    assert.match(status.stdout, /alpine:v3.15\/main\s+7\s+2020-01-01T00:00:00.000Z/);
    assert.match(status.stderr, /warning: alpine:v3.15\/main is \d+ days old \(more than 30\)/);
    assert.match(status.stderr, /warning: osv:npm is \d+ days old/);
    assert.doesNotMatch(status.stderr, /debian-tracker/, "the tracker file was written just now");
  });

  test("status without a database says how to make one", async () => {
    const status = await drydock(["db", "status", "--db", join(work, "nothing.db")]);
    assert.equal(status.code, 0);
    assert.match(status.stdout, /No vulnerability database at .*nothing\.db\.\nBuild one with `drydock db import FILE...`/);
  });

  test("a bad file is an error with exit code 2 and the old database stays", async () => {
    writeFileSync(join(work, "broken.json"), "{\"openssl\": ");
    const before = readFileSync(db);
    const run = await drydock(["db", "import", "--db", db, "broken.json"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /broken\.json: bad JSON: .* \[ADVISORY_INVALID\]/);
    assert.deepEqual(readFileSync(db), before);
  });

  test("the default location is the user's cache directory, or $DRYDOCK_DB", () => {
    assert.equal(defaultDbPath({}, "linux", "/home/u"), "/home/u/.cache/drydock/vulnerabilities.db");
    assert.equal(defaultDbPath({ XDG_CACHE_HOME: "/var/cache/me" }, "linux", "/home/u"), "/var/cache/me/drydock/vulnerabilities.db");
    assert.equal(defaultDbPath({}, "darwin", "/Users/u"), "/Users/u/Library/Caches/drydock/vulnerabilities.db");
    assert.equal(defaultDbPath({ DRYDOCK_DB: "/x/y.db" }, "linux", "/home/u"), "/x/y.db");
  });

  test("--db may be left out when DRYDOCK_DB is set", async () => {
    const run = await drydock(["db", "status"], { DRYDOCK_DB: db });
    assert.match(run.stdout, new RegExp(`Database: ${db.replaceAll(".", "\\.")}`));
  });
});

describe("db update", () => {
  test("--print-urls lists the official locations", async () => {
    const run = await drydock(["db", "update", "--print-urls", "--ecosystem", "PyPI", "--alpine", "v3.20"]);
    assert.equal(run.code, 0);
    assert.equal(run.stdout, [
      "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip",
      "https://security-tracker.debian.org/tracker/data/json",
      "https://secdb.alpinelinux.org/v3.20/main.json",
      "https://secdb.alpinelinux.org/v3.20/community.json",
      "",
    ].join("\n"));
  });

  test("without a network it fails clearly and names the files to fetch elsewhere", async () => {
    // A port nothing listens on: connection refused, as on a machine without a route out.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const run = await drydock(["db", "update", "--db", join(work, "offline.db"), "--mirror", `http://127.0.0.1:${port}`, "--alpine", "v3.20", "--ecosystem", "npm"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, new RegExp(`cannot reach 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\): is there a network\\?`));
    assert.match(run.stderr, /drydock db import FILE\.\.\./);
    assert.match(run.stderr, new RegExp(`http://127\\.0\\.0\\.1:${port}/osv/npm/all\\.zip`));
    assert.match(run.stderr, /\[DOWNLOAD_FAILED\]/);
  });

  test("downloads from a mirror and imports, discovering Alpine branches", async () => {
    const zip = readFileSync(zipWithPython(join(work, "pypi.zip"), { "GHSA-j8r2-6x86-q33q.json": JSON.stringify(REQUESTS_GHSA) }));
    const community = { ...ALPINE_SECDB, reponame: "community", packages: [] };
    const files: Record<string, Buffer | string> = {
      "/osv/PyPI/all.zip": zip,
      "/debian/json": JSON.stringify(DEBIAN_TRACKER),
      "/alpine/": '<html><a href="v3.14/">v3.14/</a> <a href="v3.15/">v3.15/</a> <a href="edge/">edge/</a></html>',
      "/alpine/v3.14/main.json": JSON.stringify({ ...ALPINE_SECDB, distroversion: "v3.14" }),
      "/alpine/v3.14/community.json": JSON.stringify({ ...community, distroversion: "v3.14" }),
      "/alpine/v3.15/main.json": JSON.stringify(ALPINE_SECDB),
      "/alpine/v3.15/community.json": JSON.stringify(community),
    };
    const server: Server = createServer((req, res) => {
      const body = files[req.url ?? ""];
      if (body === undefined) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { "last-modified": "Tue, 24 Nov 2026 10:00:00 GMT" }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const db = join(work, "updated.db");
      const run = await drydock(["db", "update", "--db", db, "--mirror", `http://127.0.0.1:${port}`, "--ecosystem", "PyPI"]);
      assert.equal(run.code, 0, run.stderr);
      const status = JSON.parse((await drydock(["db", "status", "--db", db, "--format", "json"])).stdout) as { sources: { name: string; records: number; newest: string }[] };
      assert.deepEqual(status.sources.map((s) => [s.name, s.records]), [
        ["alpine:v3.14/community", 0], ["alpine:v3.14/main", 7], ["alpine:v3.15/community", 0], ["alpine:v3.15/main", 7],
        ["debian-tracker", 6], ["osv:PyPI", 1],
      ]);
      assert.equal(status.sources.find((s) => s.name === "debian-tracker")?.newest, "2026-11-24T10:00:00.000Z", "dated by Last-Modified");
    } finally {
      server.close();
    }
  });
});
