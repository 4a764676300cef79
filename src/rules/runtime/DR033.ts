import { defineRuntimeRule } from "../../runtime/rule.ts";

const SHARED = new Set(["shared", "rshared", "Bidirectional"]);

export const rule = defineRuntimeRule({
  id: "DR033",
  aliases: ["cis:5.20"],
  severity: "warning",
  source: "cis",
  profile: "baseline",
  appliesTo: ["compose", "kubernetes", "docker-run"],
  summary: "Do not share mount propagation with the host",
  docs: `
With shared (\`shared\`, \`rshared\`) propagation, or Kubernetes' \`mountPropagation: Bidirectional\`, mounts the
container makes under the mount point appear on the host, and so in every other container that sees that path: a
container can mount over what the host uses. Keep the default (private), or \`rslave\`/\`HostToContainer\` when the
container must see the host's later mounts.

\`\`\`yaml fires
services:
  csi:
    image: example/csi-driver:1.0
    volumes:
      - type: bind
        source: /var/lib/csi
        target: /var/lib/csi
        bind:
          propagation: rshared
\`\`\`

\`\`\`yaml silent
services:
  csi:
    image: example/csi-driver:1.0
    volumes:
      - /var/lib/csi:/var/lib/csi:rslave
\`\`\`

\`\`\`sh fires
docker run -v /mnt/data:/data:shared example/app:1.0
\`\`\`
`,
  *check({ workload: w, finding }) {
    for (const m of w.mounts) {
      const p = m.propagation;
      if (p !== undefined && SHARED.has(p.value)) yield finding(p.at, `${m.owner} mounts ${m.target ?? "a volume"} with ${p.value} propagation: its mounts reach the host`);
    }
  },
});
