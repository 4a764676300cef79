import { defineRuntimeRule, spelled } from "../../runtime/rule.ts";

export const rule = defineRuntimeRule({
  id: "DR021",
  aliases: ["cis:5.12"],
  severity: "warning",
  source: "cis",
  profile: "restricted",
  appliesTo: ["compose", "kubernetes", "docker-run"],
  summary: "Limit CPU",
  docs: `
A container without a CPU limit or share competes on equal terms with everything else on the host: a busy loop, a
crypto miner or a request flood slows every other workload down. Set \`cpus\` (or \`deploy.resources.limits.cpus\`,
\`cpu_shares\`, \`cpu_quota\`, \`cpuset\`), \`--cpus\`/\`--cpu-shares\`, or \`resources.limits.cpu\`.

\`\`\`yaml fires
services:
  app:
    image: example/app:1.0
\`\`\`

\`\`\`yaml silent
services:
  app:
    image: example/app:1.0
    cpus: "1.5"
\`\`\`

\`\`\`yaml fires
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      image: example/app:1.0
      resources:
        limits:
          memory: 256Mi
\`\`\`
`,
  *check({ workload: w, finding }) {
    if (w.fragment || w.limits.cpu !== undefined) return;
    const how = spelled(w, { compose: "cpus or deploy.resources.limits.cpus", kubernetes: "resources.limits.cpu", "docker-run": "--cpus" });
    yield finding(w.at, `${w.name} has no CPU limit (${how})`);
  },
});
