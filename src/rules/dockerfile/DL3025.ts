import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { instructionsOfKinds } from "../../dockerfile/query.ts";

const COMMAND_KINDS = ["cmd", "entrypoint"] as const;

export const rule = defineRule({
  id: "DL3025",
  aliases: ["hadolint:DL3025"],
  severity: "warning",
  source: "hadolint",
  summary: "Use arguments JSON notation for CMD and ENTRYPOINT arguments",
  url: "https://github.com/hadolint/hadolint/wiki/DL3025",
  docs: `
In shell form, CMD and ENTRYPOINT run under \`/bin/sh -c\`: the shell is PID 1 and does not forward SIGTERM,
so \`docker stop\` waits and then kills the process without a clean shutdown. Exec form runs the program itself.

BuildKit's JSONArgsRecommended is the same advice but stays quiet in stages that set SHELL on purpose.

\`\`\`dockerfile fires
FROM debian:12
CMD /usr/bin/app --serve
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
CMD ["/usr/bin/app", "--serve"]
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const inst of instructionsOfKinds(ctx.model, COMMAND_KINDS)) {
      if (inst.command?.form === "shell") {
        out.push(ctx.finding(inst.command.span, `Use arguments JSON notation for ${inst.keyword} arguments: ["executable", "arg", ...]`));
      }
    }
    return out;
  },
});
