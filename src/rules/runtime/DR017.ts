import { missingAt } from "../../runtime/model.ts";
import { defineRuntimeRule } from "../../runtime/rule.ts";

export const rule = defineRuntimeRule({
  id: "DR017",
  aliases: ["pss:restricted/seccomp"],
  severity: "warning",
  source: "drydock",
  profile: "restricted",
  appliesTo: ["kubernetes"],
  summary: "Set a seccomp profile (RuntimeDefault or Localhost)",
  docs: `
Unlike \`docker run\` and compose, which apply Docker's default seccomp profile unless told otherwise, Kubernetes runs
containers unconfined unless the pod or the container sets \`seccompProfile.type\` to \`RuntimeDefault\` or
\`Localhost\` (or the kubelet's SeccompDefault setting is on, which a manifest cannot know). The restricted profile
requires it. Set it once on the pod's securityContext. Setting it to \`Unconfined\` is DR016.

\`\`\`yaml fires
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      image: alpine:3.20
\`\`\`

\`\`\`yaml silent
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  securityContext:
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: app
      image: alpine:3.20
\`\`\`
`,
  *check({ workload: w, finding }) {
    if (w.kind !== "kubernetes" || w.fragment || w.security.seccomp !== undefined) return;
    yield finding(missingAt(w, true), `${w.name} sets no seccomp profile (seccompProfile.type: RuntimeDefault on the pod or container)`);
  },
});
