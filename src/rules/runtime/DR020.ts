import { defineRuntimeRule, spelled } from "../../runtime/rule.ts";

export const rule = defineRuntimeRule({
  id: "DR020",
  aliases: ["cis:5.11"],
  severity: "warning",
  source: "cis",
  profile: "restricted",
  appliesTo: ["compose", "kubernetes", "docker-run"],
  summary: "Limit memory",
  docs: `
A container without a memory limit can take all of the host's memory; the kernel's OOM killer then picks victims
across the host, other containers and system services included. A leak or a crafted request becomes an outage of the
machine. Set \`mem_limit\` (or \`deploy.resources.limits.memory\`), \`--memory\`, or \`resources.limits.memory\`.

\`\`\`yaml fires
services:
  app:
    image: example/app:1.0
\`\`\`

\`\`\`yaml silent
services:
  app:
    image: example/app:1.0
    deploy:
      resources:
        limits:
          memory: 512M
\`\`\`

\`\`\`sh silent
docker run -m 512m example/app:1.0
\`\`\`
`,
  *check({ workload: w, finding }) {
    if (w.fragment || w.limits.memory !== undefined) return;
    const how = spelled(w, { compose: "mem_limit or deploy.resources.limits.memory", kubernetes: "resources.limits.memory", "docker-run": "--memory" });
    yield finding(w.at, `${w.name} has no memory limit (${how})`);
  },
});
