import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import type { StringInstruction } from "../../dockerfile/ast.ts";
import { isRootUser, stageInstructionsOfKind } from "../../dockerfile/query.ts";

export const rule = defineRule({
  id: "DL3002",
  aliases: ["hadolint:DL3002"],
  severity: "warning",
  source: "hadolint",
  summary: "Last USER should not be root",
  url: "https://github.com/hadolint/hadolint/wiki/DL3002",
  docs: `
The last USER of the image is the user its containers run as. Root in the container is one kernel bug or
one mounted socket away from root on the host. Switch to an unprivileged user at the end.

Only the stages that make up the target image count: a root USER in a build stage that is only copied
from, or in a stage the target does not use, is fine. The target inherits USER from the stage it is built
FROM, so that chain is followed.

\`\`\`dockerfile fires
FROM debian:12
USER root
RUN apt-get update
\`\`\`

\`\`\`dockerfile silent
FROM debian:12 AS build
USER root
RUN make
FROM debian:12
USER app
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const stage of ctx.stages.targetChain) {
      const users = stageInstructionsOfKind(stage, "user");
      const last: StringInstruction | undefined = users[users.length - 1];
      if (last === undefined) continue; // inherited from the base stage, if any
      if (last.value !== undefined) {
        const user = ctx.stages.expand(last, last.value.value).value;
        if (isRootUser(user)) out.push(ctx.finding(last.value.span, `Last USER should not be root: the image runs as "${user}"`));
      }
      return out;
    }
    return out;
  },
});
