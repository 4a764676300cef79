import type { TextFinding } from "../../core/finding.ts";
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
  check(ctx) {
    const out: TextFinding[] = [];
    const keywords: Instruction[] = [];
    const cases: number[] = [];
    let lower = 0;
    let upper = 0;
    for (const stage of ctx.stages.stages) {
      keywords.push(stage.from);
      for (const inst of stage.instructions) if (inst.kind !== "unknown") keywords.push(inst);
    }
    for (const inst of keywords) {
      const c = caseOf(inst.keywordText);
      cases.push(c);
      if (c === LOWER || c === NO_LETTERS) lower++;
      else if (c === UPPER) upper++;
    }
    // Every keyword upper case: all consistent (most files).
    if (upper === keywords.length) return out;
    const majorityLower = lower > upper;
    for (let i = 0; i < keywords.length; i++) {
      const c = cases[i];
      const consistent = majorityLower ? c === LOWER || c === NO_LETTERS : c === UPPER || c === NO_LETTERS;
      const inst = keywords[i];
      if (consistent || inst === undefined) continue;
      const name = inst.keywordText;
      out.push(ctx.finding(inst.keywordSpan, `Command '${name}' should match the case of the command majority (${majorityLower ? "lowercase" : "uppercase"})`));
    }
    return out;
  },
});

const LOWER = 0;
const UPPER = 1;
const MIXED = 2;
/** Equal to both its lower- and upper-case forms. */
const NO_LETTERS = 3;

/** How a keyword is cased, as comparing it with its toLowerCase() and toUpperCase() tells (without making them for ASCII). */
function caseOf(name: string): number {
  let hasLower = false;
  let hasUpper = false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x80) return caseByConversion(name);
    if (c >= 0x61 && c <= 0x7a) hasLower = true;
    else if (c >= 0x41 && c <= 0x5a) hasUpper = true;
  }
  return hasLower ? (hasUpper ? MIXED : LOWER) : hasUpper ? UPPER : NO_LETTERS;
}

function caseByConversion(name: string): number {
  const isLower = name === name.toLowerCase();
  const isUpper = name === name.toUpperCase();
  return isLower ? (isUpper ? NO_LETTERS : LOWER) : isUpper ? UPPER : MIXED;
}
