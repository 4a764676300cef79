import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import { writeLayer } from "../../src/build/layer.ts";
import { compareWalkOrder, sortEntries, tarChunks, type LayerEntry } from "../../src/build/tar-writer.ts";

const file = (path: string, text: string, extra: Partial<LayerEntry> = {}): LayerEntry => {
  const bytes = Buffer.from(text);
  return { path, kind: "file", mode: 0o644, uid: 0, gid: 0, mtime: 0, size: bytes.length, content: { kind: "bytes", bytes }, ...extra };
};
const dir = (path: string, extra: Partial<LayerEntry> = {}): LayerEntry => ({ path, kind: "dir", mode: 0o755, uid: 0, gid: 0, mtime: 0, size: 0, ...extra });

async function tarOf(entries: LayerEntry[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of tarChunks(sortEntries(entries))) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

function gnuList(tar: Buffer): string[] {
  const d = mkdtempSync(join(tmpdir(), "drydock-tar-"));
  try {
    writeFileSync(join(d, "l.tar"), tar);
    return execFileSync("tar", ["--numeric-owner", "--full-time", "-tvf", join(d, "l.tar")], { encoding: "utf8", env: { ...process.env, TZ: "UTC" } }).trim().split("\n");
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
}

test("walk order: parents before children, '/' before every other byte", () => {
  const paths = ["a.txt", "a/b", "a", "a-b", "B", "a/b/c", "é", "z"];
  assert.deepEqual([...paths].sort(compareWalkOrder), ["B", "a", "a/b", "a/b/c", "a-b", "a.txt", "z", "é"]);
});

test("GNU tar reads what we write: kinds, modes, owners, mtimes, link targets", async () => {
  const tar = await tarOf([
    file("app/run.sh", "#!/bin/sh\n", { mode: 0o755, uid: 1000, gid: 1001, mtime: 1_700_000_000 }),
    dir("app"),
    { path: "app/link", kind: "symlink", mode: 0o777, uid: 0, gid: 0, mtime: 0, size: 0, linkname: "run.sh" },
    { path: "app/hard", kind: "hardlink", mode: 0o755, uid: 0, gid: 0, mtime: 0, size: 0, linkname: "app/run.sh" },
    { path: "etc/gone", kind: "whiteout", mode: 0, uid: 0, gid: 0, mtime: 0, size: 0 },
  ]);
  assert.equal(tar.length % 512, 0);
  assert.deepEqual(gnuList(tar).map((l) => l.replace(/\s+/g, " ")), [
    "drwxr-xr-x 0/0 0 1970-01-01 00:00:00 app/",
    "hrwxr-xr-x 0/0 0 1970-01-01 00:00:00 app/hard link to app/run.sh",
    "lrwxrwxrwx 0/0 0 1970-01-01 00:00:00 app/link -> run.sh",
    "-rwxr-xr-x 1000/1001 10 2023-11-14 22:13:20 app/run.sh",
    "---------- 0/0 0 1970-01-01 00:00:00 etc/.wh.gone",
  ]);
  // No user or group names, and the ustar magic of POSIX (not GNU's "ustar  ").
  assert.equal(tar.subarray(257, 265).toString("latin1"), "ustar\u000000");
  assert.equal(tar.subarray(265, 297).toString("latin1").replace(/\0+$/, ""), "");
});

test("long and non-ASCII names and big ids get a PAX header; GNU tar extracts the same bytes", async () => {
  const long = `${"d".repeat(120)}/${"f".repeat(120)}.txt`;
  const tar = await tarOf([file(long, "long"), file("ünïcode.txt", "u"), file("big", "b", { uid: 3_000_000, gid: 2_097_152 })]);
  const listing = gnuList(tar).map((l) => l.replace(/\s+/g, " "));
  assert.ok(listing.includes(`-rw-r--r-- 3000000/2097152 1 1970-01-01 00:00:00 big`), listing.join("\n"));
  assert.ok(listing.some((l) => l.endsWith(long)));
  assert.ok(listing.some((l) => l.endsWith("ünïcode.txt")));
  // A short ASCII name needs no PAX header.
  const plain = await tarOf([file("short.txt", "s")]);
  assert.equal(plain[156], "0".charCodeAt(0));
  assert.equal(plain.length, 512 + 512 + 1024);
});

test("a 200-byte name splits into ustar prefix and name without PAX", async () => {
  const name = `${"p".repeat(150)}/${"n".repeat(49)}`;
  const tar = await tarOf([file(name, "x")]);
  assert.equal(tar[156], "0".charCodeAt(0));
  assert.ok(gnuList(tar)[0]?.endsWith(name));
});

test("writeLayer: same entries in any order give the same blob; digests match the bytes; fixed gzip header", async () => {
  const d = mkdtempSync(join(tmpdir(), "drydock-layer-"));
  try {
    const entries = [dir("a"), file("a/1", "one"), file("a/2", "two"), file("b", "bee")];
    const x = await writeLayer(entries, { dir: join(d, "x") });
    const y = await writeLayer([...entries].reverse(), { dir: join(d, "y") });
    assert.equal(x.digest, y.digest);
    const blob = readFileSync(x.path);
    assert.equal(x.digest, `sha256:${createHash("sha256").update(blob).digest("hex")}`);
    assert.equal(x.diffId, `sha256:${createHash("sha256").update(gunzipSync(blob)).digest("hex")}`);
    assert.deepEqual([...blob.subarray(0, 10)], [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
    const zstd = await writeLayer(entries, { dir: join(d, "z"), compression: "zstd" });
    assert.equal(zstd.diffId, x.diffId);
    assert.equal(zstd.mediaType, "application/vnd.oci.image.layer.v1.tar+zstd");
    const none = await writeLayer(entries, { dir: join(d, "n"), compression: "none" });
    assert.equal(none.digest, x.diffId);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test("a file that changed size since it was listed is an error, not a corrupt layer", async () => {
  const d = mkdtempSync(join(tmpdir(), "drydock-layer-"));
  try {
    writeFileSync(join(d, "f"), "grown!");
    const entry: LayerEntry = { path: "f", kind: "file", mode: 0o644, uid: 0, gid: 0, mtime: 0, size: 3, content: { kind: "path", path: join(d, "f") } };
    await assert.rejects(writeLayer([entry], { dir: join(d, "out") }), { name: "DrydockError", code: "INPUT_UNREADABLE" });
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});
