import { defineImageCheck } from "../../core/image-check.ts";
import { parseImageRef } from "../../dockerfile/query.ts";

export const check = defineImageCheck({
  id: "DI016",
  aliases: ["dockle:DKL-DI-0006"],
  severity: "info",
  source: "dockle",
  summary: "The image is not tagged latest",
  docs: `
\`latest\` is only the default tag, not the newest build: it moves whenever someone pushes without a tag, so two
pulls of it may be different images and a rollback has nothing to go back to. Tag releases with a version (and
deploy by digest).

The tag is the one the archive or layout names (\`docker save\`'s RepoTags, the OCI \`ref.name\` annotation).
`,
  create(ctx) {
    return {
      *finish() {
        const name = ctx.source.name;
        if (name === undefined || name === "") return;
        const tag = name.includes(":") || name.includes("/") ? parseImageRef(name).tag : name;
        if (tag === "latest") yield ctx.finding(ctx.imageLocation, `the image is tagged latest (${name})`);
      },
    };
  },
});
