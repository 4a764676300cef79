import { defineRule } from "../../core/rule.ts";
import { knownNonRootImage, NON_ROOT_IMAGES } from "../../hardening/nonroot-images.ts";

export const rule = defineRule({
  id: "DD001",
  aliases: ["cis:4.1"],
  severity: "warning",
  source: "drydock",
  summary: "The final image runs as root: no USER is set",
  docs: `
Without a USER instruction a container runs as the base image's user, which for almost every base (debian,
alpine, ubuntu, node, python, scratch) is root. Root in the container is one kernel bug, one writable host
mount or one mounted Docker socket away from root on the host. Create an unprivileged user and switch to it
(CIS Docker Benchmark 4.1).

Only the image that is built counts: the target stage and the stages it is built \`FROM\`, whose USER it
inherits. A build stage that is only copied from may run as root. An explicit \`USER root\` at the end is
reported by DL3002, not here, so the two never report the same line; Trivy's DS002 covers both cases.

Bases known to run as a non-root user without a USER line are not reported:

${NON_ROOT_IMAGES.map((e) => `- ${e.pattern}: ${e.why}.`).join("\n")}

A base given by an ARG without a default is not known, so it is not reported either.

\`\`\`dockerfile fires
FROM debian:12
RUN useradd --system app
COPY app /usr/local/bin/app
CMD ["app"]
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
RUN useradd --system app
COPY app /usr/local/bin/app
USER app
CMD ["app"]
\`\`\`

\`\`\`dockerfile silent
FROM golang:1.22 AS build
RUN go build -o /app .
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /app /app
\`\`\`
`,
  *check(ctx) {
    const chain = ctx.stages.targetChain;
    const target = chain[0];
    const bottom = chain.at(-1);
    if (target === undefined || bottom === undefined) return;
    // Any USER along the chain decides; a root one is DL3002's finding.
    if (chain.some((stage) => stage.instructions.some((inst) => inst.kind === "user"))) return;
    let why: string;
    if (bottom.base.kind === "image") {
      const word = bottom.from.image;
      if (word !== undefined && ctx.stages.expand(bottom.from, word.value).references.some((r) => !r.set)) return;
      if (knownNonRootImage(bottom.base.ref) !== undefined) return;
      why = `"${bottom.base.ref}" is not known to set a non-root user`;
    } else {
      why = "scratch has no user, so it is uid 0";
    }
    const where = target.from.image ?? target.from.keywordSpan;
    const span = "span" in where ? where.span : where;
    yield ctx.finding(span, `The image runs as root: no USER in the target stage or the stages it is built FROM, and ${why}; add USER with an unprivileged user`);
  },
});
