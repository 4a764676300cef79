import type { Report } from "../core/finding.ts";
import { checkstyle } from "./checkstyle.ts";
import type { RenderOptions, ReportFormat } from "./format.ts";
import { gitlab } from "./gitlab.ts";
import { html } from "./html.ts";
import { json } from "./json.ts";
import { junit } from "./junit.ts";
import { sarif } from "./sarif.ts";
import { text } from "./text.ts";

export type { RenderOptions, ReportFormat } from "./format.ts";

/** Every output format by name; `--format` choices are its keys. */
export const formats = { text, json, sarif, checkstyle, junit, gitlab, html } satisfies Record<string, ReportFormat>;

export type FormatName = keyof typeof formats;

export function isFormatName(name: string): name is FormatName {
  return Object.hasOwn(formats, name);
}

export function renderReport(name: FormatName, report: Report, options: RenderOptions): string {
  return formats[name].render(report, options);
}
