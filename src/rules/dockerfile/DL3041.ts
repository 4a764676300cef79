import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { runInstructions } from "../../dockerfile/query.ts";
import { fileRunsPackageManager } from "../../hardening/package-managers.ts";
import { rpmPinFindings } from "../../shell/packages.ts";

export const rule = defineRule({
  id: "DL3041",
  aliases: ["hadolint:DL3041"],
  severity: "warning",
  source: "hadolint",
  summary: "Specify version with dnf install -y <package>-<version>",
  url: "https://github.com/hadolint/hadolint/wiki/DL3041",
  docs: `
\`dnf install nginx\` installs the newest build in the repositories at build time. Name the version:
\`nginx-1.26.1\` or the full \`nginx-1:1.26.1-1.fc40\`. For \`dnf module install\`, name the stream
(\`nodejs:20\`). \`dnf\`, \`dnf5\` and \`microdnf\` are checked.

As in hadolint, a package is pinned when what follows its first \`-\` looks like a version (only letters,
digits and \`.~^_:+\`, one part starting with a digit); \`.rpm\` files and URLs, \`@group\` names and
\`group install\` are not checked. Variables are expanded from the ARG/ENV in scope.

\`\`\`dockerfile fires
FROM fedora:40
RUN dnf install -y nginx && dnf clean all
\`\`\`

\`\`\`dockerfile silent
FROM fedora:40
ARG NGINX_VERSION=1.26.1
RUN dnf install -y nginx-\${NGINX_VERSION} && dnf module install -y nodejs:20 && dnf clean all
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    if (!fileRunsPackageManager(ctx.model, ["dnf", "microdnf"])) return out;
    for (const run of runInstructions(ctx.model)) {
      for (const { word, message } of rpmPinFindings(run, ctx.stages, ["dnf", "microdnf"])) out.push(ctx.finding(word.span, message));
    }
    return out;
  },
});
