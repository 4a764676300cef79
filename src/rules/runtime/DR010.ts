import { defineRuntimeRule } from "../../runtime/rule.ts";

export const rule = defineRuntimeRule({
  id: "DR010",
  aliases: ["cis:5.21"],
  severity: "warning",
  source: "cis",
  profile: "baseline",
  appliesTo: ["compose", "docker-run"],
  summary: "Do not share the host's UTS namespace",
  docs: `
In the host's UTS namespace the container shares the host's hostname and NIS domain name, and with SYS_ADMIN can
change them for the whole host. Kubernetes has no such setting (hostNetwork implies it, see DR007).

\`\`\`yaml fires
services:
  app:
    image: alpine:3.20
    uts: host
\`\`\`

\`\`\`yaml silent
services:
  app:
    image: alpine:3.20
    hostname: app
\`\`\`

\`\`\`sh fires
docker run --uts=host alpine:3.20 hostname
\`\`\`
`,
  *check({ workload: w, finding }) {
    const s = w.hostUts;
    if (s?.value === true) yield finding(s.at, `${s.owner} shares the host's UTS namespace: it can change the host's hostname`);
  },
});
