import { defineRuntimeRule } from "../../runtime/rule.ts";

export const rule = defineRuntimeRule({
  id: "DR011",
  aliases: ["cis:5.31"],
  severity: "warning",
  source: "cis",
  profile: "baseline",
  appliesTo: ["compose", "docker-run"],
  summary: "Do not share the host's user namespace",
  docs: `
When the Docker daemon remaps users (\`userns-remap\`), root in a container is an unprivileged user on the host.
\`userns_mode: host\` (\`--userns=host\`) opts out: root in the container is root on the host again. Podman's rootless
containers lose the same protection.

\`\`\`yaml fires
services:
  app:
    image: alpine:3.20
    userns_mode: host
\`\`\`

\`\`\`yaml silent
services:
  app:
    image: alpine:3.20
\`\`\`

\`\`\`sh fires
docker run --userns host alpine:3.20 id
\`\`\`
`,
  *check({ workload: w, finding }) {
    const s = w.hostUserns;
    if (s?.value === true) yield finding(s.at, `${s.owner} runs in the host's user namespace: root in it is root on the host`);
  },
});
