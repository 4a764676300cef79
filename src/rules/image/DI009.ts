import { defineImageCheck } from "../../core/image-check.ts";
import { Leftovers, type Place } from "./lib/leftovers.ts";

function placeOf(path: string): Place | undefined {
  if (path.startsWith("var/lib/apt/lists/")) {
    const base = path.slice(path.lastIndexOf("/") + 1);
    // apt's lock and the empty partial/ and auxfiles/ directories belong to an empty list directory.
    if (base === "lock" || path.startsWith("var/lib/apt/lists/partial/") || path.startsWith("var/lib/apt/lists/auxfiles/")) return undefined;
    return { dir: "var/lib/apt/lists", what: "apt package lists" };
  }
  if (path.startsWith("var/cache/apt/archives/") && path.endsWith(".deb")) return { dir: "var/cache/apt/archives", what: "downloaded .deb packages" };
  if (/^var\/cache\/apt\/[^/]+\.bin$/.test(path)) return { dir: "var/cache/apt", what: "apt's package cache" };
  return undefined;
}

export const check = defineImageCheck({
  id: "DI009",
  aliases: ["dockle:DKL-DI-0005"],
  severity: "info",
  source: "dockle",
  summary: "No apt package lists or caches left in the image",
  docs: `
\`apt-get update\` downloads the package lists (tens of MiB) to /var/lib/apt/lists; installed packages are cached
in /var/cache/apt. Neither is needed to run the image, and lists that stay behind are stale the day after. Clean
up in the same RUN that installed:

\`\`\`dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
\`\`\`

dockle's DKL-DI-0005 guesses from the build commands; drydock looks at the files the image actually contains
(removing them in a later layer does not count: they stay in the earlier one, though not in the container).
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
