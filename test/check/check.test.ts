// checkProject through the library API: every area on small real projects, the vulnerability database built
// from real advisory files, images written as real OCI layouts, and baselines that survive line shifts.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { applyBaseline, createBaseline, fingerprintFindings, parseBaseline, renderBaseline } from "../../src/check/baseline.ts";
import { checkProject, packageLocation, type CheckRequest } from "../../src/check/check.ts";
import { countBySeverity, renderSummaryTable } from "../../src/check/summary.ts";
import { parseConfig } from "../../src/core/config.ts";
import type { Finding } from "../../src/core/finding.ts";
import { buildImage, ociLayoutFiles, tarOf, writeFiles } from "../image/fixtures.ts";
import { tempTree } from "../helpers/cli.ts";
import { buildCheckDb } from "./fixtures.ts";
import { startFaultProxy, startRegistry } from "../registry/servers.ts";

const NOW = new Date("2026-01-02T00:00:00Z");
const API = "FROM python:3.12-slim@sha256:" + "a".repeat(64) + "\nUSER 10001\nCMD [\"python\"]\n";
const LOCK = JSON.stringify({
  name: "w", lockfileVersion: 3, requires: true,
  packages: { "": { name: "w", dependencies: { lodash: "4.17.20" } }, "node_modules/lodash": { version: "4.17.20" } },
}, null, 2) + "\n";

function at(f: Finding): string {
  const l = f.location;
  return l.kind === "text" ? `${l.file}:${l.start.line} ${f.ruleId}` : l.kind === "layer" ? `${l.image}#${l.layer}:/${l.path} ${f.ruleId}` : `${l.ref} ${f.ruleId}`;
}

describe("checkProject", () => {
  const t = tempTree({
    "api/Dockerfile": API,
    "api/requirements.txt": "flask==3.0.3\nrequests==2.28.1\n",
    "web/package-lock.json": LOCK,
    "compose.yaml": "services:\n  w:\n    image: nginx:1.27\n    privileged: true\n",
  });
  let db = "";
  before(async () => {
    db = await buildCheckDb(join(t.dir, ".db"));
  });
  after(t.cleanup);
  const run = (extra: Partial<CheckRequest> = {}) => checkProject({ root: t.dir, cwd: t.dir, shellcheck: "off", db, now: NOW, ...extra });

  test("one report: lint, runtime and lockfile findings at the lines that pin them, per-area counts", async () => {
    const out = await run();
    assert.deepEqual(out.report.findings.map(at), [
      "api/requirements.txt:2 DV001",
      "compose.yaml:4 DR001",
      "web/package-lock.json:12 DV001",
    ]);
    const lodash = out.report.findings.find((f) => f.message.startsWith("lodash"));
    assert.equal(lodash?.severity, "error", "HIGH is an error");
    assert.match(lodash?.message ?? "", /GHSA-35jh-r3h4-6jhm.*HIGH.*fixed in 4\.17\.21/);
    assert.equal(out.report.findings.find((f) => f.message.startsWith("requests"))?.severity, "warning", "MEDIUM is a warning");
    assert.deepEqual(out.summary.map((a) => [a.area, a.targets, a.counts.error, a.counts.warning]), [
      ["lint", 1, 0, 0], ["runtime", 1, 1, 0], ["scan", 2, 1, 1], ["images", 0, 0, 0],
    ]);
    assert.equal(out.exitCode, 1);
    assert.ok(out.report.rules.some((r) => r.id === "DV001") && out.report.rules.some((r) => r.id === "DR001"));
    assert.equal(out.sources["web/package-lock.json"], LOCK);
    assert.equal(out.scans.length, 1);
  });

  test("findings name files relative to cwd; baselines record them relative to the root", async () => {
    const parent = join(t.dir, "..");
    const base = t.dir.slice(parent.length + 1);
    const out = await checkProject({ root: base, cwd: parent, shellcheck: "off", db: false });
    assert.deepEqual(out.report.findings.map(at), [`${base}/compose.yaml:4 DR001`]);
    assert.equal(out.projectPath(`${base}/compose.yaml`), "compose.yaml");
    const inner = await checkProject({ root: ".", cwd: t.dir, shellcheck: "off", db: false });
    assert.deepEqual(inner.fingerprints, out.fingerprints, "the same fingerprints from any directory");
  });

  test("no database: a clear note, no scan findings, never a failure by itself", async () => {
    const out = await run({ db: join(t.dir, "missing.db"), config: parseConfig("failureThreshold: error\nignore: [DR001]\n", "drydock.yaml") });
    assert.deepEqual(out.report.findings, []);
    assert.equal(out.exitCode, 0);
    assert.match(out.summary.find((a) => a.area === "scan")?.notes?.[0] ?? "", /^no vulnerability database: run drydock db update/);
  });

  test("scan.ignore in drydock.yaml accepts a vulnerability; --ignore DV001 drops the rule", async () => {
    const config = parseConfig("scan:\n  ignore:\n    - id: CVE-2021-23337\n      reason: templates are ours\n", "drydock.yaml");
    const ignored = await run({ config });
    assert.deepEqual(ignored.report.findings.map(at), ["api/requirements.txt:2 DV001", "compose.yaml:4 DR001"]);
    const off = await run({ cli: { ignore: ["DV001"], severityOverride: {} } });
    assert.deepEqual(off.report.findings.map(at), ["compose.yaml:4 DR001"]);
  });
});

describe("images: from drydock.yaml", () => {
  const t = tempTree({ "Dockerfile": API });
  let db = "";
  before(async () => {
    db = await buildCheckDb(join(t.dir, ".db"));
    const layer = await tarOf([{ name: "app/node_modules/lodash/package.json", content: Buffer.from('{"name":"lodash","version":"4.17.20"}\n') }]);
    const image = buildImage({ layers: [{ tar: layer }], config: { Cmd: ["node", "/app/server.js"] } });
    writeFiles(join(t.dir, "img"), ociLayoutFiles([{ image, tag: "1.0" }]));
  });
  after(t.cleanup);

  test("audited and scanned: image checks and DV002 at the layer that added the package; verify asks the checker", async () => {
    const config = parseConfig("images:\n  - oci:img:1.0\n  - ref: oci:img:1.0\n    verify: true\n", join(t.dir, "drydock.yaml"));
    assert.deepEqual(config.images?.map((i) => [i.ref, i.verify]), [["oci:img:1.0", false], ["oci:img:1.0", true]]);
    const asked: string[] = [];
    const out = await checkProject({
      root: t.dir, cwd: t.dir, shellcheck: "off", db, now: NOW, config, configFile: join(t.dir, "drydock.yaml"),
      verifyImage: async (image) => {
        asked.push(image.ref);
        return { allowed: false, reasons: ["no signature found"] };
      },
    });
    assert.deepEqual(asked, ["oci:img:1.0"]);
    const images = out.report.findings.filter((f) => f.location.kind !== "text");
    const dv = images.filter((f) => f.ruleId === "DV002").map(at);
    assert.deepEqual(dv, ["oci:img:1.0#0:/app/node_modules/lodash/package.json DV002"], "deduplicated: the same image twice reports once");
    assert.deepEqual(images.filter((f) => f.ruleId === "DV003").map(at), ["oci:img:1.0 DV003"]);
    assert.ok(images.some((f) => f.ruleId.startsWith("DI")), "the audit's image checks ran");
    const area = out.summary.find((a) => a.area === "images");
    assert.equal(area?.targets, 1, "one image, named twice");
    assert.equal((area?.counts.error ?? 0) + (area?.counts.warning ?? 0) + (area?.counts.info ?? 0) + (area?.counts.style ?? 0), images.length);
  });

  test("a registry image is read once: its audit, catalog, scan and HTML layer table share one walk", async () => {
    const registry = await startRegistry();
    const proxy = await startFaultProxy(registry.port);
    try {
      execFileSync("skopeo", ["copy", "-q", "--dest-tls-verify=false", `oci:${join(t.dir, "img")}:1.0`, `docker://${registry.host}/team/img:1.0`]);
      const ref = `docker://${proxy.host}/team/img:1.0`;
      const config = parseConfig(`images:\n  - ${ref}\n`, join(t.dir, "drydock.yaml"));
      const request: CheckRequest = {
        root: t.dir, cwd: t.dir, shellcheck: "off", db, now: NOW, config, configFile: join(t.dir, "drydock.yaml"),
        registry: { insecureRegistries: [proxy.host] }, imageDetails: true,
      };
      const out = await checkProject(request);
      const layerDigests = out.images[0]?.catalog?.image?.layers ?? [];
      assert.equal(layerDigests.length, 1);
      const blobGets = proxy.log.filter((l) => l.startsWith("GET ") && l.includes("/blobs/"));
      for (const digest of layerDigests) assert.equal(blobGets.filter((l) => l.includes(digest)).length, 1, `layer ${digest} fetched once: ${blobGets.join(", ")}`);
      // What the one walk gives: the scan's finding at the layer, the package table and the layer table.
      assert.deepEqual(out.report.findings.filter((f) => f.ruleId === "DV002").map(at), [`${ref}#0:/app/node_modules/lodash/package.json DV002`]);
      assert.deepEqual(out.images[0]?.catalog?.packages.map((p) => `${p.name}@${p.version}`), ["lodash@4.17.20"]);
      assert.deepEqual(out.images[0]?.layers?.layers[0]?.added.map((f) => f.path), ["app/node_modules/lodash/package.json"]);
    } finally {
      await proxy.close();
      await registry.stop();
    }
  });

  test("an image that cannot be opened is an input error (exit 2), not a crash", async () => {
    const config = parseConfig("images:\n  - oci:nowhere:1.0\n", join(t.dir, "drydock.yaml"));
    const out = await checkProject({ root: t.dir, cwd: t.dir, shellcheck: "off", db, now: NOW, config, configFile: join(t.dir, "drydock.yaml") });
    assert.equal(out.exitCode, 2);
    assert.equal(out.report.errors[0]?.file, "oci:nowhere:1.0");
  });

  test("images: entries are validated with their position", () => {
    assert.throws(() => parseConfig("images:\n  - ref: x\n    verfy: true\n", "d.yaml"), (e: Error & { code?: string; location?: { start: { line: number } } }) =>
      e.code === "CONFIG_INVALID" && e.location?.start.line === 3 && /did you mean verify|expected one of: ref, verify/.test(e.message));
    assert.throws(() => parseConfig("images: docker://x\n", "d.yaml"), { code: "CONFIG_INVALID" });
    assert.throws(() => parseConfig("images:\n  - verify: true\n", "d.yaml"), { code: "CONFIG_INVALID" });
  });
});

describe("baselines", () => {
  const DOCKERFILE = "FROM debian:12\nRUN apt-get install -y curl\nRUN apt-get install -y curl\nUSER 1000\n";
  const t = tempTree({ "Dockerfile": DOCKERFILE });
  after(t.cleanup);
  const run = (extra: Partial<CheckRequest> = {}) =>
    checkProject({ root: t.dir, cwd: t.dir, shellcheck: "off", db: false, cli: { ignore: [], severityOverride: {}, enable: [] }, ...extra });

  test("write, shift lines, add one new problem: only the new one is reported and fails", async () => {
    const first = await run();
    const recorded = createBaseline(first.report.findings, first.fingerprints, first.projectPath);
    assert.ok(recorded.findings.length >= 2, "the two equal lines are two entries");
    const baseline = parseBaseline(renderBaseline(recorded), "b.json");
    const clean = await run({ baseline });
    assert.deepEqual(clean.report.findings, []);
    assert.equal(clean.suppressed, first.report.findings.length);
    assert.equal(clean.exitCode, 0);

    // Lines inserted at the top and a third copy of the problem line at the end.
    writeFileSync(join(t.dir, "Dockerfile"), `# syntax=docker/dockerfile:1\n# the build\n\n${DOCKERFILE}RUN apt-get install -y curl\n`);
    const shifted = await run({ baseline });
    const fresh = shifted.report.findings.map(at);
    assert.ok(fresh.length > 0 && fresh.every((f) => f.startsWith("Dockerfile:8 ")), fresh.join("\n"));
    assert.equal(shifted.exitCode, 1);
    assert.match(shifted.notes.join("\n"), /baseline: \d+ known findings suppressed/);
    writeFileSync(join(t.dir, "Dockerfile"), DOCKERFILE);
  });

  test("fingerprints: line numbers do not count, text and occurrence do", () => {
    const f = (line: number, file = "D"): Finding => ({
      ruleId: "R1", aliases: [], severity: "warning", message: `at line ${line}`, source: "drydock",
      location: { kind: "text", file, start: { line, column: 1, offset: 0 }, end: { line, column: 5, offset: 0 } },
    });
    const input = (text: string) => ({ sources: new Map([["D", text]]), projectPath: (x: string) => x });
    const [a1, a2] = fingerprintFindings([f(1), f(2)], input("RUN x\nRUN x\n"));
    const [b1, b2] = fingerprintFindings([f(3), f(5)], input("#\n\nRUN  x\n\n  RUN x\n"));
    assert.notEqual(a1, a2, "equal lines are told apart by occurrence");
    assert.deepEqual([b1, b2], [a1, a2], "moved and re-indented lines keep their fingerprints");
    const [c] = fingerprintFindings([f(1)], input("RUN y\n"));
    assert.notEqual(c, a1, "another line is another finding");
    const applied = applyBaseline([f(1), f(2), f(3)], fingerprintFindings([f(1), f(2), f(3)], input("RUN x\nRUN x\nRUN x\n")), { version: 1, findings: [{ fingerprint: a1 ?? "", ruleId: "R1", file: "D", message: "" }, { fingerprint: a2 ?? "", ruleId: "R1", file: "D", message: "" }] });
    assert.equal(applied.suppressed, 2);
    assert.equal(applied.kept.length, 1);
  });

  test("a broken baseline file is BASELINE_INVALID naming the file", () => {
    for (const text of ["{", "[]", '{"version": 2, "findings": []}', '{"version": 1, "findings": [{"fingerprint": "abc"}]}']) {
      assert.throws(() => parseBaseline(text, "x.json"), (e: Error & { code?: string }) => e.code === "BASELINE_INVALID" && e.message.startsWith("x.json"));
    }
  });
});

describe("pieces", () => {
  test("packageLocation: npm's node_modules key, a requirements pin, the whole trimmed line", () => {
    const lock = packageLocation("p.json", LOCK, "lodash", "4.17.20");
    assert.equal(lock.kind === "text" && `${lock.start.line}:${lock.start.column}-${lock.end.column}`, "12:5-29");
    const req = packageLocation("r.txt", "# pins\nFlask==3.0.3\nrequests==2.28.1 ; python_version>'3'\n", "flask", "3.0.3");
    assert.equal(req.kind === "text" && req.start.line, 2);
    const dotted = packageLocation("r.txt", "zope-interface-extra==1\nzope_interface==6.0\n", "zope.interface", "6.0");
    assert.equal(dotted.kind === "text" && dotted.start.line, 2, "separators alike, a longer name is another package");
    const scoped = packageLocation("p.json", '{\n  "packages": {\n    "node_modules/@types/node": {}\n  }\n}\n', "@types/node", "20.0.0");
    assert.equal(scoped.kind === "text" && scoped.start.line, 3);
    const missing = packageLocation("r.txt", "a\n", "zzz", "1");
    assert.equal(missing.kind === "text" && missing.start.line, 1);
  });

  test("summary table: one row per area, totals, notes", () => {
    const table = renderSummaryTable([
      { area: "lint", counts: countBySeverity([{ severity: "error" }, { severity: "style" }]), targets: 2 },
      { area: "scan", counts: countBySeverity([]), targets: 1, notes: ["no vulnerability database: run drydock db update"] },
    ]);
    assert.equal(table, [
      "area   targets  error  warning  info  style  total",
      "lint         2      1        0     0      1      2",
      "scan         1      0        0     0      0      0",
      "total               1        0     0      1      2",
      "note (scan): no vulnerability database: run drydock db update",
      "",
    ].join("\n"));
  });
});
