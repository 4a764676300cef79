import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { labelEntries } from "../../labels/labels.ts";

export const rule = defineRule({
  id: "DL3050",
  aliases: ["hadolint:DL3050"],
  severity: "info",
  source: "hadolint",
  summary: "Superfluous label present",
  url: "https://github.com/hadolint/hadolint/wiki/DL3050",
  docs: `
With \`strict-labels: true\` the label schema of the configuration (\`label-schema\`) is the complete list of
labels an image may carry: any other label is reported. Without \`strict-labels\` this rule says nothing.

\`\`\`yaml
label-schema:
  org.opencontainers.image.version: semver
strict-labels: true
\`\`\`

Keys are compared after ARG/ENV expansion; a key built from a variable whose value is unknown is not judged.

\`\`\`dockerfile fires labelSchema=org.opencontainers.image.version:semver strictLabels=true
FROM debian:12
LABEL org.opencontainers.image.version="1.2.3" team="payments"
\`\`\`

\`\`\`dockerfile silent labelSchema=org.opencontainers.image.version:semver strictLabels=true
FROM debian:12
LABEL org.opencontainers.image.version="1.2.3"
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    if (!ctx.options.strictLabels) return out;
    for (const entry of labelEntries(ctx)) {
      if (entry.key === undefined || Object.hasOwn(ctx.options.labelSchema, entry.key)) continue;
      out.push(ctx.finding(entry.pair.key.span, `Superfluous label present: \`${entry.key}\` is not in the label schema`));
    }
    return out;
  },
});
