import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { labelEntries, schemaLabels } from "../../labels/labels.ts";

export const rule = defineRule({
  id: "DL3051",
  aliases: ["hadolint:DL3051"],
  severity: "warning",
  source: "hadolint",
  summary: "Label is empty",
  url: "https://github.com/hadolint/hadolint/wiki/DL3051",
  docs: `
A label of the configured label schema (\`label-schema\`) that is set to an empty value carries no
information, and tools that read it get nothing. Values are checked after ARG/ENV expansion; a value built
from a variable whose value is unknown when linting is not judged.

\`\`\`yaml
label-schema:
  org.opencontainers.image.version: text
\`\`\`

\`\`\`dockerfile fires labelSchema=org.opencontainers.image.version:text
FROM debian:12
LABEL org.opencontainers.image.version=""
\`\`\`

\`\`\`dockerfile silent labelSchema=org.opencontainers.image.version:text
FROM debian:12
LABEL org.opencontainers.image.version="1.4.0"
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    const names = new Set(schemaLabels(ctx));
    if (names.size === 0) return out;
    for (const entry of labelEntries(ctx)) {
      if (entry.key !== undefined && names.has(entry.key) && entry.value === "") {
        out.push(ctx.finding(entry.pair.key.span, `Label \`${entry.key}\` is empty`));
      }
    }
    return out;
  },
});
