import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { stageInstructionsOfKind } from "../../dockerfile/query.ts";

export const rule = defineRule({
  id: "DL3022",
  aliases: ["hadolint:DL3022"],
  severity: "warning",
  source: "hadolint",
  summary: "COPY --from should reference a previously defined FROM alias",
  url: "https://github.com/hadolint/hadolint/wiki/DL3022",
  docs: `
\`COPY --from=NAME\` copies from the stage named NAME, and when there is none BuildKit quietly pulls an image
called NAME instead: a typo in a stage name turns into a pull from Docker Hub. Reference a stage defined
before the COPY by its name (any case, as BuildKit compares them) or its index.

An image is fine when written as one (\`--from=nginx:1.25\`, \`--from=docker.io/library/nginx\`,
\`--from=nginx@sha256:...\`): a tag, digest or path says it is not a stage. A bare word that names no earlier
stage is reported, and so is a stage defined only after the COPY (BuildKit accepts forward references, but
the order misleads the reader), and \`--from=$VAR\` (BuildKit does not expand variables in \`--from\` and fails).
Copying from the COPY's own stage is DL3023's finding. COPY inside ONBUILD refers to the stages of a later
build and is not checked.

\`\`\`dockerfile fires
FROM golang:1.22 AS build
RUN go build -o /out/app .
FROM debian:12
COPY --from=biuld /out/app /usr/local/bin/app
\`\`\`

\`\`\`dockerfile silent
FROM golang:1.22 AS build
RUN go build -o /out/app .
FROM debian:12
COPY --from=build /out/app /usr/local/bin/app
COPY --from=nginx:1.25 /etc/nginx/nginx.conf /etc/nginx/
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const stage of ctx.stages.stages) {
      for (const inst of stageInstructionsOfKind(stage, "copy")) {
        for (const flag of inst.flags) {
          if (flag.name !== "from" || flag.value === undefined) continue;
          const ref = flag.value;
          const span = flag.valueSpan ?? flag.span;
          if (ctx.stages.expand(inst, ref).references.length > 0) {
            out.push(ctx.finding(span, `COPY --from should reference a previously defined FROM alias: "${ref}" uses a variable, which --from does not expand; define a stage FROM it and copy from that stage`));
            continue;
          }
          const named = ctx.stages.stageByName(ref);
          if (named !== undefined) {
            if (named.index > stage.index) out.push(ctx.finding(span, `COPY --from should reference a previously defined FROM alias: stage "${ref}" is defined after this COPY, on line ${named.from.span.start.line}`));
            continue;
          }
          if (/^\d+$/.test(ref)) {
            if (Number(ref) > stage.index) out.push(ctx.finding(span, `COPY --from should reference a previously defined FROM alias: there is no stage ${ref} before this COPY (stages count from 0)`));
            continue;
          }
          // A tag, digest or path marks an image reference.
          if (/[:/@]/.test(ref)) continue;
          out.push(ctx.finding(span, `COPY --from should reference a previously defined FROM alias: no stage is named "${ref}"; if an image is meant, write it with a tag (${ref}:<tag>)`));
        }
      }
    }
    return out;
  },
});
