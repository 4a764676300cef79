import { defineRuntimeRule } from "../../runtime/rule.ts";
import { isPlaceholderImage, parseImageRef } from "../../runtime/specs.ts";

export const rule = defineRuntimeRule({
  id: "DR027",
  aliases: [],
  severity: "info",
  source: "drydock",
  profile: "restricted",
  appliesTo: ["compose", "kubernetes", "docker-run"],
  summary: "Pin images by digest",
  docs: `
A tag can be moved to other content at any time, by the publisher or by whoever gets their credentials. A digest
(\`image@sha256:...\`) names exactly one image: what you tested is what runs. \`drydock fix\` and Renovate can keep
digests up to date. Compose services that build their image are not checked.

\`\`\`yaml fires
services:
  db:
    image: postgres:16.4
\`\`\`

\`\`\`yaml silent
services:
  db:
    image: postgres:16.4@sha256:4aea012537edfad80f98d870a36e6b90b4c09b27be7f4b4759d72db863baeebb
\`\`\`
`,
  *check({ workload: w, finding }) {
    const image = w.image;
    if (image === undefined || w.builds || image.value.trim() === "" || isPlaceholderImage(image.value)) return;
    const ref = parseImageRef(image.value.trim());
    if (ref.digest === undefined) yield finding(image.at, `${image.owner} uses ${image.value}, a tag that can be moved; pin it by digest (${ref.name}@sha256:...)`);
  },
});
