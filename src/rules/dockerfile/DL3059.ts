import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import type { Instruction, RunInstruction } from "../../dockerfile/ast.ts";
import { runInstructions, runScripts } from "../../dockerfile/query.ts";

export const rule = defineRule({
  id: "DL3059",
  aliases: ["hadolint:DL3059"],
  severity: "info",
  source: "hadolint",
  summary: "Multiple consecutive RUN instructions. Consider consolidation",
  url: "https://github.com/hadolint/hadolint/wiki/DL3059",
  docs: `
Each RUN makes a layer. Short steps that follow each other can usually be one RUN, which gives a smaller image
and lets a cleanup in the same step actually remove files.

hadolint's condition: a RUN right after another RUN (comments between them do not count) with the same flags
(\`--mount\`, \`--network\`, \`--security\`), where neither runs more than two commands. Steps that are already
chains of several commands were most likely split on purpose, and steps with different flags cannot be
merged. Consecutive \`ONBUILD RUN\` triggers are compared the same way.

\`\`\`dockerfile fires
FROM debian:12
RUN apt-get update
RUN apt-get install -y curl
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
RUN apt-get update && apt-get install -y curl
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    if (runInstructions(ctx.model).length < 2) return out; // a finding needs two RUNs
    for (const stage of ctx.stages.stages) {
      let previous: { run: RunInstruction; onbuild: boolean; commands: number } | undefined;
      for (const inst of stage.instructions) {
        const run = runOf(inst);
        if (run === undefined) {
          previous = undefined;
          continue;
        }
        const current = { run, onbuild: inst.kind === "onbuild", commands: commandCount(run) };
        const mergeable = previous !== undefined
          && previous.onbuild === current.onbuild
          && previous.commands <= 2
          && current.commands <= 2
          && sameFlags(previous.run, run);
        if (mergeable && previous !== undefined) {
          // Keep comparing with the first of the run of short steps, as hadolint does.
          out.push(ctx.finding(run.keywordSpan, `Multiple consecutive RUN instructions: this one and the one on line ${previous.run.span.start.line} can be one RUN`));
        } else {
          previous = current;
        }
      }
    }
    return out;
  },
});

function runOf(inst: Instruction): RunInstruction | undefined {
  if (inst.kind === "run") return inst;
  if (inst.kind === "onbuild" && inst.inner?.kind === "run") return inst.inner;
  return undefined;
}

/** Commands the step runs, as hadolint counts them (an exec-form RUN runs one). */
function commandCount(run: RunInstruction): number {
  if (run.command?.form === "exec") return 1;
  return runScripts(run).reduce((n, script) => n + script.commands.length, 0);
}

function sameFlags(a: RunInstruction, b: RunInstruction): boolean {
  const key = (run: RunInstruction): string => run.flags.map((f) => f.raw).sort().join("\n");
  return key(a) === key(b);
}
