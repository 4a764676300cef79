import { missingAt } from "../../runtime/model.ts";
import { defineRuntimeRule, spelled } from "../../runtime/rule.ts";

export const rule = defineRuntimeRule({
  id: "DR014",
  aliases: ["cis:5.26", "pss:restricted/allowPrivilegeEscalation"],
  severity: "warning",
  source: "cis",
  profile: "restricted",
  appliesTo: ["compose", "kubernetes", "docker-run"],
  summary: "Forbid privilege escalation (no-new-privileges, allowPrivilegeEscalation: false)",
  docs: `
Without the kernel's no_new_privs flag, a process can gain privileges by running a setuid or setcap binary: a
foothold as an unprivileged user becomes root through any setuid program in the image. Set
\`security_opt: [no-new-privileges:true]\` in compose, \`--security-opt no-new-privileges\` with docker run, and
\`allowPrivilegeEscalation: false\` in Kubernetes (required by the restricted profile).

\`\`\`yaml fires
services:
  app:
    image: alpine:3.20
\`\`\`

\`\`\`yaml silent
services:
  app:
    image: alpine:3.20
    security_opt:
      - no-new-privileges:true
\`\`\`

\`\`\`yaml fires
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      image: alpine:3.20
      securityContext:
        allowPrivilegeEscalation: true
\`\`\`

\`\`\`sh silent
docker run --security-opt=no-new-privileges alpine:3.20
\`\`\`
`,
  *check({ workload: w, finding }) {
    if (w.kind === "kubernetes") {
      const s = w.allowPrivilegeEscalation;
      if (s?.value === true) yield finding(s.at, `${s.owner} sets allowPrivilegeEscalation: true`);
      else if (s === undefined && !w.fragment) {
        yield finding(missingAt(w, true), `${w.name} does not set allowPrivilegeEscalation: false: setuid binaries can make it root`);
      }
      return;
    }
    const s = w.security.noNewPrivileges;
    if (s?.value === false) yield finding(s.at, `${s.owner} turns no-new-privileges off: setuid binaries can make it root`);
    else if (s === undefined && !w.fragment) {
      const how = spelled(w, { compose: "security_opt: [no-new-privileges:true]", kubernetes: "", "docker-run": "--security-opt no-new-privileges" });
      yield finding(w.at, `${w.name} does not set no-new-privileges (${how}): setuid binaries can make it root`);
    }
  },
});
