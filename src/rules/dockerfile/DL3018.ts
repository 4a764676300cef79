import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { fileRunsPackageManager } from "../../hardening/package-managers.ts";
import { runInstructions } from "../../dockerfile/query.ts";
import { isPinned, packageArgs, packageCommands } from "../../shell/packages.ts";

export const rule = defineRule({
  id: "DL3018",
  aliases: ["hadolint:DL3018"],
  severity: "warning",
  source: "hadolint",
  summary: "Pin versions in apk add",
  url: "https://github.com/hadolint/hadolint/wiki/DL3018",
  docs: `
\`apk add curl\` installs whatever the Alpine repository holds at build time. Pin the version
(\`curl=8.5.0-r0\`), or a version prefix with \`~\` (\`curl~8.5\`) to accept package rebuilds of one release.

Any of \`=\`, \`~\`, \`>\`, \`<\` counts as pinned, and so does an \`.apk\` file. The value of \`--virtual\`/\`-t\`
(a name for the group of packages) and of \`--repository\`/\`-X\` are not packages. Variables are expanded
from the ARG/ENV in scope, and an unquoted variable that holds several packages (\`apk add $BUILD_DEPS\`) is
split into words as the shell splits it: each package is judged on its own, the finding on the variable.

\`\`\`dockerfile fires
FROM alpine:3.20
RUN apk add --no-cache curl
\`\`\`

\`\`\`dockerfile silent
FROM alpine:3.20
RUN apk add --no-cache --virtual .build-deps curl=8.9.1-r0 gcc~13
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    // Only an apk add is reported: most files run no apk.
    if (!fileRunsPackageManager(ctx.model, "apk")) return out;
    for (const run of runInstructions(ctx.model)) {
      for (const pc of packageCommands(run)) {
        if (pc.manager !== "apk" || pc.action !== "add") continue;
        for (const arg of packageArgs(pc, ctx.stages)) {
          if (arg.spec === undefined || isPinned(arg.spec)) continue;
          const name = arg.spec.name;
          out.push(ctx.finding(arg.word.span, `Pin versions in apk add: "${name}" gets whatever version the repository has on build day; use ${name}=<version>`));
        }
      }
    }
    return out;
  },
});
