import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";

export const rule = defineRule({
  id: "DL3065",
  aliases: ["hadolint:DL3065"],
  severity: "warning",
  source: "hadolint",
  summary: "Setting FROM --platform to predefined $TARGETPLATFORM is redundant as this is the default behavior",
  url: "https://github.com/hadolint/hadolint/wiki/DL3065",
  docs: `
A stage is built for the target platform unless told otherwise, so \`FROM --platform=$TARGETPLATFORM\` says
nothing and suggests that something platform-specific happens. Drop the flag. (\`--platform=$BUILDPLATFORM\`
is different: it runs the stage on the build machine, the usual cross-compilation setup.)

BuildKit's RedundantTargetPlatform check reports the same.

\`\`\`dockerfile fires
FROM --platform=$TARGETPLATFORM debian:12
\`\`\`

\`\`\`dockerfile silent
FROM --platform=$BUILDPLATFORM golang:1.22 AS build
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const stage of ctx.stages.stages) {
      for (const flag of stage.from.flags) {
        if (flag.name !== "platform" || (flag.value !== "$TARGETPLATFORM" && flag.value !== "${TARGETPLATFORM}")) continue;
        out.push(ctx.finding(flag.span, `Setting FROM --platform to predefined ${flag.value} is redundant as this is the default behavior`));
      }
    }
    return out;
  },
});
