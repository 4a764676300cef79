import { defineRuntimeRule } from "../../runtime/rule.ts";

export const rule = defineRuntimeRule({
  id: "DR018",
  aliases: ["cis:5.2", "pss:baseline/appArmor"],
  severity: "error",
  source: "cis",
  profile: "baseline",
  appliesTo: ["compose", "kubernetes", "docker-run"],
  summary: "Do not disable AppArmor",
  docs: `
On hosts with AppArmor, the runtime confines every container with a default profile that denies writes to
\`/proc\` and \`/sys\` files, mounts, and other ways out. \`apparmor:unconfined\` (\`appArmorProfile.type:
Unconfined\`, or the legacy \`unconfined\` annotation in Kubernetes) removes it. Kubernetes' baseline profile forbids
it. Write a custom profile if the default is too strict.

\`\`\`yaml fires
services:
  app:
    image: alpine:3.20
    security_opt:
      - apparmor=unconfined
\`\`\`

\`\`\`yaml silent
services:
  app:
    image: alpine:3.20
    security_opt:
      - apparmor=docker-default
\`\`\`

\`\`\`yaml fires
apiVersion: v1
kind: Pod
metadata:
  name: app
  annotations:
    container.apparmor.security.beta.kubernetes.io/app: unconfined
spec:
  containers:
    - name: app
      image: alpine:3.20
\`\`\`

\`\`\`sh fires
docker run --security-opt apparmor:unconfined alpine:3.20
\`\`\`
`,
  *check({ workload: w, finding }) {
    const s = w.security.apparmor;
    if (s?.value === "Unconfined") yield finding(s.at, `${s.owner} runs without AppArmor confinement`);
  },
});
