import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { runInstructions } from "../../dockerfile/query.ts";
import { fileRunsPackageManager } from "../../hardening/package-managers.ts";
import { addOptionAfter, hasOption, optionValues, packageCommands, simulates, type PackageCommand } from "../../shell/packages.ts";

export const rule = defineRule({
  id: "DL3015",
  aliases: ["hadolint:DL3015", "trivy:DS029"],
  severity: "info",
  source: "hadolint",
  summary: "Avoid additional packages by specifying --no-install-recommends",
  url: "https://github.com/hadolint/hadolint/wiki/DL3015",
  docs: `
By default \`apt-get install\` also installs every package the named ones *recommend*: documentation, extra
tools, sometimes whole language runtimes. They make the image larger and add code to patch, and nothing
needs them. Pass \`--no-install-recommends\` (or \`-o APT::Install-Recommends=false\`) and name what you need.

The fix inserts \` --no-install-recommends\` after \`install\`.

\`\`\`dockerfile fires
FROM debian:12
RUN apt-get update && apt-get install -y curl
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl
\`\`\`
`,
  fix: (finding, model) => addOptionAfter(model, finding, "--no-install-recommends"),
  check(ctx) {
    const out: TextFinding[] = [];
    if (!fileRunsPackageManager(ctx.model, "apt-get")) return out;
    for (const run of runInstructions(ctx.model)) {
      for (const pc of packageCommands(run)) {
        if (pc.manager !== "apt-get" || pc.action !== "install" || pc.subcommand === undefined || skipsRecommends(pc) || simulates(pc)) continue;
        out.push(ctx.finding(pc.subcommand.span, "apt-get install also installs the packages these recommend: add --no-install-recommends"));
      }
    }
    return out;
  },
});

function skipsRecommends(pc: PackageCommand): boolean {
  if (hasOption(pc, "no-install-recommends")) return true;
  return optionValues(pc, ["o", "option"]).some((v) => v !== undefined && /^APT::Install-Recommends=(?:0|false|no|off)$/i.test(v));
}
