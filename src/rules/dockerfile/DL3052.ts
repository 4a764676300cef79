import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { typedLabelFindings } from "../../labels/labels.ts";

export const rule = defineRule({
  id: "DL3052",
  aliases: ["hadolint:DL3052"],
  severity: "warning",
  source: "hadolint",
  summary: "Label is not a valid URL",
  url: "https://github.com/hadolint/hadolint/wiki/DL3052",
  docs: `
A label typed \`url\` must hold an absolute URL as RFC 3986 defines it: a scheme, then the rest with no
spaces or other characters that need percent-encoding (\`https://example.com/a%20b\`, not \`example.com/a b\`).

Only labels the configured label schema (\`label-schema\`) gives the type \`url\` are checked. Values are
checked after ARG/ENV expansion; a value built from a variable whose value is unknown when linting is not
judged, and an empty value is DL3051's finding.

\`\`\`yaml
label-schema:
  org.opencontainers.image.source: url
\`\`\`

\`\`\`dockerfile fires labelSchema=org.opencontainers.image.source:url
FROM debian:12
LABEL org.opencontainers.image.source="github.com/example/api"
\`\`\`

\`\`\`dockerfile silent labelSchema=org.opencontainers.image.source:url
FROM debian:12
LABEL org.opencontainers.image.source="https://github.com/example/api"
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    out.push(...typedLabelFindings(ctx, "url"));
    return out;
  },
});
