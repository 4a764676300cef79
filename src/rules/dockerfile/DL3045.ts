import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { instructionsOfKind, stageInstructionsOfKind } from "../../dockerfile/query.ts";

export const rule = defineRule({
  id: "DL3045",
  aliases: ["hadolint:DL3045"],
  severity: "warning",
  source: "hadolint",
  summary: "COPY to a relative destination without WORKDIR set",
  url: "https://github.com/hadolint/hadolint/wiki/DL3045",
  docs: `
A relative COPY destination is resolved against the working directory, which is whatever the base image left:
\`/\` in one image, \`/usr/src/app\` in another, and it may change with the next base image release. Set
WORKDIR first, or copy to an absolute path.

A WORKDIR earlier in the stage counts, and so does one in a stage this stage is built FROM. The destination is
read after ARG/ENV expansion (hadolint skips every destination that starts with a variable); one whose variable
has no value is not reported. COPY inside ONBUILD runs in a later build with its own WORKDIR and is not checked.

\`\`\`dockerfile fires
FROM node:22
COPY package.json .
\`\`\`

\`\`\`dockerfile silent
FROM node:22
WORKDIR /usr/src/app
COPY package.json .
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    if (instructionsOfKind(ctx.model, "copy").length === 0) return out;
    for (const stage of ctx.stages.stages) {
      if (stageInstructionsOfKind(stage, "copy").length === 0) continue;
      let workdirSet = ctx.stages.baseChain(stage).slice(1).some((base) => stageInstructionsOfKind(base, "workdir").length > 0);
      if (workdirSet) continue;
      for (const inst of stage.instructions) {
        if (inst.kind === "workdir") workdirSet = true;
        if (inst.kind !== "copy" || workdirSet || inst.destination === undefined) continue;
        const dest = ctx.stages.expand(inst, inst.destination.value);
        if (dest.references.some((r) => !r.set) || isAbsolute(dest.value)) continue;
        out.push(ctx.finding(inst.destination.span, `COPY to a relative destination without WORKDIR set: "${dest.value}" depends on the base image's working directory; set WORKDIR or use an absolute path`));
      }
    }
    return out;
  },
});

function isAbsolute(path: string): boolean {
  return path.startsWith("/") || path.startsWith("\\") || /^[A-Za-z]:/.test(path);
}
