import { defineRuntimeRule } from "../../runtime/rule.ts";

export const rule = defineRuntimeRule({
  id: "DR009",
  aliases: ["cis:5.17", "pss:baseline/hostNamespaces"],
  severity: "error",
  source: "cis",
  profile: "baseline",
  appliesTo: ["compose", "kubernetes", "docker-run"],
  summary: "Do not share the host's IPC namespace",
  docs: `
The host's IPC namespace gives the container the shared memory segments, semaphores and message queues of host
processes: it can read and corrupt what they exchange.
Kubernetes' baseline profile forbids host namespaces (hostNetwork, hostPID, hostIPC: the three checks DR007, DR008
and DR009 share the alias \`pss:baseline/hostNamespaces\`).

\`\`\`yaml fires
services:
  app:
    image: alpine:3.20
    ipc: host
\`\`\`

\`\`\`yaml silent
services:
  app:
    image: alpine:3.20
    ipc: shareable
\`\`\`

\`\`\`yaml fires
apiVersion: v1
kind: Pod
metadata:
  name: probe
spec:
  hostIPC: true
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
  hostIPC: false
  containers:
    - name: app
      image: alpine:3.20
\`\`\`

\`\`\`sh fires
docker run --ipc=host alpine:3.20
\`\`\`
`,
  *check({ workload: w, finding }) {
    const s = w.hostIpc;
    if (s?.value === true) yield finding(s.at, `${s.owner} shares the host's IPC namespace: shared memory and semaphores of host processes`);
  },
});
