// `drydock rules`: the list, and one rule's documentation.
import { refersToRule } from "../core/pragmas.ts";
import type { RuleInfo } from "../core/finding.ts";

export function renderRuleList(rules: readonly RuleInfo[]): string {
  const width = Math.max(...rules.map((r) => r.id.length));
  const lines = rules.map((r) => `${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.source.padEnd(8)}  ${r.summary}`);
  return `${lines.join("\n")}\n`;
}

/** Markdown docs of the rule with this id or alias; undefined when there is none. */
export function renderRuleDocs(rules: readonly RuleInfo[], ref: string): string | undefined {
  const rule = rules.find((r) => r.id === ref) ?? rules.find((r) => refersToRule(ref, r));
  return rule === undefined ? undefined : ruleMarkdown(rule);
}

/** The page docs/rules/<id>.md holds; generated from the rule's metadata. */
export function ruleMarkdown(rule: RuleInfo): string {
  const lines = [
    `# ${rule.id}: ${rule.summary}`,
    "",
    `- Severity: ${rule.severity}`,
    `- Source: ${rule.source}`,
    ...(rule.aliases.length > 0 ? [`- Also known as: ${rule.aliases.map((a) => `\`${a}\``).join(", ")}`] : []),
    ...(rule.url === undefined ? [] : [`- Upstream: ${rule.url}`]),
    "",
    rule.docs.trim(),
    "",
  ];
  return lines.join("\n");
}
