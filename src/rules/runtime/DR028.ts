import { defineRuntimeRule } from "../../runtime/rule.ts";
import { secretInNamedValue } from "../../secrets/detect.ts";

export const rule = defineRuntimeRule({
  id: "DR028",
  aliases: [],
  severity: "error",
  source: "drydock",
  profile: "baseline",
  appliesTo: ["compose", "kubernetes", "docker-run"],
  summary: "Do not write secrets in environment values",
  docs: `
A password, token or key written in a compose file, a manifest or a \`docker run -e\` line is in version control, in
shell history, in \`docker inspect\` and \`kubectl get -o yaml\` output, and in the environment of every process of
the container. Detection is the one the image and Dockerfile checks use: known token formats (AWS, GitHub, Slack,
private keys, ...) anywhere in a value, and random-looking values of variables whose names say they hold a secret
(\`DB_PASSWORD\`, \`API_TOKEN\`). Placeholders (\`changeme\`, \`\${DB_PASSWORD}\`) are not reported, nor values taken
from elsewhere (compose variables, \`valueFrom\`, \`-e NAME\`). Use compose \`secrets\`, a Kubernetes Secret through
\`valueFrom.secretKeyRef\`, or an env file kept out of the repository.

\`\`\`yaml fires
services:
  api:
    image: example/api:3.2
    environment:
      DB_PASSWORD: 9vQx2LmT7rWz4KpB
\`\`\`

\`\`\`yaml silent
services:
  api:
    image: example/api:3.2
    environment:
      DB_PASSWORD: \${DB_PASSWORD}
\`\`\`

\`\`\`sh fires
docker run -e API_TOKEN=h7Vq9xL2mR4tW8zK3pN6 example/ci:1.0
\`\`\`
`,
  *check({ workload: w, finding }) {
    for (const e of w.env) {
      const v = e.value;
      if (!e.literal || v === undefined) continue;
      for (const m of secretInNamedValue(e.name, v.value)) {
        yield finding(v.locate(m.start, m.end), `${v.owner} has ${m.description} in environment variable ${e.name}; pass it as a secret instead`);
      }
    }
  },
});
