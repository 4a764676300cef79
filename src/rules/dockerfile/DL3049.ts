import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { stageInstructionsOfKind } from "../../dockerfile/query.ts";
import { schemaLabels } from "../../labels/labels.ts";

export const rule = defineRule({
  id: "DL3049",
  aliases: ["hadolint:DL3049"],
  severity: "info",
  source: "hadolint",
  summary: "Label is missing",
  url: "https://github.com/hadolint/hadolint/wiki/DL3049",
  docs: `
Every label of the configured label schema (\`label-schema\`) must be set on the image. Only the target
image counts: its stage and the stages it is built FROM (labels are inherited along that chain), so a label
set in a base stage satisfies the target, and build stages that are only copied from need no labels.
ONBUILD LABEL does not count: it labels the images built from this one, not this one.

\`\`\`yaml
label-schema:
  org.opencontainers.image.source: url
\`\`\`

\`\`\`dockerfile fires labelSchema=org.opencontainers.image.source:url
FROM debian:12
LABEL org.opencontainers.image.title="api"
\`\`\`

\`\`\`dockerfile silent labelSchema=org.opencontainers.image.source:url
FROM debian:12 AS base
LABEL org.opencontainers.image.source="https://github.com/example/api"
FROM base
RUN true
\`\`\`

`,
  check(ctx) {
    const out: TextFinding[] = [];
    const required = schemaLabels(ctx);
    const target = ctx.stages.target;
    if (required.length === 0 || target === undefined) return out;
    const present = new Set<string>();
    for (const stage of ctx.stages.targetChain) {
      for (const inst of stageInstructionsOfKind(stage, "label")) {
        for (const pair of inst.pairs) present.add(ctx.stages.expand(inst, pair.key.value).value);
      }
    }
    for (const label of required) {
      if (!present.has(label)) out.push(ctx.finding(target.from.keywordSpan, `Label \`${label}\` is missing from the image`));
    }
    return out;
  },
});
