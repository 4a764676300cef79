import { defineImageCheck } from "../../core/image-check.ts";
import { Leftovers, type Place } from "./lib/leftovers.ts";

// A home directory: /root, /home/<user>, or the shared one yarn and npm use in official images.
const HOME = String.raw`(root|home\/[^/]+|usr\/local\/share)`;

const CACHES: readonly [RegExp, string][] = [
  [new RegExp(`^${HOME}\\/\\.cache\\/pip\\/`), "pip's cache"],
  [new RegExp(`^${HOME}\\/\\.cache\\/pypoetry\\/cache\\/`), "poetry's cache"],
  [new RegExp(`^${HOME}\\/\\.cache\\/uv\\/`), "uv's cache"],
  [new RegExp(`^${HOME}\\/\\.npm\\/_cacache\\/`), "npm's cache"],
  [new RegExp(`^${HOME}\\/\\.cache\\/yarn\\/`), "yarn's cache"],
  [new RegExp(`^${HOME}\\/\\.yarn\\/berry\\/cache\\/`), "yarn's cache"],
  [new RegExp(`^${HOME}\\/\\.local\\/share\\/pnpm\\/store\\/`), "pnpm's store"],
  [new RegExp(`^${HOME}\\/\\.cache\\/go-build\\/`), "Go's build cache"],
  [new RegExp(`^${HOME}\\/\\.cargo\\/registry\\/cache\\/`), "cargo's download cache"],
  [new RegExp(`^${HOME}\\/\\.gradle\\/caches\\/`), "Gradle's cache"],
  [new RegExp(`^${HOME}\\/\\.composer\\/cache\\/`), "Composer's cache"],
  [new RegExp(`^${HOME}\\/\\.cache\\/composer\\/`), "Composer's cache"],
  [new RegExp(`^${HOME}\\/\\.gem\\/[^/]+\\/cache\\/`), "RubyGems' cache"],
  [/^usr\/local\/bundle\/cache\//, "Bundler's gem cache"],
  [new RegExp(`^${HOME}\\/\\.nuget\\/packages\\/`), "NuGet's package cache"],
  [/^tmp\/pip-[^/]+\//, "pip's temporary build files"],
];

function placeOf(path: string): Place | undefined {
  for (const [re, what] of CACHES) {
    const m = re.exec(path);
    if (m !== null) return { dir: m[0].replace(/\/$/, ""), what };
  }
  return undefined;
}

export const check = defineImageCheck({
  id: "DI011",
  aliases: [],
  severity: "info",
  source: "drydock",
  summary: "No language package manager caches left in the image",
  docs: `
pip, npm, yarn, pnpm, Go, cargo, Gradle, Composer, RubyGems and NuGet keep downloads in a cache under the user's
home. In an image the cache is dead weight (often larger than what was installed) and may hold packages fetched
from private registries. Install without a cache, or clean it in the same step:

\`\`\`dockerfile
RUN pip install --no-cache-dir -r requirements.txt
RUN npm ci && npm cache clean --force
\`\`\`

or use a BuildKit cache mount (\`RUN --mount=type=cache,target=/root/.cache/pip ...\`), which stays out of the image.
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
