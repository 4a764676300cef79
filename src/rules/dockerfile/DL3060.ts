import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { fileRunsPackageManager } from "../../hardening/package-managers.ts";
import { runInstructions } from "../../dockerfile/query.ts";
import type { StageGraph } from "../../dockerfile/stages.ts";
import {
  actionOf, discardedPaths, environmentValue, isYarnInstall, lastUncleaned, normalizePath, optionValues, packageCommands, pathCovers,
  pathEndsWith, type PackageCommand,
} from "../../shell/packages.ts";

export const rule = defineRule({
  id: "DL3060",
  aliases: ["hadolint:DL3060"],
  severity: "info",
  source: "hadolint",
  summary: "yarn cache clean missing after yarn install was run",
  url: "https://github.com/hadolint/hadolint/wiki/DL3060",
  docs: `
yarn keeps a copy of every package it installs in its global cache (\`/usr/local/share/.cache/yarn\` for root
in the node images), and it stays in the layer. End the RUN with \`yarn cache clean\`, after the last install.

\`yarn install\`, a bare \`yarn\` (which installs) and \`yarn add\` are checked, in the stages that end up in the
target image: a cache left in a build stage that is only copied from costs nothing. A \`--mount=type=cache\`
or \`type=tmpfs\` on yarn's cache (a target ending in \`.cache/yarn\`, \`.cache\`, \`.yarn/cache\` or
\`.yarn/berry/cache\`, or the \`YARN_CACHE_FOLDER\`/\`--cache-folder\` directory), or an \`rm -rf\` of it, keeps the
cache out as well.

\`\`\`dockerfile fires
FROM node:22
RUN yarn install --frozen-lockfile
\`\`\`

\`\`\`dockerfile silent
FROM node:22
RUN yarn install --frozen-lockfile && yarn cache clean
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    // Only a yarn install is reported: most files run no yarn.
    if (!fileRunsPackageManager(ctx.model, "yarn")) return out;
    const inImage = new Set(ctx.stages.targetChain.map((s) => s.index));
    for (const run of runInstructions(ctx.model)) {
      const stage = ctx.stages.stageOf(run);
      if (stage === undefined || !inImage.has(stage.index)) continue;
      const installs = packageCommands(run).filter(isYarnInstall);
      if (installs.length === 0) continue;
      const isCache = yarnCache(ctx.stages, installs);
      if (discardedPaths(run, ctx.stages).some(isCache)) continue;
      const last = lastUncleaned(run, isYarnInstall, (pc) => pc.manager === "yarn" && actionOf(pc)?.name === "cache clean", isCache);
      if (last !== undefined) {
        const what = last.subcommand === undefined ? "yarn" : `yarn ${last.action ?? ""}`;
        out.push(ctx.finding((last.subcommand ?? last.command.name).span, `${what} leaves its package cache in the image: add \`yarn cache clean\` after it in this RUN`));
      }
    }
    return out;
  },
});

/** Whether a path holds yarn's cache: its usual places, or the folder the RUN configures. */
function yarnCache(stages: StageGraph, installs: PackageCommand[]): (path: string) => boolean {
  const configured: string[] = [];
  for (const pc of installs) {
    for (const dir of [...optionValues(pc, "cache-folder"), environmentValue(pc, stages, "YARN_CACHE_FOLDER")]) {
      if (dir !== undefined) configured.push(normalizePath(dir));
    }
  }
  return (path) => pathEndsWith(path, [".cache", "yarn"]) || pathEndsWith(path, [".cache"]) || pathEndsWith(path, [".yarn", "cache"])
    || pathEndsWith(path, [".yarn", "berry", "cache"]) || pathEndsWith(path, [".yarn", "berry"]) || configured.some((dir) => pathCovers(path, dir));
}
