import { styleText } from "node:util";
import { SEVERITIES, type Finding, type InputError, type Location, type Report, type Severity } from "../core/finding.ts";
import { unreachable } from "../core/unreachable.ts";
import type { ReportFormat, RenderOptions } from "./format.ts";
import { artifactOf, displayPath, imagePath } from "./location.ts";

type Style = Parameters<typeof styleText>[0];

const SEVERITY_STYLE = {
  error: ["red", "bold"],
  warning: "yellow",
  info: "blue",
  style: "gray",
} as const satisfies Record<Severity, Style>;

/**
 * Compiler-like lines, one per finding, then one per input error, then a summary:
 *
 *     Dockerfile:3:1: warning DL3008 Pin versions in apt-get install [hadolint]
 *     app.tar layer 2 (sha256:3f1c2a9b8d7e) /etc/shadow: error DD2001 private key at /etc/shadow [drydock]
 *     docker.io/library/alpine:3.20: info DD3001 ... [drydock]
 *     broken/Dockerfile:2:1: error: unterminated heredoc [DOCKERFILE_SYNTAX]
 *     3 findings (1 error, 1 warning, 1 info) in 3 inputs, 1 input error
 */
export const text: ReportFormat = {
  name: "text",
  mediaType: "text/plain",
  render(report, options) {
    const paint = painter(options.color);
    const lines: string[] = [];
    for (const f of report.findings) lines.push(findingLine(f, options, paint));
    for (const e of report.errors) lines.push(errorLine(e, options, paint));
    lines.push(paint("bold", summaryOf(report, options)));
    return `${lines.join("\n")}\n`;
  },
};

type Paint = (style: Style, s: string) => string;

// validateStream off: whether to colour is the caller's decision (--color, NO_COLOR, a TTY), made in src/cli.
function painter(color: boolean): Paint {
  return color ? (style, s) => styleText(style, s, { validateStream: false }) : (_style, s) => s;
}

function findingLine(f: Finding, options: RenderOptions, paint: Paint): string {
  const where = paint("bold", safe(placeText(f.location, options.cwd)));
  const severity = paint(SEVERITY_STYLE[f.severity], f.severity);
  return `${where}: ${severity} ${safe(f.ruleId)} ${safe(f.message)} ${paint("gray", `[${f.source}]`)}`;
}

function errorLine(e: InputError, options: RenderOptions, paint: Paint): string {
  let where = displayPath(e.file, options.cwd);
  if (e.line !== undefined) where += `:${e.line}${e.column === undefined ? "" : `:${e.column}`}`;
  return `${paint("bold", safe(where))}: ${paint(SEVERITY_STYLE.error, "error")}: ${safe(e.message)} ${paint("gray", `[${safe(e.code)}]`)}`;
}

function placeText(loc: Location, cwd: string | undefined): string {
  switch (loc.kind) {
    case "text":
      return `${artifactOf(loc, cwd)}:${loc.start.line}:${loc.start.column}`;
    case "layer":
      return `${artifactOf(loc, cwd)} layer ${loc.layer} (${shortDigest(loc.digest)}) ${imagePath(loc.path)}`;
    case "ref":
      return loc.ref;
    default:
      return unreachable(loc);
  }
}

// Twelve hex digits, as docker prints image ids: enough to tell layers apart on one line.
function shortDigest(digest: string): string {
  const colon = digest.indexOf(":");
  return colon === -1 ? digest : digest.slice(0, colon + 13);
}

function summaryOf(report: Report, options: RenderOptions): string {
  const parts: string[] = [];
  const n = report.findings.length;
  if (n === 0) {
    parts.push("no findings");
  } else {
    const counts = SEVERITIES.map((s) => [s, report.findings.filter((f) => f.severity === s).length] as const)
      .filter(([, count]) => count > 0)
      .map(([s, count]) => `${count} ${severityNoun(s, count)}`);
    const inputs = new Set(report.findings.map((f) => artifactOf(f.location, options.cwd))).size;
    // Images and references are inputs but not files; say "files" only when that is what they all are.
    const noun = report.findings.every((f) => f.location.kind === "text") ? "file" : "input";
    parts.push(`${plural(n, "finding")} (${counts.join(", ")}) in ${plural(inputs, noun)}`);
  }
  if (report.errors.length > 0) parts.push(plural(report.errors.length, "input error"));
  return parts.join(", ");
}

function severityNoun(s: Severity, count: number): string {
  return s === "error" || s === "warning" ? (count === 1 ? s : `${s}s`) : s; // "2 info", "2 style"
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

// Paths and messages can come from hostile input (file names in image layers). Escapes, other controls and
// bidirectional overrides would rewrite the terminal or reorder what it shows, so they are printed as escapes.
function safe(s: string): string {
  return s.replace(/[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
