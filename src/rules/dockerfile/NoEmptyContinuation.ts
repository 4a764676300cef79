import { defineRule } from "../../core/rule.ts";

export const rule = defineRule({
  id: "NoEmptyContinuation",
  aliases: ["buildkit:NoEmptyContinuation"],
  severity: "warning",
  source: "buildkit",
  summary: "Empty continuation lines will become errors in a future release",
  url: "https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/",
  docs: `
An empty line inside a line continuation is skipped today, but the syntax is deprecated and a future release
of the Dockerfile frontend will reject it. Remove the empty line, or put a comment on it (a comment line does
not count as empty). The finding points at the first empty line of the instruction.

\`\`\`dockerfile fires
FROM alpine
RUN apk add \\

    curl
\`\`\`

\`\`\`dockerfile silent
FROM alpine
RUN apk add \\
# the HTTP client
    curl
\`\`\`
`,
  *check(ctx) {
    for (const warning of ctx.model.warnings) {
      if (warning.code === "EMPTY_CONTINUATION") yield ctx.finding(warning.span, "Empty continuation line");
    }
  },
});
