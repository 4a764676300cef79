// Benchmark: the `base`-like preset (examples/base/base/drydock.yaml) built by `drydock base --locked` from a warm
// cache, side by side in the same run with mmdebstrap of the same package list from a warm apt cache (its .debs and
// its verified indexes synced in, `--skip=update`, so neither side touches the network). Both write a
// gzip-compressed root file system. Target: drydock ≤ 1× mmdebstrap's time.
// mmdebstrap's variant: `extract` by default (unpack, no maintainer scripts: what drydock does). `--variant custom`
// runs the packages' maintainer scripts, which needs a shell in the chroot; for this package set (no dash, no
// coreutils) its dpkg --install step fails, so custom works only with a package list that includes them.
// The first run of each side (not timed) populates its cache from the machine's Debian mirror; when the mirror is
// unreachable the benchmark says so and exits 0. Needs mmdebstrap; root uses --mode=root, others --mode=unshare.
// Usage: node bench/base.ts [--runs N] [--variant extract|custom]
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { machineMirror } from "../src/base/config.ts";
import { parseLock } from "../src/base/lock.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" }, variant: { type: "string", default: "extract" } } });
const variant = values.variant;
const runs = Math.max(1, Number(values.runs));
const repoRoot = join(import.meta.dirname, "..");
const entry = join(repoRoot, "src/cli/entry.ts");
const preset = join(repoRoot, "examples/base/base/drydock.yaml");

const mirror = await machineMirror("bookworm");
try {
  const r = await fetch(`${mirror.replace(/\/$/, "")}/dists/bookworm/InRelease`, { method: "HEAD", signal: AbortSignal.timeout(10_000) });
  if (!r.ok) throw new Error(`HTTP ${r.status}`);
} catch (e) {
  console.log(`skipped: the mirror ${mirror} is unreachable (${e instanceof Error ? e.message : String(e)})`);
  process.exit(0);
}
if (spawnSync("mmdebstrap", ["--version"]).status !== 0) {
  console.log("skipped: mmdebstrap is not installed (apt-get install mmdebstrap)");
  process.exit(0);
}

const root = mkdtempSync(join(tmpdir(), "drydock-bench-base-"));
const env = { ...process.env, XDG_CACHE_HOME: join(root, "drydock-cache"), SOURCE_DATE_EPOCH: "" };
const aptCache = join(root, "apt-cache");
const mode = process.getuid?.() === 0 ? "root" : "unshare";

function drydockBase(args: string[]): number {
  const t = performance.now();
  execFileSync(process.execPath, [entry, "base", "-q", ...args], { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
  return performance.now() - t;
}

function mmdebstrap(packages: readonly string[], out: string, warm: boolean): number {
  const args = ["--quiet", `--variant=${variant}`, `--mode=${mode}`, `--include=${packages.join(",")}`, "--skip=download/empty"];
  if (warm) {
    args.push("--skip=update",
      "--setup-hook", 'mkdir -p "$1"/var/cache/apt/archives/ "$1"/var/lib/apt/lists/',
      "--setup-hook", `sync-in ${join(aptCache, "lists")} /var/lib/apt/lists/`,
      "--setup-hook", `sync-in ${join(aptCache, "archives")} /var/cache/apt/archives/`);
  } else {
    mkdirSync(join(aptCache, "lists"), { recursive: true });
    mkdirSync(join(aptCache, "archives"), { recursive: true });
    args.push(
      // The extract hook runs while the downloaded .debs and the verified indexes are still in place.
      "--extract-hook", `sync-out /var/lib/apt/lists ${join(aptCache, "lists")}`,
      "--extract-hook", `sync-out /var/cache/apt/archives ${join(aptCache, "archives")}`);
  }
  const t = performance.now();
  execFileSync("mmdebstrap", [...args, "bookworm", out, mirror], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  return performance.now() - t;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const mib = (file: string): string => `${(statSync(file).size / 1048576).toFixed(1)} MiB`;

try {
  copyFileSync(preset, join(root, "drydock.yaml"));
  console.log(`mirror ${mirror}; warming both caches (not timed)`);
  const cold = drydockBase(["-o", `oci:${join(root, "cold")}`]);
  const lock = parseLock(readFileSync(join(root, "drydock.lock"), "utf8"), "drydock.lock");
  const locked = Object.values(lock.architectures)[0] ?? [];
  const names = locked.map((p) => p.name);
  const coldMm = mmdebstrap(names, join(root, "cold.tar.gz"), false);
  // What apt chose to download: its .deb files are named <package>_<version>_<arch>.deb.
  const theirs = readdirSync(join(aptCache, "archives")).filter((f) => f.endsWith(".deb")).map((f) => f.slice(0, f.indexOf("_")));
  const extra = theirs.filter((n) => !names.includes(n));
  console.log(`cold: drydock ${seconds(cold)} (resolve + download), mmdebstrap ${seconds(coldMm)} (apt update + download)`);
  console.log(`packages: drydock ${names.length} (locked), mmdebstrap ${theirs.length}${extra.length === 0 ? "" : ` (also ${extra.join(", ")}: apt cannot exclude dependencies)`}`);

  const ours: number[] = [];
  const oursNoSbom: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < runs; i++) {
    rmSync(join(root, "mm.tar.gz"), { force: true });
    baseline.push(mmdebstrap(names, join(root, "mm.tar.gz"), true));
    rmSync(join(root, "out"), { recursive: true, force: true });
    ours.push(drydockBase(["--locked", "-o", `oci:${join(root, "out")}`]));
    rmSync(join(root, "out-nosbom"), { recursive: true, force: true });
    oursNoSbom.push(drydockBase(["--locked", "--no-sbom", "-o", `oci:${join(root, "out-nosbom")}`]));
  }
  const layers = JSON.parse(readFileSync(join(root, "out-nosbom/index.json"), "utf8")) as { manifests: { digest: string }[] };
  const manifest = JSON.parse(readFileSync(join(root, "out-nosbom/blobs", ...(layers.manifests[0]?.digest ?? "").split(":")), "utf8")) as { layers: { digest: string }[] };
  const layer = join(root, "out-nosbom/blobs", ...(manifest.layers[0]?.digest ?? "").split(":"));
  console.log(`warm, median of ${runs}:`);
  console.log(`mmdebstrap --variant=${variant} --mode=${mode}: ${seconds(median(baseline))}  (${mib(join(root, "mm.tar.gz"))} tar.gz)`);
  console.log(`drydock base --locked (with SBOM)     : ${seconds(median(ours))}`);
  console.log(`drydock base --locked --no-sbom       : ${seconds(median(oursNoSbom))}  (${mib(layer)} layer)`);
  console.log(`ratio (with SBOM)                     : ${(median(ours) / median(baseline)).toFixed(2)}x (target <= 1x)`);
  console.log(`ratio (no SBOM)                       : ${(median(oursNoSbom) / median(baseline)).toFixed(2)}x`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
