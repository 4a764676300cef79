import { defineRuntimeRule } from "../../runtime/rule.ts";

export const rule = defineRuntimeRule({
  id: "DR030",
  aliases: ["cis:5.18"],
  severity: "warning",
  source: "cis",
  profile: "baseline",
  appliesTo: ["compose", "docker-run"],
  summary: "Do not pass host devices through",
  docs: `
A host device in the container (\`devices: [/dev/sda]\`, \`--device /dev/mem\`) is reached without the host's file
permissions in the way: a block device gives the raw disk, \`/dev/mem\` and \`/dev/kmsg\` the kernel. Device cgroup
rules (\`device_cgroup_rules\`, \`--device-cgroup-rule\`) open whole classes of devices. Pass only the device the
workload needs, read-only (\`:r\`) where it can be. In Kubernetes devices come from device plugins, outside the
manifest.

\`\`\`yaml fires
services:
  backup:
    image: example/backup:1.0
    devices:
      - /dev/sdb:/dev/sdb
\`\`\`

\`\`\`yaml silent
services:
  backup:
    image: example/backup:1.0
\`\`\`

\`\`\`sh fires
docker run --device=/dev/fuse example/sshfs:1.0
\`\`\`
`,
  *check({ workload: w, finding }) {
    if (w.kind === "kubernetes") return;
    for (const d of w.devices) {
      yield d.value.startsWith("cgroup rule ")
        ? finding(d.at, `${d.owner} adds device ${d.value}`)
        : finding(d.at, `${d.owner} is given host device ${d.value.split(":")[0] ?? d.value}`);
    }
  },
});
