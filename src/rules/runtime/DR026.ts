import { defineRuntimeRule } from "../../runtime/rule.ts";
import { isPlaceholderImage, parseImageRef } from "../../runtime/specs.ts";

export const rule = defineRuntimeRule({
  id: "DR026",
  aliases: ["trivy:KSV013"],
  severity: "warning",
  source: "drydock",
  profile: "baseline",
  appliesTo: ["compose", "kubernetes", "docker-run"],
  summary: "Name an image version, not :latest or no tag",
  docs: `
\`:latest\` (which is also what an image without a tag means) is whatever was pushed last: two hosts started a minute
apart can run different code, a rollback has nothing to roll back to, and a compromised upstream push reaches you
on the next restart. Placeholders (\`%%IMAGE%%\`, \`<image>\`) are not checked. Name a version (\`postgres:16.4\`), or better a digest (DR027). Compose services that build
their image (\`build:\`) are not checked: their \`image\` names the result.

\`\`\`yaml fires
services:
  cache:
    image: redis
\`\`\`

\`\`\`yaml silent
services:
  cache:
    image: redis:7.4
\`\`\`

\`\`\`yaml fires
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      image: registry.example.com:5000/team/app:latest
\`\`\`

\`\`\`sh fires
docker run nginx
\`\`\`
`,
  *check({ workload: w, finding }) {
    const image = w.image;
    if (image === undefined || w.builds || image.value.trim() === "" || isPlaceholderImage(image.value)) return;
    const ref = parseImageRef(image.value.trim());
    if (ref.digest !== undefined) return;
    if (ref.tag === undefined) yield finding(image.at, `${image.owner} uses image ${image.value} without a tag, which means :latest`);
    else if (ref.tag === "latest") yield finding(image.at, `${image.owner} uses ${image.value}: :latest is whatever was pushed last`);
  },
});
