import { defineRule } from "../../core/rule.ts";

export const rule = defineRule({
  id: "InvalidBaseImagePlatform",
  aliases: ["buildkit:InvalidBaseImagePlatform"],
  severity: "warning",
  source: "buildkit",
  summary: "Base image platform does not match expected target platform",
  docs: `
BuildKit reports this when the base image it pulled for a stage is for another platform than the one the
stage is built for (for example an image that exists only for linux/amd64, pulled for linux/arm64): the build
then runs under emulation, or its binaries do not run on the target. BuildKit's message is
\`Base image <image> was pulled with platform "<actual>", expected "<expected>" for current build\`.

**drydock never reports it when linting.** The check needs the base image's manifest and config from a
registry, and \`drydock lint\` reads the Dockerfile alone, offline. The rule exists so that its name is
known (in \`# check=skip=InvalidBaseImagePlatform\` and in configuration) and documented; \`docker build
--check\` reports it.

What BuildKit reports, given an image published for linux/amd64 only (drydock stays silent on it):

\`\`\`dockerfile
FROM --platform=linux/arm64 example.com/amd64-only-tool:1.0
\`\`\`

\`\`\`dockerfile silent
FROM --platform=linux/arm64 alpine:3.20
\`\`\`
`,
  // Never reports anything offline: its docs carry no firing example (see the registry test).
  inert: true,
  *check() {
    // Needs the base image's platform from its registry: nothing to report from the Dockerfile alone.
  },
});
