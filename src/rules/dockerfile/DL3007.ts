import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { parseImageRef } from "../../dockerfile/query.ts";

export const rule = defineRule({
  id: "DL3007",
  aliases: ["hadolint:DL3007"],
  severity: "warning",
  source: "hadolint",
  summary: "Using latest is prone to errors if the image will ever update",
  url: "https://github.com/hadolint/hadolint/wiki/DL3007",
  docs: `
\`latest\` is whatever was pushed last: rebuilds silently pick up a new major version. Pin a release tag,
or a digest. A \`latest\` tag that also carries a digest is pinned by the digest and is not reported.

\`\`\`dockerfile fires
FROM debian:latest
\`\`\`

\`\`\`dockerfile silent
FROM debian:12.5
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const stage of ctx.stages.stages) {
      const word = stage.from.image;
      if (word === undefined || stage.base.kind !== "image") continue;
      const ref = parseImageRef(stage.image);
      if (ref.tag === "latest" && ref.digest === undefined) {
        out.push(ctx.finding(word.span, `Using latest is prone to errors if the image will ever update: pin a version of "${ref.repository}"`));
      }
    }
    return out;
  },
});
