import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { fileRunsPackageManager } from "../../hardening/package-managers.ts";
import { addOptionAfter, discardedPaths, hasOption, imageRuns, packageCommands, pathCovers } from "../../shell/packages.ts";

const APK_CACHES = ["/var/cache/apk", "/etc/apk/cache"];

export const rule = defineRule({
  id: "DL3019",
  aliases: ["hadolint:DL3019", "trivy:DS025"],
  severity: "info",
  source: "hadolint",
  summary: "Use the --no-cache switch with apk add",
  url: "https://github.com/hadolint/hadolint/wiki/DL3019",
  docs: `
\`apk add\` keeps the repository indexes it downloads in \`/var/cache/apk\`, and they stay in the layer.
\`apk add --no-cache\` fetches the indexes, uses them and leaves nothing behind: no \`apk update\` before it
and no \`rm -rf /var/cache/apk/*\` after it.

A \`--mount=type=cache\` or \`type=tmpfs\` on \`/var/cache/apk\` or \`/etc/apk/cache\` (or a directory above them)
keeps the cache out of the image as well and is not reported, nor is \`apk add --no-network\`, which downloads
nothing. The fix inserts \` --no-cache\` after \`add\`.

Only stages that end up in the target image are checked (the target and the stages it is built FROM): a cache
left in a build stage that is only copied from never ships. hadolint checks every stage.

\`\`\`dockerfile fires
FROM alpine:3.20
RUN apk add curl=8.9.1-r0
\`\`\`

\`\`\`dockerfile silent
FROM alpine:3.20
RUN apk add --no-cache curl=8.9.1-r0
\`\`\`
`,
  fix: (finding, model) => addOptionAfter(model, finding, "--no-cache"),
  check(ctx) {
    const out: TextFinding[] = [];
    // Only an apk add is reported: most files run no apk.
    if (!fileRunsPackageManager(ctx.model, "apk")) return out;
    for (const run of imageRuns(ctx.model, ctx.stages)) {
      const commands = packageCommands(run);
      if (!commands.some((pc) => pc.manager === "apk")) continue;
      const discarded = discardedPaths(run, ctx.stages);
      if (discarded.some((p) => APK_CACHES.some((cache) => pathCovers(p, cache)))) continue;
      for (const pc of commands) {
        if (pc.manager !== "apk" || pc.action !== "add" || pc.subcommand === undefined || hasOption(pc, ["no-cache", "no-network"])) continue;
        out.push(ctx.finding(pc.subcommand.span, "apk add keeps the package indexes in /var/cache/apk: add --no-cache"));
      }
    }
    return out;
  },
});
