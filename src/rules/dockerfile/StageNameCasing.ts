import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { instructionsOfKind } from "../../dockerfile/query.ts";

export const rule = defineRule({
  id: "StageNameCasing",
  aliases: ["buildkit:StageNameCasing"],
  severity: "warning",
  source: "buildkit",
  summary: "Stage names should be lowercase",
  url: "https://docs.docker.com/go/dockerfile/rule/stage-name-casing/",
  docs: `
Stage names are compared case-insensitively and stored lower-cased, so \`FROM alpine AS BuilderBase\` defines
the stage \`builderbase\`. Writing them in lower case keeps them apart from instruction keywords and avoids
the surprise.

\`\`\`dockerfile fires
FROM alpine AS BuilderBase
\`\`\`

\`\`\`dockerfile silent
FROM alpine AS builder-base
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const inst of instructionsOfKind(ctx.model, "from")) {
      // As BuildKit: any FROM with three arguments (the third is the stage name); not one inside ONBUILD.
      if (inst.parent !== undefined || inst.args.length !== 3) continue;
      const name = inst.args[2];
      if (name !== undefined && name.value !== name.value.toLowerCase()) {
        out.push(ctx.finding(name.span, `Stage name '${name.value}' should be lowercase`));
      }
    }
    return out;
  },
});
