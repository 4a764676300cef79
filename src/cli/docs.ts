// Rule documentation pages, generated from the rules' metadata (docs/rules/<id>.md and its index).
import type { RuleInfo } from "../core/finding.ts";
import { ruleMarkdown } from "./rules.ts";

export function ruleDocPages(rules: readonly RuleInfo[]): Map<string, string> {
  const pages = new Map<string, string>();
  for (const r of rules) pages.set(`${r.id}.md`, ruleMarkdown(r));
  const rows = rules.map((r) => `| [${r.id}](${r.id}.md) | ${r.severity} | ${r.source} | ${r.summary.replaceAll("|", "\\|")} |`);
  pages.set("README.md", [
    "# Dockerfile rules",
    "",
    "Generated from the rules' metadata by `npm run docs`; do not edit by hand.",
    "",
    "| rule | severity | source | summary |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n"));
  return pages;
}
