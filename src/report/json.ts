import type { Finding, InputError, Severity } from "../core/finding.ts";
import { unreachable } from "../core/unreachable.ts";
import type { ReportFormat } from "./format.ts";
import { artifactOf, displayPath, imagePath } from "./location.ts";

// The stable machine-readable contract, documented in docs/json-output.md. Adding an optional field is
// compatible; renaming, removing or retyping one needs a new `version`.

export interface JsonReport {
  version: 1;
  findings: JsonFinding[];
  errors: JsonError[];
}

export interface JsonFinding {
  rule: string;
  aliases: string[];
  severity: Severity;
  message: string;
  /** The input: a Dockerfile path, an image (for findings inside one), or a reference. */
  file: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** Only for findings inside an image: 0-based layer index, the layer's digest, the absolute path inside the image. */
  layer?: number;
  digest?: string;
  path?: string;
  /** Only for findings inside an image: the same place as one object (image as given, layer digest, path). */
  image?: { ref: string; layer: string; path: string };
  /** Only for findings about an image reference. */
  ref?: string;
  source: string;
}

export interface JsonError {
  file: string;
  line?: number;
  column?: number;
  code: string;
  message: string;
}

export const json: ReportFormat = {
  name: "json",
  mediaType: "application/json",
  render(report, options) {
    const out: JsonReport = {
      version: 1,
      findings: report.findings.map((f) => jsonFinding(f, options.cwd)),
      errors: report.errors.map((e) => jsonError(e, options.cwd)),
    };
    return `${JSON.stringify(out, null, 2)}\n`;
  },
};

// Keys are written in this order, so the output reads the same way for every kind of location.
function jsonFinding(f: Finding, cwd: string | undefined): JsonFinding {
  const head = { rule: f.ruleId, aliases: [...f.aliases], severity: f.severity, message: f.message, file: artifactOf(f.location, cwd) };
  const loc = f.location;
  switch (loc.kind) {
    case "text":
      return { ...head, line: loc.start.line, column: loc.start.column, endLine: loc.end.line, endColumn: loc.end.column, source: f.source };
    case "layer":
      return {
        ...head, layer: loc.layer, digest: loc.digest, path: imagePath(loc.path),
        image: { ref: head.file, layer: loc.digest, path: imagePath(loc.path) }, source: f.source,
      };
    case "ref":
      return { ...head, ref: loc.ref, source: f.source };
    default:
      return unreachable(loc);
  }
}

function jsonError(e: InputError, cwd: string | undefined): JsonError {
  return {
    file: displayPath(e.file, cwd),
    ...(e.line === undefined ? {} : { line: e.line }),
    ...(e.column === undefined ? {} : { column: e.column }),
    code: e.code,
    message: e.message,
  };
}
