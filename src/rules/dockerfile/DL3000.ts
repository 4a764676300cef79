import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { allInstructions } from "../../dockerfile/query.ts";

export const rule = defineRule({
  id: "DL3000",
  aliases: ["hadolint:DL3000"],
  severity: "error",
  source: "hadolint",
  summary: "Use absolute WORKDIR",
  url: "https://github.com/hadolint/hadolint/wiki/DL3000",
  docs: `
A relative WORKDIR is resolved against whatever directory the base image left as current, so the same
Dockerfile puts files in different places when the base image changes. Use an absolute path.

\`\`\`dockerfile fires
FROM debian:12
WORKDIR app
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
WORKDIR /app
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const inst of allInstructions(ctx.model)) {
      if (inst.kind !== "workdir" || inst.value === undefined) continue;
      const path = ctx.stages.expand(inst, inst.value.value);
      // A variable we cannot resolve may well hold an absolute path: stay silent rather than guess.
      if (path.references.some((r) => !r.set)) continue;
      if (isAbsolute(path.value)) continue;
      out.push(ctx.finding(inst.value.span, `Use absolute WORKDIR: "${path.value}" is relative`));
    }
    return out;
  },
});

function isAbsolute(path: string): boolean {
  return path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith("\\");
}
