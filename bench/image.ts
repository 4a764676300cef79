// The image-reading benchmark: drydock's read + walk of a generated ~1 GiB, 5-layer gzip image against the
// physical limit measured in the same run — `gzip -dc` of the same layer blobs piped to `sha256sum`.
// It is a report, not a test: it exits 0 after a valid run and prints PASS/FAIL against the targets.
//
//   node bench/image.ts [--size-mib 1024] [--layers 5] [--rounds 3] [--dir DIR] [--regenerate]
//
// The image is generated once (deterministic content, ~40 s) and kept in DIR (default: a folder in the OS
// temp dir named by the parameters); later runs reuse it. Our side runs in a child process so its peak RSS
// (process.resourceUsage().maxRSS) is the walk's own.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { createGzip } from "node:zlib";
import { openImage } from "../src/image/source.ts";
import { walkImage, type EntryConsumer } from "../src/image/walk.ts";

const TARGET_RATIO = 1.25;
const TARGET_RSS_MIB = 200;
const MIB = 1024 * 1024;

interface Options {
  sizeMib: number;
  layers: number;
  rounds: number;
  dir: string;
  regenerate: boolean;
}

function readOptions(): Options | { child: string } {
  const { values } = parseArgs({
    options: {
      "size-mib": { type: "string", default: "1024" },
      layers: { type: "string", default: "5" },
      rounds: { type: "string", default: "3" },
      dir: { type: "string" },
      regenerate: { type: "boolean", default: false },
      child: { type: "string" },
    },
    strict: true,
  });
  if (values.child !== undefined) return { child: values.child };
  const sizeMib = Number(values["size-mib"]);
  const layers = Number(values.layers);
  const rounds = Number(values.rounds);
  if (![sizeMib, layers, rounds].every((n) => Number.isInteger(n) && n > 0)) {
    console.error("usage: node bench/image.ts [--size-mib N] [--layers N] [--rounds N] [--dir DIR] [--regenerate]");
    process.exit(2);
  }
  return { sizeMib, layers, rounds, dir: values.dir ?? join(tmpdir(), `drydock-bench-image-${sizeMib}m-${layers}l-v2`), regenerate: values.regenerate };
}

// --- deterministic content ------------------------------------------------------------------------------------

/** mulberry32: small, fast, and the same everywhere. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/**
 * Bytes that compress like executables and libraries (gzip keeps ~60%): skewed byte frequencies with short
 * repeats. One pool per layer; files are windows of it far apart, so gzip's 32 KiB window finds nothing shared.
 */
function binaryPool(seed: number, size: number): Buffer {
  const rand = prng(seed);
  const alphabet = Buffer.alloc(256);
  for (let i = 0; i < 256; i++) alphabet[i] = i < 128 ? (rand() & 0x3f) : rand() & 0xff; // half the draws from 64 values
  const out = Buffer.alloc(size);
  let i = 0;
  while (i < size) {
    const r = rand();
    if ((r & 0xf) === 0 && i > 4096) {
      // a short back-reference, as code and tables repeat
      const len = 8 + ((r >>> 4) & 0x3f);
      const from = i - 1 - ((r >>> 10) % 4000);
      for (let k = 0; k < len && i < size; k++) out[i++] = out[from + k] ?? 0;
    } else {
      out[i++] = alphabet[r & 0xff] ?? 0;
      if (i < size) out[i++] = alphabet[(r >>> 8) & 0xff] ?? 0;
      if (i < size) out[i++] = alphabet[(r >>> 16) & 0xff] ?? 0;
      if (i < size) out[i++] = alphabet[(r >>> 24) & 0xff] ?? 0;
    }
  }
  return out;
}

const WORDS = "the of and to in is for on with as by at from that this be are or an it not config server user path value default error file data port host true false enable disable log level cache timeout retry".split(" ");

function textFile(rand: () => number, size: number): Buffer {
  const parts: string[] = [];
  let n = 0;
  while (n < size) {
    const line = Array.from({ length: 4 + (rand() % 9) }, () => WORDS[rand() % WORDS.length]).join(" ");
    const text = rand() % 5 === 0 ? `${WORDS[rand() % WORDS.length]}_${rand() % 1000} = ${line}\n` : `${line}\n`;
    parts.push(text);
    n += text.length;
  }
  return Buffer.from(parts.join("").slice(0, size));
}

// --- a tar writer for the generator (ustar; names stay short) ---------------------------------------------------

function tarHeader(name: string, size: number, type: "0" | "5", mode: number): Buffer {
  const b = Buffer.alloc(512);
  b.write(name, 0, 100, "utf8");
  b.write(`${mode.toString(8).padStart(7, "0")}\0`, 100);
  b.write("0000000\0", 108);
  b.write("0000000\0", 116);
  b.write(`${size.toString(8).padStart(11, "0")}\0`, 124);
  b.write(`${(1_700_000_000).toString(8).padStart(11, "0")}\0`, 136);
  b.write(type, 156);
  b.write("ustar\u000000", 257);
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of b) sum += byte;
  b.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  return b;
}

interface LayerPlan {
  entries: number;
  textFiles: number;
  bytes: number;
}

/** Writes one layer blob (gzip of a tar) and returns its digest, diffID and size. */
async function writeLayer(file: string, layer: number, targetBytes: number): Promise<{ digest: string; diffId: string; size: number; plan: LayerPlan }> {
  const rand = prng(1000 + layer);
  const pool = binaryPool(layer + 1, 64 * MIB);
  const plan: LayerPlan = { entries: 0, textFiles: 0, bytes: 0 };
  const diffHash = createHash("sha256");
  const blobHash = createHash("sha256");
  let size = 0;
  async function* tar(): AsyncGenerator<Buffer> {
    const emit = (b: Buffer): Buffer => {
      diffHash.update(b);
      return b;
    };
    for (const dir of [`layer${layer}`, `layer${layer}/bin`, `layer${layer}/lib`, `layer${layer}/etc`, `layer${layer}/share`]) {
      yield emit(tarHeader(`${dir}/`, 0, "5", 0o755));
      plan.entries++;
    }
    let n = 0;
    while (plan.bytes < targetBytes) {
      const isText = rand() % 2 === 0;
      let content: Buffer;
      let name: string;
      if (isText) {
        content = textFile(rand, 200 + (rand() % 48_000));
        name = `layer${layer}/${rand() % 2 === 0 ? "etc" : "share"}/file${n}.${["conf", "txt", "json", "yaml"][rand() % 4]}`;
        plan.textFiles++;
      } else {
        const len = Math.min(targetBytes - plan.bytes, 16 * 1024 + (rand() % (4 * MIB)));
        const at = rand() % (pool.length - len);
        content = Buffer.from(pool.subarray(at, at + len));
        content.writeUInt32LE(n, 0); // no two files alike
        name = `layer${layer}/${rand() % 2 === 0 ? "bin" : "lib"}/obj${n}.so`;
      }
      n++;
      plan.entries++;
      plan.bytes += content.length;
      yield emit(tarHeader(name, content.length, "0", isText ? 0o644 : 0o755));
      yield emit(content);
      const pad = (512 - (content.length % 512)) % 512;
      if (pad > 0) yield emit(Buffer.alloc(pad));
    }
    yield emit(Buffer.alloc(1024));
  }
  const out = createWriteStream(file);
  await pipeline(tar(), createGzip(), new Writable({
    write(chunk: Buffer, _enc, cb) {
      blobHash.update(chunk);
      size += chunk.length;
      out.write(chunk, cb);
    },
    final(cb) {
      out.end(cb);
    },
  }));
  return { digest: `sha256:${blobHash.digest("hex")}`, diffId: `sha256:${diffHash.digest("hex")}`, size, plan };
}

async function generate(opts: Options): Promise<void> {
  const marker = join(opts.dir, "complete");
  if (!opts.regenerate && existsSync(marker)) return;
  rmSync(opts.dir, { recursive: true, force: true });
  mkdirSync(join(opts.dir, "blobs", "sha256"), { recursive: true });
  const started = performance.now();
  const perLayer = Math.floor((opts.sizeMib * MIB) / opts.layers);
  process.stdout.write(`generating a ${opts.sizeMib} MiB, ${opts.layers}-layer gzip image in ${opts.dir} ...`);
  const layers = await Promise.all(Array.from({ length: opts.layers }, async (_, i) => {
    const tmp = join(opts.dir, `layer${i}.tmp`);
    const made = await writeLayer(tmp, i, perLayer);
    renameSync(tmp, join(opts.dir, "blobs", "sha256", made.digest.slice(7)));
    return made;
  }));
  const config = Buffer.from(JSON.stringify({
    architecture: "amd64", os: "linux", created: "2024-01-01T00:00:00Z",
    config: { Env: ["PATH=/usr/bin:/bin"], Cmd: ["/bin/sh"] },
    rootfs: { type: "layers", diff_ids: layers.map((l) => l.diffId) },
    history: layers.map((_, i) => ({ created: "2024-01-01T00:00:00Z", created_by: `COPY layer${i} /` })),
  }));
  const configDigest = `sha256:${createHash("sha256").update(config).digest("hex")}`;
  writeFileSync(join(opts.dir, "blobs", "sha256", configDigest.slice(7)), config);
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: configDigest, size: config.length },
    layers: layers.map((l) => ({ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: l.digest, size: l.size })),
  }));
  const manifestDigest = `sha256:${createHash("sha256").update(manifest).digest("hex")}`;
  writeFileSync(join(opts.dir, "blobs", "sha256", manifestDigest.slice(7)), manifest);
  writeFileSync(join(opts.dir, "index.json"), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: "application/vnd.oci.image.manifest.v1+json", digest: manifestDigest, size: manifest.length }] }));
  writeFileSync(join(opts.dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  writeFileSync(join(opts.dir, "plan.json"), JSON.stringify(layers.map((l) => ({ digest: l.digest, size: l.size, ...l.plan }))));
  writeFileSync(marker, "");
  console.log(` ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

// --- the contenders -------------------------------------------------------------------------------------------

interface LayerInfo {
  digest: string;
  size: number;
  entries: number;
  textFiles: number;
  bytes: number;
}

function layerBlobs(dir: string): LayerInfo[] {
  return JSON.parse(readFileSync(join(dir, "plan.json"), "utf8")) as LayerInfo[];
}

/** The physical limit: decompress and hash each layer with the system tools, one layer after another. */
function baseline(dir: string, layers: readonly LayerInfo[]): number {
  const started = performance.now();
  for (const l of layers) {
    const blob = join(dir, "blobs", "sha256", l.digest.slice(7));
    const r = spawnSync("sh", ["-c", `gzip -dc '${blob}' | sha256sum`], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`gzip -dc | sha256sum failed: ${r.stderr}`);
  }
  return performance.now() - started;
}

interface ChildResult {
  ms: number;
  maxRssBytes: number;
  rssBeforeBytes: number;
  entries: number;
  wanted: number;
  headBytes: number;
  uncompressedBytes: number;
  wallMs: number;
}

/** Ours, in a child process: open + walk with digest verification and a consumer that reads small text files. */
async function ours(dir: string): Promise<ChildResult> {
  const started = performance.now();
  const child = spawn(process.execPath, [import.meta.filename, "--child", dir], { stdio: ["ignore", "pipe", "inherit"] });
  const out: Buffer[] = [];
  child.stdout.on("data", (b: Buffer) => out.push(b));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`the walk child exited with ${code}`);
  const result = JSON.parse(Buffer.concat(out).toString("utf8")) as Omit<ChildResult, "wallMs">;
  return { ...result, wallMs: performance.now() - started };
}

async function childMain(dir: string): Promise<void> {
  // What node and the TypeScript loader hold before any image is read: the walk's own share is the rest.
  const rssBeforeBytes = process.memoryUsage().rss;
  const started = performance.now();
  let wanted = 0;
  let headBytes = 0;
  let lines = 0;
  const textConsumer: EntryConsumer = {
    headBytes: 64 * 1024,
    wants: (e) => e.kind === "file" && e.size <= 64 * 1024 && /\.(conf|txt|json|yaml)$/.test(e.path),
    entry(_e, head) {
      wanted++;
      if (head === undefined) return;
      headBytes += head.length;
      for (let i = 0; i < head.length; i++) if (head[i] === 0x0a) lines++;
    },
  };
  const source = await openImage(`oci:${dir}`);
  const result = await walkImage(source, [textConsumer]);
  await source.close();
  const ms = performance.now() - started;
  const uncompressedBytes = result.layers.reduce((n, l) => n + l.uncompressedBytes, 0);
  // maxRSS is in KiB.
  process.stdout.write(JSON.stringify({ ms, maxRssBytes: process.resourceUsage().maxRSS * 1024, rssBeforeBytes, entries: result.entries, wanted, headBytes, uncompressedBytes, lines }));
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

async function main(): Promise<void> {
  const opts = readOptions();
  if ("child" in opts) return childMain(opts.child);
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  console.log(`drydock image benchmark — node ${process.version}, ${cpu}, ${cpus().length} cores`);
  await generate(opts);
  const layers = layerBlobs(opts.dir);
  const compressed = layers.reduce((n, l) => n + l.size, 0);
  const uncompressed = layers.reduce((n, l) => n + l.bytes, 0);
  const entries = layers.reduce((n, l) => n + l.entries, 0);
  const texts = layers.reduce((n, l) => n + l.textFiles, 0);
  console.log(`image: ${layers.length} gzip layers, ${(compressed / MIB).toFixed(0)} MiB compressed, ${(uncompressed / MIB).toFixed(0)} MiB of file content ` +
    `(${((100 * compressed) / uncompressed).toFixed(0)}%), ${entries} entries of which ${texts} text files`);
  // Warm the page cache so both sides read from memory, as they would on a second run.
  baseline(opts.dir, layers);
  const base: number[] = [];
  const mine: ChildResult[] = [];
  for (let r = 0; r < opts.rounds; r++) {
    // Alternate who goes first, so neither always inherits a warmer machine.
    if (r % 2 === 0) {
      base.push(baseline(opts.dir, layers));
      mine.push(await ours(opts.dir));
    } else {
      mine.push(await ours(opts.dir));
      base.push(baseline(opts.dir, layers));
    }
  }
  const baseMs = median(base);
  const oursMs = median(mine.map((m) => m.wallMs));
  const ratio = oursMs / baseMs;
  const rss = Math.max(...mine.map((m) => m.maxRssBytes)) / MIB;
  const last = mine[mine.length - 1];
  console.log(`\n| contender | median s | min–max s | MiB/s (uncompressed) |`);
  console.log(`| --- | ---: | ---: | ---: |`);
  const row = (name: string, xs: number[]): void => {
    console.log(`| ${name} | ${(median(xs) / 1000).toFixed(2)} | ${(Math.min(...xs) / 1000).toFixed(2)}–${(Math.max(...xs) / 1000).toFixed(2)} | ${(uncompressed / MIB / (median(xs) / 1000)).toFixed(0)} |`);
  };
  row("gzip -dc | sha256sum, per layer (the physical limit)", base);
  row("drydock open + walk (digests verified, text consumer), child process wall time", mine.map((m) => m.wallMs));
  row("  the same, measured inside the child (no node startup)", mine.map((m) => m.ms));
  if (last !== undefined) {
    console.log(`\nwalk: ${last.entries} entries, ${last.wanted} text files delivered with ${(last.headBytes / MIB).toFixed(1)} MiB of heads, ${(last.uncompressedBytes / MIB).toFixed(0)} MiB of tar read`);
  }
  console.log(`\nratio drydock / physical limit: ${ratio.toFixed(2)}× (target ≤ ${TARGET_RATIO}×) ${ratio <= TARGET_RATIO ? "PASS" : "FAIL"}`);
  const before = (last?.rssBeforeBytes ?? 0) / MIB;
  console.log(`peak RSS of the walk: ${rss.toFixed(0)} MiB (target < ${TARGET_RSS_MIB} MiB) ${rss < TARGET_RSS_MIB ? "PASS" : "FAIL"}` +
    ` — of which ${before.toFixed(0)} MiB before the first byte was read (node + TypeScript loader)`);
}

await main();
