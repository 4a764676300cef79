import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { labelEntries } from "../../labels/labels.ts";
import { labelKeyProblem } from "../../labels/validators.ts";

export const rule = defineRule({
  id: "DL3048",
  aliases: ["hadolint:DL3048"],
  severity: "style",
  source: "hadolint",
  summary: "Invalid label key",
  url: "https://github.com/hadolint/hadolint/wiki/DL3048",
  docs: `
Docker's guideline for label keys: lower-case letters, digits, \`.\`, \`-\`, \`_\` and \`/\`, starting with a
letter and ending with a letter or digit, no \`..\` or \`--\`, and never in the namespaces Docker reserves
(\`com.docker.\`, \`io.docker.\`, \`org.dockerproject.\`). Tools that read labels (registries, orchestrators,
the OCI annotations) expect reverse-DNS keys such as \`org.opencontainers.image.source\`.

Keys are checked after ARG/ENV expansion; a key built from a variable whose value is unknown is not judged.
ONBUILD LABEL is checked too: that label lands in every image built from this one.

\`\`\`dockerfile fires
FROM debian:12
LABEL Maintainer="jane@example.com"
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
LABEL org.opencontainers.image.authors="jane@example.com"
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const entry of labelEntries(ctx)) {
      if (entry.key === undefined) continue;
      const problem = labelKeyProblem(entry.key);
      if (problem !== undefined) out.push(ctx.finding(entry.pair.key.span, `Invalid label key ${JSON.stringify(entry.key)}: ${problem}`));
    }
    return out;
  },
});
