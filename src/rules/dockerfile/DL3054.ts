import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { typedLabelFindings } from "../../labels/labels.ts";

export const rule = defineRule({
  id: "DL3054",
  aliases: ["hadolint:DL3054"],
  severity: "warning",
  source: "hadolint",
  summary: "Label is not a valid SPDX license expression",
  url: "https://github.com/hadolint/hadolint/wiki/DL3054",
  docs: `
A label typed \`spdx\` must name licenses with SPDX license identifiers, or combine them in an SPDX
license expression (\`Apache-2.0 OR MIT\`, \`GPL-2.0-only WITH Classpath-exception-2.0\`), as the OCI annotation
\`org.opencontainers.image.licenses\` is defined. Identifiers come from the SPDX License List (3.27) and match
in any case; \`LicenseRef-...\` names a license of your own.

hadolint accepts a single identifier only, so it reports valid expressions such as \`Apache-2.0 OR MIT\`
(hadolint issue 992); drydock accepts them.

Only labels the configured label schema (\`label-schema\`) gives the type \`spdx\` are checked. Values are
checked after ARG/ENV expansion; a value built from a variable whose value is unknown when linting is not
judged, and an empty value is DL3051's finding.

\`\`\`yaml
label-schema:
  org.opencontainers.image.licenses: spdx
\`\`\`

\`\`\`dockerfile fires labelSchema=org.opencontainers.image.licenses:spdx
FROM debian:12
LABEL org.opencontainers.image.licenses="Apache License 2.0"
\`\`\`

\`\`\`dockerfile silent labelSchema=org.opencontainers.image.licenses:spdx
FROM debian:12
LABEL org.opencontainers.image.licenses="Apache-2.0 OR MIT"
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    out.push(...typedLabelFindings(ctx, "spdx"));
    return out;
  },
});
