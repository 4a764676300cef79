import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { commandsAfter, discardedPaths, imageRuns, packageCommands, pathCovers, removedPaths, type PackageCommand } from "../../shell/packages.ts";

const LISTS = "/var/lib/apt/lists";
const APT_TOOLS: ReadonlySet<string> = new Set(["apt-get", "apt", "aptitude"]);

export const rule = defineRule({
  id: "DL3009",
  aliases: ["hadolint:DL3009"],
  severity: "info",
  source: "hadolint",
  summary: "Delete the apt lists (/var/lib/apt/lists) after installing something",
  url: "https://github.com/hadolint/hadolint/wiki/DL3009",
  docs: `
\`apt-get update\` downloads the package lists of every configured archive into \`/var/lib/apt/lists\`: tens of
megabytes that stay in the layer and in every image built from it, and go stale the day after. Delete them in
the same RUN (a later RUN cannot shrink an earlier layer), or keep them out of the image with a cache or tmpfs
mount.

Only stages that end up in the target image are checked (the target and the stages it is built FROM): lists
left in a build stage that is only copied from cost nothing in the image. The \`rm\` must come after the last
\`update\` of the RUN; so must \`apt-get dist-clean\` (apt 2.7 and later: Debian trixie, Ubuntu 24.04), which
deletes the lists as well as the package cache. A \`--mount=type=cache\` or \`type=tmpfs\` on \`/var/lib/apt/lists\`
or a directory above it (\`/var/lib/apt\`) keeps the lists out; a mount on \`/var/cache/apt\` alone does not, since
the lists are elsewhere.

\`\`\`dockerfile fires
FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.*
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.* \\
 && rm -rf /var/lib/apt/lists/*
\`\`\`

\`\`\`dockerfile silent
FROM debian:trixie
RUN apt-get update && apt-get install -y --no-install-recommends curl=8.14.* \\
 && apt-get dist-clean
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\
    --mount=type=cache,target=/var/lib/apt,sharing=locked \\
    apt-get update && apt-get install -y --no-install-recommends curl=7.88.*
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const run of imageRuns(ctx.model, ctx.stages)) {
      let last: PackageCommand | undefined;
      for (const pc of packageCommands(run)) if (APT_TOOLS.has(pc.manager) && pc.action === "update") last = pc;
      // The mounts are read only for a RUN that updates (most RUNs do not).
      if (last?.subcommand === undefined || discardedPaths(run, ctx.stages).some((p) => pathCovers(p, LISTS))) continue;
      if (removesLists(last) || distCleanAfter(last)) continue;
      out.push(ctx.finding(last.subcommand.span, `${last.manager} update leaves the package lists in the image: add \`rm -rf ${LISTS}/*\` after it in the same RUN, or use a cache mount`));
    }
    return out;
  },
});

// apt ≥ 2.7 (Debian trixie, Ubuntu 24.04): `apt-get dist-clean` deletes the lists as well as the .deb cache.
const DIST_CLEAN_TOOLS: ReadonlySet<string> = new Set(["apt-get", "apt"]);

function distCleanAfter(update: PackageCommand): boolean {
  return packageCommands(update.run).some((pc) => pc.index > update.index && DIST_CLEAN_TOOLS.has(pc.manager) && pc.action === "dist-clean");
}

function removesLists(update: PackageCommand): boolean {
  return commandsAfter(update).some((cmd) => removedPaths(cmd)?.some((p) => pathCovers(p, LISTS)) === true);
}
