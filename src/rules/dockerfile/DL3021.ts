import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { instructionsOfKind } from "../../dockerfile/query.ts";

export const rule = defineRule({
  id: "DL3021",
  aliases: ["hadolint:DL3021", "trivy:DS011"],
  severity: "error",
  source: "hadolint",
  summary: "COPY with more than 2 arguments requires the last argument to end with /",
  url: "https://github.com/hadolint/hadolint/wiki/DL3021",
  docs: `
With several sources the destination must be a directory, written with a trailing \`/\`. The classic builder
refuses the build otherwise; BuildKit accepts it but may copy every source onto the same path, each
overwriting the last, when the destination does not exist yet.

The destination is read after ARG/ENV expansion; one with a variable that has no value is not reported.
A single source with a wildcard may match several files too, but that cannot be known from the Dockerfile.

No automatic fix: when the destination already exists as a file, adding the slash changes what the build does.

\`\`\`dockerfile fires
FROM node:22
COPY package.json package-lock.json /app
\`\`\`

\`\`\`dockerfile silent
FROM node:22
COPY package.json package-lock.json /app/
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const inst of instructionsOfKind(ctx.model, "copy")) {
      if (inst.sources.length < 2 || inst.destination === undefined) continue;
      const word = inst.destination;
      const dest = ctx.stages.expand(inst, word.value);
      if (dest.value.endsWith("/") || dest.value.endsWith("\\")) continue;
      if (dest.references.some((r) => !r.set)) continue;
      out.push(ctx.finding(word.span, `COPY with ${inst.sources.length} sources requires the destination to end with /: "${dest.value}" does not`));
    }
    return out;
  },
});
