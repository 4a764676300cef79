import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { runInstructions } from "../../dockerfile/query.ts";
import { fileRunsPackageManager } from "../../hardening/package-managers.ts";
import { rpmPinFindings } from "../../shell/packages.ts";

export const rule = defineRule({
  id: "DL3033",
  aliases: ["hadolint:DL3033"],
  severity: "warning",
  source: "hadolint",
  summary: "Specify version with yum install -y <package>-<version>",
  url: "https://github.com/hadolint/hadolint/wiki/DL3033",
  docs: `
\`yum install httpd\` installs the newest build in the repositories at build time. Name the version:
\`httpd-2.4.6\` or the full \`httpd-2.4.6-99.el7.centos.1\`. For \`yum module install\`, name the stream
(\`nodejs:18\`).

As in hadolint, a package is pinned when what follows its first \`-\` looks like a version (only letters,
digits and \`.~^_:+\`, one part starting with a digit); \`.rpm\` files and URLs, \`@group\` names and
\`group install\` are not checked. Variables are expanded from the ARG/ENV in scope.

\`\`\`dockerfile fires
FROM centos:7
RUN yum install -y httpd && yum clean all
\`\`\`

\`\`\`dockerfile silent
FROM centos:7
RUN yum install -y httpd-2.4.6 && yum clean all
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    if (!fileRunsPackageManager(ctx.model, "yum")) return out;
    for (const run of runInstructions(ctx.model)) {
      for (const { word, message } of rpmPinFindings(run, ctx.stages, ["yum"])) out.push(ctx.finding(word.span, message));
    }
    return out;
  },
});
