import { defineRuntimeRule } from "../../runtime/rule.ts";

export const rule = defineRuntimeRule({
  id: "DR023",
  aliases: ["cis:5.8"],
  severity: "info",
  source: "cis",
  profile: "baseline",
  appliesTo: ["compose", "docker-run"],
  summary: "Do not publish privileged host ports (below 1024)",
  docs: `
Ports below 1024 are reserved for services the host's administrator runs: publishing a container on one takes it
for the container, and puts the container where users expect a system service (SSH on 22, DNS on 53). Publish on a
high port and let a reverse proxy or load balancer own 80 and 443. Host ports in Kubernetes are DR025.

\`\`\`yaml fires
services:
  web:
    image: nginx:1.27
    ports:
      - "80:8080"
\`\`\`

\`\`\`yaml silent
services:
  web:
    image: nginx:1.27
    ports:
      - "8080:8080"
\`\`\`

\`\`\`sh fires
docker run -p 443:8443 example/web:2.0
\`\`\`
`,
  *check({ workload: w, finding }) {
    if (w.kind === "kubernetes") return;
    for (const p of w.ports) {
      if (p.hostPort !== undefined && p.hostPort > 0 && p.hostPort < 1024) {
        yield finding(p.at, `${p.owner} publishes privileged host port ${p.hostPort}`);
      }
    }
  },
});
