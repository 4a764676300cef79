import { defineImageCheck } from "../../core/image-check.ts";
import { Leftovers, type Place } from "./lib/leftovers.ts";

function placeOf(path: string): Place | undefined {
  if (path.startsWith("var/cache/apk/") && !path.endsWith("/installed")) return { dir: "var/cache/apk", what: "the apk package cache" };
  if (/^etc\/apk\/cache\/./.test(path)) return { dir: "etc/apk/cache", what: "the apk package cache" };
  return undefined;
}

export const check = defineImageCheck({
  id: "DI010",
  aliases: ["dockle:DKL-DI-0004"],
  severity: "info",
  source: "dockle",
  summary: "No apk package cache left in the image",
  docs: `
\`apk add\` without \`--no-cache\` (or after \`apk update\`) keeps the package index and packages in /var/cache/apk.
Nothing at run time needs them. Install with:

\`\`\`dockerfile
RUN apk add --no-cache curl
\`\`\`

dockle's DKL-DI-0004 looks for \`apk add\` without \`--no-cache\` in the build history; drydock looks for the cache
itself.
`,
  wants: (e) => e.kind === "file" && placeOf(e.path) !== undefined,
  create(ctx) {
    const left = new Leftovers(placeOf);
    return {
      entry: (e) => left.add(e),
      finish: () => left.findings(ctx),
    };
  },
});
