import type { Severity } from "../core/finding.ts";
import type { ReportFormat } from "./format.ts";
import { displayPath, groupBy, placeOf } from "./location.ts";
import { xmlAttr } from "./xml.ts";

// Checkstyle has no "style" level; info keeps style findings out of warning gates.
const LEVEL = { error: "error", warning: "warning", info: "info", style: "info" } as const satisfies Record<Severity, string>;

interface Entry {
  file: string;
  line: number | undefined;
  column: number | undefined;
  severity: string;
  message: string;
  source: string;
}

/**
 * Checkstyle XML 4.3: a <file> per place (findings inside an image are named "image!/path"), an <error> per
 * finding and per input error; source is "drydock.<rule id>" or "drydock.<error code>".
 */
export const checkstyle: ReportFormat = {
  name: "checkstyle",
  mediaType: "application/xml",
  render(report, options) {
    const entries: Entry[] = [
      ...report.findings.map((f) => ({
        file: placeOf(f.location, options.cwd),
        line: f.location.kind === "text" ? f.location.start.line : undefined,
        column: f.location.kind === "text" ? f.location.start.column : undefined,
        severity: LEVEL[f.severity],
        message: f.message,
        source: `drydock.${f.ruleId}`,
      })),
      ...report.errors.map((e) => ({
        file: displayPath(e.file, options.cwd),
        line: e.line,
        column: e.line === undefined ? undefined : e.column,
        severity: "error",
        message: e.message,
        source: `drydock.${e.code}`,
      })),
    ];
    const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<checkstyle version="4.3">'];
    for (const [file, inFile] of groupBy(entries, (e) => e.file)) {
      out.push(`  <file name="${xmlAttr(file)}">`);
      for (const e of inFile) {
        const at = (e.line === undefined ? "" : ` line="${e.line}"`) + (e.column === undefined ? "" : ` column="${e.column}"`);
        out.push(`    <error${at} severity="${e.severity}" message="${xmlAttr(e.message)}" source="${xmlAttr(e.source)}"/>`);
      }
      out.push("  </file>");
    }
    out.push("</checkstyle>", "");
    return out.join("\n");
  },
};
