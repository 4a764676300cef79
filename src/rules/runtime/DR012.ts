import { defineRuntimeRule } from "../../runtime/rule.ts";

/** `root`, `0`, `0:0`, `root:wheel`: the user part names root. */
function isRootUser(user: string): boolean {
  const name = user.split(":")[0]?.trim() ?? "";
  return name === "root" || name === "0";
}

export const rule = defineRuntimeRule({
  id: "DR012",
  aliases: ["pss:restricted/runAsUser"],
  severity: "warning",
  source: "drydock",
  profile: "restricted",
  appliesTo: ["compose", "kubernetes", "docker-run"],
  summary: "Do not run as root (user 0)",
  docs: `
A process running as root in a container is one kernel bug or one misconfigured mount away from root on the host,
and can change everything inside the container. Kubernetes' restricted profile forbids \`runAsUser: 0\`. Run as a
dedicated user: \`user: "10001:10001"\` in compose, \`-u 10001\` with docker run, \`runAsUser: 10001\` in Kubernetes.
Not naming a user at all is DR013.

\`\`\`yaml fires
services:
  app:
    image: alpine:3.20
    user: root
\`\`\`

\`\`\`yaml silent
services:
  app:
    image: alpine:3.20
    user: "10001:10001"
\`\`\`

\`\`\`yaml fires
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  securityContext:
    runAsUser: 0
  containers:
    - name: app
      image: alpine:3.20
\`\`\`

\`\`\`sh fires
docker run -u 0:0 alpine:3.20 id
\`\`\`
`,
  *check({ workload: w, finding }) {
    const uid = w.runAsUser;
    if (uid?.value === 0) yield finding(uid.at, `${uid.owner} sets runAsUser: 0, so it runs as root`);
    const user = w.user;
    if (user !== undefined && isRootUser(user.value)) yield finding(user.at, `${user.owner} runs as root (user ${user.value})`);
  },
});
