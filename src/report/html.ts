// The HTML report: one self-contained page (inline CSS and JS, a Content-Security-Policy that forbids every
// other load) with the summary by area, the findings with code excerpts, the images' layers, the packages and
// the vulnerabilities. Every string from the input is escaped; the page reads fully with JS off (static tables)
// and JS adds sorting and filtering (also from the URL: "#severity=error", "?filter=text").
import { createHash } from "node:crypto";
import { basename } from "node:path";
import { countBySeverity, emptyCounts, totalOf, type AreaSummary } from "../check/summary.ts";
import { SEVERITIES, severityRank, type Finding, type InputError, type Location, type Report, type RuleInfo, type Severity } from "../core/finding.ts";
import { unreachable } from "../core/unreachable.ts";
import type { Catalog, CatalogedPackage } from "../sbom/model.ts";
import type { ScanReport, ScanVulnerability } from "../scan/scan.ts";
import { VULN_SEVERITIES, vulnSeverityRank, type VulnSeverity } from "../vuln/severity.ts";
import type { ReportFormat } from "./format.ts";
import { REPORT_CSS, REPORT_JS } from "./html-assets.ts";
import { displayPath, imagePath } from "./location.ts";

export type { AreaSummary } from "../check/summary.ts";

export type FileMark = "secret" | "setuid" | "world-writable";

export interface HtmlAddedFile {
  /** Path inside the image ("usr/bin/passwd" or "/usr/bin/passwd"). */
  path: string;
  size: number;
  marks: readonly FileMark[];
  /** Absent for a regular file. */
  kind?: "symlink" | "hardlink" | "dir";
  /** A link's target, as stored. */
  linkTarget?: string;
}

export interface HtmlLayer {
  index: number;
  digest: string | undefined;
  /** Bytes of the blob as stored. */
  size: number | undefined;
  /** Bytes of the layer's tar once decompressed, when it was read. */
  uncompressedSize?: number;
  /** The history entry's created_by (the build step), when the image records it. */
  createdBy: string | undefined;
  added: readonly HtmlAddedFile[];
  /** Files the layer added or changed that `added` leaves out (the small ones past a cap). */
  omitted?: number;
}

export interface HtmlImage {
  ref: string;
  digest: string | undefined;
  layers: readonly HtmlLayer[];
}

export interface HtmlExtras {
  /** Per area (lint, runtime, scan, images): counts by severity. Empty: counted from the findings by areaOf. */
  summary: readonly AreaSummary[];
  /** File → its text, for code excerpts around each finding (±3 lines). Keys as findings name the files. */
  sources?: Readonly<Record<string, string>>;
  images?: readonly HtmlImage[];
  sbom?: Catalog;
  scan?: ScanReport;
  /** More catalogs (one per image, say), shown after sbom, each with its own table. */
  sboms?: readonly Catalog[];
  /** More scans (the lockfiles', each image's), shown after scan, each with its own table; one chart for all. */
  scans?: readonly ScanReport[];
  title?: string;
  /** Shown in the header when given; without it the page depends on its inputs only (reproducible artefacts). */
  generatedAt?: string;
  /** The area a finding belongs to, for the area filter. Default: defaultFindingArea. */
  areaOf?: (finding: Finding) => string;
  /** Absolute paths under this directory are shown relative to it. */
  cwd?: string;
}

const CONTEXT_LINES = 3;
/** Longer excerpt lines are cut: a minified file must not blow up the page. */
const MAX_EXCERPT_LINE = 400;
/** Per layer, every marked file is listed, and the largest others up to this many. */
const MAX_UNMARKED_FILES = 25;
const FILE_MARKS: readonly FileMark[] = ["secret", "setuid", "world-writable"];

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for element content and double-quoted attributes; control characters become U+FFFD. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, "\uFFFD");
}
const h = escapeHtml;

/** Only web links are followed: a rule's url is data, and "javascript:" must never become a link. */
function safeUrl(url: string | undefined): string | undefined {
  return url !== undefined && /^https?:\/\/[^\s]+$/i.test(url) ? url : undefined;
}

function sha256Base64(s: string): string {
  return createHash("sha256").update(s, "utf8").digest("base64");
}

/** Findings in image layers or about references are the image area; Dockerfiles are lint; other files runtime. */
export function defaultFindingArea(f: Finding): string {
  switch (f.location.kind) {
    case "layer":
    case "ref":
      return "images";
    case "text":
      return /(^|[./_-])(docker|container)file([._-]|$)/i.test(basename(f.location.file)) ? "lint" : "runtime";
    default:
      return unreachable(f.location);
  }
}

export function renderHtmlReport(report: Report, extras: HtmlExtras): string {
  const areaOf = extras.areaOf ?? defaultFindingArea;
  const areas = report.findings.map(areaOf);
  const summary = extras.summary.length > 0 ? extras.summary : summaryFromFindings(report.findings, areas);
  const rules = new Map(report.rules.map((r) => [r.id, r]));
  const title = extras.title ?? "drydock report";
  const sections: { id: string; label: string; html: string }[] = [
    { id: "summary", label: "Summary", html: summarySection(summary, report) },
  ];
  if (report.errors.length > 0) sections.push({ id: "errors", label: `Input errors (${report.errors.length})`, html: errorsSection(report.errors, extras.cwd) });
  sections.push({ id: "findings", label: `Findings (${report.findings.length})`, html: findingsSection(report.findings, areas, rules, extras) });
  if (extras.images !== undefined && extras.images.length > 0) sections.push({ id: "images", label: "Images", html: imagesSection(extras.images) });
  const catalogs = [...(extras.sbom === undefined ? [] : [extras.sbom]), ...(extras.sboms ?? [])];
  const scans = [...(extras.scan === undefined ? [] : [extras.scan]), ...(extras.scans ?? [])];
  if (catalogs.length > 0) sections.push({ id: "packages", label: `Packages (${sum(catalogs.map((c) => c.packages.length))})`, html: packagesSection(catalogs) });
  if (scans.length > 0) sections.push({ id: "vulnerabilities", label: `Vulnerabilities (${sum(scans.map((s) => s.vulnerabilities.length))})`, html: vulnerabilitiesSection(scans) });
  const fired = [...new Set(report.findings.map((f) => f.ruleId))].sort().flatMap((id) => rules.get(id) ?? []);
  if (fired.length > 0) sections.push({ id: "rules", label: "Rules", html: rulesSection(fired) });

  const csp = [
    "default-src 'none'",
    `style-src 'sha256-${sha256Base64(REPORT_CSS)}'`,
    `script-src 'sha256-${sha256Base64(REPORT_JS)}'`,
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  const inputs = report.inputs?.length;
  const meta = [
    `${h(report.tool.name)} ${h(report.tool.version)}`,
    ...(extras.generatedAt === undefined ? [] : [`generated ${h(extras.generatedAt)}`]),
    ...(inputs === undefined ? [] : [`${inputs} input${inputs === 1 ? "" : "s"}`]),
  ].join(" · ");
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${h(csp)}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="${h(report.tool.name)} ${h(report.tool.version)}">`,
    `<title>${h(title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    "</head>",
    "<body>",
    '<header class="top">',
    `<h1>${h(title)}</h1>`,
    `<p class="meta">${meta}</p>`,
    `<nav>${sections.map((s) => `<a href="#${s.id}">${h(s.label)}</a>`).join("")}</nav>`,
    "</header>",
    "<main>",
    ...sections.map((s) => `<section id="${s.id}">\n${s.html}\n</section>`),
    "</main>",
    `<script>${REPORT_JS}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

export const html: ReportFormat = {
  name: "html",
  mediaType: "text/html",
  render(report, options) {
    return renderHtmlReport(report, { summary: [], ...(options.cwd === undefined ? {} : { cwd: options.cwd }) });
  },
};

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Tables after the first of a kind get a suffix: ids stay unique when a report shows several images. */
function tableId(base: string, index: number): string {
  return index === 0 ? base : `${base}-${index + 1}`;
}

function summaryFromFindings(findings: readonly Finding[], areas: readonly string[]): AreaSummary[] {
  const byArea = new Map<string, Finding[]>();
  findings.forEach((f, i) => {
    const area = areas[i] ?? "";
    const list = byArea.get(area);
    if (list === undefined) byArea.set(area, [f]);
    else list.push(f);
  });
  return [...byArea].map(([area, list]) => ({ area, counts: countBySeverity(list) }));
}

// ---- summary -------------------------------------------------------------------------------------------------

function summarySection(summary: readonly AreaSummary[], report: Report): string {
  const total = emptyCounts();
  for (const a of summary) for (const s of SEVERITIES) total[s] += a.counts[s];
  const cards = SEVERITIES.map((s) => `<div class="card ${s}" data-severity="${s}"><div class="n">${total[s]}</div><div>${s}</div></div>`).join("");
  const showTargets = summary.some((a) => a.targets !== undefined);
  const head = `<tr><th>Area</th>${showTargets ? '<th class="num">Targets</th>' : ""}${SEVERITIES.map((s) => `<th class="num">${s}</th>`).join("")}<th class="num">Total</th></tr>`;
  const row = (area: string, counts: Record<Severity, number>, targets: string, cls: string): string =>
    `<tr${cls}><td>${h(area)}</td>${showTargets ? `<td class="num">${targets}</td>` : ""}` +
    `${SEVERITIES.map((s) => `<td class="num" data-severity="${s}">${counts[s]}</td>`).join("")}<td class="num">${totalOf(counts)}</td></tr>`;
  const rows = summary.map((a) => row(a.area, a.counts, a.targets === undefined ? "-" : String(a.targets), ` data-area="${h(a.area)}"`));
  rows.push(row("total", total, "", ' class="total"'));
  const notes = summary.flatMap((a) => (a.notes ?? []).map((n) => `<p class="note"><strong>${h(a.area)}:</strong> ${h(n)}</p>`));
  const clean = cleanInputs(report);
  const cleanList = clean.length === 0 ? "" :
    `<details><summary>${clean.length} input${clean.length === 1 ? "" : "s"} without findings</summary><ul>${clean.map((c) => `<li><code>${h(c)}</code></li>`).join("")}</ul></details>`;
  return [
    "<h2>Summary</h2>",
    `<div class="cards">${cards}</div>`,
    `<table class="summary" id="summary-table"><thead>${head}</thead><tbody>${rows.join("\n")}</tbody></table>`,
    ...notes,
    cleanList,
  ].join("\n");
}

function cleanInputs(report: Report): string[] {
  const withFindings = new Set(report.findings.map((f) => (f.location.kind === "text" ? f.location.file : f.location.kind === "layer" ? f.location.image : f.location.ref)));
  for (const e of report.errors) withFindings.add(e.file);
  return (report.inputs ?? []).filter((i) => !withFindings.has(i));
}

function errorsSection(errors: readonly InputError[], cwd: string | undefined): string {
  const rows = errors.map((e) => {
    const at = [displayPath(e.file, cwd), e.line, e.line === undefined ? undefined : e.column].filter((x) => x !== undefined).join(":");
    return `<tr><td class="loc"><code>${h(at)}</code></td><td><code>${h(e.code)}</code></td><td>${h(e.message)}</td></tr>`;
  });
  return [
    "<h2>Input errors</h2>",
    '<p class="muted">These inputs could not be analysed completely.</p>',
    `<table id="errors-table"><thead><tr><th>Where</th><th>Code</th><th>Message</th></tr></thead><tbody>${rows.join("\n")}</tbody></table>`,
  ].join("\n");
}

// ---- findings ------------------------------------------------------------------------------------------------

function findingsSection(findings: readonly Finding[], areas: readonly string[], rules: ReadonlyMap<string, RuleInfo>, extras: HtmlExtras): string {
  const total = countBySeverity(findings);
  const areaNames = [...new Set(areas)].sort();
  const ruleIds = [...new Set(findings.map((f) => f.ruleId))].sort();
  const filters = [
    '<form id="filters" class="filters" hidden>',
    `<fieldset><legend>Severity</legend>${SEVERITIES.map((s) =>
      `<label><input type="checkbox" name="severity" value="${s}" checked> <span class="sev sev-${s}">${s}</span> <span class="count" data-count-severity="${s}">${total[s]}</span></label>`).join("")}</fieldset>`,
    `<label>Area <select name="area"><option value="">all</option>${areaNames.map((a) => `<option value="${h(a)}">${h(a)}</option>`).join("")}</select></label>`,
    `<label>Rule <select name="rule"><option value="">all</option>${ruleIds.map((r) => `<option value="${h(r)}">${h(r)}</option>`).join("")}</select></label>`,
    '<label>Search <input type="search" name="q" placeholder="message, file, rule"></label>',
    `<output id="shown" data-shown="${findings.length}">${findings.length} of ${findings.length} findings shown</output>`,
    "</form>",
  ].join("\n");
  const head = [
    ["severity", "Severity"], ["area", "Area"], ["rule", "Rule"], ["message", "Message"], ["location", "Location"], ["source", "Source"],
  ].map(([col, label]) => `<th data-col="${col}">${label}</th>`).join("");
  const rows = findings.map((f, i) => findingRow(f, areas[i] ?? "", rules.get(f.ruleId), extras));
  const empty = `<tr class="empty"${findings.length === 0 ? "" : " hidden"}><td colspan="6">${findings.length === 0 ? "No findings." : "No finding matches the filters."}</td></tr>`;
  return [
    "<h2>Findings</h2>",
    filters,
    `<table class="sortable findings" id="findings-table"><thead><tr>${head}</tr></thead><tbody>`,
    ...rows,
    empty,
    "</tbody></table>",
  ].join("\n");
}

function findingRow(f: Finding, area: string, rule: RuleInfo | undefined, extras: HtmlExtras): string {
  const url = safeUrl(rule?.url);
  const ruleTitle = rule === undefined ? "" : ` title="${h(rule.summary)}"`;
  const ruleLink = url !== undefined
    ? `<a href="${h(url)}" rel="noreferrer"${ruleTitle}>${h(f.ruleId)}</a>`
    : rule !== undefined ? `<a href="#${h(ruleAnchor(f.ruleId))}"${ruleTitle}>${h(f.ruleId)}</a>` : h(f.ruleId);
  const place = locationText(f.location, extras.cwd);
  const excerpt = f.location.kind === "text" ? codeExcerpt(f.location, extras, f.severity === "error") : "";
  return [
    `<tr class="finding" data-severity="${f.severity}" data-area="${h(area)}" data-rule="${h(f.ruleId)}">`,
    `<td data-key="${severityRank(f.severity)}"><span class="sev sev-${f.severity}">${f.severity}</span></td>`,
    `<td>${h(area)}</td>`,
    `<td>${ruleLink}</td>`,
    `<td class="msg" data-key="${h(f.message)}"><p class="msg-text">${h(f.message)}</p>${excerpt}</td>`,
    `<td class="loc" data-key="${h(place.key)}"><code class="wrap">${h(place.text)}</code></td>`,
    `<td>${h(f.source)}</td>`,
    "</tr>",
  ].join("");
}

function ruleAnchor(id: string): string {
  return `rule-${id}`;
}

/** The place as shown, and a key that sorts file, line and column naturally. */
function locationText(loc: Location, cwd: string | undefined): { text: string; key: string } {
  switch (loc.kind) {
    case "text": {
      const file = displayPath(loc.file, cwd);
      return { text: `${file}:${loc.start.line}:${loc.start.column}`, key: `${file} ${pad(loc.start.line)} ${pad(loc.start.column)}` };
    }
    case "layer": {
      const image = displayPath(loc.image, cwd);
      return { text: `${image}!${imagePath(loc.path)} (layer ${loc.layer})`, key: `${image} ${pad(loc.layer)} ${imagePath(loc.path)}` };
    }
    case "ref":
      return { text: loc.ref, key: loc.ref };
    default:
      return unreachable(loc);
  }
}

function pad(n: number): string {
  return String(n).padStart(9, "0");
}

/** The lines around a finding, its own lines highlighted and (on one line) its columns marked. */
function codeExcerpt(loc: Extract<Location, { kind: "text" }>, extras: HtmlExtras, open: boolean): string {
  const source = extras.sources?.[loc.file] ?? extras.sources?.[displayPath(loc.file, extras.cwd)];
  if (source === undefined) return "";
  const lines = source.split(/\r\n|\n|\r/);
  const startLine = Math.max(1, loc.start.line);
  const endLine = Math.max(startLine, loc.end.column === 1 && loc.end.line > loc.start.line ? loc.end.line - 1 : loc.end.line);
  if (startLine > lines.length) return "";
  const first = Math.max(1, startLine - CONTEXT_LINES);
  const last = Math.min(lines.length, endLine + CONTEXT_LINES);
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const line = lines[n - 1] ?? "";
    const hit = n >= startLine && n <= endLine;
    const oneLine = startLine === endLine && loc.end.line === loc.start.line && n === startLine && loc.end.column > loc.start.column;
    const body = oneLine ? markColumns(line, loc.start.column, loc.end.column) : h(cut(line));
    out.push(`<span class="line${hit ? " hit" : ""}" data-line="${n}"><span class="ln">${n}</span>${body}</span>`);
  }
  const range = first === last ? `line ${first}` : `lines ${first}–${last}`;
  // Errors are what a reader looks at first: their excerpts start open.
  return `<details class="excerpt"${open ? " open" : ""}><summary>${h(basename(loc.file))}, ${range}</summary><pre class="excerpt"><code>${out.join("")}</code></pre></details>`;
}

function markColumns(line: string, startColumn: number, endColumn: number): string {
  const start = Math.min(line.length, startColumn - 1);
  const end = Math.min(line.length, endColumn - 1);
  if (end <= start || start >= MAX_EXCERPT_LINE) return h(cut(line));
  return `${h(line.slice(0, start))}<mark>${h(cut(line.slice(start, end)))}</mark>${h(cut(line.slice(end), MAX_EXCERPT_LINE - end))}`;
}

function cut(s: string, max = MAX_EXCERPT_LINE): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(0, max))}…`;
}

// ---- images --------------------------------------------------------------------------------------------------

function imagesSection(images: readonly HtmlImage[]): string {
  return ["<h2>Images</h2>", ...images.map(imageBlock)].join("\n");
}

function imageBlock(image: HtmlImage, index: number): string {
  const sizes = image.layers.map((l) => l.size);
  const known = sizes.filter((s): s is number => s !== undefined);
  const total = known.reduce((a, b) => a + b, 0);
  const largest = Math.max(1, ...known);
  const marked = image.layers.flatMap((l) => l.added.filter((a) => a.marks.length > 0));
  const markCounts = FILE_MARKS.map((m) => [m, marked.filter((a) => a.marks.includes(m)).length] as const).filter(([, n]) => n > 0);
  const meta = [
    image.digest === undefined ? undefined : `<code class="wrap">${h(image.digest)}</code>`,
    `${image.layers.length} layer${image.layers.length === 1 ? "" : "s"}`,
    known.length === 0 ? undefined : `${humanSize(total)}${known.length < sizes.length ? " (some sizes unknown)" : ""}`,
    ...markCounts.map(([m, n]) => `<span class="mark mark-${m}">${n} ${m}</span>`),
  ].filter((x) => x !== undefined).join(" · ");
  const rows = image.layers.map((layer) => {
    const bar = layer.size === undefined ? "" : sizeBar(layer.size / largest);
    return [
      `<tr data-layer="${layer.index}">`,
      `<td class="num">${layer.index}</td>`,
      `<td>${layer.digest === undefined ? '<span class="muted">–</span>' : `<code title="${h(layer.digest)}">${h(shortDigest(layer.digest))}</code>`}</td>`,
      `<td class="num" data-key="${layer.size ?? -1}">${layer.size === undefined ? "?" : humanSize(layer.size)} ${bar}${unpacked(layer)}</td>`,
      `<td>${layer.createdBy === undefined ? "" : `<code class="wrap">${h(cut(layer.createdBy, 300))}</code>`}</td>`,
      `<td data-key="${layer.added.length + (layer.omitted ?? 0)}">${addedFiles(layer)}</td>`,
      "</tr>",
    ].join("");
  });
  return [
    `<article class="image" id="image-${index}">`,
    `<h3><code class="wrap">${h(image.ref)}</code></h3>`,
    `<p class="muted">${meta}</p>`,
    `<table class="sortable layers"><thead><tr><th class="num">#</th><th>Digest</th><th class="num">Size</th><th>Created by</th><th>Added</th></tr></thead><tbody>`,
    ...rows,
    "</tbody></table>",
    "</article>",
  ].join("\n");
}

function unpacked(layer: HtmlLayer): string {
  const u = layer.uncompressedSize;
  return u === undefined || u === layer.size ? "" : `<br><span class="muted">${humanSize(u)} unpacked</span>`;
}

function addedFiles(layer: HtmlLayer): string {
  const omitted = layer.omitted ?? 0;
  if (layer.added.length === 0 && omitted === 0) return '<span class="muted">nothing</span>';
  const marked = layer.added.filter((a) => a.marks.length > 0);
  const others = layer.added.filter((a) => a.marks.length === 0).sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : 1));
  const listed = [...marked, ...others.slice(0, MAX_UNMARKED_FILES)];
  const rest = others.length - Math.min(others.length, MAX_UNMARKED_FILES) + omitted;
  const badges = FILE_MARKS.map((m) => [m, marked.filter((a) => a.marks.includes(m)).length] as const)
    .filter(([, n]) => n > 0).map(([m, n]) => `<span class="mark mark-${m}">${n} ${m}</span>`).join("");
  const rows = listed.map((a) =>
    `<tr${a.marks.length > 0 ? ' class="marked"' : ""}><td><code class="wrap">${h(addedName(a))}</code></td><td class="num">${a.kind === undefined ? humanSize(a.size) : ""}</td>` +
    `<td>${a.marks.map((m) => `<span class="mark mark-${m}">${m}</span>`).join("")}</td></tr>`);
  const more = rest > 0 ? `<tr class="more"><td colspan="3" class="muted">and ${rest} smaller file${rest === 1 ? "" : "s"}</td></tr>` : "";
  const total = layer.added.length + omitted;
  // A layer with a secret or a setuid file opens by itself: that is the line a reader must not miss.
  return `<details${marked.length > 0 ? " open" : ""}><summary>${total} file${total === 1 ? "" : "s"}</summary>` +
    `<table class="files"><tbody>${rows.join("")}${more}</tbody></table></details>${badges}`;
}

/** "/usr/bin/sh -> dash", "/app/uploads/": a link shows its target, a directory its slash. */
function addedName(a: HtmlAddedFile): string {
  const path = imagePath(a.path);
  if (a.kind === "dir") return path.endsWith("/") ? path : `${path}/`;
  if (a.linkTarget !== undefined) return `${path} ${a.kind === "hardlink" ? "=>" : "->"} ${a.linkTarget}`;
  return path;
}

function sizeBar(fraction: number): string {
  const width = Math.max(1, Math.round(Math.min(1, fraction) * 80));
  return `<svg class="bar" width="80" height="8" viewBox="0 0 80 8" aria-hidden="true"><rect class="full" width="80" height="8" rx="2"/><rect class="part" width="${width}" height="8" rx="2"/></svg>`;
}

function shortDigest(digest: string): string {
  const colon = digest.indexOf(":");
  return colon >= 0 && digest.length > colon + 13 ? `${digest.slice(0, colon + 13)}…` : digest;
}

/** Decimal units, as registries and docker report image sizes. */
export function humanSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

// ---- packages ------------------------------------------------------------------------------------------------

function packagesSection(catalogs: readonly Catalog[]): string {
  const several = catalogs.length > 1;
  return ["<h2>Packages</h2>", ...catalogs.map((c, i) => packagesBlock(c, tableId("packages-table", i), several))].join("\n");
}

/** One catalog: its target, notes and table (under a heading of its own when the report has several). */
function packagesBlock(catalog: Catalog, id: string, heading: boolean): string {
  const types = new Map<string, number>();
  for (const p of catalog.packages) types.set(p.type, (types.get(p.type) ?? 0) + 1);
  const meta = [
    `<code class="wrap">${h(catalog.target)}</code> (${h(catalog.kind)})`,
    catalog.distro === undefined ? undefined : h(catalog.distro.prettyName ?? `${catalog.distro.id} ${catalog.distro.versionId ?? ""}`.trim()),
    [...types].sort(([a], [b]) => (a < b ? -1 : 1)).map(([t, n]) => `${n} ${h(t)}`).join(", "),
  ].filter((x) => x !== undefined && x !== "").join(" · ");
  const rows = catalog.packages.map(packageRow);
  const empty = catalog.packages.length === 0 ? '<tr class="empty"><td colspan="6">No packages found.</td></tr>' : "";
  return [
    ...(heading ? [`<h3><code class="wrap">${h(catalog.target)}</code></h3>`] : []),
    `<p class="muted">${meta}</p>`,
    ...catalog.notes.map((n) => `<p class="note">${h(n)}</p>`),
    `<p class="filters"><label>Search <input type="search" data-filter-for="${id}" placeholder="name, licence, path" hidden></label> <output data-count-for="${id}" hidden></output></p>`,
    `<table class="sortable" id="${id}"><thead><tr><th>Name</th><th>Version</th><th>Type</th><th>Licences</th><th>Found in</th><th>purl</th></tr></thead><tbody>`,
    ...rows,
    empty,
    "</tbody></table>",
  ].join("\n");
}

function packageRow(p: CatalogedPackage): string {
  const name = p.namespace !== undefined && p.type !== "deb" && p.type !== "apk" && p.type !== "rpm" && !p.name.includes(p.namespace) ? `${p.namespace}/${p.name}` : p.name;
  const where = p.locations.map((l) => `${imagePath(l.path)}${l.inner === undefined ? "" : `!${l.inner}`}${l.layerIndex === undefined ? "" : ` (layer ${l.layerIndex})`}`);
  return `<tr><td>${h(name)}</td><td><code>${h(p.version)}</code></td><td>${h(p.type)}</td><td>${h(p.licenses.join(", "))}</td>` +
    `<td><code class="wrap">${h(where.join("\n"))}</code></td><td><code class="wrap">${h(p.purl)}</code></td></tr>`;
}

// ---- vulnerabilities -----------------------------------------------------------------------------------------

function vulnerabilitiesSection(scans: readonly ScanReport[]): string {
  const counts = new Map<VulnSeverity, number>(VULN_SEVERITIES.map((s) => [s, 0]));
  for (const scan of scans) for (const v of scan.vulnerabilities) counts.set(v.severity, (counts.get(v.severity) ?? 0) + 1);
  const [only] = scans;
  // One scan: its facts, then the chart. Several: one chart over all of them, then each scan's table.
  if (only !== undefined && scans.length === 1) return ["<h2>Vulnerabilities</h2>", ...vulnerabilitiesBlock(only, "vulnerabilities-table", false, vulnerabilityChart(counts))].join("\n");
  return ["<h2>Vulnerabilities</h2>", vulnerabilityChart(counts), ...scans.flatMap((s, i) => vulnerabilitiesBlock(s, tableId("vulnerabilities-table", i), true, ""))].join("\n");
}

function vulnerabilitiesBlock(scan: ScanReport, id: string, heading: boolean, chart: string): string[] {
  const notes = [
    ...scan.db.stale.map((s) => `the ${s} data is older than ${scan.db.maxAgeDays} days: update the database (drydock db update)`),
    ...scan.notes,
  ];
  const left = [
    scan.ignored.length > 0 ? `${scan.ignored.length} ignored (config or VEX)` : undefined,
    scan.filtered.severity > 0 ? `${scan.filtered.severity} below the severity gate` : undefined,
    scan.filtered.unfixed > 0 ? `${scan.filtered.unfixed} without a fix left out` : undefined,
  ].filter((x) => x !== undefined);
  const rows = scan.vulnerabilities.map(vulnerabilityRow);
  const empty = rows.length === 0 ? '<tr class="empty"><td colspan="7">No known vulnerabilities.</td></tr>' : "";
  return [
    ...(heading ? [`<h3><code class="wrap">${h(scan.target.name)}</code></h3>`] : []),
    `<p class="muted"><code class="wrap">${h(scan.target.name)}</code> · ${scan.packages.length} packages · ${scan.vulnerabilities.length} vulnerabilities${left.length === 0 ? "" : ` · ${h(left.join(", "))}`}</p>`,
    ...notes.map((n) => `<p class="note">${h(n)}</p>`),
    ...(chart === "" ? [] : [chart]),
    `<p class="filters"><label>Search <input type="search" data-filter-for="${id}" placeholder="id, package" hidden></label> <output data-count-for="${id}" hidden></output></p>`,
    `<table class="sortable" id="${id}"><thead><tr><th>ID</th><th>Severity</th><th>Package</th><th>Installed</th><th>Fixed in</th><th class="num">CVSS</th><th>Summary</th></tr></thead><tbody>`,
    ...rows,
    empty,
    "</tbody></table>",
  ];
}

/** Horizontal bars, one per severity, drawn as inline SVG (no library, no script needed). */
function vulnerabilityChart(counts: ReadonlyMap<VulnSeverity, number>): string {
  const max = Math.max(1, ...counts.values());
  const barHeight = 20;
  const gap = 8;
  const labelWidth = 100;
  const barSpace = 360;
  const width = labelWidth + barSpace + 50;
  const height = VULN_SEVERITIES.length * (barHeight + gap);
  const bars = VULN_SEVERITIES.map((s, i) => {
    const n = counts.get(s) ?? 0;
    const y = i * (barHeight + gap);
    const w = n === 0 ? 0 : Math.max(2, Math.round((n / max) * barSpace));
    return `<g data-severity="${s}" data-count="${n}"><text x="0" y="${y + 14}">${s}</text>` +
      `<rect class="vs-${s.toLowerCase()}" x="${labelWidth}" y="${y}" width="${w}" height="${barHeight}" rx="3"/>` +
      `<text x="${labelWidth + w + 6}" y="${y + 14}">${n}</text></g>`;
  });
  return `<svg class="chart" id="vulnerability-chart" role="img" aria-label="Vulnerabilities by severity" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<title>Vulnerabilities by severity</title><line class="axis" x1="${labelWidth - 1}" y1="0" x2="${labelWidth - 1}" y2="${height}"/>${bars.join("")}</svg>`;
}

function vulnerabilityRow(v: ScanVulnerability): string {
  const link = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/.test(v.id) ? `<a href="https://osv.dev/vulnerability/${h(encodeURIComponent(v.id))}" rel="noreferrer">${h(v.id)}</a>` : h(v.id);
  const score = v.cvss?.score ?? null;
  const aliases = v.aliases.length === 0 ? "" : `<br><span class="muted">${h(v.aliases.join(", "))}</span>`;
  return [
    `<tr data-severity="${h(v.severity)}">`,
    `<td>${link}${aliases}</td>`,
    `<td data-key="${vulnSeverityRank(v.severity)}"><span class="vs vs-${v.severity.toLowerCase()}">${h(v.severity)}</span></td>`,
    `<td>${h(v.package.name)}</td>`,
    `<td><code>${h(v.installedVersion)}</code></td>`,
    `<td>${v.fixedVersion === null ? `<span class="muted">${h(v.status)}</span>` : `<code>${h(v.fixedVersion)}</code>`}</td>`,
    `<td class="num" data-key="${score ?? -1}">${score === null ? "" : score.toFixed(1)}</td>`,
    `<td>${h(v.summary ?? "")}</td>`,
    "</tr>",
  ].join("");
}

// ---- rules ---------------------------------------------------------------------------------------------------

function rulesSection(rules: readonly RuleInfo[]): string {
  const items = rules.map((r) => {
    const url = safeUrl(r.url);
    const docs = r.docs.trim();
    return [
      `<dt id="${h(ruleAnchor(r.id))}"><code>${h(r.id)}</code> <span class="sev sev-${r.severity}">${r.severity}</span> <span class="muted">${h(r.source)}</span></dt>`,
      `<dd><p>${h(r.summary)}${url === undefined ? "" : ` — <a href="${h(url)}" rel="noreferrer">documentation</a>`}</p>`,
      docs === "" ? "" : `<details><summary>details</summary><pre class="docs">${h(docs)}</pre></details>`,
      "</dd>",
    ].join("");
  });
  return ["<h2>Rules that reported findings</h2>", `<dl class="rules">${items.join("\n")}</dl>`].join("\n");
}
