import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { stageInstructionsOfKind } from "../../dockerfile/query.ts";

export const rule = defineRule({
  id: "DL3057",
  aliases: ["hadolint:DL3057"],
  // hadolint ships this rule at severity "ignore" (reported only when asked for): here it is opt-in.
  severity: "info",
  optIn: true,
  source: "hadolint",
  summary: "HEALTHCHECK instruction missing",
  url: "https://github.com/hadolint/hadolint/wiki/DL3057",
  docs: `
Without a HEALTHCHECK the container engine only knows whether the main process runs, not whether it
works. Off by default, as in hadolint (where it has severity "ignore"); enable it with \`enable: [DL3057]\`.

Only the target image counts: its stage and the stages it is built FROM (HEALTHCHECK is inherited along
that chain). \`HEALTHCHECK NONE\` counts as a decision made. A HEALTHCHECK the base image defines cannot be
seen when linting.

\`\`\`dockerfile fires
FROM nginx:1.27
COPY site/ /usr/share/nginx/html/
\`\`\`

\`\`\`dockerfile silent
FROM nginx:1.27 AS base
HEALTHCHECK CMD curl -f http://localhost/ || exit 1
FROM base
COPY site/ /usr/share/nginx/html/
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    const target = ctx.stages.target;
    if (target === undefined) return out;
    const hasHealthcheck = ctx.stages.targetChain.some((s) => stageInstructionsOfKind(s, "healthcheck").length > 0);
    if (!hasHealthcheck) {
      const name = target.name === undefined ? `stage ${target.index}` : `stage "${target.name}"`;
      out.push(ctx.finding(target.from.keywordSpan, `\`HEALTHCHECK\` instruction missing: the image built by ${name} has none`));
    }
    return out;
  },
});
