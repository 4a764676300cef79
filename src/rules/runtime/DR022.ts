import { defineRuntimeRule, spelled } from "../../runtime/rule.ts";

export const rule = defineRuntimeRule({
  id: "DR022",
  aliases: ["cis:5.29"],
  severity: "warning",
  source: "cis",
  profile: "restricted",
  appliesTo: ["compose", "docker-run"],
  summary: "Limit the number of processes",
  docs: `
Without a PIDs limit a fork bomb in one container exhausts the host's process table and nothing else can start.
Set \`pids_limit\` (or \`deploy.resources.limits.pids\`) or \`--pids-limit\`; \`-1\` and \`0\` mean no limit.
Kubernetes sets pod PID limits on the kubelet (\`podPidsLimit\`), which a manifest cannot show, so this check does
not apply to manifests.

\`\`\`yaml fires
services:
  app:
    image: example/app:1.0
\`\`\`

\`\`\`yaml silent
services:
  app:
    image: example/app:1.0
    pids_limit: 200
\`\`\`

\`\`\`sh fires
docker run --pids-limit -1 example/app:1.0
\`\`\`
`,
  *check({ workload: w, finding }) {
    if (w.kind === "kubernetes") return;
    const pids = w.limits.pids;
    if (pids !== undefined) {
      if (Number(pids.value) <= 0) yield finding(pids.at, `${pids.owner} sets no PIDs limit (${pids.value} means unlimited)`);
      return;
    }
    if (w.fragment) return;
    const how = spelled(w, { compose: "pids_limit", kubernetes: "", "docker-run": "--pids-limit" });
    yield finding(w.at, `${w.name} has no PIDs limit (${how}): a fork bomb takes the host down`);
  },
});
