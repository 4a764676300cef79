import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { typedLabelFindings } from "../../labels/labels.ts";

export const rule = defineRule({
  id: "DL3056",
  aliases: ["hadolint:DL3056"],
  severity: "warning",
  source: "hadolint",
  summary: "Label does not conform to semantic versioning",
  url: "https://github.com/hadolint/hadolint/wiki/DL3056",
  docs: `
A label typed \`semver\` must hold a Semantic Versioning 2.0.0 version: \`MAJOR.MINOR.PATCH\` with
optional \`-prerelease\` and \`+build\` parts, no leading zeros and no \`v\` prefix (\`1.4.0\`, \`2.0.0-rc.1\`).

Only labels the configured label schema (\`label-schema\`) gives the type \`semver\` are checked. Values are
checked after ARG/ENV expansion; a value built from a variable whose value is unknown when linting is not
judged, and an empty value is DL3051's finding.

\`\`\`yaml
label-schema:
  org.opencontainers.image.version: semver
\`\`\`

\`\`\`dockerfile fires labelSchema=org.opencontainers.image.version:semver
FROM debian:12
LABEL org.opencontainers.image.version="v1.4"
\`\`\`

\`\`\`dockerfile silent labelSchema=org.opencontainers.image.version:semver
FROM debian:12
LABEL org.opencontainers.image.version="1.4.0"
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    out.push(...typedLabelFindings(ctx, "semver"));
    return out;
  },
});
