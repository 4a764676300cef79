import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { stageInstructionsOfKind } from "../../dockerfile/query.ts";

export const rule = defineRule({
  id: "DL3023",
  aliases: ["hadolint:DL3023", "trivy:DS006"],
  severity: "error",
  source: "hadolint",
  summary: "COPY --from cannot reference its own FROM alias",
  url: "https://github.com/hadolint/hadolint/wiki/DL3023",
  docs: `
A stage cannot copy from itself: it does not exist yet while it is being built, and BuildKit stops with a
circular dependency. Copy from an earlier stage, or use a plain COPY from the build context.

The stage is recognised by its name in any case (BuildKit compares stage names case-insensitively) and by its
index.

\`\`\`dockerfile fires
FROM debian:12 AS app
COPY --from=app /etc/os-release /tmp/
\`\`\`

\`\`\`dockerfile silent
FROM debian:12 AS base
FROM debian:12 AS app
COPY --from=base /etc/os-release /tmp/
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const stage of ctx.stages.stages) {
      for (const inst of stageInstructionsOfKind(stage, "copy")) {
        for (const flag of inst.flags) {
          if (flag.name !== "from" || flag.value === undefined) continue;
          const ref = flag.value;
          const own = (stage.name !== undefined && ref.toLowerCase() === stage.name.toLowerCase()) || ref === String(stage.index);
          if (own) out.push(ctx.finding(flag.valueSpan ?? flag.span, `COPY --from cannot reference its own FROM alias: "${ref}" is the stage this COPY is in`));
        }
      }
    }
    return out;
  },
});
