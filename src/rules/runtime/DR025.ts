import { defineRuntimeRule } from "../../runtime/rule.ts";

export const rule = defineRuntimeRule({
  id: "DR025",
  aliases: ["pss:baseline/hostPorts"],
  severity: "warning",
  source: "drydock",
  profile: "baseline",
  appliesTo: ["kubernetes"],
  summary: "Do not use hostPort",
  docs: `
A hostPort opens the port on the node the pod lands on, bypassing Services and NetworkPolicies, and ties the pod to
nodes where that port is free. Kubernetes' baseline profile disallows host ports. Expose the pod through a Service
(NodePort or LoadBalancer when it must be reached from outside).

\`\`\`yaml fires
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      ports:
        - containerPort: 80
          hostPort: 8080
\`\`\`

\`\`\`yaml silent
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      ports:
        - containerPort: 80
\`\`\`
`,
  *check({ workload: w, finding }) {
    if (w.kind !== "kubernetes") return;
    for (const p of w.ports) {
      if (p.hostPort !== undefined) yield finding(p.at, `${p.owner} opens hostPort ${p.hostPort} on its node`);
    }
  },
});
