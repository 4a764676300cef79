import { SAFE_SYSCTLS } from "../../runtime/facts.ts";
import { defineRuntimeRule } from "../../runtime/rule.ts";

export const rule = defineRuntimeRule({
  id: "DR031",
  aliases: ["pss:baseline/sysctls"],
  severity: "warning",
  source: "drydock",
  profile: "baseline",
  appliesTo: ["compose", "kubernetes", "docker-run"],
  summary: "Set only safe sysctls",
  docs: `
Most kernel parameters are not namespaced, or are but let one container starve the others (\`kernel.msgmax\`,
\`net.core.somaxconn\` on some kernels, \`vm.*\`). Kubernetes' baseline profile allows only the safe set:
\`kernel.shm_rmid_forced\`, \`net.ipv4.ip_local_port_range\`, \`net.ipv4.ip_unprivileged_port_start\`,
\`net.ipv4.tcp_syncookies\`, \`net.ipv4.ping_group_range\`, \`net.ipv4.ip_local_reserved_ports\`,
\`net.ipv4.tcp_keepalive_time\`, \`net.ipv4.tcp_fin_timeout\`, \`net.ipv4.tcp_keepalive_intvl\` and
\`net.ipv4.tcp_keepalive_probes\`. Set anything else on the host, or in a privileged namespace.

\`\`\`yaml fires
services:
  es:
    image: elasticsearch:8.15.0
    sysctls:
      - kernel.msgmax=65536
\`\`\`

\`\`\`yaml silent
services:
  es:
    image: elasticsearch:8.15.0
    sysctls:
      net.ipv4.ip_local_port_range: "1024 65000"
\`\`\`

\`\`\`yaml fires
apiVersion: v1
kind: Pod
metadata:
  name: tuned
spec:
  securityContext:
    sysctls:
      - name: net.core.somaxconn
        value: "1024"
  containers:
    - name: app
      image: example/app:1.0
\`\`\`

\`\`\`sh fires
docker run --sysctl net.ipv4.ip_forward=1 example/router:1.0
\`\`\`
`,
  *check({ workload: w, finding }) {
    for (const s of w.sysctls) {
      if (!SAFE_SYSCTLS.has(s.name)) yield finding(s.at, `${s.owner} sets sysctl ${s.name}, which is not in the safe set`);
    }
  },
});
