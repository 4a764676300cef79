import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { typedLabelFindings } from "../../labels/labels.ts";

export const rule = defineRule({
  id: "DL3053",
  aliases: ["hadolint:DL3053"],
  severity: "warning",
  source: "hadolint",
  summary: "Label is not a valid RFC 3339 date-time",
  url: "https://github.com/hadolint/hadolint/wiki/DL3053",
  docs: `
A label typed \`rfc3339\` must hold an RFC 3339 date-time: date, \`T\`, time and a time zone
(\`2024-05-01T12:30:00Z\`, \`2024-05-01T14:30:00+02:00\`). The OCI annotation
\`org.opencontainers.image.created\` is defined this way. A bare date is not enough.

Only labels the configured label schema (\`label-schema\`) gives the type \`rfc3339\` are checked. Values are
checked after ARG/ENV expansion; a value built from a variable whose value is unknown when linting is not
judged, and an empty value is DL3051's finding.

\`\`\`yaml
label-schema:
  org.opencontainers.image.created: rfc3339
\`\`\`

\`\`\`dockerfile fires labelSchema=org.opencontainers.image.created:rfc3339
FROM debian:12
LABEL org.opencontainers.image.created="2024-05-01"
\`\`\`

\`\`\`dockerfile silent labelSchema=org.opencontainers.image.created:rfc3339
FROM debian:12
LABEL org.opencontainers.image.created="2024-05-01T12:30:00Z"
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    out.push(...typedLabelFindings(ctx, "rfc3339"));
    return out;
  },
});
