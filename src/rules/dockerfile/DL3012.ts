import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { stageInstructionsOfKind } from "../../dockerfile/query.ts";
import type { Instruction } from "../../dockerfile/ast.ts";

export const rule = defineRule({
  id: "DL3012",
  aliases: ["hadolint:DL3012", "trivy:DS023"],
  severity: "error",
  source: "hadolint",
  summary: "Multiple HEALTHCHECK instructions",
  url: "https://github.com/hadolint/hadolint/wiki/DL3012",
  docs: `
An image has one health check: each HEALTHCHECK replaces the one before, so all but the last in a stage do
nothing, and a reader may well think they all run. Keep one HEALTHCHECK per stage (\`HEALTHCHECK NONE\`
counts: it replaces the check too).

Each HEALTHCHECK after the first of its stage is reported. A HEALTHCHECK inside ONBUILD belongs to the images
built from this one and is not counted. BuildKit reports the same situation as part of its
MultipleInstructionsDisallowed check.

\`\`\`dockerfile fires
FROM debian:12
HEALTHCHECK CMD curl -f http://localhost/ || exit 1
HEALTHCHECK CMD wget -q -O /dev/null http://localhost/ || exit 1
\`\`\`

\`\`\`dockerfile silent
FROM debian:12 AS base
HEALTHCHECK CMD curl -f http://localhost/ || exit 1
FROM base
HEALTHCHECK NONE
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const stage of ctx.stages.stages) {
      let previous: Instruction | undefined;
      for (const inst of stageInstructionsOfKind(stage, "healthcheck")) {
        if (previous !== undefined) out.push(ctx.finding(inst.keywordSpan, `Multiple HEALTHCHECK instructions in one stage: only the last takes effect, this one replaces the one on line ${previous.span.start.line}`));
        previous = inst;
      }
    }
    return out;
  },
});
