import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";

export const rule = defineRule({
  id: "DL3061",
  aliases: ["hadolint:DL3061"],
  severity: "error",
  source: "hadolint",
  summary: "Invalid instruction order. Dockerfile must begin with FROM, ARG or comment",
  url: "https://github.com/hadolint/hadolint/wiki/DL3061",
  docs: `
Every instruction belongs to a build stage, and a stage begins with FROM. Before the first FROM only ARG (for
values used in FROM lines), comments and parser directives may appear; anything else fails the build.

\`\`\`dockerfile fires
LABEL org.opencontainers.image.title="app"
FROM debian:12
\`\`\`

\`\`\`dockerfile silent
# syntax=docker/dockerfile:1
ARG DEBIAN_VERSION=12
FROM debian:\${DEBIAN_VERSION}
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const inst of ctx.model.instructions) {
      if (inst.kind === "from") return out;
      if (inst.kind === "arg") continue;
      out.push(ctx.finding(inst.keywordSpan, `Invalid instruction order: ${inst.keyword} comes before the first FROM; a Dockerfile must begin with FROM, ARG or comment`));
    }
    return out;
  },
});
