import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { instructionsOfKinds } from "../../dockerfile/query.ts";

const PAIRED = ["env", "label"] as const;

export const rule = defineRule({
  id: "LegacyKeyValueFormat",
  aliases: ["buildkit:LegacyKeyValueFormat"],
  severity: "warning",
  source: "buildkit",
  summary: "Legacy key/value format with whitespace separator should not be used",
  url: "https://docs.docker.com/go/dockerfile/rule/legacy-key-value-format/",
  docs: `
\`ENV key value\` and \`LABEL key value\` (a space instead of \`=\`) are the legacy forms: one pair per
instruction, and everything after the key, spaces and quotes included, is the value. Use \`key=value\`; quote a
value that contains spaces. Leading whitespace on continuation lines is part of a legacy value, so check what
it should be when rewriting a multi-line one.

BuildKit reports ENV and LABEL in build stages; an ONBUILD ENV is checked when a later stage is built FROM
this one, which drydock does not follow.

\`\`\`dockerfile fires
FROM alpine
ENV DEPS curl git make
\`\`\`

\`\`\`dockerfile silent
FROM alpine
ENV DEPS="curl git make"
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    // The legacy form is rare: most files have no such pair at all.
    if (!instructionsOfKinds(ctx.model, PAIRED).some((inst) => inst.pairs.some((p) => p.legacy))) return out;
    for (const stage of ctx.stages.stages) {
      for (const inst of stage.instructions) {
        if (inst.kind !== "env" && inst.kind !== "label") continue;
        for (const pair of inst.pairs) {
          if (!pair.legacy) continue;
          const name = inst.keywordText;
          out.push(ctx.finding({ start: pair.key.span.start, end: pair.value.span.end }, `"${name} key=value" should be used instead of legacy "${name} key value" format`));
        }
      }
    }
    return out;
  },
});
