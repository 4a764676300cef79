import { defineRuntimeRule } from "../../runtime/rule.ts";

export const rule = defineRuntimeRule({
  id: "DR001",
  aliases: ["cis:5.5", "pss:baseline/privileged"],
  severity: "error",
  source: "cis",
  profile: "baseline",
  appliesTo: ["compose", "kubernetes", "docker-run"],
  summary: "Do not run privileged containers",
  docs: `
A privileged container gets every capability and every host device, and runs without seccomp, AppArmor or SELinux
confinement: root in it is root on the host, one \`mount\` away. Grant the one capability or device the workload
needs instead (\`cap_add\`, \`devices\`), or run it outside containers.

\`\`\`yaml fires
services:
  app:
    image: alpine:3.20
    privileged: true
\`\`\`

\`\`\`yaml silent
services:
  app:
    image: alpine:3.20
    privileged: false
\`\`\`

\`\`\`yaml fires
apiVersion: v1
kind: Pod
metadata:
  name: debug
spec:
  containers:
    - name: shell
      image: busybox:1.36
      securityContext:
        privileged: true
\`\`\`

\`\`\`sh fires
docker run --privileged -it alpine:3.20 sh
\`\`\`
`,
  *check({ workload: w, finding }) {
    const p = w.privileged;
    if (p?.value === true) yield finding(p.at, `${p.owner} runs privileged: all capabilities and host devices, no seccomp or AppArmor confinement`);
  },
});
