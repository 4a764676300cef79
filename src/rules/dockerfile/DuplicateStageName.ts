import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { goQuote } from "../../dockerfile/lex.ts";

export const rule = defineRule({
  id: "DuplicateStageName",
  aliases: ["buildkit:DuplicateStageName"],
  severity: "warning",
  source: "buildkit",
  summary: "Stage names should be unique",
  url: "https://docs.docker.com/go/dockerfile/rule/duplicate-stage-name/",
  redundantWith: ["DL3024"],
  docs: `
Where hadolint's DL3024 reports the same instruction, only DL3024's finding is shown (ignore DL3024 to see this one).

Two stages with the same name (compared in lower case, as BuildKit stores them) cannot both be referred to:
\`FROM name\` and \`COPY --from=name\` pick one of them. Every stage after the first with that name is reported.
hadolint's DL3024 reports the same mistake under its own id.

\`\`\`dockerfile fires
FROM debian:12 AS builder
RUN apt-get update
FROM golang:1.22 AS builder
\`\`\`

\`\`\`dockerfile silent
FROM debian:12 AS deb-builder
RUN apt-get update
FROM golang:1.22 AS go-builder
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    const seen = new Set<string>();
    for (const stage of ctx.stages.stages) {
      const word = stage.from.stageName;
      if (word === undefined || stage.name === undefined) continue;
      const name = stage.name.toLowerCase();
      if (seen.has(name)) out.push(ctx.finding(word.span, `Duplicate stage name ${goQuote(name)}, stage names should be unique`));
      seen.add(name);
    }
    return out;
  },
});
