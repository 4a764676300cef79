import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { goQuote } from "../../dockerfile/lex.ts";

const RESERVED = new Set(["context", "scratch"]);

export const rule = defineRule({
  id: "ReservedStageName",
  aliases: ["buildkit:ReservedStageName"],
  severity: "warning",
  source: "buildkit",
  summary: "Reserved words should not be used as stage names",
  url: "https://docs.docker.com/go/dockerfile/rule/reserved-stage-name/",
  redundantWith: ["DL3063"],
  docs: `
Where hadolint's DL3063 reports the same instruction, only DL3063's finding is shown (ignore DL3063 to see this one).

\`scratch\` (the empty image) and \`context\` (the build context) have fixed meanings in FROM and
\`COPY --from\`; a stage with one of those names is ambiguous at best. Stage names are compared in lower case,
so \`Scratch\` is reserved too.

\`\`\`dockerfile fires
FROM alpine AS scratch
\`\`\`

\`\`\`dockerfile silent
FROM alpine AS builder
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const stage of ctx.stages.stages) {
      const word = stage.from.stageName;
      if (word === undefined || stage.name === undefined) continue;
      const name = stage.name.toLowerCase();
      if (RESERVED.has(name)) out.push(ctx.finding(word.span, `Stage name should not use the same name as reserved stage ${goQuote(name)}`));
    }
    return out;
  },
});
