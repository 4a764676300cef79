// The audit benchmark: `auditImage` (every image check, secrets searched in every file) over the ~1 GiB, 5-layer
// image bench/image.ts generates, against a read-only walk of the same image in the same run (open + walkImage
// with digests verified, no consumer). The audit must add little to reading the image. A report, not a test.
//
//   node bench/audit.ts [--dir DIR] [--rounds 3]
//
// DIR defaults to bench/image.ts's cache; run `node bench/image.ts` once first to generate the image.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { auditImage } from "../src/audit.ts";
import { openImage } from "../src/image/source.ts";
import { walkImage } from "../src/image/walk.ts";

const MIB = 1024 * 1024;
const TARGET_RATIO = 1.25;

interface ChildResult {
  ms: number;
  maxRssBytes: number;
  findings: number;
  uncompressedBytes: number;
}

async function child(kind: "walk" | "audit", dir: string): Promise<void> {
  const started = performance.now();
  let findings = 0;
  let uncompressedBytes = 0;
  if (kind === "walk") {
    const source = await openImage(`oci:${dir}`);
    const result = await walkImage(source, []);
    await source.close();
    uncompressedBytes = result.layers.reduce((n, l) => n + l.uncompressedBytes, 0);
  } else {
    const outcome = await auditImage({ ref: `oci:${dir}` });
    if (outcome.report.errors.length > 0) throw new Error(JSON.stringify(outcome.report.errors));
    findings = outcome.report.findings.length;
  }
  const ms = performance.now() - started;
  process.stdout.write(JSON.stringify({ ms, maxRssBytes: process.resourceUsage().maxRSS * 1024, findings, uncompressedBytes }));
}

function runChild(kind: "walk" | "audit", dir: string): Promise<ChildResult & { wallMs: number }> {
  const started = performance.now();
  const proc = spawn(process.execPath, [import.meta.filename, "--child", kind, "--dir", dir], { stdio: ["ignore", "pipe", "inherit"] });
  const out: Buffer[] = [];
  proc.stdout.on("data", (b: Buffer) => out.push(b));
  return new Promise((resolve, reject) => {
    proc.on("close", (code) => {
      if (code !== 0) return reject(new Error(`${kind} child exited with ${code}`));
      resolve({ ...(JSON.parse(Buffer.concat(out).toString()) as ChildResult), wallMs: performance.now() - started });
    });
  });
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { dir: { type: "string" }, rounds: { type: "string", default: "3" }, child: { type: "string" } }, strict: true });
  const dir = values.dir ?? join(tmpdir(), "drydock-bench-image-1024m-5l-v2");
  if (values.child === "walk" || values.child === "audit") return child(values.child, dir);
  if (!existsSync(join(dir, "complete"))) {
    console.error(`no benchmark image in ${dir}: run \`node bench/image.ts\` first (it generates and caches it)`);
    process.exit(2);
  }
  console.log(`drydock audit benchmark — node ${process.version}, ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores`);
  const rounds = Number(values.rounds);
  await runChild("walk", dir); // warm the page cache
  const walks: (ChildResult & { wallMs: number })[] = [];
  const audits: (ChildResult & { wallMs: number })[] = [];
  for (let r = 0; r < rounds; r++) {
    // Alternate who goes first, so neither always inherits a warmer machine.
    if (r % 2 === 0) {
      walks.push(await runChild("walk", dir));
      audits.push(await runChild("audit", dir));
    } else {
      audits.push(await runChild("audit", dir));
      walks.push(await runChild("walk", dir));
    }
  }
  const walkMs = median(walks.map((w) => w.ms));
  const auditMs = median(audits.map((a) => a.ms));
  const bytes = walks[0]?.uncompressedBytes ?? 0;
  console.log(`image: ${(bytes / MIB).toFixed(0)} MiB of tar in 5 gzip layers`);
  console.log("\n| contender | median s | min–max s | MiB/s | peak RSS MiB |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  const row = (name: string, xs: readonly (ChildResult & { wallMs: number })[]): void => {
    const ms = xs.map((x) => x.ms);
    console.log(`| ${name} | ${(median(ms) / 1000).toFixed(2)} | ${(Math.min(...ms) / 1000).toFixed(2)}–${(Math.max(...ms) / 1000).toFixed(2)} | ${(bytes / MIB / (median(ms) / 1000)).toFixed(0)} | ${(Math.max(...xs.map((x) => x.maxRssBytes)) / MIB).toFixed(0)} |`);
  };
  row("read-only walk (open + walkImage, digests verified)", walks);
  row("drydock audit (all checks, secrets in every file)", audits);
  const ratio = auditMs / walkMs;
  console.log(`\n${audits[0]?.findings ?? 0} findings. ratio audit / read-only walk: ${ratio.toFixed(2)}× (target ≤ ${TARGET_RATIO}×) ${ratio <= TARGET_RATIO ? "PASS" : "FAIL"}`);
}

await main();
