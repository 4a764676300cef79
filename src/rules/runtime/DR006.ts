import { defineRuntimeRule } from "../../runtime/rule.ts";

export const rule = defineRuntimeRule({
  id: "DR006",
  aliases: ["pss:baseline/hostPathVolumes"],
  severity: "warning",
  source: "drydock",
  profile: "baseline",
  appliesTo: ["kubernetes"],
  summary: "Do not use hostPath volumes",
  docs: `
A hostPath volume gives the pod a directory of the node it happens to run on: the node's files, other pods' data,
sockets. Kubernetes' baseline profile forbids them. Use a PersistentVolumeClaim, an emptyDir, a ConfigMap or a Secret;
node agents that truly need the node's files belong in a namespace with the privileged profile. A hostPath that is the
container runtime's socket or a system directory is reported by DR004 or DR005 instead.

\`\`\`yaml fires
apiVersion: v1
kind: Pod
metadata:
  name: cache
spec:
  containers:
    - name: app
      image: example/app:1.0
      volumeMounts:
        - name: data
          mountPath: /data
  volumes:
    - name: data
      hostPath:
        path: /srv/cache
\`\`\`

\`\`\`yaml silent
apiVersion: v1
kind: Pod
metadata:
  name: cache
spec:
  containers:
    - name: app
      image: example/app:1.0
      volumeMounts:
        - name: data
          mountPath: /data
  volumes:
    - name: data
      emptyDir: {}
\`\`\`
`,
  redundantWith: ["DR004", "DR005"],
  *check({ workload: w, finding }) {
    for (const v of w.volumes) {
      if (v.type === "hostPath") yield finding(v.at, `${v.owner} has hostPath volume "${v.name}": the node's files in the pod`);
    }
  },
});
