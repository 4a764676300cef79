import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { exposedPorts } from "../../context/dispatch.ts";

export const rule = defineRule({
  id: "ExposeProtoCasing",
  aliases: ["buildkit:ExposeProtoCasing"],
  severity: "warning",
  source: "buildkit",
  summary: "Protocol in EXPOSE instruction should be lowercase",
  url: "https://docs.docker.com/go/dockerfile/rule/expose-proto-casing/",
  docs: `
The protocol of an EXPOSE port (\`tcp\`, \`udp\`, \`sctp\`) is stored lower-cased; writing it in another case
only makes the Dockerfile inconsistent. Ports are checked after ARG/ENV expansion, in the stages' EXPOSE
instructions.

\`\`\`dockerfile fires
FROM alpine
EXPOSE 80/TcP
\`\`\`

\`\`\`dockerfile silent
FROM alpine
EXPOSE 80/tcp 53/udp
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const { word, spec } of exposedPorts(ctx)) {
      if (spec.proto !== spec.proto.toLowerCase()) {
        out.push(ctx.finding(word.span, `Defined protocol '${spec.raw}' in EXPOSE instruction should be lowercase`));
      }
    }
    return out;
  },
});
