import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { instructionsOfKind } from "../../dockerfile/query.ts";

export const rule = defineRule({
  id: "DL4000",
  // BuildKit's MaintainerDeprecated reports exactly the same thing.
  aliases: ["hadolint:DL4000", "buildkit:MaintainerDeprecated"],
  severity: "error",
  source: "hadolint",
  summary: "MAINTAINER is deprecated",
  url: "https://github.com/hadolint/hadolint/wiki/DL4000",
  docs: `
MAINTAINER has been deprecated since Docker 1.13. Record the author with a label instead:
\`LABEL org.opencontainers.image.authors="..."\`.

\`\`\`dockerfile fires
FROM debian:12
MAINTAINER Jane Doe <jane@example.com>
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const inst of instructionsOfKind(ctx.model, "maintainer")) {
      out.push(ctx.finding(inst.keywordSpan, "MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors instead"));
    }
    return out;
  },
});
