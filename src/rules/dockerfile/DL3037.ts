import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { runInstructions } from "../../dockerfile/query.ts";
import { fileRunsPackageManager } from "../../hardening/package-managers.ts";
import { isPinned, optionValues, packageArgs, packageCommands } from "../../shell/packages.ts";

export const rule = defineRule({
  id: "DL3037",
  aliases: ["hadolint:DL3037"],
  severity: "warning",
  source: "hadolint",
  summary: "Specify version with zypper install -y <package>=<version>",
  url: "https://github.com/hadolint/hadolint/wiki/DL3037",
  docs: `
\`zypper install curl\` installs the newest build in the repositories at build time. Name the version with
\`=\` (\`curl=8.8.0\`) or bound it with \`>=\`, \`>\`, \`<=\`, \`<\` (quote those: \`'curl>=8.8'\`). \`.rpm\` files
and URLs count as pinned. Patterns, patches and products (\`-t pattern\`) have no versions to pin and are
not checked. Variables are expanded from the ARG/ENV in scope.

\`\`\`dockerfile fires
FROM opensuse/leap:15.6
RUN zypper -n install curl && zypper clean
\`\`\`

\`\`\`dockerfile silent
FROM opensuse/leap:15.6
RUN zypper -n install curl=8.8.0 'git>=2.45' && zypper -n install -t pattern devel_basis && zypper clean
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    if (!fileRunsPackageManager(ctx.model, "zypper")) return out;
    for (const run of runInstructions(ctx.model)) {
      for (const pc of packageCommands(run)) {
        if (pc.manager !== "zypper" || (pc.action !== "install" && pc.action !== "in")) continue;
        if (optionValues(pc, ["t", "type"]).some((type) => type !== "package")) continue;
        for (const arg of packageArgs(pc, ctx.stages)) {
          if (arg.spec === undefined || isPinned(arg.spec)) continue;
          const name = arg.spec.name;
          out.push(ctx.finding(arg.word.span, `Specify a version in zypper install: "${name}" gets the newest build on build day; use ${name}=<version>`));
        }
      }
    }
    return out;
  },
});
