import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { PLATFORM_ARGS } from "../../dockerfile/stages.ts";

export const rule = defineRule({
  id: "DL3029",
  aliases: ["hadolint:DL3029"],
  severity: "warning",
  source: "hadolint",
  summary: "Do not use --platform flag with FROM",
  url: "https://github.com/hadolint/hadolint/wiki/DL3029",
  docs: `
A platform written into FROM pins the stage to it whatever platform the build is for: on another
architecture the image is built with emulated binaries, or a multi-platform build ships the same binaries for
every platform. Choose the platform when building (\`docker buildx build --platform ...\`) instead.

A value built from BuildKit's platform ARGs follows the build and is not reported: \`$BUILDPLATFORM\` (the
usual cross-compilation stage), \`$TARGETPLATFORM\`, and also \`$TARGETOS/$TARGETARCH\` and the other
\`BUILD*\`/\`TARGET*\` parts (hadolint accepts only values containing BUILDPLATFORM or TARGETPLATFORM).
Anything else is reported, an ARG with a constant default included.

BuildKit's FromPlatformFlagConstDisallowed is narrower (only constant values) and is a separate check.

\`\`\`dockerfile fires
FROM --platform=linux/amd64 debian:12
\`\`\`

\`\`\`dockerfile silent
FROM --platform=$BUILDPLATFORM golang:1.22 AS build
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const stage of ctx.stages.stages) {
      for (const flag of stage.from.flags) {
        if (flag.name !== "platform") continue;
        const value = flag.value ?? "";
        const refs = ctx.stages.expand(stage.from, value).references;
        if (refs.some((r) => PLATFORM_ARGS.includes(r.name))) continue;
        out.push(ctx.finding(flag.span, `Do not use --platform flag with FROM: "${value}" pins the stage to one platform; pass --platform to the build instead`));
      }
    }
    return out;
  },
});
