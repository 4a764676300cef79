import { createHash } from "node:crypto";
import type { Severity } from "../core/finding.ts";
import type { ReportFormat } from "./format.ts";
import { displayPath, fingerprintsOf, placeOf } from "./location.ts";

export type GitLabSeverity = "info" | "minor" | "major" | "critical" | "blocker";

/**
 * Our four levels onto GitLab's five, one step apart so the widget's ordering matches ours:
 * error (wrong or unsafe: a leaked key, a build that breaks) → critical; warning (should change) → major;
 * info → minor; style (taste) → info. "blocker" is kept for input errors: nothing in that input was checked.
 */
const SEVERITY = { error: "critical", warning: "major", info: "minor", style: "info" } as const satisfies Record<Severity, GitLabSeverity>;
const INPUT_ERROR_SEVERITY: GitLabSeverity = "blocker";

export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: GitLabSeverity;
  location: { path: string; lines: { begin: number; end?: number } };
}

/**
 * GitLab Code Quality (a subset of the Code Climate issue format): a JSON array, one issue per finding and per
 * input error. lines.begin is required, so findings without a line (inside an image, about a reference) point at
 * line 1 of their place ("image!/path" or the reference). Fingerprints hash rule, place and message, never the
 * line, so an issue keeps its identity when lines above it move.
 */
export const gitlab: ReportFormat = {
  name: "gitlab",
  mediaType: "application/json",
  render(report, options) {
    const fingerprints = fingerprintsOf(report.findings, options.cwd);
    const issues: CodeQualityIssue[] = report.findings.map((f, i) => ({
      description: f.message,
      check_name: f.ruleId,
      fingerprint: fingerprints[i] ?? "",
      severity: SEVERITY[f.severity],
      location: {
        path: placeOf(f.location, options.cwd),
        lines: f.location.kind === "text" ? { begin: f.location.start.line, end: f.location.end.line } : { begin: 1 },
      },
    }));
    report.errors.forEach((e, i) => {
      const path = displayPath(e.file, options.cwd);
      issues.push({
        description: e.message,
        check_name: e.code,
        // The index keeps two identical errors apart; the leading field keeps them apart from findings' fingerprints.
        fingerprint: createHash("sha256").update(["input-error", e.code, path, e.message, String(i)].join("\u0000")).digest("hex"),
        severity: INPUT_ERROR_SEVERITY,
        location: { path, lines: { begin: e.line ?? 1 } },
      });
    });
    return `${JSON.stringify(issues, null, 2)}\n`;
  },
};
