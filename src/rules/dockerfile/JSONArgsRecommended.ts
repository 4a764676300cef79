import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { stageInstructionsOfKind } from "../../dockerfile/query.ts";

const COMMANDS = ["cmd", "entrypoint"] as const;

export const rule = defineRule({
  id: "JSONArgsRecommended",
  aliases: ["buildkit:JSONArgsRecommended"],
  severity: "warning",
  source: "buildkit",
  summary: "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals",
  url: "https://docs.docker.com/go/dockerfile/rule/json-args-recommended/",
  redundantWith: ["DL3025"],
  docs: `
In shell form the program runs as a child of \`/bin/sh -c\`, which does not pass on signals such as
SIGTERM: the container cannot shut down cleanly. Use exec form. As in BuildKit, a stage (or the stage it is
built from) that sets SHELL explicitly is not reported: there the shell form is deliberate. Where hadolint's DL3025 reports the same
instruction, only DL3025's finding is shown (ignore DL3025 to see this one instead).

\`\`\`dockerfile fires
FROM alpine:3.20
ENTRYPOINT my-program start
\`\`\`

\`\`\`dockerfile silent
FROM alpine:3.20
SHELL ["/bin/bash", "-c"]
ENTRYPOINT my-program start
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const stage of ctx.stages.stages) {
      // Only a shell-form CMD or ENTRYPOINT of the stage can be reported.
      if (!COMMANDS.some((kind) => stageInstructionsOfKind(stage, kind).some((i) => i.command?.form === "shell"))) continue;
      let shellSet = ctx.stages.baseChain(stage).slice(1).some((s) => stageInstructionsOfKind(s, "shell").length > 0);
      for (const inst of stage.instructions) {
        if (inst.kind === "shell") shellSet = true;
        if ((inst.kind === "cmd" || inst.kind === "entrypoint") && inst.command?.form === "shell" && !shellSet) {
          out.push(ctx.finding(inst.command.span, `JSON arguments recommended for ${inst.keywordText} to prevent unintended behavior related to OS signals`));
        }
      }
    }
    return out;
  },
});
