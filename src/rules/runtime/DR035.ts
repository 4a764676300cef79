import { defineRuntimeRule } from "../../runtime/rule.ts";

export const rule = defineRuntimeRule({
  id: "DR035",
  aliases: ["pss:baseline/hostProcess"],
  severity: "error",
  source: "drydock",
  profile: "baseline",
  appliesTo: ["kubernetes"],
  summary: "Do not run Windows HostProcess containers",
  docs: `
A Windows HostProcess container (\`windowsOptions.hostProcess: true\`) is no container: it runs directly on the node
as a host process, with the node's network and file system. Kubernetes' baseline profile forbids it.

\`\`\`yaml fires
apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  securityContext:
    windowsOptions:
      hostProcess: true
      runAsUserName: "NT AUTHORITY\\\\SYSTEM"
  hostNetwork: true
  containers:
    - name: agent
      image: example/windows-agent:1.0
\`\`\`

\`\`\`yaml silent
apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  containers:
    - name: agent
      image: example/windows-agent:1.0
\`\`\`
`,
  *check({ workload: w, finding }) {
    const s = w.hostProcess;
    if (s?.value === true) yield finding(s.at, `${s.owner} runs as a Windows HostProcess container: a process on the node, not a container`);
  },
});
