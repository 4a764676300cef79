import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import type { Stage } from "../../dockerfile/stages.ts";

export const rule = defineRule({
  id: "DL3024",
  aliases: ["hadolint:DL3024", "trivy:DS012"],
  severity: "error",
  source: "hadolint",
  summary: "FROM aliases (stage names) must be unique",
  url: "https://github.com/hadolint/hadolint/wiki/DL3024",
  docs: `
\`COPY --from=NAME\`, \`FROM NAME\` and \`--target NAME\` pick one stage by name; with two stages of the same
name, which one they get is not obvious. Give every stage its own name.

Names are compared the way BuildKit compares them, ignoring case: \`AS Build\` and \`AS build\` are the same
stage name (hadolint compares them case-sensitively). This is BuildKit's DuplicateStageName check.

\`\`\`dockerfile fires
FROM golang:1.22 AS build
FROM node:22 AS build
\`\`\`

\`\`\`dockerfile silent
FROM golang:1.22 AS build-go
FROM node:22 AS build-web
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    const seen = new Map<string, Stage>();
    for (const stage of ctx.stages.stages) {
      const word = stage.from.stageName;
      if (word === undefined) continue;
      const key = word.value.toLowerCase();
      const earlier = seen.get(key);
      if (earlier === undefined) seen.set(key, stage);
      else out.push(ctx.finding(word.span, `FROM aliases (stage names) must be unique: "${word.value}" is already the name of the stage on line ${earlier.from.span.start.line}`));
    }
    return out;
  },
});
