import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { stageInstructionsOfKind } from "../../dockerfile/query.ts";
import type { Instruction } from "../../dockerfile/ast.ts";

export const rule = defineRule({
  id: "DL4003",
  aliases: ["hadolint:DL4003", "trivy:DS016"],
  severity: "warning",
  source: "hadolint",
  summary: "Multiple CMD instructions found",
  url: "https://github.com/hadolint/hadolint/wiki/DL4003",
  docs: `
An image has one default command: if a stage lists more than one CMD, only the last takes effect and the
others are dead code that misleads the reader. Keep one CMD per stage; to run several things, use a script
or a process manager.

Each CMD after the first of its stage is reported. A stage built FROM another may set its own CMD; a CMD inside
ONBUILD belongs to the images built from this one. BuildKit reports the same situation as part of its
MultipleInstructionsDisallowed check.

\`\`\`dockerfile fires
FROM debian:12
CMD ["nginx"]
CMD ["nginx", "-g", "daemon off;"]
\`\`\`

\`\`\`dockerfile silent
FROM debian:12 AS base
CMD ["bash"]
FROM base
CMD ["nginx", "-g", "daemon off;"]
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const stage of ctx.stages.stages) {
      let previous: Instruction | undefined;
      for (const inst of stageInstructionsOfKind(stage, "cmd")) {
        if (previous !== undefined) out.push(ctx.finding(inst.keywordSpan, `Multiple CMD instructions in one stage: only the last takes effect, so the CMD on line ${previous.span.start.line} does nothing`));
        previous = inst;
      }
    }
    return out;
  },
});
