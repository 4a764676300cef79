import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { stageInstructionsOfKind } from "../../dockerfile/query.ts";
import type { Instruction } from "../../dockerfile/ast.ts";

export const rule = defineRule({
  id: "DL4004",
  aliases: ["hadolint:DL4004", "trivy:DS007"],
  severity: "error",
  source: "hadolint",
  summary: "Multiple ENTRYPOINT instructions found",
  url: "https://github.com/hadolint/hadolint/wiki/DL4004",
  docs: `
An image has one entrypoint: if a stage lists more than one ENTRYPOINT, only the last takes effect. The
earlier ones are dead code, and a reader may think they chain. Keep one ENTRYPOINT per stage.

Each ENTRYPOINT after the first of its stage is reported. A stage built FROM another may set its own
ENTRYPOINT; an ENTRYPOINT inside ONBUILD belongs to the images built from this one. BuildKit reports the same
situation as part of its MultipleInstructionsDisallowed check.

\`\`\`dockerfile fires
FROM debian:12
ENTRYPOINT ["/usr/bin/tini", "--"]
ENTRYPOINT ["/docker-entrypoint.sh"]
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
ENTRYPOINT ["/usr/bin/tini", "--", "/docker-entrypoint.sh"]
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const stage of ctx.stages.stages) {
      let previous: Instruction | undefined;
      for (const inst of stageInstructionsOfKind(stage, "entrypoint")) {
        if (previous !== undefined) out.push(ctx.finding(inst.keywordSpan, `Multiple ENTRYPOINT instructions in one stage: only the last takes effect, so the ENTRYPOINT on line ${previous.span.start.line} does nothing`));
        previous = inst;
      }
    }
    return out;
  },
});
