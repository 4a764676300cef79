import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { runInstructions } from "../../dockerfile/query.ts";
import { fileRunsPackageManager } from "../../hardening/package-managers.ts";
import { packageCommands } from "../../shell/packages.ts";

export const rule = defineRule({
  id: "DL3035",
  aliases: ["hadolint:DL3035"],
  severity: "warning",
  source: "hadolint",
  summary: "Do not use zypper dist-upgrade",
  url: "https://github.com/hadolint/hadolint/wiki/DL3035",
  docs: `
\`zypper dist-upgrade\` (\`dup\`) moves every package to the newest version in the repositories, possibly to a
new distribution release, and may remove packages on the way. What the image contains then depends on the
day of the build. Use a base image of the release you want and install pinned packages; see also DD016.

\`\`\`dockerfile fires
FROM opensuse/tumbleweed
RUN zypper -n dup
\`\`\`

\`\`\`dockerfile silent
FROM opensuse/tumbleweed
RUN zypper -n install curl=8.8.0 && zypper -n clean
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    if (!fileRunsPackageManager(ctx.model, "zypper")) return out;
    for (const run of runInstructions(ctx.model)) {
      for (const pc of packageCommands(run)) {
        if (pc.manager !== "zypper" || pc.subcommand === undefined || (pc.action !== "dist-upgrade" && pc.action !== "dup")) continue;
        out.push(ctx.finding(pc.subcommand.span, `Do not use zypper ${pc.action}: it moves every package (and maybe the release) to whatever is newest on build day`));
      }
    }
    return out;
  },
});
