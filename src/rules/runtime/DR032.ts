import { defineRuntimeRule } from "../../runtime/rule.ts";

export const rule = defineRuntimeRule({
  id: "DR032",
  aliases: ["pss:baseline/procMount"],
  severity: "error",
  source: "drydock",
  profile: "baseline",
  appliesTo: ["compose", "kubernetes", "docker-run"],
  summary: "Keep the /proc and /sys masks",
  docs: `
Runtimes mask the parts of \`/proc\` and \`/sys\` that reach the host kernel (\`/proc/kcore\`, \`/proc/sysrq-trigger\`,
\`/proc/sys\`, \`/sys/firmware\`, ...). \`procMount: Unmasked\` in Kubernetes, and \`systempaths=unconfined\` (Docker) or
\`unmask=\` (Podman) security options remove the masks; Kubernetes' baseline profile allows only \`Default\`.

\`\`\`yaml fires
services:
  nested:
    image: example/buildkit:0.15
    security_opt:
      - systempaths=unconfined
\`\`\`

\`\`\`yaml silent
services:
  nested:
    image: example/buildkit:0.15
\`\`\`

\`\`\`yaml fires
apiVersion: v1
kind: Pod
metadata:
  name: nested
spec:
  containers:
    - name: build
      image: example/buildkit:0.15
      securityContext:
        procMount: Unmasked
\`\`\`

\`\`\`sh fires
podman run --security-opt unmask=ALL example/buildkit:0.15
\`\`\`
`,
  *check({ workload: w, finding }) {
    const s = w.security.procMount;
    if (s === undefined || s.value === "Default") return;
    yield finding(s.at, `${s.owner} lifts the /proc and /sys masks (${s.value === "unconfined" ? "systempaths unconfined" : `procMount: ${s.value}`}): host kernel interfaces become reachable`);
  },
});
