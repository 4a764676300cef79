import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { instructionsOfKind } from "../../dockerfile/query.ts";

const NOT_TRIGGERS: ReadonlySet<string> = new Set(["onbuild", "from", "maintainer"]);

export const rule = defineRule({
  id: "DL3043",
  aliases: ["hadolint:DL3043"],
  severity: "error",
  source: "hadolint",
  summary: "ONBUILD, FROM or MAINTAINER triggered from within ONBUILD instruction",
  url: "https://github.com/hadolint/hadolint/wiki/DL3043",
  docs: `
ONBUILD stores an instruction to run when another image is built FROM this one. \`ONBUILD ONBUILD\`,
\`ONBUILD FROM\` and \`ONBUILD MAINTAINER\` are not allowed as triggers: the build fails, or the image built
from this one fails.

\`\`\`dockerfile fires
FROM debian:12
ONBUILD FROM alpine:3.20
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
ONBUILD COPY . /app/
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const inst of instructionsOfKind(ctx.model, "onbuild")) {
      // The file's own ONBUILDs, not one nested in another (that one is the outer one's finding).
      if (inst.parent !== undefined || inst.inner === undefined || !NOT_TRIGGERS.has(inst.inner.kind)) continue;
      const name = inst.inner.keyword;
      out.push(ctx.finding(inst.inner.keywordSpan, `${name} is not allowed inside ONBUILD: ${name === "ONBUILD" ? "triggers cannot be chained" : `a trigger cannot be a ${name} instruction`}`));
    }
    return out;
  },
});
