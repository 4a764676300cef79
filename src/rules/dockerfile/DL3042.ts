import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { fileRunsPackageManager } from "../../hardening/package-managers.ts";
import {
  addOptionAfter, discardedPaths, environmentValue, hasOption, imageRuns, normalizePath, optionValues, packageCommands, pathCovers,
  pathEndsWith, TRUTHY, type PackageCommand,
} from "../../shell/packages.ts";
import type { StageGraph } from "../../dockerfile/stages.ts";

export const rule = defineRule({
  id: "DL3042",
  aliases: ["hadolint:DL3042"],
  severity: "warning",
  source: "hadolint",
  summary: "Avoid use of cache directory with pip",
  url: "https://github.com/hadolint/hadolint/wiki/DL3042",
  docs: `
pip keeps every wheel it downloads or builds in its cache (\`~/.cache/pip\`). In an image the cache is never
used again, but it stays in the layer. Pass \`--no-cache-dir\`, or set \`PIP_NO_CACHE_DIR=1\` (ENV, ARG, an
\`export\` or a prefix of the command).

A \`--mount=type=cache\` or \`type=tmpfs\` on pip's cache (a target ending in \`.cache/pip\` or \`.cache\`, or the
\`PIP_CACHE_DIR\`/\`--cache-dir\` directory) keeps the cache out of the image and speeds up rebuilds: not
reported. The fix inserts \` --no-cache-dir\` after \`install\`.

Only stages that end up in the target image are checked (the target and the stages it is built FROM): a cache
left in a build stage that is only copied from never ships. hadolint checks every stage.

\`\`\`dockerfile fires
FROM python:3.12
RUN pip install flask==3.0.3
\`\`\`

\`\`\`dockerfile silent
FROM python:3.12
RUN pip install --no-cache-dir flask==3.0.3
\`\`\`

\`\`\`dockerfile silent
FROM python:3.12
RUN --mount=type=cache,target=/root/.cache/pip pip install flask==3.0.3
\`\`\`
`,
  fix: (finding, model) => addOptionAfter(model, finding, "--no-cache-dir"),
  check(ctx) {
    const out: TextFinding[] = [];
    // Only a pip install is reported: most files run no pip.
    if (!fileRunsPackageManager(ctx.model, "pip")) return out;
    for (const run of imageRuns(ctx.model, ctx.stages)) {
      for (const pc of packageCommands(run)) {
        if (pc.manager !== "pip" || pc.action !== "install" || pc.subcommand === undefined) continue;
        if (hasOption(pc, "no-cache-dir") || cacheDisabled(pc, ctx.stages) || cacheDiscarded(pc, ctx.stages)) continue;
        out.push(ctx.finding(pc.subcommand.span, "pip keeps what it downloads in ~/.cache/pip, which stays in the image: add --no-cache-dir"));
      }
    }
    return out;
  },
});

function cacheDisabled(pc: PackageCommand, stages: StageGraph): boolean {
  const value = environmentValue(pc, stages, "PIP_NO_CACHE_DIR");
  return value !== undefined && TRUTHY.has(value);
}

function cacheDiscarded(pc: PackageCommand, stages: StageGraph): boolean {
  const discarded = discardedPaths(pc.run, stages);
  if (discarded.length === 0) return false;
  const configured = [...optionValues(pc, "cache-dir"), environmentValue(pc, stages, "PIP_CACHE_DIR")];
  return discarded.some((p) => pathEndsWith(p, [".cache", "pip"]) || pathEndsWith(p, [".cache"])
    || configured.some((dir) => dir !== undefined && pathCovers(p, normalizePath(dir))));
}
