import type { Report } from "../core/finding.ts";

export interface RenderOptions {
  /** Colour the output (ANSI escapes); only the text format uses it. */
  color: boolean;
  /** Absolute paths under this directory are written relative to it (reports usually live in a repository). */
  cwd?: string;
}

/** One output format: pure, from a finished report to the exact text to write. */
export interface ReportFormat {
  name: string;
  mediaType: string;
  render(report: Report, options: RenderOptions): string;
}
