import { defineRule } from "../../core/rule.ts";
import type { Instruction } from "../../dockerfile/ast.ts";

export const rule = defineRule({
  id: "ConsistentInstructionCasing",
  aliases: ["buildkit:ConsistentInstructionCasing"],
  severity: "warning",
  source: "buildkit",
  summary: "All commands within the Dockerfile should use the same casing (either upper or lower)",
  url: "https://docs.docker.com/go/dockerfile/rule/consistent-instruction-casing/",
  docs: `
Instruction keywords may be written in upper or lower case; a file that mixes them, or a keyword in mixed
case such as \`Run\`, is harder to read. As in BuildKit, the majority of the keywords that are all upper or all
lower case decides (a tie goes to upper case), and every keyword that does not follow it is reported. Only
the instructions of stages count (FROM and what follows it), as BuildKit counts them: the global ARGs before
the first FROM, and the instruction inside an ONBUILD, are not looked at.

\`\`\`dockerfile fires
FROM alpine
Run echo hello > /greeting.txt
ENTRYPOINT ["cat", "/greeting.txt"]
\`\`\`

\`\`\`dockerfile silent
from alpine
run echo hello > /greeting.txt
entrypoint ["cat", "/greeting.txt"]
\`\`\`
`,
  *check(ctx) {
    const keywords: Instruction[] = [];
    for (const stage of ctx.stages.stages) {
      keywords.push(stage.from);
      for (const inst of stage.instructions) if (inst.kind !== "unknown") keywords.push(inst);
    }
    let lower = 0;
    let upper = 0;
    for (const inst of keywords) {
      const name = inst.keywordText;
      if (name === name.toLowerCase()) lower++;
      else if (name === name.toUpperCase()) upper++;
    }
    const majorityLower = lower > upper;
    for (const inst of keywords) {
      const name = inst.keywordText;
      const expected = majorityLower ? name.toLowerCase() : name.toUpperCase();
      if (name !== expected) {
        yield ctx.finding(inst.keywordSpan, `Command '${name}' should match the case of the command majority (${majorityLower ? "lowercase" : "uppercase"})`);
      }
    }
  },
});
