// What ADD does beyond COPY: a local tar archive (plain, gzip or zstd; bzip2 and xz are refused with a clear
// message) is extracted into the destination directory; a remote file is fetched only when its sha256 is given
// with --checksum and matches; git sources are refused (they need a git client and a network).
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { gunzipSync, zstdDecompressSync } from "node:zlib";
import { readLayer } from "./base.ts";
import type { LayerEntry } from "./tar-writer.ts";
import { cleanRelative, joinRelative } from "./tree.ts";

export type ArchiveKind = "tar" | "gzip" | "zstd" | "bzip2" | "xz" | "none";

/** What a file is, from its first bytes: a compressed stream must hold a tar to count as an archive. */
export async function sniffArchive(path: string): Promise<ArchiveKind> {
  const handle = await open(path, "r");
  let head: Buffer;
  try {
    const buf = Buffer.alloc(64 << 10);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    head = buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  if (head.length >= 3 && head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68) return "bzip2";
  if (head.length >= 6 && head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return "xz";
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return isTarHeader(inflateHead(head, "gzip")) ? "gzip" : "none";
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return isTarHeader(inflateHead(head, "zstd")) ? "zstd" : "none";
  return isTarHeader(head) ? "tar" : "none";
}

function inflateHead(head: Buffer, kind: "gzip" | "zstd"): Buffer {
  try {
    return kind === "gzip" ? gunzipSync(head, { finishFlush: 2 /* Z_SYNC_FLUSH: a truncated stream is fine here */ }) : zstdDecompressSync(head, { finishFlush: 1 });
  } catch {
    return Buffer.alloc(0);
  }
}

/** A tar header block: its checksum adds up (how Docker's archive detection decides, too). */
export function isTarHeader(block: Uint8Array): boolean {
  if (block.length < 512) return false;
  const field = Buffer.from(block.subarray(148, 156)).toString("latin1").replace(/[\0 ]+$/g, "").trim();
  if (!/^[0-7]+$/.test(field)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  return sum === Number.parseInt(field, 8);
}

/**
 * The entries of a local archive, placed under destDir; file contents are extracted into workDir. Owners are
 * kept as the archive has them (as Docker's ADD does), mtimes clamped.
 */
export async function extractArchive(path: string, destDir: string, workDir: string, clamp: (t: number) => number, chown: { uid: number; gid: number } | undefined): Promise<LayerEntry[]> {
  const dir = join(workDir, `add-${randomBytes(4).toString("hex")}`);
  await mkdir(dir, { recursive: true });
  const entries = new Map<string, LayerEntry>();
  let n = 0;
  await readLayer(createReadStream(path, { highWaterMark: 1 << 20 }), path, async (rel, node, body) => {
    const at = joinRelative(destDir, cleanRelative(rel));
    if (node === "whiteout" || node === "opaque") return;
    const entry: LayerEntry = {
      path: at,
      kind: node.kind,
      mode: node.mode,
      uid: chown?.uid ?? node.uid,
      gid: chown?.gid ?? node.gid,
      mtime: clamp(node.mtime),
      size: node.kind === "file" ? node.size : 0,
    };
    if (node.kind === "symlink") entry.linkname = node.linkname;
    if (node.kind === "hardlink") entry.linkname = joinRelative(destDir, node.linkname);
    if (node.kind === "file" && body !== undefined) {
      const file = join(dir, String(n++));
      await pipeline(body, createWriteStream(file));
      entry.content = { kind: "path", path: file };
    }
    if (at !== "") entries.set(at, entry);
  });
  return [...entries.values()];
}

export function isGitSource(src: string): boolean {
  return /^git@/.test(src) || /^git:\/\//.test(src) || /^(https?|ssh):\/\/.*\.git(#.*)?$/.test(src) || /^github\.com\//.test(src);
}

export function isUrl(src: string): boolean {
  return /^https?:\/\//.test(src);
}

/** Downloads a URL into workDir, verifying its sha256; returns the file and the name the URL gives it. */
export async function fetchChecked(url: string, checksum: string, workDir: string, fetchImpl: typeof fetch): Promise<{ path: string; size: number; name: string } | { error: string }> {
  const m = /^sha256:([a-f0-9]{64})$/.exec(checksum);
  if (m === null) return { error: `--checksum must be sha256:<64 hex digits>, got ${JSON.stringify(checksum)}` };
  let res: Response;
  try {
    res = await fetchImpl(url, { redirect: "follow" });
  } catch (e) {
    return { error: `cannot fetch ${url} (${e instanceof Error ? e.message : String(e)})` };
  }
  if (!res.ok || res.body === null) return { error: `fetching ${url} gave HTTP ${res.status}` };
  await mkdir(workDir, { recursive: true });
  const temp = join(workDir, `url-${randomBytes(4).toString("hex")}.tmp`);
  const hash = createHash("sha256");
  let size = 0;
  const counted = async function* (src: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const c of src) {
      hash.update(c);
      size += c.length;
      yield c;
    }
  };
  await pipeline(Readable.fromWeb(res.body as import("node:stream/web").ReadableStream<Uint8Array>), counted, createWriteStream(temp));
  const got = hash.digest("hex");
  if (got !== m[1]) {
    await rm(temp, { force: true });
    return { error: `${url}: checksum mismatch: expected sha256:${m[1]}, got sha256:${got}` };
  }
  const path = join(workDir, `url-${got}`);
  await rename(temp, path);
  const last = new URL(url).pathname.split("/").filter((s) => s !== "").pop();
  return { path, size, name: last === undefined || last === "" ? "__unnamed__" : decodeURIComponent(last) };
}
