import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { parseImageRef } from "../../dockerfile/query.ts";

export const rule = defineRule({
  id: "DL3006",
  aliases: ["hadolint:DL3006"],
  severity: "warning",
  source: "hadolint",
  summary: "Always tag the version of an image explicitly",
  url: "https://github.com/hadolint/hadolint/wiki/DL3006",
  docs: `
An image without a tag means \`latest\`, which changes under you: the same Dockerfile builds something
different next week. Name a tag (better: pin a digest).

ARGs are expanded first, so \`FROM node:\${NODE_VERSION}\` with a default is tagged. A base that is an
earlier stage, \`scratch\`, or a variable without a default is not checked.

\`\`\`dockerfile fires
FROM debian
\`\`\`

\`\`\`dockerfile silent
ARG VERSION=12
FROM debian:\${VERSION}
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const stage of ctx.stages.stages) {
      const word = stage.from.image;
      if (word === undefined || stage.base.kind !== "image") continue;
      const expanded = ctx.stages.expand(stage.from, word.value);
      if (expanded.references.some((r) => !r.set)) continue;
      const ref = parseImageRef(stage.image);
      if (ref.tag === undefined && ref.digest === undefined) {
        out.push(ctx.finding(word.span, `Always tag the version of an image explicitly: "${stage.image}" has no tag`));
      }
    }
    return out;
  },
});
