import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { instructionsOfKind } from "../../dockerfile/query.ts";

export const rule = defineRule({
  id: "FromAsCasing",
  aliases: ["buildkit:FromAsCasing"],
  severity: "warning",
  source: "buildkit",
  summary: "The 'as' keyword should match the case of the 'from' keyword",
  url: "https://docs.docker.com/go/dockerfile/rule/from-as-casing/",
  docs: `
Keywords may be upper or lower case, but mixing the two in one line hurts readability. When FROM is all upper
or all lower case, its AS must be written the same way. (A FROM in mixed case is ConsistentInstructionCasing's
finding, not this one's.)

\`\`\`dockerfile fires
FROM debian:12 as builder
\`\`\`

\`\`\`dockerfile silent
from debian:12 as builder
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const inst of instructionsOfKind(ctx.model, "from")) {
      if (inst.parent !== undefined || inst.args.length < 3) continue; // not one inside ONBUILD
      const from = inst.keywordText;
      const as = inst.args[1];
      if (as === undefined) continue;
      const lower = from === from.toLowerCase();
      const upper = from === from.toUpperCase();
      if (!lower && !upper) continue;
      const matches = lower ? as.value === as.value.toLowerCase() : as.value === as.value.toUpperCase();
      if (!matches) out.push(ctx.finding(as.span, `'${as.value}' and '${from}' keywords' casing do not match`));
    }
    return out;
  },
});
