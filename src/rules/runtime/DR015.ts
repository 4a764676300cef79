import { missingAt } from "../../runtime/model.ts";
import { defineRuntimeRule, spelled } from "../../runtime/rule.ts";

export const rule = defineRuntimeRule({
  id: "DR015",
  aliases: ["cis:5.13"],
  severity: "warning",
  source: "cis",
  profile: "restricted",
  appliesTo: ["compose", "kubernetes", "docker-run"],
  summary: "Mount the root filesystem read-only",
  docs: `
With a writable root filesystem an intruder can replace binaries, drop tools and persist until the container is
recreated. Make it read-only (\`read_only: true\`, \`--read-only\`, \`readOnlyRootFilesystem: true\`) and give the
process writable volumes or tmpfs mounts for the few paths it writes (\`/tmp\`, a cache, a data directory).

\`\`\`yaml fires
services:
  web:
    image: nginx:1.27
\`\`\`

\`\`\`yaml silent
services:
  web:
    image: nginx:1.27
    read_only: true
    tmpfs: [/tmp, /var/cache/nginx, /var/run]
\`\`\`

\`\`\`yaml fires
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext:
        readOnlyRootFilesystem: false
\`\`\`

\`\`\`sh silent
docker run --read-only --tmpfs /tmp nginx:1.27
\`\`\`
`,
  *check({ workload: w, finding }) {
    const s = w.readOnlyRootFilesystem;
    if (s?.value === false) {
      yield finding(s.at, `${s.owner} keeps a writable root filesystem`);
    } else if (s === undefined && !w.fragment) {
      const how = spelled(w, { compose: "read_only: true", kubernetes: "readOnlyRootFilesystem: true", "docker-run": "--read-only" });
      yield finding(missingAt(w, true), `${w.name} has a writable root filesystem (${how}, with volumes for the paths it writes)`);
    }
  },
});
