// Benchmark: a generated context (default 300 MiB in 20,000 files) built into one layer by `drydock build`,
// side by side in the same run with `tar --sort=name ... | gzip -n` of the same tree. Target: ≤ 1.2× its time.
// Usage: node bench/build.ts [--files N] [--size MiB]
import { execSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildImage } from "../src/build/build.ts";
import { RegistryClient } from "../src/registry/client.ts";

const { values } = parseArgs({ options: { files: { type: "string", default: "20000" }, size: { type: "string", default: "300" } } });
const files = Number(values.files);
const totalBytes = Number(values.size) * 1024 * 1024;

/** Half text-like (compressible), half hashed noise, so gzip does real work both ways. */
function content(i: number, size: number): Buffer {
  const out = Buffer.alloc(size);
  if (i % 2 === 0) {
    const line = Buffer.from(`line ${i} of a generated source file with some repeated words words words\n`);
    for (let o = 0; o < size; o += line.length) line.copy(out, o);
    return out;
  }
  let block = createHash("sha256").update(String(i)).digest();
  for (let o = 0; o < size; o += 32) {
    block.copy(out, o);
    block = createHash("sha256").update(block).digest();
  }
  return out;
}

const root = mkdtempSync(join(tmpdir(), "drydock-bench-"));
const ctx = join(root, "ctx");
try {
  const per = Math.floor(totalBytes / files);
  for (let i = 0; i < files; i++) {
    const dir = join(ctx, `d${i % 100}`, `e${i % 7}`);
    if (i < 700) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `f${i}.dat`), content(i, per));
  }
  writeFileSync(join(ctx, "Dockerfile"), "FROM scratch\nCOPY . /data/\n");
  console.log(`context: ${files} files, ${(per * files / 1048576).toFixed(0)} MiB`);
  // Warm the page cache for both sides equally.
  execSync(`tar -cf - -C ${ctx} . > /dev/null`);

  const t0 = performance.now();
  execSync(`tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf - -C ${ctx} . | gzip -n > ${join(root, "baseline.tar.gz")}`);
  const baseline = performance.now() - t0;

  const client = new RegistryClient();
  const t1 = performance.now();
  const result = await buildImage({
    context: ctx, platform: { os: "linux", architecture: "amd64" }, reproducible: true, sourceDateEpoch: 0,
    outputs: [{ kind: "oci", path: join(root, "out"), tag: undefined }], client, cwd: root, tempRoot: root,
  });
  const ours = performance.now() - t1;
  client.close();
  const layer = result.layers[0];
  console.log(`tar | gzip -n : ${(baseline / 1000).toFixed(2)} s`);
  console.log(`drydock build : ${(ours / 1000).toFixed(2)} s  (layer ${((layer?.size ?? 0) / 1048576).toFixed(1)} MiB)`);
  console.log(`ratio         : ${(ours / baseline).toFixed(2)}x (target <= 1.2x)`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
