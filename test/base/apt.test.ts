import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, appendFileSync, mkdirSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import { DEFAULT_KEYRING, defaultTransport, fetchPackages, fetchRelease, fetchVerifiedFile, readKeyring, type Transport } from "../../src/base/apt.ts";
import { directoryCache } from "../../src/base/cache.ts";
import { makeKey, makeRepo, serveDir, signIndexes, type DebSpec, type GpgKey } from "./repo.ts";

const DEBS: DebSpec[] = [
  { name: "alpha", version: "1.0-1", fields: { Depends: "beta (>= 2)" }, files: { "usr/share/alpha/a.txt": "alpha\n" } },
  { name: "beta", version: "2.1-1", files: { "usr/share/beta/b.txt": "beta\n" } },
  { name: "gamma", version: "0.5", architecture: "all", files: { "usr/share/gamma/g.txt": "gamma\n" } },
];

let work: string;
let key: GpgKey;
let otherKey: GpgKey;
let repo: string;
let served: { url: string; server: Server; requests: string[] };
const transport: Transport = defaultTransport();
const source = (mirror: string, suite = "bookworm") => ({ mirror, suite, components: ["main"] });

before(() => {
  work = mkdtempSync(join(tmpdir(), "drydock-apt-"));
  key = makeKey(work, "repo");
  otherKey = makeKey(work, "stranger");
  repo = join(work, "repo");
  makeRepo(repo, DEBS, key, { suite: "bookworm" });
});
before(async () => {
  served = await serveDir(repo);
});
after(() => {
  served.server.close();
  rmSync(work, { recursive: true, force: true });
});

/** A copy of the repository to tamper with. */
function copyRepo(name: string): string {
  const dir = join(work, name);
  cpSync(repo, dir, { recursive: true });
  return dir;
}

describe("fetchRelease", () => {
  it("verifies InRelease over HTTP and reads its fields", async () => {
    const keys = await readKeyring(key.keyring);
    const release = await fetchRelease(source(served.url), { keys, now: new Date(), transport });
    assert.equal(release.file, "InRelease");
    assert.equal(release.signedBy, key.fingerprint);
    assert.equal(release.suite, "bookworm");
    assert.equal(release.origin, "Debian");
    assert.deepEqual(release.architectures, ["amd64"]);
    const inRelease = readFileSync(join(repo, "dists/bookworm/InRelease"));
    assert.equal(release.sha256, createHash("sha256").update(inRelease).digest("hex"));
    const packagesXz = readFileSync(join(repo, "dists/bookworm/main/binary-amd64/Packages.xz"));
    assert.deepEqual(release.files.get("main/binary-amd64/Packages.xz"), { sha256: createHash("sha256").update(packagesXz).digest("hex"), size: packagesXz.length });
  });

  it("reads a file: repository the same way", async () => {
    const keys = await readKeyring(key.keyring);
    const release = await fetchRelease(source(pathToFileURL(repo).href), { keys, now: new Date(), transport });
    const packages = await fetchPackages(release, "main", "amd64", 0, { transport });
    assert.deepEqual(packages.map((p) => `${p.name} ${p.version} ${p.architecture}`).sort(), ["alpha 1.0-1 amd64", "beta 2.1-1 amd64", "gamma 0.5 all"]);
  });

  it("falls back to Release + Release.gpg when there is no InRelease", async () => {
    const dir = copyRepo("detached");
    rmSync(join(dir, "dists/bookworm/InRelease"));
    const release = await fetchRelease(source(pathToFileURL(dir).href), { keys: await readKeyring(key.keyring), now: new Date(), transport });
    assert.equal(release.file, "Release");
    assert.equal(release.signedBy, key.fingerprint);
  });

  it("refuses a Release signed by a key that is not in the keyring", async () => {
    await assert.rejects(fetchRelease(source(served.url), { keys: await readKeyring(otherKey.keyring), now: new Date(), transport }), { name: "DrydockError", code: "BASE_SIGNATURE_INVALID" });
  });

  it("refuses an InRelease whose signed text was changed", async () => {
    const dir = copyRepo("tampered-inrelease");
    const file = join(dir, "dists/bookworm/InRelease");
    const text = readFileSync(file, "utf8");
    const changed = text.replace(/^( [0-9a-f]{63})[0-9a-f]/m, (_m, head: string) => `${head}${head.endsWith("0") ? "1" : "0"}`);
    assert.notEqual(changed, text);
    writeFileSync(file, changed);
    await assert.rejects(fetchRelease(source(pathToFileURL(dir).href), { keys: await readKeyring(key.keyring), now: new Date(), transport }), { name: "DrydockError", code: "BASE_SIGNATURE_INVALID" });
  });

  it("refuses an unsigned repository", async () => {
    const dir = copyRepo("unsigned");
    rmSync(join(dir, "dists/bookworm/InRelease"));
    rmSync(join(dir, "dists/bookworm/Release.gpg"));
    await assert.rejects(fetchRelease(source(pathToFileURL(dir).href), { keys: await readKeyring(key.keyring), now: new Date(), transport }), { name: "DrydockError", code: "BASE_SIGNATURE_INVALID" });
  });

  it("refuses a Release past its Valid-Until, and one for another suite", async () => {
    const dir = join(work, "expired");
    cpSync(join(repo, "pool"), join(dir, "pool"), { recursive: true });
    signIndexes(dir, key, { suite: "bookworm", extraReleaseFields: ["Valid-Until: Sat, 01 Jan 2022 00:00:00 UTC"] });
    const keys = await readKeyring(key.keyring);
    await assert.rejects(fetchRelease(source(pathToFileURL(dir).href), { keys, now: new Date(), transport }), { name: "DrydockError", code: "BASE_RELEASE_EXPIRED" });
    // The same signed file checked at a time before Valid-Until passes.
    const then = await fetchRelease(source(pathToFileURL(dir).href), { keys, now: new Date("2021-12-31T00:00:00Z"), transport }).catch((e: unknown) => e);
    assert.equal((then as { code?: string }).code, "BASE_RELEASE_INVALID"); // ... but its Date is then in the future
    const other = copyRepo("other-suite");
    cpSync(join(other, "dists/bookworm"), join(other, "dists/trixie"), { recursive: true });
    await assert.rejects(fetchRelease(source(pathToFileURL(other).href, "trixie"), { keys, now: new Date(), transport }), { name: "DrydockError", code: "BASE_RELEASE_INVALID", message: /not trixie/ });
  });

  it("reads Debian's own keyring", async () => {
    const keys = await readKeyring(DEFAULT_KEYRING);
    assert.ok(keys.length >= 3);
    await assert.rejects(readKeyring(join(work, "missing.gpg")), { code: "BASE_KEYRING_INVALID" });
  });
});

describe("fetchPackages", () => {
  it("returns what dpkg-scanpackages indexed, with the .debs' real hashes", async () => {
    const release = await fetchRelease(source(served.url), { keys: await readKeyring(key.keyring), now: new Date(), transport });
    const packages = await fetchPackages(release, "main", "amd64", 0, { transport });
    const poolFiles = readdirSync(join(repo, "pool/main"));
    assert.equal(packages.length, poolFiles.length);
    for (const p of packages) {
      const bytes = readFileSync(join(repo, p.filename));
      assert.equal(p.sha256, createHash("sha256").update(bytes).digest("hex"));
      assert.equal(p.size, bytes.length);
      assert.equal(execFileSync("dpkg-deb", ["-f", join(repo, p.filename), "Version"]).toString().trim(), p.version);
    }
    assert.ok(served.requests.includes("/dists/bookworm/main/binary-amd64/Packages.xz"));
  });

  it("refuses an index that does not match the signed hash", async () => {
    const dir = copyRepo("tampered-index");
    const index = join(dir, "dists/bookworm/main/binary-amd64/Packages");
    appendFileSync(index, "\nPackage: evil\nVersion: 1\nArchitecture: amd64\nFilename: pool/main/evil.deb\nSize: 1\nSHA256: " + "0".repeat(64) + "\n");
    execFileSync("xz", ["-kf", index]);
    const release = await fetchRelease(source(pathToFileURL(dir).href), { keys: await readKeyring(key.keyring), now: new Date(), transport });
    await assert.rejects(fetchPackages(release, "main", "amd64", 0, { transport }), { name: "DrydockError", code: "BASE_HASH_MISMATCH" });
  });

  it("names a missing architecture", async () => {
    const release = await fetchRelease(source(served.url), { keys: await readKeyring(key.keyring), now: new Date(), transport });
    await assert.rejects(fetchPackages(release, "main", "arm64", 0, { transport }), { code: "BASE_RELEASE_INVALID", message: /arm64/ });
  });
});

describe("fetchVerifiedFile", () => {
  it("checks a .deb against its hash, caches it, and drops a corrupted cache entry", async () => {
    const release = await fetchRelease(source(served.url), { keys: await readKeyring(key.keyring), now: new Date(), transport });
    const [alpha] = (await fetchPackages(release, "main", "amd64", 0, { transport })).filter((p) => p.name === "alpha");
    assert.ok(alpha !== undefined);
    const cacheDir = join(work, "cache");
    const cache = directoryCache(cacheDir);
    const expected = { sha256: alpha.sha256, size: alpha.size };
    const first = await fetchVerifiedFile(served.url, alpha.filename, expected, transport, cache);
    assert.deepEqual(Buffer.from(first), readFileSync(join(repo, alpha.filename)));
    const before = served.requests.length;
    await fetchVerifiedFile(served.url, alpha.filename, expected, transport, cache);
    assert.equal(served.requests.length, before, "second fetch comes from the cache");
    writeFileSync(join(cacheDir, alpha.sha256), "corrupted");
    await fetchVerifiedFile(served.url, alpha.filename, expected, transport, cache);
    assert.equal(served.requests.length, before + 1, "a corrupted cache entry is fetched again");

    const dir = copyRepo("tampered-deb");
    const deb = join(dir, alpha.filename);
    const bytes = readFileSync(deb);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0xff;
    writeFileSync(deb, bytes);
    await assert.rejects(fetchVerifiedFile(pathToFileURL(dir).href, alpha.filename, expected, transport, undefined), { name: "DrydockError", code: "BASE_HASH_MISMATCH" });
    await assert.rejects(fetchVerifiedFile(served.url, "../../etc/passwd", expected, transport, undefined), { code: "BASE_INDEX_INVALID" });
    mkdirSync(join(work, "empty"));
    await assert.rejects(fetchVerifiedFile(pathToFileURL(join(work, "empty")).href, alpha.filename, expected, transport, undefined), { code: "BASE_REPOSITORY_UNAVAILABLE" });
  });
});
