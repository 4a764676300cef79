import { defineRuntimeRule } from "../../runtime/rule.ts";

export const rule = defineRuntimeRule({
  id: "DR008",
  aliases: ["cis:5.16", "pss:baseline/hostNamespaces"],
  severity: "error",
  source: "cis",
  profile: "baseline",
  appliesTo: ["compose", "kubernetes", "docker-run"],
  summary: "Do not share the host's process namespace",
  docs: `
The host's PID namespace shows the container every process on the host, with their command lines and environment
(secrets included), and lets it signal them, or trace them with SYS_PTRACE. Debug agents that need it belong in a
dedicated, privileged namespace.
Kubernetes' baseline profile forbids host namespaces (hostNetwork, hostPID, hostIPC: the three checks DR007, DR008
and DR009 share the alias \`pss:baseline/hostNamespaces\`).

\`\`\`yaml fires
services:
  app:
    image: alpine:3.20
    pid: host
\`\`\`

\`\`\`yaml silent
services:
  app:
    image: alpine:3.20
    pid: service:db
\`\`\`

\`\`\`yaml fires
apiVersion: v1
kind: Pod
metadata:
  name: probe
spec:
  hostPID: true
  containers:
    - name: app
      image: alpine:3.20
\`\`\`

\`\`\`yaml silent
apiVersion: v1
kind: Pod
metadata:
  name: probe
spec:
  hostPID: false
  containers:
    - name: app
      image: alpine:3.20
\`\`\`

\`\`\`sh fires
docker run --pid=host alpine:3.20
\`\`\`
`,
  *check({ workload: w, finding }) {
    const s = w.hostPid;
    if (s?.value === true) yield finding(s.at, `${s.owner} shares the host's PID namespace: it sees every process on the host and can signal or trace them`);
  },
});
