import { defineRule } from "../../core/rule.ts";
import { fileRunsPackageManager } from "../../hardening/package-managers.ts";
import { addOptionAfter, RPM_PROMPTING, unconfirmedActions } from "../../shell/packages.ts";

// dnf's short aliases of the subcommands yum prompts for.
const DNF_PROMPTING: ReadonlySet<string> = new Set([
  ...RPM_PROMPTING, "in", "rei", "rm", "up", "upgrade-minimal", "up-min", "update-minimal", "dg", "dsync", "distrosync",
  "group in", "module in",
]);

export const rule = defineRule({
  id: "DL3038",
  aliases: ["hadolint:DL3038"],
  severity: "warning",
  source: "hadolint",
  summary: "Use the -y switch to avoid manual input with dnf",
  url: "https://github.com/hadolint/hadolint/wiki/DL3038",
  docs: `
Without \`-y\` (\`--assumeyes\`), \`dnf install\` asks "Is this ok [y/N]" and a build, which cannot answer, gets
the default: no. Pass \`-y\`.

Every dnf subcommand that prompts is checked (\`install\`/\`in\`, \`remove\`, \`upgrade\`, \`reinstall\`,
\`group install\`, \`module install\`...), for \`dnf\` and \`dnf5\`. Unlike hadolint, \`microdnf\` is not
reported: it never prompts (its \`-y\` "does nothing, we always assume yes"). The fix inserts \` -y\` after
the subcommand.

\`\`\`dockerfile fires
FROM fedora:40
RUN dnf install nginx-1.26.1 && dnf clean all
\`\`\`

\`\`\`dockerfile silent
FROM fedora:40
RUN dnf install -y nginx-1.26.1 && dnf clean all
\`\`\`
`,
  fix: (finding, model) => addOptionAfter(model, finding, "-y"),
  check(ctx) {
    if (!fileRunsPackageManager(ctx.model, "dnf")) return [];
    return unconfirmedActions(ctx.model, "dnf", DNF_PROMPTING).map((action) =>
      ctx.finding(action.word.span, `dnf ${action.name} stops at an "Is this ok [y/N]" prompt that the build answers with no: add -y`));
  },
});
