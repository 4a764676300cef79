// imageLayersForHtml on real OCI layouts written by code, marked with the findings of a real audit of the same
// image; then the layers as renderHtmlReport draws them. Also: several catalogs and scans in one report.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { auditImage } from "../../src/audit.ts";
import type { Finding, Report } from "../../src/core/finding.ts";
import { openImage } from "../../src/image/source.ts";
import { renderHtmlReport, type HtmlImage, type HtmlLayer } from "../../src/report/html.ts";
import { HtmlLayerCollector, HtmlLayerRecorder, imageLayersForHtml, marksFromMode } from "../../src/report/html-image.ts";
import type { Catalog } from "../../src/sbom/model.ts";
import type { ScanReport } from "../../src/scan/scan.ts";
import { buildImage, ociLayoutFiles, tarOf, tempDir, writeFiles, type BuiltImage, type FileSpec } from "../image/fixtures.ts";
import { ed25519Raw, openSshEd25519 } from "../secrets/labeled/keys.ts";

const REF = "oci:img:1.0";

/** n distinct small files whose sizes are 1..n bytes. */
function smallFiles(dir: string, n: number): FileSpec[] {
  return Array.from({ length: n }, (_, i) => ({ name: `${dir}/f${String(i + 1).padStart(4, "0")}`, content: "x".repeat(i + 1) }));
}

async function planted(): Promise<{ built: BuiltImage; layers: FileSpec[][] }> {
  const layers: FileSpec[][] = [
    [
      { name: "usr/", type: "directory" },
      { name: "usr/bin/", type: "directory" },
      { name: "usr/bin/passwd", content: Buffer.alloc(5000, 1), mode: 0o4755 },
      { name: "bin/", type: "directory" },
      { name: "bin/sh", content: Buffer.alloc(9000, 2), mode: 0o755 },
      { name: "bin/ash", type: "symlink", linkname: "sh" },
      { name: "bin/busybox", type: "link", linkname: "bin/sh" },
      ...smallFiles("usr/share/misc", 40),
    ],
    [
      { name: "app/", type: "directory" },
      { name: "app/server.js", content: "require('http').createServer().listen(3000);\n" },
      { name: "app/deploy_key", content: openSshEd25519(ed25519Raw(), "deploy@ci"), mode: 0o600 },
      { name: "app/uploads/", type: "directory", mode: 0o777 },
      { name: "app/uploads/cache.db", content: Buffer.alloc(300, 3), mode: 0o666 },
    ],
    [
      { name: "app/.wh.server.js", content: "" },
      { name: "app/main.js", content: "console.log(1);\n" },
    ],
  ];
  const built = buildImage({
    layers: await Promise.all(layers.map(async (files) => ({ tar: await tarOf(files), compression: "gzip" as const }))),
    history: [
      { created: "2025-01-01T00:00:00Z", created_by: "ADD rootfs.tar /" },
      { created: "2025-01-01T00:00:00Z", created_by: "ENV NODE_ENV=production", empty_layer: true },
      { created: "2025-01-01T00:00:00Z", created_by: "COPY . /app" },
      { created: "2025-01-01T00:00:00Z", created_by: "USER 1000", empty_layer: true },
      { created: "2025-01-01T00:00:00Z", created_by: "COPY main.js /app/" },
    ],
  });
  return { built, layers };
}

function layerAt(image: HtmlImage, index: number): HtmlLayer {
  const layer = image.layers[index];
  assert.ok(layer !== undefined, `layer ${index}`);
  return layer;
}

function marksOf(layer: HtmlLayer): Record<string, string[]> {
  return Object.fromEntries(layer.added.filter((a) => a.marks.length > 0).map((a) => [a.path, [...a.marks]]));
}

describe("imageLayersForHtml", () => {
  const t = tempDir();
  let built: BuiltImage;
  let findings: readonly Finding[] = [];
  let audit: Report;
  before(async () => {
    ({ built } = await planted());
    writeFiles(join(t.dir, "img"), ociLayoutFiles([{ image: built, tag: "1.0" }]));
    audit = (await auditImage({ ref: REF, cwd: t.dir })).report;
    findings = audit.findings;
  });
  after(t.cleanup);

  async function describeImage(found: readonly Finding[], maxFilesPerLayer?: number): Promise<HtmlImage> {
    const source = await openImage(REF, { cwd: t.dir });
    try {
      return await imageLayersForHtml(source, found, maxFilesPerLayer === undefined ? {} : { maxFilesPerLayer });
    } finally {
      await source.close();
    }
  }

  test("recorded in the audit's own walk (HtmlLayerRecorder), the table is the one a walk of its own gives", async () => {
    const recorder = new HtmlLayerRecorder();
    let recorded: HtmlImage | undefined;
    const { report } = await auditImage({ ref: REF, cwd: t.dir }, {
      consumers: () => [recorder],
      done: (source, _fs, walk) => {
        // The findings come after the walk: the table is made from the recorded headers with them.
        recorded = recorder.image(source, walk.layers, findings, { maxFilesPerLayer: 2 });
      },
    });
    assert.deepEqual(report.findings, findings, "the audit's findings do not change when its walk is shared");
    assert.deepEqual(recorded, await describeImage(findings, 2));
    assert.ok(recorded !== undefined && Object.keys(marksOf(layerAt(recorded, 1))).length > 0, "marks were applied");
  });

  test("the audit found what the image plants (the oracle for the marks below)", () => {
    const at = findings.flatMap((f) => (f.location.kind === "layer" ? [`${f.ruleId} ${f.location.layer}:${f.location.path}`] : []));
    assert.ok(at.includes("DI006 1:app/deploy_key"), at.join("\n"));
    assert.ok(at.includes("DI004 0:usr/bin/passwd"), at.join("\n"));
    assert.ok(at.includes("DI019 1:app/uploads"), at.join("\n"));
  });

  test("per layer: digest, stored and unpacked size, the build step matched past empty-layer history entries", async () => {
    const image = await describeImage(findings);
    assert.equal(image.ref, REF);
    assert.equal(image.digest, built.manifestDigest);
    assert.deepEqual(image.layers.map((l) => [l.index, l.digest, l.size, l.uncompressedSize, l.createdBy]),
      built.layerBlobs.map((b, i) => [i, b.digest, b.blob.length, b.tar.length, ["ADD rootfs.tar /", "COPY . /app", "COPY main.js /app/"][i]]));
  });

  test("marks: secret from DI006, setuid and world-writable from findings and from the entries' own modes", async () => {
    const image = await describeImage(findings);
    assert.deepEqual(marksOf(layerAt(image, 0)), { "usr/bin/passwd": ["setuid"] });
    assert.deepEqual(marksOf(layerAt(image, 1)), {
      "app/deploy_key": ["secret"],
      "app/uploads": ["world-writable"],
      "app/uploads/cache.db": ["world-writable"],
    });
    assert.equal(layerAt(image, 1).added.find((a) => a.path === "app/uploads")?.kind, "dir", "a marked directory is listed");

    // Without the audit's findings only what the modes say is left: the secret mark came from DI006.
    const bare = await describeImage([]);
    assert.deepEqual(marksOf(layerAt(bare, 1)), { "app/uploads/cache.db": ["world-writable"] });
    assert.deepEqual(marksOf(layerAt(bare, 0)), { "usr/bin/passwd": ["setuid"] });
    // Findings about another image mark nothing here.
    const elsewhere = findings.map((f): Finding => (f.location.kind === "layer" ? { ...f, location: { ...f.location, image: "oci:other:1.0" } } : f));
    assert.deepEqual(marksOf(layerAt(await describeImage(elsewhere), 1)), { "app/uploads/cache.db": ["world-writable"] });
  });

  test("files: largest first, capped with a count of the rest; links keep their targets; a deletion adds nothing", async () => {
    const image = await describeImage(findings, 5);
    const l0 = layerAt(image, 0);
    const unmarked = l0.added.filter((a) => a.marks.length === 0);
    assert.deepEqual(unmarked.map((a) => [a.path, a.size]), [
      ["bin/sh", 9000], ["usr/share/misc/f0040", 40], ["usr/share/misc/f0039", 39], ["usr/share/misc/f0038", 38], ["usr/share/misc/f0037", 37],
    ]);
    // passwd, sh, ash, busybox and 40 small files: 44 entries, 6 listed.
    assert.equal(l0.omitted, 44 - 6);
    const all = await describeImage(findings, 100);
    const links = layerAt(all, 0).added.filter((a) => a.kind !== undefined).map((a) => [a.path, a.kind, a.linkTarget]);
    assert.deepEqual(links.sort(), [["bin/ash", "symlink", "sh"], ["bin/busybox", "hardlink", "bin/sh"]]);
    assert.equal(layerAt(all, 0).omitted, undefined);
    assert.deepEqual(layerAt(all, 2).added.map((a) => a.path), ["app/main.js"]);
  });

  test("a root file system directory: one layer, no stored size, unpacked size from its files", async () => {
    const root = join(t.dir, "rootfs");
    mkdirSync(join(root, "usr/bin"), { recursive: true });
    writeFileSync(join(root, "usr/bin/tool"), Buffer.alloc(1234));
    writeFileSync(join(root, "notes.txt"), "hello\n");
    symlinkSync("tool", join(root, "usr/bin/t"));
    const source = await openImage(`dir:${root}`);
    try {
      const image = await imageLayersForHtml(source, []);
      assert.equal(image.layers.length, 1);
      const [layer] = image.layers;
      assert.equal(layer?.size, undefined);
      assert.equal(layer?.uncompressedSize, 1234 + 6);
      assert.deepEqual(layer?.added.map((a) => a.path), ["usr/bin/tool", "notes.txt", "usr/bin/t"]);
    } finally {
      await source.close();
    }
  });

  test("bounded: thousands of files in a layer keep only the cap, the rest counted", async () => {
    const collector = new HtmlLayerCollector("x", [], { maxFilesPerLayer: 3 });
    for (let i = 0; i < 5000; i++) {
      collector.entry({ layer: 0, layerDigest: "", kind: "file", path: `f${i}`, mode: 0o644, uid: 0, gid: 0, size: (i * 7919) % 5000, linkname: "", mtime: 0 });
    }
    const image = collector.image({ ref: "x", manifest: undefined, config: undefined, layers: [] } as unknown as Parameters<HtmlLayerCollector["image"]>[0],
      [{ index: 0, digest: undefined, diffId: undefined, compression: undefined, compressedBytes: 0, uncompressedBytes: 0, entries: 5000 }]);
    assert.deepEqual(layerAt(image, 0).added.map((a) => a.size), [4999, 4998, 4997]);
    assert.equal(layerAt(image, 0).omitted, 4997);
  });

  test("marksFromMode: setuid and setgid, others' write on files; never on symlinks", () => {
    assert.deepEqual(marksFromMode("file", 0o4755), ["setuid"]);
    assert.deepEqual(marksFromMode("file", 0o2755), ["setuid"]);
    assert.deepEqual(marksFromMode("hardlink", 0o6777), ["setuid", "world-writable"]);
    assert.deepEqual(marksFromMode("symlink", 0o777), []);
    assert.deepEqual(marksFromMode("file", 0o644), []);
  });

  test("rendered: one row per layer, marked files listed and badged, the rest counted, links with targets", async () => {
    const image = await describeImage(findings, 5);
    const page = renderHtmlReport(audit, { summary: [], images: [image] });
    const rows = [...page.matchAll(/<tr data-layer="(\d+)">([\s\S]*?)<\/tr><\/tbody><\/table><\/details>/g)];
    assert.deepEqual(rows.map((m) => m[1]), ["0", "1", "2"]);
    const row0 = rows[0]?.[2] ?? "";
    assert.match(row0, /<summary>44 files<\/summary>/);
    assert.match(row0, /<tr class="marked"><td><code class="wrap">\/usr\/bin\/passwd<\/code><\/td><td class="num">5\.0 kB<\/td><td><span class="mark mark-setuid">setuid<\/span>/);
    assert.match(row0, /and 38 smaller files/);
    assert.match(row0, /unpacked/);
    const row1 = rows[1]?.[2] ?? "";
    assert.match(row1, /\/app\/deploy_key<\/code><\/td><td class="num">[^<]+<\/td><td><span class="mark mark-secret">secret<\/span>/);
    assert.match(row1, /\/app\/uploads\/<\/code>/);
    assert.match(row1, /COPY \. \/app/);
    // Links are the smallest entries (size 0): drawn from a layer that lists only them.
    const all = await describeImage(findings, 100);
    const links: HtmlImage = { ...all, layers: [{ ...layerAt(all, 0), added: layerAt(all, 0).added.filter((a) => a.kind !== undefined) }] };
    const linked = renderHtmlReport(audit, { summary: [], images: [links] });
    assert.match(linked, /<code class="wrap">\/bin\/ash -&gt; sh<\/code><\/td><td class="num"><\/td>/);
    assert.match(linked, /\/bin\/busybox =&gt; bin\/sh/);
  });
});

describe("several catalogs and scans in one report", () => {
  const catalog = (target: string, name: string): Catalog => ({
    target, kind: "image", distro: undefined, notes: [],
    packages: [{ name, version: "1.0.0", ecosystem: "npm", type: "npm", purl: `pkg:npm/${name}@1.0.0`, licenses: ["MIT"], locations: [{ path: `app/node_modules/${name}/package.json` }] } as Catalog["packages"][number]],
  });
  const scan = (target: string, ids: string[]): ScanReport => ({
    version: 1 as ScanReport["version"],
    target: { name: target, kind: "image", image: null, distro: null },
    db: { path: "db", sources: [], stale: [], maxAgeDays: 5 },
    packages: [],
    vulnerabilities: ids.map((id) => ({ id, aliases: [], severity: "HIGH", package: { name: "lodash" }, installedVersion: "1.0.0", fixedVersion: "2.0.0", status: "fixed", cvss: null, summary: null }) as unknown as ScanReport["vulnerabilities"][number]),
    ignored: [], filtered: { severity: 0, unfixed: 0 }, notes: [],
  });
  const report: Report = { tool: { name: "drydock", version: "0" }, findings: [], errors: [], rules: [] };

  test("one section each, a heading and a table with a unique id per target; one chart over all scans", () => {
    const page = renderHtmlReport(report, {
      summary: [],
      sboms: [catalog("oci:a:1", "left-pad"), catalog("oci:b:1", "right-pad")],
      scans: [scan("project", ["GHSA-aaaa-aaaa-aaaa"]), scan("oci:a:1", ["GHSA-bbbb-bbbb-bbbb", "GHSA-cccc-cccc-cccc"])],
    });
    assert.match(page, /<a href="#packages">Packages \(2\)<\/a>/);
    assert.match(page, /<a href="#vulnerabilities">Vulnerabilities \(3\)<\/a>/);
    assert.deepEqual([...page.matchAll(/<table class="sortable" id="([^"]+)"/g)].map((m) => m[1]),
      ["packages-table", "packages-table-2", "vulnerabilities-table", "vulnerabilities-table-2"]);
    assert.equal([...page.matchAll(/id="vulnerability-chart"/g)].length, 1);
    assert.match(page, /<g data-severity="HIGH" data-count="3">/);
    assert.match(page, /<h3><code class="wrap">oci:b:1<\/code><\/h3>/);
    assert.match(page, /data-filter-for="packages-table-2"/);
  });

  test("a single catalog and scan render as before: no per-target heading", () => {
    const page = renderHtmlReport(report, { summary: [], sbom: catalog("oci:a:1", "left-pad"), scan: scan("oci:a:1", ["GHSA-aaaa-aaaa-aaaa"]) });
    assert.doesNotMatch(page, /<h3>/);
    assert.match(page, /id="packages-table"/);
    assert.match(page, /id="vulnerabilities-table"/);
  });
});
