// `drydock check` and `drydock init` as users run them. The done-when test: on examples/shop, every problem planted
// in PROBLEMS.md is reported exactly once at its line, and nothing else, in text, JSON and SARIF (the SARIF
// validated by Microsoft's SARIF Multitool, as test/report does).
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { JsonReport } from "../../src/report/json.ts";
import type { SarifLog } from "../../src/report/sarif.ts";
import { buildCheckDb } from "../check/fixtures.ts";
import { buildImage, ociLayoutFiles, tarOf, writeFiles } from "../image/fixtures.ts";
import { ed25519Raw, openSshEd25519 } from "../secrets/labeled/keys.ts";
import { runCli, tempTree, type CliResult } from "../helpers/cli.ts";
import { validateSarif } from "../report/tools.ts";

const ROOT = join(import.meta.dirname, "../..");
const SHOP = "examples/shop";

/** PROBLEMS.md's table as "path:line RULE", paths as findings name them from the repository root. */
function plantedProblems(): string[] {
  const text = readFileSync(join(ROOT, SHOP, "PROBLEMS.md"), "utf8");
  const rows = [...text.matchAll(/^\| \d+ \| `([^`]+):(\d+)` \| (\w+) \|/gm)];
  return rows.map((m) => `${SHOP}/${m[1]}:${m[2]} ${m[3]}`).sort();
}

describe("drydock check examples/shop", () => {
  const tmp = mkdtempSync(join(tmpdir(), "drydock-check-"));
  let db = "";
  const runs: Record<string, CliResult> = {};
  before(async () => {
    db = await buildCheckDb(join(tmp, "db"));
    const base = ["check", SHOP, "--db", db];
    const [text, json, sarif, html, noDb] = await Promise.all([
      runCli(base, { cwd: ROOT }),
      runCli([...base, "-f", "json"], { cwd: ROOT }),
      runCli([...base, "-f", "sarif"], { cwd: ROOT }),
      runCli([...base, "-f", "html", "-o", join(tmp, "report.html")], { cwd: ROOT }),
      runCli(["check", SHOP, "--db", join(tmp, "missing.db"), "-f", "json"], { cwd: ROOT }),
    ]);
    Object.assign(runs, { text, json, sarif, html, noDb });
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  test("PROBLEMS.md lists ten planted problems", () => {
    assert.equal(plantedProblems().length, 10);
  });

  test("text: every planted problem once, at its line, nothing else; the summary table after; exit 1", () => {
    const r = runs.text;
    assert.equal(r?.code, 1, r?.stderr);
    const found = (r?.stdout ?? "").split("\n").flatMap((l) => {
      const m = /^(\S+):(\d+):\d+: \w+ (\S+) /.exec(l);
      return m === null ? [] : [`${m[1]}:${m[2]} ${m[3]}`];
    });
    assert.deepEqual(found.sort(), plantedProblems());
    assert.match(r?.stdout ?? "", /^area +targets +error +warning +info +style +total$/m);
    assert.match(r?.stdout ?? "", /^scan +2 +1 +1 +0 +0 +2$/m, "lodash is HIGH (error), requests MEDIUM (warning)");
  });

  test("json: the same findings with their positions; the table goes to stderr", () => {
    const report = JSON.parse(runs.json?.stdout ?? "") as JsonReport;
    assert.deepEqual(report.findings.map((f) => `${f.file}:${f.line} ${f.rule}`).sort(), plantedProblems());
    assert.deepEqual(report.errors, []);
    assert.match(runs.json?.stderr ?? "", /^lint +2 /m);
  });

  test("sarif: the same results, and a valid log for GitHub code scanning", () => {
    const log = JSON.parse(runs.sarif?.stdout ?? "") as SarifLog;
    const results = log.runs[0].results.map((res) => {
      const loc = res.locations[0]?.physicalLocation;
      return `${decodeURIComponent(loc?.artifactLocation.uri ?? "")}:${loc?.region?.startLine} ${res.ruleId}`;
    });
    assert.deepEqual(results.sort(), plantedProblems());
    const ruleIds = log.runs[0].tool.driver.rules.map((r) => r.id);
    assert.ok(ruleIds.includes("DV001"), "DV001 is described");
    const errors = (validateSarif({ shop: runs.sarif?.stdout ?? "" }).get("shop") ?? []).filter((i) => i.level === "error");
    assert.deepEqual(errors, []);
  });

  test("html: one self-contained file with every finding", () => {
    assert.equal(runs.html?.code, 1, runs.html?.stderr);
    const page = readFileSync(join(tmp, "report.html"), "utf8");
    assert.match(page, /^<!doctype html>/);
    assert.match(page, /Findings \(10\)/);
    assert.doesNotMatch(page, /<script src=|<link [^>]*href="http/);
  });

  test("without a database: a clear note, no vulnerability findings, the rest as before", () => {
    const r = runs.noDb;
    assert.equal(r?.code, 1);
    assert.match(r?.stderr ?? "", /no vulnerability database: run drydock db update/);
    const report = JSON.parse(r?.stdout ?? "") as JsonReport;
    assert.deepEqual(report.findings.map((f) => `${f.file}:${f.line} ${f.rule}`).sort(), plantedProblems().filter((p) => !p.endsWith(" DV001")));
  });
});

describe("drydock check: baselines and thresholds", () => {
  const DOCKERFILE = "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nUSER 1000\n";
  const t = tempTree({ "Dockerfile": DOCKERFILE, "compose.yaml": "services:\n  a:\n    image: nginx:1.27\n    privileged: true\n" });
  after(t.cleanup);

  test("write a baseline, shift lines, add one new problem: only the new one fails", async () => {
    const written = await runCli(["check", "--no-scan", "--baseline", "write"], { cwd: t.dir });
    assert.equal(written.code, 0, written.stderr);
    assert.match(written.stderr, /wrote \d+ findings to \.drydock-baseline\.json/);
    const recorded = JSON.parse(readFileSync(join(t.dir, ".drydock-baseline.json"), "utf8")) as { findings: { ruleId: string; file: string }[] };
    assert.ok(recorded.findings.some((f) => f.ruleId === "DR001" && f.file === "compose.yaml"));

    const same = await runCli(["check", "--no-scan"], { cwd: t.dir });
    assert.equal(same.code, 0, same.stdout + same.stderr);
    assert.match(same.stderr, /baseline: \d+ known findings suppressed/);

    writeFileSync(join(t.dir, "Dockerfile"), `# syntax=docker/dockerfile:1\n\n${DOCKERFILE.replace("USER 1000\n", "")}ADD app.js /app/\nUSER 1000\n`);
    writeFileSync(join(t.dir, "compose.yaml"), "# dev stack\n\nservices:\n  a:\n    image: nginx:1.27\n    privileged: true\n");
    const shifted = await runCli(["check", "--no-scan", "-f", "json"], { cwd: t.dir });
    assert.equal(shifted.code, 1, shifted.stderr);
    const report = JSON.parse(shifted.stdout) as JsonReport;
    assert.ok(report.findings.length > 0);
    for (const f of report.findings) assert.deepEqual([f.file, f.line], ["Dockerfile", 5], `${f.rule} ${f.message}`);

    const ignoringBaseline = await runCli(["check", "--no-scan", "--no-baseline", "-f", "json"], { cwd: t.dir });
    assert.ok((JSON.parse(ignoringBaseline.stdout) as JsonReport).findings.some((f) => f.rule === "DR001"));
  });

  test("a named baseline that is missing or broken is an input error (exit 2)", async () => {
    const missing = await runCli(["check", "--no-scan", "--baseline", "nope.json"], { cwd: t.dir });
    assert.equal(missing.code, 2);
    writeFileSync(join(t.dir, "bad.json"), "{}");
    const bad = await runCli(["check", "--no-scan", "--baseline", "bad.json"], { cwd: t.dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /\[BASELINE_INVALID\]/);
  });
});

describe("drydock check --format html with images: in drydock.yaml", () => {
  const t = tempTree({ "drydock.yaml": "images:\n  - oci:img:1.0\n" });
  let page = "";
  let run: CliResult | undefined;
  before(async () => {
    const base = await tarOf([
      { name: "usr/bin/su", content: Buffer.alloc(4000, 7), mode: 0o4755 },
      { name: "bin/sh", content: Buffer.alloc(9000, 8), mode: 0o755 },
    ]);
    const app = await tarOf([
      { name: "app/node_modules/lodash/package.json", content: '{"name":"lodash","version":"4.17.20"}\n' },
      { name: "app/deploy_key", content: openSshEd25519(ed25519Raw(), "deploy@ci"), mode: 0o600 },
    ]);
    const image = buildImage({
      layers: [{ tar: base }, { tar: app }],
      history: [{ created_by: "ADD rootfs.tar / # base" }, { created_by: "COPY app /app # buildkit" }],
    });
    writeFiles(join(t.dir, "img"), ociLayoutFiles([{ image, tag: "1.0" }]));
    const db = await buildCheckDb(join(t.dir, ".db"));
    run = await runCli(["check", ".", "--db", db, "--no-shellcheck", "-f", "html", "-o", "report.html"], { cwd: t.dir });
    page = readFileSync(join(t.dir, "report.html"), "utf8");
  });
  after(t.cleanup);

  test("the image's layers with their build steps and marked files", () => {
    assert.equal(run?.code, 1, run?.stderr);
    assert.match(page, /<a href="#images">Images<\/a>/);
    const layers = [...page.matchAll(/<tr data-layer="(\d+)">([\s\S]*?)<\/tr><\/tbody><\/table><\/details>/g)];
    assert.deepEqual(layers.map((m) => m[1]), ["0", "1"]);
    assert.match(layers[0]?.[2] ?? "", /ADD rootfs\.tar \/ # base/);
    assert.match(layers[0]?.[2] ?? "", /\/usr\/bin\/su<\/code><\/td><td class="num">4\.0 kB<\/td><td><span class="mark mark-setuid">setuid</);
    assert.match(layers[1]?.[2] ?? "", /COPY app \/app # buildkit/);
    assert.match(layers[1]?.[2] ?? "", /\/app\/deploy_key<\/code><\/td><td class="num">[^<]+<\/td><td><span class="mark mark-secret">secret</);
  });

  test("the image's packages and vulnerabilities", () => {
    const packages = /<table class="sortable" id="packages-table">([\s\S]*?)<\/table>/.exec(page)?.[1] ?? "";
    assert.match(packages, /<tr><td>lodash<\/td><td><code>4\.17\.20<\/code><\/td><td>npm<\/td>.*\(layer 1\)/);
    const vulns = /<table class="sortable" id="vulnerabilities-table">([\s\S]*?)<\/table>/.exec(page)?.[1] ?? "";
    assert.match(vulns, /GHSA-35jh-r3h4-6jhm/);
    assert.match(page, /<g data-severity="HIGH" data-count="1">/);
  });
});

describe("drydock init", () => {
  const t = tempTree({ "svc/Dockerfile": "FROM alpine:3.20\n", "compose.yaml": "services:\n  a:\n    image: nginx:1.27\n" });
  after(t.cleanup);

  test("writes a commented drydock.yaml listing the targets; refuses to overwrite without --force", async () => {
    const first = await runCli(["init"], { cwd: t.dir });
    assert.equal(first.code, 0, first.stderr);
    const text = readFileSync(join(t.dir, "drydock.yaml"), "utf8");
    assert.match(text, /^#     svc\/Dockerfile  \(no \.dockerignore\)$/m);
    assert.match(text, /^#     compose\.yaml  \(compose\)$/m);
    writeFileSync(join(t.dir, "drydock.yaml"), "# mine\n");
    const again = await runCli(["init"], { cwd: t.dir });
    assert.equal(again.code, 2);
    assert.match(again.stderr, /\[CONFIG_EXISTS\]/);
    assert.equal(readFileSync(join(t.dir, "drydock.yaml"), "utf8"), "# mine\n");
    const forced = await runCli(["init", ".", "--force"], { cwd: t.dir });
    assert.equal(forced.code, 0);
    assert.ok(existsSync(join(t.dir, "drydock.yaml")) && readFileSync(join(t.dir, "drydock.yaml"), "utf8") === text);
  });
});
