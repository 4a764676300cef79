// A realistic HTML report built from real analyses: lint of the Dockerfiles under examples/, runtime checks of
// the compose/k8s files there (a small compose file when there are none), an audit of an OCI image assembled by
// code (a setuid binary, a world-writable directory, a deploy key), and a scan of a catalog against a
// vulnerability database imported from real advisories. Used by test/report/html.test.ts and
// scripts/html-screenshot.ts; also drives headless Chromium for both.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { auditImage } from "../../src/audit.ts";
import { countBySeverity } from "../../src/check/summary.ts";
import type { Finding, Report, RuleInfo } from "../../src/core/finding.ts";
import { lintDockerfiles } from "../../src/lint.ts";
import type { FileMark, HtmlExtras, HtmlImage } from "../../src/report/html.ts";
import { analyzeRuntime } from "../../src/runtime/analyze.ts";
import type { Catalog, CatalogedPackage } from "../../src/sbom/model.ts";
import { scanCatalog, type ScanReport } from "../../src/scan/scan.ts";
import { VulnDb } from "../../src/vuln/db/schema.ts";
import { buildImage, ociLayoutFiles, tarOf, writeFiles, type FileSpec } from "../image/fixtures.ts";
import { buildScanDb, imageCatalog, LAYER1, libssl3, lodash, log4jCore } from "../scan/fixtures.ts";
import { ed25519Raw, openSshEd25519 } from "../secrets/labeled/keys.ts";

export const ROOT = new URL("../../", import.meta.url).pathname;
export const EXAMPLES = join(ROOT, "examples");

const FALLBACK_COMPOSE = `services:
  web:
    image: shop/web:latest
    build: ./web
    privileged: true
    ports:
      - "3000:3000"
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: example
    network_mode: host
`;

/** Files under dir (skipping node_modules and dot-directories), as paths relative to ROOT with "/" separators. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    const st = statSync(full);
    if (st.isDirectory()) {
      if (name !== "node_modules" && !name.startsWith(".")) out.push(...filesUnder(full));
    } else if (st.isFile()) {
      out.push(relative(ROOT, full).split(sep).join("/"));
    }
  }
  return out;
}

const isDockerfile = (f: string): boolean => /(^|\/)([^/]*\.)?(Dockerfile|Containerfile)(\.[^/]*)?$/i.test(f);
const isRuntimeFile = (f: string): boolean => /\.(ya?ml)$/i.test(f) && !/drydock\.ya?ml$|\.github\//.test(f);

interface LayerPlan {
  files: FileSpec[];
  createdBy: string;
}

/** An application image the way a careless build makes one. */
async function applicationLayers(): Promise<LayerPlan[]> {
  const key = openSshEd25519(ed25519Raw(), "deploy@ci");
  // Incompressible bytes (a seeded generator: the same every run), so layer blobs have realistic sizes.
  let seed = 0x2545f491;
  const big = (n: number, salt: number): Buffer => {
    const b = Buffer.alloc(n);
    seed ^= salt;
    for (let i = 0; i < n; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      b[i] = seed >>> 24;
    }
    return b;
  };
  return [
    {
      createdBy: "/bin/sh -c #(nop) ADD file:8b1e79f91081eb527ca9d3b3a4e9c2d9 in / ",
      files: [
        { name: "etc/os-release", content: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n' },
        { name: "etc/passwd", content: "root:x:0:0:root:/root:/bin/bash\nnode:x:1000:1000::/home/node:/bin/bash\n" },
        { name: "usr/bin/passwd", content: big(68_248, 0x7f), mode: 0o4755 },
        { name: "usr/lib/x86_64-linux-gnu/libc.so.6", content: big(1_922_136, 0x45) },
        { name: "bin/sh", content: big(125_560, 0x46) },
        { name: "tmp/", type: "directory", mode: 0o1777 },
      ],
    },
    {
      createdBy: "RUN /bin/sh -c apt-get update && apt-get install -y curl # buildkit",
      files: [
        { name: "usr/bin/curl", content: big(264_288, 0x4c) },
        { name: "var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4", content: big(412_000, 0x41) },
      ],
    },
    {
      createdBy: "COPY . /app # buildkit",
      files: [
        { name: "app/server.js", content: "require('http').createServer((q, s) => s.end('ok')).listen(3000);\n" },
        { name: "app/package.json", content: '{ "name": "shop-web", "version": "1.4.2" }\n' },
        { name: "app/deploy_key", content: key, mode: 0o600 },
        { name: "app/uploads/", type: "directory", mode: 0o777 },
        { name: "app/uploads/cache.db", content: big(20_480, 0x00), mode: 0o666 },
      ],
    },
  ];
}

/** Builds the OCI layout in dir/oci, audits it for real, and describes its layers for the report. */
async function auditedImage(dir: string): Promise<{ report: Report; image: HtmlImage }> {
  const plans = await applicationLayers();
  const built = buildImage({
    layers: await Promise.all(plans.map(async (p) => ({ tar: await tarOf(p.files), compression: "gzip" as const }))),
    config: { Env: ["PATH=/usr/local/bin:/usr/bin:/bin", "NODE_ENV=production"], Cmd: ["node", "/app/server.js"], ExposedPorts: { "3000/tcp": {} } },
    history: plans.map((p) => ({ created: "2025-11-20T10:00:00Z", created_by: p.createdBy })),
  });
  writeFiles(join(dir, "oci"), ociLayoutFiles([{ image: built, tag: "1.4.2" }]));
  const ref = "oci:oci:1.4.2";
  const outcome = await auditImage({ ref, cwd: dir });
  const secretPaths = new Set(outcome.report.findings.flatMap((f) =>
    f.location.kind === "layer" && /secret|key|token|password/i.test(`${f.ruleId} ${f.message}`) ? [`${f.location.layer}:${f.location.path}`] : []));
  const image: HtmlImage = {
    ref: "shop/web:1.4.2",
    digest: built.manifestDigest,
    layers: plans.map((p, index) => ({
      index,
      digest: built.layerBlobs[index]?.digest,
      size: built.layerBlobs[index]?.blob.length,
      createdBy: p.createdBy,
      added: p.files.filter((f) => (f.type ?? "file") === "file").map((f) => {
        const mode = f.mode ?? 0o644;
        const marks: FileMark[] = [];
        if (secretPaths.has(`${index}:${f.name}`)) marks.push("secret");
        if ((mode & 0o6000) !== 0) marks.push("setuid");
        if ((mode & 0o002) !== 0) marks.push("world-writable");
        return { path: f.name, size: typeof f.content === "string" ? Buffer.byteLength(f.content) : (f.content?.length ?? 0), marks };
      }),
    })),
  };
  // The findings name the image as the user would: the tag, not the temp directory.
  const findings = outcome.report.findings.map((f): Finding =>
    f.location.kind === "layer" ? { ...f, location: { ...f.location, image: image.ref } }
    : f.location.kind === "ref" ? { ...f, location: { kind: "ref", ref: image.ref } } : f);
  return { report: { ...outcome.report, findings, inputs: [image.ref] }, image };
}

/** A few more packages beside the vulnerable ones, as a Node application image holds them. */
function catalogPackages(): CatalogedPackage[] {
  const deb = (name: string, version: string, licenses: string[]): CatalogedPackage => ({
    ...libssl3(version), name, sourceName: name, licenses,
    purl: `pkg:deb/debian/${name}@${encodeURIComponent(version)}?arch=amd64&distro=debian-12`,
  });
  return [
    libssl3("3.0.11-1~deb12u1"),
    deb("curl", "7.88.1-10+deb12u8", ["curl"]),
    deb("libc6", "2.36-9+deb12u9", ["LGPL-2.1-or-later", "GPL-2.0-or-later"]),
    deb("zlib1g", "1:1.2.13.dfsg-1", ["Zlib"]),
    lodash("4.17.20"),
    { ...lodash("4.21.2"), name: "express", purl: "pkg:npm/express@4.21.2", locations: [{ path: "app/node_modules/express/package.json", layerIndex: 1, layer: LAYER1 }] },
    log4jCore("2.14.1"),
  ];
}

export interface ExampleReport {
  report: Report;
  extras: HtmlExtras;
  /** Findings by area, as the summary counts them. */
  areas: Map<string, Finding[]>;
}

/** Runs lint, runtime, audit and scan, and merges them into one report the way `drydock check` does. */
export async function buildExampleReport(options: { shellcheck?: string } = {}): Promise<ExampleReport> {
  const work = mkdtempSync(join(tmpdir(), "drydock-html-"));
  try {
    const files = filesUnder(EXAMPLES);
    const sources: Record<string, string> = {};
    const read = (f: string): string => (sources[f] ??= readFileSync(join(ROOT, f), "utf8"));
    const lint = await lintDockerfiles({
      inputs: files.filter(isDockerfile).map((file) => ({ file, text: read(file) })),
      shellcheck: options.shellcheck ?? "off",
    });
    let runtimeInputs = files.filter(isRuntimeFile).map((file) => ({ file, text: read(file) }));
    if (runtimeInputs.length === 0) {
      sources["compose.yaml"] = FALLBACK_COMPOSE;
      runtimeInputs = [{ file: "compose.yaml", text: FALLBACK_COMPOSE }];
    }
    const runtime = await analyzeRuntime({ inputs: runtimeInputs });
    const audit = await auditedImage(work);

    const sbom: Catalog = { ...imageCatalog(catalogPackages()), target: "shop/web:1.4.2" };
    const db = VulnDb.open(await buildScanDb(join(work, "db")));
    let scan: ScanReport;
    try {
      scan = scanCatalog(sbom, db, { now: new Date("2026-01-05T00:00:00Z"), maxAgeDays: 3650 });
    } finally {
      db.close();
    }

    const areas = new Map<string, Finding[]>([
      ["lint", [...lint.report.findings]],
      ["runtime", [...runtime.report.findings]],
      ["images", [...audit.report.findings]],
    ]);
    const areaByFinding = new Map<Finding, string>();
    for (const [area, list] of areas) for (const f of list) areaByFinding.set(f, area);
    const rules = new Map<string, RuleInfo>();
    for (const r of [...lint.report.rules, ...runtime.report.rules, ...audit.report.rules]) rules.set(r.id, r);
    const report: Report = {
      tool: lint.report.tool,
      findings: [...areas.values()].flat(),
      errors: [...lint.report.errors, ...runtime.report.errors, ...audit.report.errors],
      rules: [...rules.values()].sort((a, b) => a.id.localeCompare(b.id)),
      inputs: [...(lint.report.inputs ?? []), ...(runtime.report.inputs ?? []), ...(audit.report.inputs ?? [])],
    };
    const extras: HtmlExtras = {
      summary: [
        ...[...areas].map(([area, list]) => ({ area, counts: countBySeverity(list), targets: area === "images" ? 1 : area === "lint" ? lint.report.inputs?.length ?? 0 : runtimeInputs.length })),
        { area: "scan", counts: { error: 0, warning: 0, info: 0, style: 0 }, targets: 1, notes: [`${scan.vulnerabilities.length} vulnerabilities in ${scan.packages.length} packages (see below)`] },
      ],
      sources,
      images: [audit.image],
      sbom,
      scan,
      title: "drydock report — examples",
      generatedAt: "2026-01-05T12:00:00Z",
      areaOf: (f) => areaByFinding.get(f) ?? "other",
    };
    return { report, extras, areas };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// ---- headless Chromium ---------------------------------------------------------------------------------------

export function findChromium(): string | undefined {
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    const run = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
    if (run.status === 0 && run.stdout.trim() !== "") return run.stdout.trim();
  }
  return undefined;
}

export interface ChromiumRun {
  dom: string;
  stderr: string;
}

/**
 * Loads url in headless Chromium with its own throwaway profile and returns the DOM after scripts ran
 * (--virtual-time-budget lets timers and load handlers finish), or writes a screenshot.
 */
export function runChromium(chromium: string, url: string, options: { screenshot?: string; width?: number; height?: number } = {}): ChromiumRun {
  const profile = mkdtempSync(join(tmpdir(), "drydock-chromium-"));
  try {
    const args = [
      "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--hide-scrollbars",
      "--disable-extensions", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--mute-audio",
      `--user-data-dir=${profile}`, "--virtual-time-budget=2000",
      `--window-size=${options.width ?? 1400},${options.height ?? 1000}`,
      ...(options.screenshot === undefined ? ["--dump-dom"] : [`--screenshot=${options.screenshot}`]),
      url,
    ];
    const run = spawnSync(chromium, args, { encoding: "utf8", timeout: 30_000, maxBuffer: 64 * 1024 * 1024 });
    if (run.error !== undefined) throw run.error;
    if (run.status !== 0) throw new Error(`chromium exited with ${run.status}: ${run.stderr}`);
    return { dom: run.stdout, stderr: run.stderr };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
