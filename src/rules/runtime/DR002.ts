import { BASELINE_ALLOWED_CAPABILITIES, DEFAULT_CAPABILITIES, HOST_ROOT_CAPABILITIES } from "../../runtime/facts.ts";
import { defineRuntimeRule } from "../../runtime/rule.ts";

export const rule = defineRuntimeRule({
  id: "DR002",
  aliases: ["cis:5.4", "pss:baseline/capabilities"],
  severity: "warning",
  source: "cis",
  profile: "baseline",
  appliesTo: ["compose", "kubernetes", "docker-run"],
  summary: "Do not add capabilities beyond the default set",
  docs: `
Containers start with a small set of Linux capabilities. Each one added widens what a compromised process can do to
the kernel and the host: \`SYS_ADMIN\`, \`SYS_MODULE\`, \`SYS_PTRACE\`, \`DAC_READ_SEARCH\`, \`BPF\` or \`ALL\` are
container escapes (reported as errors); \`NET_ADMIN\` reconfigures networking. Kubernetes' baseline profile allows
adding only the default set (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE,
SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT). Dropping every capability the workload does not use is DR003.

\`\`\`yaml fires
services:
  vpn:
    image: example/vpn:1.4
    cap_add: [NET_ADMIN]
\`\`\`

\`\`\`yaml silent
services:
  web:
    image: nginx:1.27
    cap_drop: [ALL]
    cap_add: [NET_BIND_SERVICE]
\`\`\`

\`\`\`sh fires
docker run --cap-add SYS_ADMIN alpine:3.20
\`\`\`
`,
  *check({ workload: w, finding }) {
    // Adding NET_RAW in compose or docker run changes nothing (it is a default there); Kubernetes' baseline forbids it.
    const allowed = w.kind === "kubernetes" ? BASELINE_ALLOWED_CAPABILITIES : DEFAULT_CAPABILITIES;
    for (const cap of w.capAdd) {
      if (allowed.has(cap.value)) continue;
      const severity = HOST_ROOT_CAPABILITIES.has(cap.value) ? "error" : undefined;
      yield cap.value === "ALL"
        ? finding(cap.at, `${cap.owner} adds ALL capabilities`, severity)
        : finding(cap.at, `${cap.owner} adds capability ${cap.value}, which containers do not have by default`, severity);
    }
  },
});
