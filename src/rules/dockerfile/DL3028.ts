import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { runInstructions } from "../../dockerfile/query.ts";
import { fileRunsPackageManager } from "../../hardening/package-managers.ts";
import { hasOption, isPinned, packageArgs, packageCommands } from "../../shell/packages.ts";

export const rule = defineRule({
  id: "DL3028",
  aliases: ["hadolint:DL3028"],
  severity: "warning",
  source: "hadolint",
  summary: "Pin versions in gem install",
  url: "https://github.com/hadolint/hadolint/wiki/DL3028",
  docs: `
\`gem install bundler\` installs the newest release on rubygems.org at build time. Name the version, either
in the gem argument (\`bundler:2.5.11\`) or with \`-v\`/\`--version\`. A \`.gem\` file is not a name.

\`\`\`dockerfile fires
FROM ruby:3.3
RUN gem install bundler
\`\`\`

\`\`\`dockerfile silent
FROM ruby:3.3
RUN gem install bundler:2.5.11 && gem install rails -v 7.1.3
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    if (!fileRunsPackageManager(ctx.model, "gem")) return out;
    for (const run of runInstructions(ctx.model)) {
      for (const pc of packageCommands(run)) {
        if (pc.manager !== "gem" || (pc.action !== "install" && pc.action !== "i") || hasOption(pc, ["v", "version"])) continue;
        for (const arg of packageArgs(pc, ctx.stages)) {
          if (arg.spec === undefined || isPinned(arg.spec)) continue;
          const name = arg.spec.name;
          out.push(ctx.finding(arg.word.span, `Pin versions in gem install: "${name}" gets the newest release on build day; use ${name}:<version> or -v <version>`));
        }
      }
    }
    return out;
  },
});
