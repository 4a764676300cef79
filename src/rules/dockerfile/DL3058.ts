import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { typedLabelFindings } from "../../labels/labels.ts";

export const rule = defineRule({
  id: "DL3058",
  aliases: ["hadolint:DL3058"],
  severity: "warning",
  source: "hadolint",
  summary: "Label is not a valid email address",
  url: "https://github.com/hadolint/hadolint/wiki/DL3058",
  docs: `
A label typed \`email\` must hold an e-mail address as RFC 5322 defines its form (\`local@domain\`), without
a display name or angle brackets.

Only labels the configured label schema (\`label-schema\`) gives the type \`email\` are checked. Values are
checked after ARG/ENV expansion; a value built from a variable whose value is unknown when linting is not
judged, and an empty value is DL3051's finding.

\`\`\`yaml
label-schema:
  org.example.maintainer-email: email
\`\`\`

\`\`\`dockerfile fires labelSchema=org.example.maintainer-email:email
FROM debian:12
LABEL org.example.maintainer-email="Jane Doe <jane@example.com>"
\`\`\`

\`\`\`dockerfile silent labelSchema=org.example.maintainer-email:email
FROM debian:12
LABEL org.example.maintainer-email="jane@example.com"
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    out.push(...typedLabelFindings(ctx, "email"));
    return out;
  },
});
