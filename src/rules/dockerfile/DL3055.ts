import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { typedLabelFindings } from "../../labels/labels.ts";

export const rule = defineRule({
  id: "DL3055",
  aliases: ["hadolint:DL3055"],
  severity: "warning",
  source: "hadolint",
  summary: "Label is not a valid git hash",
  url: "https://github.com/hadolint/hadolint/wiki/DL3055",
  docs: `
A label typed \`hash\` must hold a git commit hash: 40 lower-case hexadecimal digits, or the 7-digit
short form.

Only labels the configured label schema (\`label-schema\`) gives the type \`hash\` are checked. Values are
checked after ARG/ENV expansion; a value built from a variable whose value is unknown when linting is not
judged, and an empty value is DL3051's finding.

\`\`\`yaml
label-schema:
  org.opencontainers.image.revision: hash
\`\`\`

\`\`\`dockerfile fires labelSchema=org.opencontainers.image.revision:hash
FROM debian:12
LABEL org.opencontainers.image.revision="v1.2.3"
\`\`\`

\`\`\`dockerfile silent labelSchema=org.opencontainers.image.revision:hash
FROM debian:12
LABEL org.opencontainers.image.revision="4f2c0a91e7b3d5c6a8f9e0b1c2d3e4f5a6b7c8d9"
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    out.push(...typedLabelFindings(ctx, "hash"));
    return out;
  },
});
