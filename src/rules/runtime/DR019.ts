import { ALLOWED_SELINUX_TYPES } from "../../runtime/facts.ts";
import { defineRuntimeRule } from "../../runtime/rule.ts";

export const rule = defineRuntimeRule({
  id: "DR019",
  aliases: ["cis:5.3", "pss:baseline/seLinux"],
  severity: "error",
  source: "cis",
  profile: "baseline",
  appliesTo: ["compose", "kubernetes", "docker-run"],
  summary: "Do not disable SELinux separation or set a custom SELinux type, user or role",
  docs: `
On SELinux hosts every container runs as \`container_t\` with its own category pair, which keeps it away from host
files and from other containers even when it runs as root. \`label=disable\` (\`label:disable\`) turns that off, and
types such as \`spc_t\` ("super privileged container") or \`unconfined_t\` lift it. Kubernetes' baseline profile
allows only the container types (\`container_t\`, \`container_init_t\`, \`container_kvm_t\`, \`container_engine_t\`)
and no custom user or role; the level may be set.

\`\`\`yaml fires
services:
  app:
    image: alpine:3.20
    security_opt:
      - label:disable
\`\`\`

\`\`\`yaml silent
services:
  app:
    image: alpine:3.20
    security_opt:
      - label=level:s0:c100,c200
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
        seLinuxOptions:
          type: spc_t
\`\`\`

\`\`\`sh fires
podman run --security-opt label=disable alpine:3.20
\`\`\`
`,
  *check({ workload: w, finding }) {
    for (const s of w.security.selinux) {
      const colon = s.value.indexOf(":");
      const field = (colon === -1 ? s.value : s.value.slice(0, colon)).trim().toLowerCase();
      const value = colon === -1 ? "" : s.value.slice(colon + 1).trim();
      if (field === "disable") yield finding(s.at, `${s.owner} turns SELinux separation off (label disable)`);
      else if (field === "type" && !ALLOWED_SELINUX_TYPES.has(value)) yield finding(s.at, `${s.owner} runs as SELinux type ${value}, not a confined container type`);
      else if ((field === "user" || field === "role") && value !== "") yield finding(s.at, `${s.owner} sets a custom SELinux ${field} (${value})`);
    }
  },
});
