import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { stageInstructionsOfKind } from "../../dockerfile/query.ts";

/** The OCI annotations that tie an image back to the exact source it was built from, and when. */
const REQUIRED = ["org.opencontainers.image.source", "org.opencontainers.image.revision", "org.opencontainers.image.created"] as const;

export const rule = defineRule({
  id: "DD018",
  aliases: [],
  severity: "info",
  source: "drydock",
  optIn: true,
  summary: "Label the image with its source, revision and creation time",
  docs: `
When an image turns up in a registry, a cluster or a vulnerability report, the OCI labels
\`org.opencontainers.image.source\` (the repository URL), \`.revision\` (the commit) and \`.created\` (RFC 3339
build time) say where it came from without guessing; registries such as GHCR use \`.source\` to link the
package to its repository, and scanners to link findings to code.

The labels are read along the image that is built: LABELs of the target stage and of the stages it is built
\`FROM\` (a later one wins), with ARGs expanded. An empty value counts as missing. A value taken from an ARG
declared without a default (\`ARG REVISION\` then \`LABEL org.opencontainers.image.revision=$REVISION\`) is
supplied with \`--build-arg\` at build time and counts as present; one taken from a variable that is not
declared in the stage is always empty.

Off by default (enable \`DD018\`): many pipelines add these labels outside the Dockerfile
(\`docker buildx build --label\`, docker/metadata-action), which drydock cannot see.

\`\`\`dockerfile fires
FROM debian:12
LABEL org.opencontainers.image.source="https://github.com/example/app"
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
ARG REVISION
ARG CREATED
LABEL org.opencontainers.image.source="https://github.com/example/app" \\
      org.opencontainers.image.revision=$REVISION \\
      org.opencontainers.image.created=$CREATED
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    const target = ctx.stages.target;
    if (target === undefined) return out;
    const present = new Map<string, boolean>();
    for (const stage of [...ctx.stages.targetChain].reverse()) {
      for (const inst of stageInstructionsOfKind(stage, "label")) {
        const scope = ctx.stages.scope(inst);
        for (const pair of inst.pairs) {
          const key = ctx.stages.expand(inst, pair.key.value).value;
          const value = ctx.stages.expand(inst, pair.value.value);
          // An ARG without a value here is a --build-arg placeholder; an undeclared name stays empty.
          const fromBuildArg = value.references.some((r) => !r.set && scope.get(r.name)?.from === "arg");
          present.set(key, value.value !== "" || fromBuildArg);
        }
      }
    }
    const missing = REQUIRED.filter((key) => present.get(key) !== true);
    if (missing.length === 0) return out;
    const span = target.from.image?.span ?? target.from.keywordSpan;
    out.push(ctx.finding(span, `The image has no ${missing.join(", ")} label${missing.length > 1 ? "s" : ""}: add LABEL ${missing.map((k) => `${k}=...`).join(" ")} (ARGs filled in by the build)`));
    return out;
  },
});
