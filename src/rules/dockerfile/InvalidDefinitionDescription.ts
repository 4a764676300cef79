import { defineRule } from "../../core/rule.ts";
import { instructionsOfKinds } from "../../dockerfile/query.ts";
import type { Span, TextFinding } from "../../core/finding.ts";
import type { Instruction } from "../../dockerfile/ast.ts";
import type { DockerfileContext } from "../../core/rule.ts";

const DEFINITIONS = ["from", "arg"] as const;

export const rule = defineRule({
  id: "InvalidDefinitionDescription",
  aliases: ["buildkit:InvalidDefinitionDescription"],
  severity: "warning",
  optIn: true,
  source: "buildkit",
  summary: "Comment for build stage or argument should follow the format: `# <arg/stage name> <description>`",
  url: "https://docs.docker.com/go/dockerfile/rule/invalid-definition-description/",
  docs: `
\`docker build --call=outline\` and \`--call=targets\` show the comment right above a named FROM or an ARG as its
description when the comment starts with the stage or argument name (\`# VERSION the release to build\`).
A comment there that does not is reported, so that descriptions stay descriptions. Experimental in BuildKit
and off by default here too: enable it with \`enable: [InvalidDefinitionDescription]\` or
\`# check=experimental=InvalidDefinitionDescription\`.

As in BuildKit, the comment lines directly above the instruction count, and a blank line does not end them
(only an empty \`#\` line does); the last of them must start with the name. A stage name is compared in lower
case, as BuildKit stores it. The finding points at that comment line.

\`\`\`dockerfile fires
# a non-descriptive comment
FROM scratch AS base
\`\`\`

\`\`\`dockerfile silent
# base is a stage for compiling source
FROM scratch AS base
# VERSION This is the version number.
ARG VERSION=1
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const inst of instructionsOfKinds(ctx.model, DEFINITIONS)) {
      // Not one inside ONBUILD; and only an instruction with a comment above it can have a wrong one.
      if (inst.parent !== undefined || inst.comments.length === 0) continue;
      let keys: string[];
      if (inst.kind === "from") {
        const stage = ctx.stages.stageOf(inst);
        if (stage?.name === undefined) continue;
        keys = [stage.name.toLowerCase()];
      } else if (inst.kind === "arg") {
        keys = inst.declarations.map((d) => d.name.value);
      } else {
        continue;
      }
      const last = inst.comments[inst.comments.length - 1];
      if (last === undefined || keys.length === 0) continue;
      if (keys.includes(last.split(" ")[0] ?? "")) continue;
      const example = keys.length > 1 ? "<arg_key>" : (keys[0] ?? "");
      out.push(ctx.finding(commentSpan(ctx, inst), `Comment for ${inst.keyword} should follow the format: \`# ${example} <description>\``));
    }
    return out;
  },
});

// The last comment line above the instruction: the comment that is not a description.
function commentSpan(ctx: DockerfileContext, inst: Instruction): Span {
  let found: Span | undefined;
  for (const c of ctx.model.comments) {
    if (c.span.start.offset >= inst.span.start.offset) break;
    found = c.span;
  }
  return found ?? inst.keywordSpan;
}
