import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { stageInstructionsOfKind } from "../../dockerfile/query.ts";
import type { Instruction } from "../../dockerfile/ast.ts";

const REPEATABLE = ["cmd", "entrypoint", "healthcheck"] as const;

export const rule = defineRule({
  id: "MultipleInstructionsDisallowed",
  aliases: ["buildkit:MultipleInstructionsDisallowed"],
  severity: "warning",
  source: "buildkit",
  summary: "Multiple instructions of the same type should not be used in the same stage",
  url: "https://docs.docker.com/go/dockerfile/rule/multiple-instructions-disallowed/",
  docs: `
An image has one CMD, one ENTRYPOINT and one HEALTHCHECK: in a stage with several, only the last one takes
effect and the others are dead code. As in BuildKit, the finding points at the instruction that is ignored
(the earlier one). The CMD of a HEALTHCHECK is not a CMD instruction, and an ONBUILD CMD belongs to the images
built from this one.

\`\`\`dockerfile fires
FROM alpine
ENTRYPOINT ["echo", "Hello, Norway!"]
ENTRYPOINT ["echo", "Hello, Sweden!"]
\`\`\`

\`\`\`dockerfile silent
FROM python:3.12-alpine
HEALTHCHECK --interval=1s --timeout=3s CMD ["wget", "-qO-", "http://localhost:8080"]
CMD ["python", "-m", "http.server", "8080"]
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const stage of ctx.stages.stages) {
      // A finding needs two of one kind in the stage.
      if (REPEATABLE.every((kind) => stageInstructionsOfKind(stage, kind).length < 2)) continue;
      const last = new Map<string, Instruction>();
      for (const inst of stage.instructions) {
        if (inst.kind !== "cmd" && inst.kind !== "entrypoint" && inst.kind !== "healthcheck") continue;
        const previous = last.get(inst.kind);
        if (previous !== undefined) {
          out.push(ctx.finding(previous.keywordSpan, `Multiple ${inst.keywordText} instructions should not be used in the same stage because only the last one will be used`));
        }
        last.set(inst.kind, inst);
      }
    }
    return out;
  },
});
