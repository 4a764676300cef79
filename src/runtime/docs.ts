// The check reference of docs/runtime.md, generated from the runtime checks' metadata: a table, then each check's
// page (severity, profile, inputs, aliases, its docs with their examples).
import type { RuntimeRule } from "./rule.ts";

export const REFERENCE_MARKER = "<!-- generated: runtime check reference (node scripts/runtime-index.ts); do not edit below -->";

const INPUT_NAMES = { compose: "compose", kubernetes: "Kubernetes", "docker-run": "docker run" } as const;

export function runtimeReference(rules: readonly RuntimeRule[]): string {
  const rows = rules.map((r) => `| [${r.id}](#${r.id.toLowerCase()}) | ${r.severity} | ${r.profile} | ${r.appliesTo.map((k) => INPUT_NAMES[k]).join(", ")} | ${r.summary.replaceAll("|", "\\|")} |`);
  const pages = rules.map((r) => [
    `### ${r.id}`,
    "",
    `**${r.summary}**`,
    "",
    `- Severity: ${r.severity}; profile: ${r.profile}; inputs: ${r.appliesTo.map((k) => INPUT_NAMES[k]).join(", ")}`,
    ...(r.aliases.length > 0 ? [`- Also known as: ${r.aliases.map((a) => `\`${a}\``).join(", ")}`] : []),
    "",
    r.docs.trim(),
    "",
  ].join("\n"));
  return [
    "| check | severity | profile | inputs | summary |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
    ...pages,
  ].join("\n");
}

/** The document with everything after the marker replaced by the reference (the marker appended when missing). */
export function withRuntimeReference(doc: string, rules: readonly RuntimeRule[]): string {
  const at = doc.indexOf(REFERENCE_MARKER);
  const head = at === -1 ? `${doc.trimEnd()}\n\n` : doc.slice(0, at);
  return `${head}${REFERENCE_MARKER}\n\n${runtimeReference(rules)}`;
}
