// Per-area counts for `drydock check`: the summary table in text output and the HTML report's header.

import { SEVERITIES } from "../core/finding.ts";
import type { Finding, Severity } from "../core/finding.ts";

/** The analyses `drydock check` runs, in the order the summary lists them. */
export const CHECK_AREAS = ["lint", "runtime", "scan", "images"] as const;

export type CheckArea = (typeof CHECK_AREAS)[number];

export interface AreaSummary {
  /** One of CHECK_AREAS for check's own areas; a string so other producers can add areas. */
  area: string;
  counts: Record<Severity, number>;
  /** How many targets (files, lockfiles, images) the area analysed, when known. */
  targets?: number;
  /** Why the area is incomplete or skipped, e.g. "no vulnerability database: run drydock db update". */
  notes?: readonly string[];
}

export function emptyCounts(): Record<Severity, number> {
  return { error: 0, warning: 0, info: 0, style: 0 };
}

export function countBySeverity(findings: Iterable<Pick<Finding, "severity">>): Record<Severity, number> {
  const counts = emptyCounts();
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

export function totalOf(counts: Record<Severity, number>): number {
  return SEVERITIES.reduce((sum, s) => sum + counts[s], 0);
}

/** A fixed-width table for terminals: one row per area, a total row, then each area's notes. */
export function renderSummaryTable(summary: readonly AreaSummary[]): string {
  const header = ["area", "targets", ...SEVERITIES, "total"];
  const total = emptyCounts();
  const rows = summary.map((a) => {
    for (const s of SEVERITIES) total[s] += a.counts[s];
    return [a.area, a.targets === undefined ? "-" : String(a.targets), ...SEVERITIES.map((s) => String(a.counts[s])), String(totalOf(a.counts))];
  });
  rows.push(["total", "", ...SEVERITIES.map((s) => String(total[s])), String(totalOf(total))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ").trimEnd();
  const out = [line(header), ...rows.map(line)];
  for (const a of summary) for (const note of a.notes ?? []) out.push(`note (${a.area}): ${note}`);
  return `${out.join("\n")}\n`;
}
