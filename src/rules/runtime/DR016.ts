import { defineRuntimeRule } from "../../runtime/rule.ts";

export const rule = defineRuntimeRule({
  id: "DR016",
  aliases: ["cis:5.22", "pss:baseline/seccomp"],
  severity: "error",
  source: "cis",
  profile: "baseline",
  appliesTo: ["compose", "kubernetes", "docker-run"],
  summary: "Do not disable seccomp",
  docs: `
The runtime's default seccomp profile blocks some 50 system calls containers have no business making (\`kexec_load\`,
\`open_by_handle_at\`, \`keyctl\`, new mount APIs, ...), several of which were the way out in past container escapes.
\`seccomp:unconfined\` (or \`seccompProfile.type: Unconfined\`, or the legacy \`unconfined\` annotation) removes that
filter. If a program needs one blocked call, write a profile that allows that call.

\`\`\`yaml fires
services:
  app:
    image: alpine:3.20
    security_opt:
      - seccomp:unconfined
\`\`\`

\`\`\`yaml silent
services:
  app:
    image: alpine:3.20
    security_opt:
      - seccomp:./profiles/app.json
\`\`\`

\`\`\`yaml fires
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  securityContext:
    seccompProfile:
      type: Unconfined
  containers:
    - name: app
      image: alpine:3.20
\`\`\`

\`\`\`sh fires
docker run --security-opt seccomp=unconfined alpine:3.20
\`\`\`
`,
  *check({ workload: w, finding }) {
    const s = w.security.seccomp;
    if (s?.value === "Unconfined") yield finding(s.at, `${s.owner} runs without a seccomp filter: every system call is open to it`);
  },
});
