// The HTML report: escaping of hostile input, no external loads (the CSP hash must match the inline script, or
// Chromium would refuse to run it), code excerpts, the registry entry; then a realistic report (real lint,
// runtime, audit and scan results) loaded in headless Chromium: DOM counts, filters from the URL, sorting,
// the page with JS off, and a screenshot.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { inflateSync } from "node:zlib";
import { after, before, describe, test } from "node:test";
import type { Finding, Report } from "../../src/core/finding.ts";
import { defaultFindingArea, escapeHtml, humanSize, renderHtmlReport, type HtmlExtras } from "../../src/report/html.ts";
import { formats, renderReport } from "../../src/report/index.ts";
import { buildExampleReport, findChromium, runChromium, type ExampleReport } from "./html-fixture.ts";
import { HOSTILE, pos, report as fixtureReport } from "./fixture.ts";

const count = (haystack: string, re: RegExp): number => [...haystack.matchAll(re)].length;

function textFinding(file: string, line: number, column: number, endLine: number, endColumn: number, extra: Partial<Finding> = {}): Finding {
  return {
    ruleId: "DL3020", aliases: [], severity: "error", source: "hadolint", message: "Use COPY instead of ADD",
    location: { kind: "text", file, start: pos(line, column), end: pos(endLine, endColumn) }, ...extra,
  };
}

const XSS = `<script>document.body.setAttribute('data-pwned','1')</script>`;

/** A report where every string a user or an image controls tries to break out of its context. */
function hostileReport(): { report: Report; extras: HtmlExtras } {
  const file = "svc/<b>Dockerfile";
  const report: Report = {
    tool: { name: "drydock", version: "0.1.0" },
    findings: [
      textFinding(file, 2, 1, 2, 4, { ruleId: "<i>R1", message: `bad ${XSS} & "quoted" 'single'` }),
      textFinding(HOSTILE, 1, 1, 1, 2, { ruleId: "DL3020", message: "plain" }),
      { ruleId: "DI006", aliases: [], severity: "warning", source: "dockle", message: `key in ${XSS}`,
        location: { kind: "layer", image: `<img src=x onerror=alert(1)>`, layer: 1, digest: "sha256:x", path: `app/${XSS}` } },
    ],
    errors: [{ file: `<iframe src="https://evil.example/">`, code: "X", message: XSS }],
    rules: [
      { id: "<i>R1", aliases: [], severity: "error", source: "drydock", summary: `"><svg onload=alert(1)>`, docs: XSS, url: "javascript:alert(1)" },
      { id: "DL3020", aliases: [], severity: "error", source: "hadolint", summary: "COPY not ADD", docs: "", url: "https://github.com/hadolint/hadolint/wiki/DL3020\" onmouseover=\"alert(1)" },
    ],
    inputs: [file, HOSTILE],
  };
  const extras: HtmlExtras = {
    summary: [{ area: `<b>lint`, counts: { error: 2, warning: 1, info: 0, style: 0 }, notes: [XSS] }],
    sources: { [file]: `FROM x\nADD ${XSS} /\n</pre></code><script>alert(2)</script>\n` },
    images: [{ ref: `<svg onload=alert(1)>`, digest: "sha256:<x>", layers: [
      { index: 0, digest: `<b>`, size: 10, createdBy: XSS, added: [{ path: `etc/${XSS}`, size: 5, marks: ["secret"] }] },
    ] }],
    title: `</title>${XSS}`,
  };
  return { report, extras };
}

describe("HTML report: escaping, assets and content", () => {
  test("every string from the input is escaped: one script element, no markup from the input, no javascript: link", () => {
    const { report, extras } = hostileReport();
    const out = renderHtmlReport(report, extras);
    assert.equal(count(out, /<script/gi), 1);
    assert.equal(count(out, /<\/script/gi), 1);
    for (const bad of ["<img", "<svg onload", "<iframe", "<b>", "<i>", "javascript:", 'onmouseover="', "</pre></code><script"]) {
      assert.ok(!out.includes(bad), `output contains ${bad}`);
    }
    assert.ok(out.includes("bad &lt;script&gt;document.body.setAttribute(&#39;data-pwned&#39;,&#39;1&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;"));
    // The DL3020 url carries a quote: not a plain web link, so it is not linked at all.
    assert.ok(!out.includes("hadolint/wiki/DL3020"));
    // The control characters of HOSTILE never reach the page.
    assert.ok(!/[\u0001\u001b]/.test(out));
    assert.equal(escapeHtml(`<a href="x">'&'</a>\u0000`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;\uFFFD");
  });

  test("one file, no external loads: a CSP allowing only the inline style and script by hash, no src or link", () => {
    const out = renderHtmlReport(fixtureReport, { summary: [] });
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(out)?.[1]?.replaceAll("&#39;", "'");
    assert.ok(csp !== undefined);
    const script = /<script>([\s\S]*)<\/script>/.exec(out)?.[1] ?? "";
    const style = /<style>([\s\S]*)<\/style>/.exec(out)?.[1] ?? "";
    const hash = (s: string): string => createHash("sha256").update(s).digest("base64");
    assert.deepEqual(csp.split("; "), [
      "default-src 'none'", `style-src 'sha256-${hash(style)}'`, `script-src 'sha256-${hash(script)}'`,
      "img-src data:", "base-uri 'none'", "form-action 'none'",
    ]);
    assert.ok(out.indexOf("Content-Security-Policy") < out.indexOf("<style>"));
    assert.equal(count(out, /\ssrc=/g), 0);
    assert.equal(count(out, /<link\b/g), 0);
    assert.ok(!/url\(|@import/.test(style));
  });

  test("a code excerpt shows 3 lines around the finding, its line highlighted and its columns marked", () => {
    const source = Array.from({ length: 10 }, (_, i) => `line ${i + 1} <x>`).join("\n");
    const cases: { finding: Finding; lines: number[]; hits: number[]; mark?: string }[] = [
      { finding: textFinding("Dockerfile", 5, 1, 5, 5), lines: [2, 3, 4, 5, 6, 7, 8], hits: [5], mark: "line" },
      { finding: textFinding("Dockerfile", 1, 8, 1, 11), lines: [1, 2, 3, 4], hits: [1], mark: "&lt;x&gt;" },
      { finding: textFinding("Dockerfile", 9, 1, 10, 3), lines: [6, 7, 8, 9, 10], hits: [9, 10] },
      // An end at column 1 of the next line does not cover that line.
      { finding: textFinding("Dockerfile", 3, 1, 4, 1), lines: [1, 2, 3, 4, 5, 6], hits: [3] },
    ];
    for (const c of cases) {
      const out = renderHtmlReport({ ...fixtureReport, findings: [c.finding] }, { summary: [], sources: { Dockerfile: source } });
      const lines = [...out.matchAll(/<span class="line( hit)?" data-line="(\d+)">/g)];
      assert.deepEqual(lines.map((m) => Number(m[2])), c.lines);
      assert.deepEqual(lines.filter((m) => m[1] !== undefined).map((m) => Number(m[2])), c.hits);
      const marks = [...out.matchAll(/<mark>(.*?)<\/mark>/g)].map((m) => m[1]);
      assert.deepEqual(marks, c.mark === undefined ? [] : [c.mark]);
    }
    const noSource = renderHtmlReport({ ...fixtureReport, findings: [textFinding("Other", 1, 1, 1, 2)] }, { summary: [], sources: { Dockerfile: source } });
    assert.ok(!noSource.includes('class="excerpt"'));
  });

  test("registered as the html format: the report alone, summary counted by area, deterministic", () => {
    const out = renderReport("html", fixtureReport, { color: false });
    assert.equal(formats.html.mediaType, "text/html");
    assert.equal(out, renderHtmlReport(fixtureReport, { summary: [] }));
    assert.equal(renderReport("html", fixtureReport, { color: false }), out);
    assert.ok(!out.includes("generated"));
    const areas = fixtureReport.findings.map(defaultFindingArea);
    assert.deepEqual(areas, ["lint", "lint", "lint", "lint", "lint", "images", "images"]);
    const row = (area: string): string | undefined => new RegExp(`<tr data-area="${area}">(.*?)</tr>`).exec(out)?.[1];
    const cells = (html: string | undefined): number[] => [...(html ?? "").matchAll(/<td class="num"[^>]*>(\d+)<\/td>/g)].map((m) => Number(m[1]));
    assert.deepEqual(cells(row("lint")), [1, 3, 0, 1, 5]);
    assert.deepEqual(cells(row("images")), [1, 0, 1, 0, 2]);
    assert.equal(defaultFindingArea(textFinding("deploy/compose.yaml", 1, 1, 1, 2)), "runtime");
    assert.equal(defaultFindingArea(textFinding("web.Dockerfile", 1, 1, 1, 2)), "lint");
    assert.equal(defaultFindingArea(textFinding("Containerfile.prod", 1, 1, 1, 2)), "lint");
  });

  test("sizes in decimal units", () => {
    assert.deepEqual([0, 999, 1000, 1500, 123_456, 2_600_000, 1e12].map(humanSize), ["0 B", "999 B", "1.0 kB", "1.5 kB", "123 kB", "2.6 MB", "1.0 TB"]);
  });
});

/** Parses a PNG's chunks: the size from IHDR and the distinct byte values of the inflated image data. */
function pngFacts(png: Buffer): { width: number; height: number; distinctBytes: number } {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("latin1", offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
    } else if (type === "IDAT") {
      idat.push(data);
    }
    offset += 12 + length;
  }
  return { width, height, distinctBytes: new Set(inflateSync(Buffer.concat(idat))).size };
}

/** The finding rows of a dumped DOM, in document order: severity, rule, and whether the row is hidden. */
function findingRows(dom: string): { severity: string; rule: string; area: string; hidden: boolean }[] {
  return [...dom.matchAll(/<tr class="finding" ([^>]*)>/g)].map((m) => {
    const attrs = m[1] ?? "";
    const attr = (name: string): string => new RegExp(`${name}="([^"]*)"`).exec(attrs)?.[1] ?? "";
    return { severity: attr("data-severity"), rule: attr("data-rule"), area: attr("data-area"), hidden: / hidden=""/.test(` ${attrs}`) };
  });
}

const shownCount = (dom: string): number => Number(/<output id="shown" data-shown="(\d+)"/.exec(dom)?.[1] ?? "-1");

describe("HTML report in headless Chromium", () => {
  const chromium = findChromium();
  const skip = chromium === undefined ? "chromium not found (apt-get install chromium fonts-dejavu-core)" : false;
  let dir = "";
  let page = "";
  let example: ExampleReport;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "drydock-html-test-"));
    example = await buildExampleReport();
    page = join(dir, "report.html");
    writeFileSync(page, renderHtmlReport(example.report, example.extras));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const open = (suffix = "", options: Parameters<typeof runChromium>[2] = {}): string =>
    runChromium(chromium ?? "", `${pathToFileURL(page).href}${suffix}`, options).dom;

  test("the realistic report: the script ran under the CSP, every finding is a row, the counts match", { skip }, () => {
    const { report, extras } = example;
    assert.ok(report.findings.length >= 20, "examples give a realistic number of findings");
    assert.deepEqual(new Set(example.areas.keys()), new Set(["lint", "runtime", "images"]));
    for (const [area, list] of example.areas) assert.ok(list.length > 0, `${area} has findings`);
    const dom = open();
    assert.match(dom, /<html lang="en" data-js="on">/);
    assert.match(dom, /<form id="filters" class="filters">/, "the filter form is shown");
    const rows = findingRows(dom);
    assert.equal(rows.length, report.findings.length);
    assert.ok(rows.every((r) => !r.hidden));
    assert.equal(shownCount(dom), report.findings.length);
    assert.deepEqual(rows.map((r) => r.rule), report.findings.map((f) => f.ruleId));
    for (const severity of ["error", "warning", "info", "style"] as const) {
      const expected = report.findings.filter((f) => f.severity === severity).length;
      assert.match(dom, new RegExp(`<div class="card ${severity}" data-severity="${severity}"><div class="n">${expected}</div>`));
      assert.match(dom, new RegExp(`data-count-severity="${severity}">${expected}<`));
    }
    const vulns = extras.scan?.vulnerabilities ?? [];
    assert.ok(vulns.length > 0);
    assert.match(dom, new RegExp(`<g data-severity="CRITICAL" data-count="${vulns.filter((v) => v.severity === "CRITICAL").length}">`));
    assert.equal(count(dom, /<tr data-severity="(CRITICAL|HIGH|MEDIUM|LOW|NEGLIGIBLE|UNKNOWN)">/g), vulns.length);
    assert.equal(count(dom, /<button type="button" class="sort">/g) > 6, true, "sortable headers got buttons");
    // The deploy key and the setuid binary are marked in the layer that added them.
    assert.match(dom, /<tr class="marked"><td><code class="wrap">\/app\/deploy_key<\/code><\/td><td class="num">[^<]+<\/td><td><span class="mark mark-secret">secret<\/span>/);
    assert.match(dom, /\/usr\/bin\/passwd<\/code><\/td><td class="num">[^<]+<\/td><td><span class="mark mark-setuid">setuid<\/span>/);
    // Code excerpts of the examples, the offending line highlighted.
    const webapp = report.findings.find((f) => f.ruleId === "DL3000");
    assert.ok(webapp?.location.kind === "text");
    assert.match(dom, new RegExp(`<span class="line hit" data-line="${webapp.location.start.line}"><span class="ln">${webapp.location.start.line}</span>WORKDIR <mark>app</mark>`));
  });

  test("filters from the URL fragment and query: severity, area, rule, text; the counts follow", { skip }, () => {
    const { report } = example;
    const errors = report.findings.filter((f) => f.severity === "error");
    let rows = findingRows(open("#severity=error"));
    assert.deepEqual(rows.filter((r) => !r.hidden).map((r) => r.rule), errors.map((f) => f.ruleId));
    assert.ok(errors.length > 0 && errors.length < report.findings.length);

    const dl3020 = report.findings.filter((f) => f.ruleId === "DL3020");
    assert.ok(dl3020.length >= 2);
    let dom = open("?filter=dl3020");
    rows = findingRows(dom);
    assert.equal(rows.filter((r) => !r.hidden).length, dl3020.length);
    assert.ok(rows.filter((r) => !r.hidden).every((r) => r.rule === "DL3020"));
    assert.equal(shownCount(dom), dl3020.length);
    assert.match(dom, new RegExp(`${dl3020.length} of ${report.findings.length} findings shown`));

    // Area and severity together; the severity counts show what the other filters leave (errors too, unchecked).
    const images = example.areas.get("images") ?? [];
    const imageCount = (s: string): number => images.filter((f) => f.severity === s).length;
    assert.ok(imageCount("error") > 0 && imageCount("warning") > 0 && imageCount("info") > 0);
    dom = open("#area=images&severity=warning,info");
    rows = findingRows(dom);
    assert.equal(rows.filter((r) => !r.hidden).length, imageCount("warning") + imageCount("info"));
    assert.ok(rows.filter((r) => !r.hidden).every((r) => r.area === "images" && r.severity !== "error"));
    for (const s of ["error", "warning", "info"]) assert.match(dom, new RegExp(`data-count-severity="${s}">${imageCount(s)}<`));

    // Nothing matches: the empty row says so.
    dom = open("#q=no-such-finding-anywhere");
    assert.equal(shownCount(dom), 0);
    assert.match(dom, /<tr class="empty"><td colspan="6">No finding matches the filters.<\/td><\/tr>/);
  });

  test("sorting from the fragment: least severe first", { skip }, () => {
    const ranks = findingRows(open("#sort=-severity")).map((r) => ["error", "warning", "info", "style"].indexOf(r.severity));
    assert.equal(ranks.length, example.report.findings.length);
    assert.deepEqual(ranks, [...ranks].sort((a, b) => b - a));
    assert.notDeepEqual(ranks, [...ranks].sort((a, b) => a - b));
  });

  test("with JS off the page is a complete static report", { skip }, () => {
    // The page without its script element is what a browser with JS off shows (--dump-dom itself needs JS).
    const static_ = join(dir, "static.html");
    writeFileSync(static_, readFileSync(page, "utf8").replace(/<script>[\s\S]*<\/script>/, ""));
    const dom = runChromium(chromium ?? "", `${pathToFileURL(static_).href}#severity=error`).dom;
    assert.doesNotMatch(dom, /data-js/);
    assert.match(dom, /<form id="filters" class="filters" hidden="">/);
    const rows = findingRows(dom);
    assert.equal(rows.length, example.report.findings.length);
    assert.ok(rows.every((r) => !r.hidden));
    assert.match(dom, /<svg class="chart" id="vulnerability-chart"/);
  });

  test("hostile input stays text in the browser: no injected element, the script did not run twice", { skip }, () => {
    const { report, extras } = hostileReport();
    const hostile = join(dir, "hostile.html");
    writeFileSync(hostile, renderHtmlReport(report, extras));
    const dom = runChromium(chromium ?? "", pathToFileURL(hostile).href).dom;
    assert.match(dom, /data-js="on"/);
    assert.equal(count(dom, /<script\b/g), 1);
    assert.equal(count(dom, /<(img|iframe|svg onload)\b/g), 0);
    assert.doesNotMatch(dom, /data-pwned="1"/);
    assert.match(dom, /bad &lt;script&gt;document\.body\.setAttribute\('data-pwned','1'\)&lt;\/script&gt;/);
  });

  test("a screenshot is a real picture of the page", { skip }, () => {
    const shot = join(dir, "shot.png");
    runChromium(chromium ?? "", pathToFileURL(page).href, { screenshot: shot, width: 1280, height: 900 });
    const png = readFileSync(shot);
    const facts = pngFacts(png);
    assert.equal(facts.width, 1280);
    assert.equal(facts.height, 900);
    assert.ok(png.length > 30_000, `${png.length} bytes`);
    assert.ok(facts.distinctBytes > 100, `${facts.distinctBytes} distinct byte values`);
  });
});
