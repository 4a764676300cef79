import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { machineMirror, parseBaseSettings } from "../../src/base/config.ts";
import { formatLock, lockDifferences, lockDigest, parseLock, type Lock } from "../../src/base/lock.ts";

const HASH = "a".repeat(64);
const LOCK: Lock = {
  request: { variant: "custom", packages: ["tzdata", "base-files"], exclude: [] },
  sources: [{
    mirror: "http://deb.debian.org/debian", suite: "bookworm", components: ["main"],
    release: { file: "InRelease", sha256: HASH, date: "Sat, 10 May 2025 09:05:25 UTC", validUntil: undefined, origin: "Debian", codename: "bookworm", version: "12.11", signedBy: "B8B80B5B623EAB6AD8775C45B7C5D7D6350947F8" },
  }],
  architectures: {
    amd64: [
      { name: "tzdata", version: "2025b-0+deb12u1", architecture: "all", source: 0, filename: "pool/main/t/tzdata/tzdata_2025b-0+deb12u1_all.deb", size: 255000, sha256: "b".repeat(64) },
      { name: "base-files", version: "12.4+deb12u11", architecture: "amd64", source: 0, filename: "pool/main/b/base-files/base-files_12.4+deb12u11_amd64.deb", size: 70000, sha256: "c".repeat(64) },
    ],
  },
};

describe("drydock.lock", () => {
  it("is canonical JSON that reads back to the same lock", () => {
    const text = formatLock(LOCK);
    const parsed = parseLock(text, "drydock.lock");
    assert.deepEqual(parsed.architectures["amd64"]?.map((p) => p.name), ["base-files", "tzdata"], "packages sorted by name");
    assert.equal(formatLock(parsed), text);
    assert.equal(lockDigest(text), lockDigest(formatLock(parseLock(text, "x"))));
    assert.ok(text.endsWith("}\n"));
  });

  it("refuses a damaged lock, naming the entry", () => {
    const doc = JSON.parse(formatLock(LOCK)) as { architectures: { amd64: Record<string, unknown>[] }; lockVersion: number };
    const bad = (change: (d: typeof doc) => void, message: RegExp): void => {
      const copy = structuredClone(doc);
      change(copy);
      assert.throws(() => parseLock(JSON.stringify(copy), "drydock.lock"), { code: "BASE_LOCK_INVALID", message });
    };
    bad((d) => { (d.architectures.amd64[0] as Record<string, unknown>)["sha256"] = "xyz"; }, /architectures.amd64\[0\].sha256/);
    bad((d) => { (d.architectures.amd64[1] as Record<string, unknown>)["filename"] = "../../etc/shadow"; }, /not a path below the mirror/);
    bad((d) => { (d.architectures.amd64[0] as Record<string, unknown>)["source"] = 3; }, /source must index sources/);
    bad((d) => { d.lockVersion = 7; }, /lockVersion/);
    bad((d) => { (d.architectures.amd64[1] as Record<string, unknown>)["architecture"] = "arm64"; }, /architectures.amd64\[1\].architecture is arm64, but the package is locked for amd64/);
    assert.throws(() => parseLock("{", "drydock.lock"), { code: "BASE_LOCK_INVALID", message: /not JSON/ });
  });

  it("lists how a request differs from the lock", () => {
    const sources = [{ suite: "bookworm", components: ["main"] }];
    assert.deepEqual(lockDifferences(LOCK, LOCK.request, sources, ["amd64"]), []);
    const diffs = lockDifferences(LOCK, { variant: "minbase", packages: ["tzdata"], exclude: ["openssl"] }, [{ suite: "trixie", components: ["main"] }], ["amd64", "arm64"]);
    assert.equal(diffs.length, 5);
    assert.match(diffs[4] ?? "", /^architectures arm64 is not in the lock \(it has amd64\)$/);
    // A lock with more architectures than a run builds answers it.
    const twoArchs: Lock = { ...LOCK, architectures: { ...LOCK.architectures, arm64: LOCK.architectures["amd64"]?.map((p) => ({ ...p, architecture: p.architecture === "all" ? "all" : "arm64" })) ?? [] } };
    assert.deepEqual(lockDifferences(twoArchs, LOCK.request, sources, ["arm64"]), []);
    assert.deepEqual(parseLock(formatLock(twoArchs), "drydock.lock"), parseLock(formatLock(twoArchs), "drydock.lock"));
    assert.deepEqual(Object.keys(parseLock(formatLock(twoArchs), "drydock.lock").architectures), ["amd64", "arm64"]);
  });
});

describe("base: settings", () => {
  it("reads the section with defaults and reports problems at their position", () => {
    const s = parseBaseSettings("base:\n  suite: bookworm\n  packages: [tzdata]\n  users: [{name: nonroot, uid: 65532}]\n", "/p/drydock.yaml", "amd64");
    assert.equal(s?.variant, "custom");
    assert.deepEqual(s?.architectures, ["amd64"]);
    assert.equal(s?.lock, "/p/drydock.lock");
    assert.equal(s?.usrmerge, true);
    assert.equal(s?.dpkgDatabase, "both");
    assert.deepEqual(s?.users, [{ name: "nonroot", uid: 65532, gid: 65532, home: "/home/nonroot", shell: "/sbin/nologin" }]);
    assert.equal(parseBaseSettings("ignore: [DL3008]\n", "/p/drydock.yaml", "amd64"), undefined);
    assert.throws(() => parseBaseSettings("base:\n  suite: bookworm\n  packages: [tzdata]\n  variant: tiny\n", "/p/drydock.yaml", "amd64"), (e: unknown) => {
      const err = e as { code: string; location: { start: { line: number; column: number } } };
      return err.code === "CONFIG_INVALID" && err.location.start.line === 4 && err.location.start.column === 12;
    });
    assert.throws(() => parseBaseSettings("base:\n  suite: bookworm\n  packages: [Bad_Name]\n", "f", "amd64"), { code: "CONFIG_INVALID" });
    assert.throws(() => parseBaseSettings("base:\n  packages: [x]\n", "f", "amd64"), { code: "CONFIG_INVALID", message: /suite is required/ });
    assert.throws(() => parseBaseSettings("base:\n  suite: bookworm\n  packges: [x]\n", "f", "amd64"), { code: "CONFIG_INVALID", message: /packges is not a setting/ });
  });

  it("takes the default mirror from the machine's apt sources", async () => {
    const etc = mkdtempSync(join(tmpdir(), "drydock-apt-etc-"));
    try {
      mkdirSync(join(etc, "sources.list.d"));
      writeFileSync(join(etc, "sources.list.d/debian.sources"), "Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\nComponents: main\n\nTypes: deb\nURIs: http://mirror.example/debian-security\nSuites: bookworm-security\nComponents: main\n");
      assert.equal(await machineMirror("bookworm", etc), "http://mirror.example/debian");
      assert.equal(await machineMirror("trixie", etc), "http://mirror.example/debian");
      assert.equal(await machineMirror("trixie-security", etc), "http://mirror.example/debian-security");
      assert.equal(await machineMirror("bookworm", join(etc, "missing")), "http://deb.debian.org/debian");
    } finally {
      rmSync(etc, { recursive: true, force: true });
    }
  });
});
