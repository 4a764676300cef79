import { defineRuntimeRule } from "../../runtime/rule.ts";

const ALWAYS = new Set(["always", "unless-stopped"]);

export const rule = defineRuntimeRule({
  id: "DR029",
  aliases: [],
  severity: "info",
  source: "drydock",
  profile: "restricted",
  appliesTo: ["compose", "docker-run"],
  summary: "Pair restart: always with a healthcheck",
  docs: `
\`restart: always\` (or \`unless-stopped\`) restarts a container whose process exits, but not one that hangs, loops
or stops answering while still running: without a healthcheck the engine cannot tell, and neither can whoever
depends on it (\`depends_on: condition: service_healthy\`). Add a \`healthcheck\` (\`--health-cmd\`), unless the image
defines a HEALTHCHECK of its own, which a compose file cannot show. CIS Docker Benchmark 5.27 (check container health
at runtime) and 5.15 (bound on-failure restarts) are related.

\`\`\`yaml fires
services:
  api:
    image: example/api:3.2
    restart: always
\`\`\`

\`\`\`yaml silent
services:
  api:
    image: example/api:3.2
    restart: always
    healthcheck:
      test: ["CMD", "wget", "-qO-", "http://localhost:8080/health"]
      interval: 30s
\`\`\`

\`\`\`sh fires
docker run -d --restart=always example/api:3.2
\`\`\`
`,
  *check({ workload: w, finding }) {
    if (w.kind === "kubernetes") return;
    const restart = w.restart;
    if (restart === undefined || !ALWAYS.has(restart.value) || w.healthcheck?.value === true) return;
    yield w.healthcheck?.value === false
      ? finding(restart.at, `${restart.owner} restarts ${restart.value} but its healthcheck is disabled: a hung process is never restarted`)
      : finding(restart.at, `${restart.owner} restarts ${restart.value} without a healthcheck: a hung process is never restarted (unless the image has a HEALTHCHECK)`);
  },
});
