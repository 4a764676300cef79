// Output formats of `drydock scan`: a table for people, the report as JSON, SARIF 2.1.0 for code scanning.
// Every format takes the report as scanCatalog sorted it (most severe first) and never changes it.
import { createHash } from "node:crypto";
import { isAbsolute, join } from "node:path";
import { pathToFileURL } from "node:url";
import { styleText } from "node:util";
import { displayPath } from "../report/location.ts";
import { VERSION } from "../version.ts";
import { VULN_SEVERITIES, type VulnSeverity } from "../vuln/severity.ts";
import type { IgnoredVulnerability, ScanReport, ScanVulnerability } from "./scan.ts";

export interface ScanRenderOptions {
  color: boolean;
  /** Paths under cwd are shown relative to it (SARIF's %SRCROOT%). */
  cwd?: string;
}

export interface ScanFormat {
  name: string;
  render(report: ScanReport, options: ScanRenderOptions): string;
}

export const scanJson: ScanFormat = {
  name: "json",
  render: (report) => `${JSON.stringify(report, null, 2)}\n`,
};

// ---------------------------------------------------------------------------------------------------------------
// Table

const COLORS = { CRITICAL: ["red", "bold"], HIGH: ["red"], MEDIUM: ["yellow"], LOW: ["blue"], NEGLIGIBLE: ["gray"], UNKNOWN: ["gray"] } as const satisfies Record<VulnSeverity, readonly Parameters<typeof styleText>[0][]>;

export const scanTable: ScanFormat = {
  name: "table",
  render(report, options) {
    const paint = (s: VulnSeverity, text: string): string => (options.color ? styleText([...COLORS[s]], text, { validateStream: false }) : text);
    const lines = [headline(report)];
    if (report.vulnerabilities.length > 0) {
      const header = ["SEVERITY", "ID", "PACKAGE", "INSTALLED", "FIXED", "STATUS", "PATH"];
      const rows = report.vulnerabilities.map((v) => [v.severity, v.id, v.package.name, v.installedVersion, v.fixedVersion ?? "-", v.status, v.location.path === "" ? "-" : `/${v.location.path}`].map(cell));
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
      const format = (cells: readonly string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join("  ");
      lines.push("", format(header));
      for (const [i, row] of rows.entries()) {
        const text = format(row);
        const severity = report.vulnerabilities[i]?.severity ?? "UNKNOWN";
        // Colour only the severity cell, after padding, so columns stay aligned.
        lines.push(options.color ? paint(severity, text.slice(0, severity.length)) + text.slice(severity.length) : text);
      }
    }
    if (report.ignored.length > 0) {
      lines.push("", `Ignored (${report.ignored.length}):`);
      for (const v of report.ignored) lines.push(`  ${cell(v.id)} in ${cell(v.package.name)} ${cell(v.installedVersion)}: ${cell(ignoreReason(v))}`);
    }
    const filtered = [
      report.filtered.severity > 0 ? `${report.filtered.severity} below the --severity selection` : "",
      report.filtered.unfixed > 0 ? `${report.filtered.unfixed} without a fix (--ignore-unfixed)` : "",
    ].filter((s) => s !== "");
    if (filtered.length > 0) lines.push("", `Not shown: ${filtered.join(", ")}.`);
    return `${lines.join("\n")}\n`;
  },
};

function headline(report: ScanReport): string {
  const t = report.target;
  const distro = t.distro === null ? "" : ` (${t.distro.id}${t.distro.versionId === null ? "" : ` ${t.distro.versionId}`})`;
  const n = report.vulnerabilities.length;
  const counts = VULN_SEVERITIES.map((s) => [s, report.vulnerabilities.filter((v) => v.severity === s).length] as const).filter(([, c]) => c > 0);
  const detail = counts.length === 0 ? "" : ` (${counts.map(([s, c]) => `${s}: ${c}`).join(", ")})`;
  return `${cell(t.name)}${cell(distro)}: ${report.packages.length} packages, ${n} ${n === 1 ? "vulnerability" : "vulnerabilities"}${detail}`;
}

export function ignoreReason(v: IgnoredVulnerability): string {
  const by = v.ignoredBy;
  if (by.kind === "config") return `${by.reason} (${by.where}${by.until === null ? "" : `, until ${by.until}`})`;
  const why = by.justification ?? by.impactStatement ?? "";
  return `VEX ${by.status}${why === "" ? "" : `: ${why}`} (${by.file})`;
}

/** Package names and paths come from the image: no control characters reach the terminal. */
function cell(text: string): string {
  return text.replace(/[\u0000-\u001F\u007F-\u009F]/g, "\uFFFD");
}

// ---------------------------------------------------------------------------------------------------------------
// SARIF

const SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const INFORMATION_URI = "https://www.npmjs.com/package/drydock";
const SRCROOT = "%SRCROOT%";
export const SCAN_FINGERPRINT_KEY = "drydock-scan/v1";

type Level = "error" | "warning" | "note";
const LEVEL = { CRITICAL: "error", HIGH: "error", MEDIUM: "warning", LOW: "note", NEGLIGIBLE: "note", UNKNOWN: "note" } as const satisfies Record<VulnSeverity, Level>;
/** GitHub ranks alerts by properties["security-severity"]; without a CVSS score, a score inside the severity's band. */
const BAND_SCORE = { CRITICAL: "9.5", HIGH: "8.0", MEDIUM: "5.5", LOW: "2.0", NEGLIGIBLE: "0.5", UNKNOWN: "0.0" } as const satisfies Record<VulnSeverity, string>;

interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

export interface ScanSarifLog {
  $schema: string;
  version: "2.1.0";
  runs: [{
    tool: { driver: { name: string; version: string; informationUri: string; rules: SarifRule[] } };
    invocations: { executionSuccessful: boolean }[];
    originalUriBaseIds?: Record<string, { uri: string }>;
    results: SarifResult[];
    columnKind: "utf16CodeUnits";
  }];
}

interface SarifRule {
  id: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri: string;
  defaultConfiguration: { level: Level };
  properties: { tags: string[]; "security-severity": string; precision: "very-high" };
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: Level;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: ArtifactLocation }; logicalLocations?: { name: string; fullyQualifiedName: string; kind: string }[] }[];
  partialFingerprints: Record<string, string>;
  properties: Record<string, string | null>;
}

export const scanSarif: ScanFormat = {
  name: "sarif",
  render: (report, options) => `${JSON.stringify(scanSarifLog(report, options.cwd), null, 2)}\n`,
};

export function scanSarifLog(report: ScanReport, cwd: string | undefined): ScanSarifLog {
  const rules: SarifRule[] = [];
  const ruleIndex = new Map<string, number>();
  for (const v of report.vulnerabilities) {
    if (ruleIndex.has(v.id)) continue;
    ruleIndex.set(v.id, rules.length);
    rules.push(ruleOf(v));
  }
  const kind = report.target.kind;
  const results = report.vulnerabilities.map((v): SarifResult => ({
    ruleId: v.id,
    ruleIndex: ruleIndex.get(v.id) ?? 0,
    level: LEVEL[v.severity],
    message: { text: messageOf(v) },
    locations: [locationOf(v, report.target.name, kind, cwd)],
    partialFingerprints: { [SCAN_FINGERPRINT_KEY]: createHash("sha256").update([v.id, v.package.purl, v.location.path].join("\u0000")).digest("hex") },
    properties: {
      purl: v.package.purl,
      installedVersion: v.installedVersion,
      fixedVersion: v.fixedVersion,
      status: v.status,
      severity: v.severity,
      layer: v.location.layer,
    },
  }));
  const useBase = kind !== "image" && cwd !== undefined;
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [{
      tool: { driver: { name: "drydock", version: VERSION, informationUri: INFORMATION_URI, rules } },
      invocations: [{ executionSuccessful: true }],
      ...(useBase ? { originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(cwd) } } } : {}),
      results,
      columnKind: "utf16CodeUnits",
    }],
  };
}

function ruleOf(v: ScanVulnerability): SarifRule {
  const title = v.summary ?? `${v.id} in ${v.package.name}`;
  const aliases = v.aliases.length === 0 ? "" : ` Also known as ${v.aliases.join(", ")}.`;
  const fix = v.fixedVersion === null ? "No fixed version is known." : `Fixed in ${v.package.name} ${v.fixedVersion}.`;
  const text = `${sentence(title)}${aliases} ${fix}`;
  return {
    id: v.id,
    shortDescription: { text: title },
    fullDescription: { text },
    help: { text, markdown: [`**${v.id}** (${v.severity}): ${sentence(title)}`, aliases.trim(), fix].filter((p) => p !== "").join("\n\n") },
    helpUri: advisoryUrl(v.id),
    defaultConfiguration: { level: LEVEL[v.severity] },
    properties: {
      tags: ["security", "vulnerability", v.severity],
      "security-severity": v.cvss?.score === undefined || v.cvss.score === null ? BAND_SCORE[v.severity] : v.cvss.score.toFixed(1),
      precision: "very-high",
    },
  };
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

export function advisoryUrl(id: string): string {
  if (id.startsWith("CVE-")) return `https://nvd.nist.gov/vuln/detail/${encodeURIComponent(id)}`;
  if (id.startsWith("GHSA-")) return `https://github.com/advisories/${encodeURIComponent(id)}`;
  return `https://osv.dev/vulnerability/${encodeURIComponent(id)}`;
}

function messageOf(v: ScanVulnerability): string {
  const what = `${v.package.name} ${v.installedVersion} is affected by ${v.id} (${v.severity})`;
  switch (v.status) {
    case "fixed": return `${what}; fixed in ${v.fixedVersion ?? "a later version"}.`;
    case "wont-fix": return `${what}; the distribution will not fix it.`;
    case "not-affected": return `${what}; the advisory says it is not affected.`;
    case "unfixed": return `${what}; no fixed version yet.`;
  }
}

/**
 * Packages of a directory or rootfs are files in the checkout: located relative to %SRCROOT% (or by file URL).
 * Packages of an SBOM are located at the SBOM file, their recorded path (if any) a logical location. Packages inside
 * an image have only their path: a relative URI without a base, the image as a logical location.
 */
function locationOf(v: ScanVulnerability, target: string, kind: ScanReport["target"]["kind"], cwd: string | undefined): SarifResult["locations"][number] {
  const path = v.location.path;
  if (kind === "directory" || kind === "rootfs") return { physicalLocation: { artifactLocation: fileLocation(join(target, path), cwd) } };
  if (kind === "sbom") {
    const logical = path === "" ? [] : [{ name: `/${path}`, fullyQualifiedName: `${target}!/${path}`, kind: "resource" }];
    return { physicalLocation: { artifactLocation: fileLocation(target, cwd) }, ...(logical.length === 0 ? {} : { logicalLocations: logical }) };
  }
  return {
    physicalLocation: { artifactLocation: { uri: relativeUri(path === "" ? target : path) } },
    logicalLocations: [{ name: `/${path}`, fullyQualifiedName: `${target}!/${path}`, kind: "resource" }],
  };
}

/** A file named as the user named it: under cwd relative to %SRCROOT%, elsewhere by file URL. */
function fileLocation(file: string, cwd: string | undefined): ArtifactLocation {
  const shown = displayPath(isAbsolute(file) || cwd === undefined ? file : join(cwd, file), cwd);
  if (isAbsolute(shown)) return { uri: pathToFileURL(shown).href };
  return { uri: relativeUri(shown), ...(cwd === undefined ? {} : { uriBaseId: SRCROOT }) };
}

function relativeUri(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith("/") ? href : `${href}/`;
}

/** The `--format` choices of `drydock scan`. */
export const scanFormats = { table: scanTable, json: scanJson, sarif: scanSarif } as const satisfies Record<string, ScanFormat>;

export type ScanFormatName = keyof typeof scanFormats;

export function isScanFormatName(name: string): name is ScanFormatName {
  return Object.hasOwn(scanFormats, name);
}
