import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { packagesInTargetImage } from "../../hardening/image-packages.ts";
import { PRIVILEGE_ESCALATION } from "../../hardening/package-kinds.ts";

export const rule = defineRule({
  id: "DD012",
  aliases: [],
  severity: "warning",
  source: "drydock",
  summary: "Do not install sudo in the image",
  docs: `
sudo (or doas) in an image is a setuid-root binary plus a sudoers policy: whoever gets a shell as the
unprivileged user is one misconfiguration or one sudo vulnerability away from root, which undoes the point of
running as a non-root USER. Steps that need root run as root at build time (\`USER root\`, then switch back);
an entrypoint that must drop privileges uses gosu, su-exec or setpriv, which only go down.

Reported: sudo, sudo-ldap and doas installed with apt-get/apt, apk, yum/dnf/microdnf or zypper in the final
stage or the stages it is built \`FROM\`, unless removed later there. Build stages that are only copied from
are not the image. *Running* sudo in a RUN is DL3004.

\`\`\`dockerfile fires
FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends sudo
RUN useradd app && echo 'app ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/app
USER app
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends gosu
RUN useradd app
USER app
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const pkg of packagesInTargetImage(ctx.stages)) {
      if (!PRIVILEGE_ESCALATION.has(pkg.name)) continue;
      out.push(ctx.finding(pkg.word.span, `${pkg.name} is installed in the final image: it lets the container user become root; run root steps at build time and drop privileges with gosu or su-exec`));
    }
    return out;
  },
});
