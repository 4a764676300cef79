import { defineRule } from "../../core/rule.ts";
import { runInstructions } from "../../dockerfile/query.ts";
import { commandsAfter, discardedPaths, packageCommands, pathCovers, removedPaths, type PackageCommand } from "../../shell/packages.ts";

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
\`update\` of the RUN. A \`--mount=type=cache\` or \`type=tmpfs\` on \`/var/lib/apt/lists\` or a directory above it
(\`/var/lib/apt\`) keeps the lists out; a mount on \`/var/cache/apt\` alone does not, since the lists are elsewhere.

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
FROM debian:12
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\
    --mount=type=cache,target=/var/lib/apt,sharing=locked \\
    apt-get update && apt-get install -y --no-install-recommends curl=7.88.*
\`\`\`
`,
  *check(ctx) {
    const inImage = new Set(ctx.stages.targetChain.map((s) => s.index));
    for (const run of runInstructions(ctx.model)) {
      const stage = ctx.stages.stageOf(run);
      if (stage === undefined || !inImage.has(stage.index)) continue;
      if (discardedPaths(run, ctx.stages).some((p) => pathCovers(p, LISTS))) continue;
      let last: PackageCommand | undefined;
      for (const pc of packageCommands(run)) if (APT_TOOLS.has(pc.manager) && pc.action === "update") last = pc;
      if (last?.subcommand === undefined || removesLists(last)) continue;
      yield ctx.finding(last.subcommand.span, `${last.manager} update leaves the package lists in the image: add \`rm -rf ${LISTS}/*\` after it in the same RUN, or use a cache mount`);
    }
  },
});

function removesLists(update: PackageCommand): boolean {
  return commandsAfter(update).some((cmd) => removedPaths(cmd)?.some((p) => pathCovers(p, LISTS)) === true);
}
