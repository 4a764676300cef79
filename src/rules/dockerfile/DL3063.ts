import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";

const RESERVED: readonly string[] = ["scratch", "context"];

export const rule = defineRule({
  id: "DL3063",
  aliases: ["hadolint:DL3063"],
  severity: "warning",
  source: "hadolint",
  summary: "Stage name should not be a reserved word",
  url: "https://github.com/hadolint/hadolint/wiki/DL3063",
  docs: `
\`scratch\` is the empty base image and \`context\` the build context (\`COPY --from=context\`, named build
contexts): a stage with one of those names makes \`FROM scratch\` or \`--from=context\` ambiguous. Pick another
name.

Stage names are compared ignoring case, as BuildKit lowercases them (\`AS Scratch\` is \`scratch\`). BuildKit's
ReservedStageName check reports the same.

\`\`\`dockerfile fires
FROM alpine:3.20 AS scratch
\`\`\`

\`\`\`dockerfile silent
FROM alpine:3.20 AS base
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const stage of ctx.stages.stages) {
      const word = stage.from.stageName;
      if (word === undefined || !RESERVED.includes(word.value.toLowerCase())) continue;
      out.push(ctx.finding(word.span, `Stage name should not be a reserved word: "${word.value}" is reserved for ${word.value.toLowerCase() === "scratch" ? "the empty base image" : "the build context"}`));
    }
    return out;
  },
});
