import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { instructionsOfKind } from "../../dockerfile/query.ts";

const PROTOCOLS: readonly string[] = ["tcp", "udp", "sctp"];

export const rule = defineRule({
  id: "DL3011",
  aliases: ["hadolint:DL3011", "trivy:DS008"],
  severity: "error",
  source: "hadolint",
  summary: "Valid UNIX ports range from 0 to 65535",
  url: "https://github.com/hadolint/hadolint/wiki/DL3011",
  docs: `
A port is a 16-bit number: EXPOSE with a port above 65535 fails the build. Each EXPOSE item is read the way
BuildKit reads it: variables expanded (an item whose variable has no value is skipped), an optional range
\`8000-8010\` and an optional protocol \`/tcp\`, \`/udp\` or \`/sctp\`.

Beyond hadolint, which checks only the range, every item BuildKit would reject is reported: a port that is
not a number, a range that runs backwards, an unknown protocol.

\`\`\`dockerfile fires
FROM debian:12
EXPOSE 80 80800
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
ARG PORT=8080
EXPOSE 80/tcp 8000-8010/udp \${PORT}
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const inst of instructionsOfKind(ctx.model, "expose")) {
      for (const item of inst.items) {
        const expanded = ctx.stages.expand(inst, item.value);
        if (expanded.references.some((r) => !r.set)) continue;
        // One word may expand to several ports (`EXPOSE $PORTS`).
        for (const port of expanded.value.split(/\s+/).filter((p) => p !== "")) {
          const problem = portProblem(port);
          if (problem !== undefined) out.push(ctx.finding(item.span, `Valid UNIX ports range from 0 to 65535: "${port}" ${problem}`));
        }
      }
    }
    return out;
  },
});

/** Why BuildKit would reject an EXPOSE item (`[[ip:]hostPort:]port[-port][/proto]`), or undefined. */
function portProblem(item: string): string | undefined {
  const slash = item.indexOf("/");
  const ports = slash === -1 ? item : item.slice(0, slash);
  const protocol = slash === -1 ? "" : item.slice(slash + 1);
  if (protocol !== "" && !PROTOCOLS.includes(protocol.toLowerCase())) return `has an unknown protocol "${protocol}" (tcp, udp or sctp)`;
  const parts = ports.split(":");
  // `ip:host:container` (deprecated in EXPOSE): the host and container parts are ports; an IP is not.
  for (const range of parts.slice(-2)) {
    const problem = rangeProblem(range);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function rangeProblem(range: string): string | undefined {
  const dash = range.indexOf("-");
  const start = dash === -1 ? range : range.slice(0, dash);
  const end = dash === -1 ? undefined : range.slice(dash + 1);
  for (const n of end === undefined ? [start] : [start, end]) {
    if (!/^\d+$/.test(n)) return n === "" ? "has an empty port" : `is not a port number`;
    if (Number(n) > 65535) return `is out of range: ${n} is above 65535`;
  }
  if (end !== undefined && Number(end) < Number(start)) return `is a range that runs backwards`;
  return undefined;
}
