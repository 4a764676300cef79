import { missingAt } from "../../runtime/model.ts";
import { defineRuntimeRule } from "../../runtime/rule.ts";

export const rule = defineRuntimeRule({
  id: "DR013",
  aliases: ["pss:restricted/runAsNonRoot"],
  severity: "warning",
  source: "drydock",
  profile: "restricted",
  appliesTo: ["compose", "kubernetes", "docker-run"],
  summary: "Require a non-root user",
  docs: `
A workload that names no user runs as whatever the image's USER says, and most images say nothing: root.
Kubernetes' restricted profile requires \`runAsNonRoot: true\` (on the pod or on every container), which makes the
kubelet refuse to start a container whose user would be root. In compose and with docker run, set \`user\` (\`-u\`)
to a non-root user. A user explicitly set to root is DR012.

\`\`\`yaml fires
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: example/api:3.2
\`\`\`

\`\`\`yaml silent
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
        - name: api
          image: example/api:3.2
\`\`\`

\`\`\`yaml fires
services:
  api:
    image: example/api:3.2
\`\`\`

\`\`\`sh silent
docker run -u 10001 example/api:3.2
\`\`\`
`,
  *check({ workload: w, finding }) {
    if (w.kind === "kubernetes") {
      const s = w.runAsNonRoot;
      if (s?.value === false) yield finding(s.at, `${s.owner} sets runAsNonRoot: false`);
      else if (s === undefined && !w.fragment) {
        yield finding(missingAt(w, true), `${w.name} does not set runAsNonRoot: true, so it runs as the image's user, root unless the image says otherwise`);
      }
      return;
    }
    if (w.user === undefined && !w.fragment) {
      const how = w.kind === "compose" ? "user:" : "-u";
      yield finding(w.at, `${w.name} sets no user (${how}), so it runs as the image's user, root unless the image says otherwise`);
    }
  },
});
