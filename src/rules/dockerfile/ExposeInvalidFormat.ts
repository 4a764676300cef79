import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { exposedPorts } from "../../context/dispatch.ts";

export const rule = defineRule({
  id: "ExposeInvalidFormat",
  aliases: ["buildkit:ExposeInvalidFormat"],
  severity: "warning",
  source: "buildkit",
  summary: "IP address and host-port mapping should not be used in EXPOSE instruction. This will become an error in a future release",
  url: "https://docs.docker.com/go/dockerfile/rule/expose-invalid-format/",
  docs: `
EXPOSE documents the ports the container listens on. An IP address or a host port (\`127.0.0.1:80:80\`,
\`8080:80\`) belongs to \`docker run -p\`, not to the image: BuildKit ignores it today and will reject it in a
future release. Ports are checked after ARG/ENV expansion, in the stages' EXPOSE instructions.

\`\`\`dockerfile fires
FROM alpine
EXPOSE 127.0.0.1:80:80
\`\`\`

\`\`\`dockerfile silent
FROM alpine
EXPOSE 80
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const { word, spec } of exposedPorts(ctx)) {
      if (spec.ip !== "" || spec.hostPort !== "") {
        out.push(ctx.finding(word.span, `EXPOSE instruction should not define an IP address or host-port mapping, found '${spec.raw}'`));
      }
    }
    return out;
  },
});
