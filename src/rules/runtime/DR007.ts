import { defineRuntimeRule } from "../../runtime/rule.ts";

export const rule = defineRuntimeRule({
  id: "DR007",
  aliases: ["cis:5.10", "pss:baseline/hostNamespaces"],
  severity: "error",
  source: "cis",
  profile: "baseline",
  appliesTo: ["compose", "kubernetes", "docker-run"],
  summary: "Do not share the host's network namespace",
  docs: `
The host's network namespace gives the container the host's interfaces: it can bind any host port, sniff host
traffic with NET_RAW, and reach every service that listens on the host's \`localhost\` only because it trusts local
clients (the Docker API, databases, metadata proxies). Publish the ports the service needs instead.
Kubernetes' baseline profile forbids host namespaces (hostNetwork, hostPID, hostIPC: the three checks DR007, DR008
and DR009 share the alias \`pss:baseline/hostNamespaces\`).

\`\`\`yaml fires
services:
  app:
    image: alpine:3.20
    network_mode: host
\`\`\`

\`\`\`yaml silent
services:
  app:
    image: alpine:3.20
    network_mode: bridge
\`\`\`

\`\`\`yaml fires
apiVersion: v1
kind: Pod
metadata:
  name: probe
spec:
  hostNetwork: true
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
  hostNetwork: false
  containers:
    - name: app
      image: alpine:3.20
\`\`\`

\`\`\`sh fires
docker run --network=host alpine:3.20
\`\`\`
`,
  *check({ workload: w, finding }) {
    const s = w.hostNetwork;
    if (s?.value === true) yield finding(s.at, `${s.owner} uses the host's network namespace: it can bind any host port and reach services listening on the host's localhost`);
  },
});
