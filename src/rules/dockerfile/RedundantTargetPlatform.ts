import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { dispatchEnv, expandInScope } from "../../context/dispatch.ts";

export const rule = defineRule({
  id: "RedundantTargetPlatform",
  aliases: ["buildkit:RedundantTargetPlatform"],
  severity: "warning",
  source: "buildkit",
  summary: "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior",
  url: "https://docs.docker.com/go/dockerfile/rule/redundant-target-platform/",
  redundantWith: ["DL3065"],
  docs: `
Where hadolint's DL3065 reports the same instruction, only DL3065's finding is shown (ignore DL3065 to see this one).

A stage's base image is pulled for the target platform unless \`--platform\` says otherwise, so
\`--platform=$TARGETPLATFORM\` changes nothing. Reported when the value uses \`TARGETPLATFORM\` and no other
variable and comes out as its value, as BuildKit checks it.

\`\`\`dockerfile fires
FROM --platform=${"$"}TARGETPLATFORM alpine AS builder
\`\`\`

\`\`\`dockerfile silent
FROM --platform=${"$"}BUILDPLATFORM alpine AS builder
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    const global = dispatchEnv(ctx).global;
    for (const stage of ctx.stages.stages) {
      const platform = stage.from.flags.find((f) => f.name === "platform");
      if (platform?.value === undefined || platform.value === "") continue;
      const e = expandInScope(global, platform.value, { escapeToken: ctx.model.escapeToken });
      if (e === undefined) continue;
      const matched = new Set(e.references.filter((r) => r.set).map((r) => r.name));
      const unmatched = e.references.some((r) => !r.set);
      if (unmatched || matched.size !== 1 || !matched.has("TARGETPLATFORM")) continue;
      if (e.value === global.env.get("TARGETPLATFORM")) {
        out.push(ctx.finding(platform.valueSpan ?? platform.span, `Setting platform to predefined ${platform.value} in FROM is redundant as this is the default behavior`));
      }
    }
    return out;
  },
});
