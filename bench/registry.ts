// The registry benchmark: drydock push and pull of a generated 500 MiB, 8-layer image to and from a local
// docker-registry, side by side with `skopeo copy` of the same image in the same run. Each side runs as its own
// process (timed from spawn to exit) against its own fresh registry, so neither finds the other's blobs.
// It is a report, not a test: it exits 0 after a valid run and prints PASS/FAIL against the target.
//
//   node bench/registry.ts [--size-mib 500] [--layers 8] [--rounds 3] [--parallel 4] [--dir DIR] [--regenerate]
//
// The image is generated once (incompressible bytes in stored-deflate gzip layers, ~3 s) and kept in DIR.
import { spawn } from "node:child_process";
import { createCipheriv, createHash } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { createGzip } from "node:zlib";
import { RegistryClient } from "../src/registry/client.ts";
import { copyImage, openReader, openWriter, parseEndpoint } from "../src/registry/copy.ts";
import { startRegistry, type RunningRegistry } from "../test/registry/servers.ts";

const TARGET_RATIO = 1.1;
const MIB = 1024 * 1024;

interface Options {
  sizeMib: number;
  layers: number;
  rounds: number;
  parallel: number;
  dir: string;
  regenerate: boolean;
}

type Mode = { child: "push" | "pull"; source: string; destination: string; parallel: number } | Options;

function readOptions(): Mode {
  const { values } = parseArgs({
    options: {
      "size-mib": { type: "string", default: "500" },
      layers: { type: "string", default: "8" },
      rounds: { type: "string", default: "3" },
      parallel: { type: "string", default: "4" },
      dir: { type: "string" },
      regenerate: { type: "boolean", default: false },
      child: { type: "string" },
      source: { type: "string" },
      destination: { type: "string" },
    },
    strict: true,
  });
  const parallel = Number(values.parallel);
  if (values.child === "push" || values.child === "pull") {
    return { child: values.child, source: values.source ?? "", destination: values.destination ?? "", parallel };
  }
  const sizeMib = Number(values["size-mib"]);
  const layers = Number(values.layers);
  const rounds = Number(values.rounds);
  if (![sizeMib, layers, rounds, parallel].every((n) => Number.isInteger(n) && n > 0)) {
    console.error("usage: node bench/registry.ts [--size-mib N] [--layers N] [--rounds N] [--parallel N] [--dir DIR] [--regenerate]");
    process.exit(2);
  }
  return { sizeMib, layers, rounds, parallel, dir: values.dir ?? join(tmpdir(), `drydock-bench-registry-${sizeMib}m-${layers}l`), regenerate: values.regenerate };
}

// --- the image ---------------------------------------------------------------------------------------------------

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

function tarHeader(name: string, size: number): Buffer {
  const b = Buffer.alloc(512);
  b.write(name, 0, 100, "utf8");
  b.write("0000644\0", 100);
  b.write("0000000\0", 108);
  b.write("0000000\0", 116);
  b.write(`${size.toString(8).padStart(11, "0")}\0`, 124);
  b.write(`${(1_700_000_000).toString(8).padStart(11, "0")}\0`, 136);
  b.write("0", 156);
  b.write("ustar\u000000", 257);
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of b) sum += byte;
  b.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  return b;
}

/** One layer: a tar of one file of AES-CTR keystream (deterministic, incompressible), gzip'd with stored blocks. */
async function writeLayer(file: string, index: number, bytes: number): Promise<{ digest: string; diffId: string; size: number }> {
  const contentSize = bytes - 3 * 512;
  const key = createHash("sha256").update(`layer-${index}`).digest().subarray(0, 16);
  const cipher = createCipheriv("aes-128-ctr", key, Buffer.alloc(16));
  const diff = createHash("sha256");
  const blob = createHash("sha256");
  let size = 0;
  const tar = async function* (): AsyncGenerator<Buffer> {
    const head = tarHeader(`layer${index}/data.bin`, contentSize);
    diff.update(head);
    yield head;
    const zero = Buffer.alloc(4 * MIB);
    for (let left = contentSize; left > 0; left -= zero.length) {
      const chunk = cipher.update(left >= zero.length ? zero : zero.subarray(0, left));
      diff.update(chunk);
      yield chunk;
    }
    const pad = Buffer.alloc((512 - (contentSize % 512)) % 512 + 1024);
    diff.update(pad);
    yield pad;
  };
  const count = async function* (source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const c of source) {
      blob.update(c);
      size += c.length;
      yield c;
    }
  };
  await pipeline(tar, createGzip({ level: 0 }), count, createWriteStream(file));
  return { digest: `sha256:${blob.digest("hex")}`, diffId: `sha256:${diff.digest("hex")}`, size };
}

async function generate(opts: Options): Promise<{ layout: string; digest: string; bytes: number }> {
  const layout = join(opts.dir, "layout");
  const stamp = join(opts.dir, "done.json");
  if (!opts.regenerate && existsSync(stamp)) return JSON.parse(readFileSync(stamp, "utf8")) as { layout: string; digest: string; bytes: number };
  rmSync(opts.dir, { recursive: true, force: true });
  const blobs = join(layout, "blobs", "sha256");
  mkdirSync(blobs, { recursive: true });
  const started = performance.now();
  const perLayer = Math.floor((opts.sizeMib * MIB) / opts.layers);
  const layers: { digest: string; diffId: string; size: number }[] = [];
  for (let i = 0; i < opts.layers; i++) {
    const temp = join(blobs, `layer-${i}.tmp`);
    const layer = await writeLayer(temp, i, perLayer);
    renameSync(temp, join(blobs, layer.digest.slice(7)));
    layers.push(layer);
  }
  const config = Buffer.from(JSON.stringify({
    architecture: "amd64",
    os: "linux",
    config: { Cmd: ["/bin/sh"] },
    rootfs: { type: "layers", diff_ids: layers.map((l) => l.diffId) },
    history: layers.map(() => ({ created_by: "bench" })),
  }));
  writeFileSync(join(blobs, sha256(config).slice(7)), config);
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: sha256(config), size: config.length },
    layers: layers.map((l) => ({ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: l.digest, size: l.size })),
  }));
  const digest = sha256(manifest);
  writeFileSync(join(blobs, digest.slice(7)), manifest);
  writeFileSync(join(layout, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  writeFileSync(join(layout, "index.json"), JSON.stringify({
    schemaVersion: 2,
    manifests: [{ mediaType: "application/vnd.oci.image.manifest.v1+json", digest, size: manifest.length, annotations: { "org.opencontainers.image.ref.name": "bench" } }],
  }));
  const bytes = layers.reduce((n, l) => n + l.size, 0) + config.length + manifest.length;
  const result = { layout, digest, bytes };
  writeFileSync(stamp, JSON.stringify(result));
  console.log(`generated ${opts.layers} layers, ${(bytes / MIB).toFixed(1)} MiB in ${((performance.now() - started) / 1000).toFixed(1)} s → ${layout}`);
  return result;
}

// --- the two sides -----------------------------------------------------------------------------------------------

/** Runs a command; resolves with its wall time in ms (spawn to exit). */
function timed(cmd: string, args: string[]): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      const ms = performance.now() - started;
      if (code === 0) resolve({ ms, stdout });
      else reject(new Error(`${cmd} ${args.join(" ")} exited ${code}`));
    });
  });
}

function drydock(op: "push" | "pull", source: string, destination: string, parallel: number): Promise<{ ms: number; stdout: string }> {
  return timed(process.execPath, [import.meta.filename, "--child", op, "--source", source, "--destination", destination, "--parallel", String(parallel)]);
}

function skopeo(op: "push" | "pull", source: string, destination: string): Promise<{ ms: number; stdout: string }> {
  const tls = op === "push" ? "--dest-tls-verify=false" : "--src-tls-verify=false";
  return timed("skopeo", ["--insecure-policy", "copy", "-q", tls, source, destination]);
}

async function child(mode: { child: "push" | "pull"; source: string; destination: string; parallel: number }): Promise<void> {
  const host = /docker:\/\/([^/]+)\//.exec(mode.source + mode.destination)?.[1] ?? "";
  const client = new RegistryClient({ insecureRegistries: [host] });
  try {
    const reader = await openReader(await parseEndpoint(mode.source, "source", process.cwd()), client);
    const writer = openWriter(await parseEndpoint(mode.destination, "destination", process.cwd()), client, undefined);
    const result = await copyImage(reader, writer, { parallel: mode.parallel });
    process.stdout.write(`${result.digest}\n`);
  } finally {
    client.close();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const mode = readOptions();
  if ("child" in mode) return child(mode);
  const image = await generate(mode);
  const work = join(mode.dir, "runs");
  const times = { drydockPush: [] as number[], skopeoPush: [] as number[], drydockPull: [] as number[], skopeoPull: [] as number[] };
  console.log(`image: ${(image.bytes / MIB).toFixed(1)} MiB, ${mode.layers} layers; ${mode.rounds} rounds; drydock --parallel ${mode.parallel}`);
  for (let round = 0; round < mode.rounds; round++) {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const registries: RunningRegistry[] = [await startRegistry(), await startRegistry()];
    try {
      const [ours, theirs] = registries as [RunningRegistry, RunningRegistry];
      const ref = (r: RunningRegistry): string => `docker://${r.host}/bench/app:1`;
      const sides = [
        async () => {
          const push = await drydock("push", `oci:${image.layout}:bench`, ref(ours), mode.parallel);
          if (push.stdout.trim() !== image.digest) throw new Error(`drydock pushed ${push.stdout.trim()}, expected ${image.digest}`);
          times.drydockPush.push(push.ms);
        },
        async () => times.skopeoPush.push((await skopeo("push", `oci:${image.layout}:bench`, ref(theirs))).ms),
      ];
      // Alternate who goes first, so neither always meets a cold or a warm page cache.
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) await side();
      const pulls = [
        async () => {
          const pull = await drydock("pull", ref(ours), `oci:${join(work, "drydock")}:x`, mode.parallel);
          if (pull.stdout.trim() !== image.digest) throw new Error(`drydock pulled ${pull.stdout.trim()}`);
          times.drydockPull.push(pull.ms);
        },
        async () => times.skopeoPull.push((await skopeo("pull", ref(theirs), `oci:${join(work, "skopeo")}:x`)).ms),
      ];
      for (const side of round % 2 === 0 ? pulls : [...pulls].reverse()) await side();
      const index = (dir: string): string => (JSON.parse(readFileSync(join(work, dir, "index.json"), "utf8")) as { manifests: { digest: string }[] }).manifests[0]?.digest ?? "";
      if (index("drydock") !== image.digest || index("skopeo") !== image.digest) throw new Error("the pulled layouts differ from the image");
      console.log(`round ${round + 1}: push drydock ${(times.drydockPush.at(-1) ?? 0).toFixed(0)} ms, skopeo ${(times.skopeoPush.at(-1) ?? 0).toFixed(0)} ms; pull drydock ${(times.drydockPull.at(-1) ?? 0).toFixed(0)} ms, skopeo ${(times.skopeoPull.at(-1) ?? 0).toFixed(0)} ms`);
    } finally {
      for (const r of registries) await r.stop();
    }
  }
  rmSync(work, { recursive: true, force: true });
  const rate = (ms: number): string => `${(image.bytes / MIB / (ms / 1000)).toFixed(0)} MiB/s`;
  const report = (what: string, ours: number[], theirs: number[]): boolean => {
    const a = median(ours);
    const b = median(theirs);
    const ratio = a / b;
    const pass = ratio <= TARGET_RATIO;
    console.log(`${what}: drydock ${a.toFixed(0)} ms (${rate(a)}), skopeo ${b.toFixed(0)} ms (${rate(b)}): ${ratio.toFixed(2)}× skopeo's time — target ≤ ${TARGET_RATIO}× ${pass ? "PASS" : "FAIL"}`);
    return pass;
  };
  console.log("medians:");
  report("push", times.drydockPush, times.skopeoPush);
  report("pull", times.drydockPull, times.skopeoPull);
}

await main();
