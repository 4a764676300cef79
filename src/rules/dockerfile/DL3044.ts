import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import type { EnvInstruction } from "../../dockerfile/ast.ts";
import { instructionsOfKind } from "../../dockerfile/query.ts";
import type { StageGraph } from "../../dockerfile/stages.ts";

export const rule = defineRule({
  id: "DL3044",
  aliases: ["hadolint:DL3044"],
  severity: "error",
  source: "hadolint",
  summary: "Do not refer to an environment variable within the same ENV statement where it is defined",
  url: "https://github.com/hadolint/hadolint/wiki/DL3044",
  docs: `
Every value of an ENV instruction is expanded before any of its variables is set. In
\`ENV DIR=/opt/app BIN=$DIR/bin\`, \`$DIR\` is whatever DIR was before this line (usually nothing), so BIN is
\`/bin\`. Set the variable in an ENV of its own, before the one that uses it.

Reported: a value that uses a variable set earlier in the same ENV, unless that gives the same value anyway
(\`ARG V\` then \`ENV V=$V URL=.../$V\`, or a variable already set to the same value); and a value that uses a
variable set later in the same ENV and not before (it expands to nothing). hadolint does not report a variable
that was set before the ENV even when the ENV changes it; here \`ENV V=2 W=$V\` after \`ENV V=1\` is reported,
since W gets 1.

\`\`\`dockerfile fires
FROM debian:12
ENV APP_HOME=/opt/app PATH=$APP_HOME/bin:$PATH
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
ENV APP_HOME=/opt/app
ENV PATH=$APP_HOME/bin:$PATH
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const inst of instructionsOfKind(ctx.model, "env")) {
      if (inst.pairs.length < 2) continue;
      for (let j = 0; j < inst.pairs.length; j++) {
        const pair = inst.pairs[j];
        if (pair === undefined) continue;
        const problem = sameStatementReference(ctx.stages, inst, j);
        if (problem !== undefined) out.push(ctx.finding(pair.value.span, `Do not refer to an environment variable within the same ENV statement where it is defined: ${problem}`));
      }
    }
    return out;
  },
});

/** What goes wrong with the variables pair j uses, or undefined when it gets what it reads as. */
function sameStatementReference(stages: StageGraph, inst: EnvInstruction, j: number): string | undefined {
  const before = stages.scope(inst);
  const pairs = inst.pairs;
  const own = pairs[j];
  if (own === undefined) return undefined;
  const names = new Set(stages.expand(inst, own.value.value).references.map((r) => r.name));
  for (const name of names) {
    let earlier: number | undefined;
    let later: number | undefined;
    for (let i = 0; i < pairs.length; i++) {
      if (pairs[i]?.key.value !== name) continue;
      if (i < j) earlier = i;
      else if (i > j && later === undefined) later = i;
    }
    const previous = before.get(name);
    if (earlier !== undefined) {
      const set = pairs[earlier];
      if (set === undefined || isSelfReference(set.value.value, name)) continue;
      const newValue = stages.expand(inst, set.value.value).value;
      if (previous?.value !== undefined && previous.value === newValue) continue;
      const old = previous === undefined ? "nothing (it is not set before this ENV)" : previous.value === undefined ? "its value from before this ENV" : `"${previous.value}" from before this ENV`;
      return `$${name} in ${own.key.value} expands to ${old}, not to "${newValue}" set here`;
    }
    if (later !== undefined && previous === undefined) {
      return `$${name} in ${own.key.value} is set only later in this ENV, so it expands to nothing`;
    }
  }
  return undefined;
}

/** `V=$V` or `V="${V}"`: setting a variable to its own value. */
function isSelfReference(value: string, name: string): boolean {
  const bare = value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  return bare === `$${name}` || bare === `\${${name}}`;
}
