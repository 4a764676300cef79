import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { packagesInTargetImage } from "../../hardening/image-packages.ts";
import { stageInstructionsOfKind } from "../../dockerfile/query.ts";
import { sshServer } from "../../hardening/package-kinds.ts";

export const rule = defineRule({
  id: "DD013",
  aliases: [],
  severity: "warning",
  source: "drydock",
  summary: "Do not run an SSH server in the container",
  docs: `
An SSH daemon in a container is a second way in, with its own keys to manage, patch and rotate, and it needs
root to start. Containers are reached with \`docker exec\` / \`kubectl exec\` (or an ephemeral debug
container), which use the platform's authentication and leave no listening port.

Reported: an SSH server package (openssh-server, dropbear, Debian's \`ssh\`, Alpine's \`openssh\`) installed
with apt-get/apt, apk, yum/dnf/microdnf or zypper in the final stage or the stages it is built \`FROM\` and not
removed later there, and \`EXPOSE 22\` (also \`22/tcp\`, a range holding 22, or an ARG whose value is 22) in
those stages. Trivy's DS004 checks only the EXPOSE part. The SSH *client* (openssh-client) is not reported.

\`\`\`dockerfile fires
FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends openssh-server
EXPOSE 22
CMD ["/usr/sbin/sshd", "-D"]
\`\`\`

\`\`\`dockerfile silent
FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends openssh-client
EXPOSE 8080
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const pkg of packagesInTargetImage(ctx.stages)) {
      if (!sshServer(pkg.name, pkg.manager)) continue;
      out.push(ctx.finding(pkg.word.span, `${pkg.name} puts an SSH server in the image: use docker exec / kubectl exec instead of SSH into containers`));
    }
    const chain = ctx.stages.targetChain;
    for (let i = chain.length - 1; i >= 0; i--) {
      const stage = chain[i];
      if (stage === undefined) continue;
      for (const inst of stageInstructionsOfKind(stage, "expose")) {
        for (const item of inst.items) {
          const expanded = ctx.stages.expand(inst, item.value);
          for (const port of expanded.value.split(/\s+/)) {
            if (exposesSsh(port)) out.push(ctx.finding(item.span, `EXPOSE ${port} publishes the SSH port: use docker exec / kubectl exec instead of SSH into containers`));
          }
        }
      }
    }
    return out;
  },
});

/** `22`, `22/tcp`, or a TCP range holding 22 (`20-30`). */
function exposesSsh(port: string): boolean {
  const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(port);
  if (m === null || (m[3] !== undefined && m[3].toLowerCase() !== "tcp")) return false;
  const low = Number(m[1]);
  const high = m[2] === undefined ? low : Number(m[2]);
  return low <= 22 && 22 <= high;
}
