import { defineRule } from "../../core/rule.ts";
import { fileRunsPackageManager } from "../../hardening/package-managers.ts";
import { addOptionAfter, RPM_PROMPTING, unconfirmedActions } from "../../shell/packages.ts";

export const rule = defineRule({
  id: "DL3030",
  aliases: ["hadolint:DL3030"],
  severity: "warning",
  source: "hadolint",
  summary: "Use the -y switch to avoid manual input with yum",
  url: "https://github.com/hadolint/hadolint/wiki/DL3030",
  docs: `
Without \`-y\` (\`--assumeyes\`), \`yum install\` asks "Is this ok [y/N]" and, with no one to answer in a build,
takes the default: no. The step fails, or worse, succeeds without installing anything when run with
\`|| true\`. Pass \`-y\`.

Besides \`install\`, \`groupinstall\` and \`localinstall\`, the other subcommands that prompt are checked too
(\`remove\`, \`update\`, \`reinstall\`, \`group install\`, \`module install\`...). The fix inserts \` -y\` after the
subcommand.

\`\`\`dockerfile fires
FROM centos:7
RUN yum install httpd-2.4.6 && yum clean all
\`\`\`

\`\`\`dockerfile silent
FROM centos:7
RUN yum install -y httpd-2.4.6 && yum clean all
\`\`\`
`,
  fix: (finding, model) => addOptionAfter(model, finding, "-y"),
  check(ctx) {
    if (!fileRunsPackageManager(ctx.model, "yum")) return [];
    return unconfirmedActions(ctx.model, "yum", RPM_PROMPTING).map((action) =>
      ctx.finding(action.word.span, `yum ${action.name} stops at an "Is this ok [y/N]" prompt that the build answers with no: add -y`));
  },
});
