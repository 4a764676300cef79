import { normalizeHostPath, runtimeSocketOf, SENSITIVE_HOST_DIRECTORIES } from "../../runtime/facts.ts";
import { defineRuntimeRule } from "../../runtime/rule.ts";

export const rule = defineRuntimeRule({
  id: "DR005",
  aliases: ["cis:5.6"],
  severity: "error",
  source: "cis",
  profile: "baseline",
  appliesTo: ["compose", "kubernetes", "docker-run"],
  summary: "Do not mount sensitive host directories",
  docs: `
Mounting the host's \`/\`, \`/etc\`, \`/boot\`, \`/dev\`, \`/proc\`, \`/sys\`, \`/usr\`, \`/lib\`, \`/root\` (or the
kubelet's \`/var/lib/kubelet\` and \`/etc/kubernetes\`) lets the container read secrets of the host and, when the
mount is writable, change the host's system files: a writable mount is an error, a read-only one a warning. Mount
the single file or subdirectory the workload needs (\`/etc/localtime:/etc/localtime:ro\` is fine).

\`\`\`yaml fires
services:
  agent:
    image: example/agent:2.0
    volumes:
      - /etc:/host/etc
\`\`\`

\`\`\`yaml silent
services:
  agent:
    image: example/agent:2.0
    volumes:
      - /etc/localtime:/etc/localtime:ro
\`\`\`

\`\`\`sh fires
docker run -v /:/host:ro alpine:3.20 ls /host
\`\`\`
`,
  *check({ workload: w, finding }) {
    for (const m of w.mounts) {
      if (m.hostPath === undefined) continue;
      const p = normalizeHostPath(m.hostPath);
      if (!SENSITIVE_HOST_DIRECTORIES.has(p) || runtimeSocketOf(p) !== undefined) continue;
      const where = p === "/" ? "the host's root filesystem" : `the host's ${p}`;
      yield m.readOnly
        ? finding(m.at, `${m.owner} mounts ${where} read-only: host secrets are readable`, "warning")
        : finding(m.at, `${m.owner} mounts ${where} writable: the host's system files can be changed`);
    }
  },
});
