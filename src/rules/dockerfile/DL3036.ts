import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { fileRunsPackageManager } from "../../hardening/package-managers.ts";
import { discardedPaths, imageRuns, lastUncleaned, pathCovers, type PackageCommand } from "../../shell/packages.ts";

const CACHE = "/var/cache/zypp";
const FILLS: ReadonlySet<string> = new Set([
  "install", "in", "update", "up", "dist-upgrade", "dup", "patch", "source-install", "si", "install-new-recommends", "inr",
]);

export const rule = defineRule({
  id: "DL3036",
  aliases: ["hadolint:DL3036", "trivy:DS020"],
  severity: "warning",
  source: "hadolint",
  summary: "zypper clean missing after zypper use",
  url: "https://github.com/hadolint/hadolint/wiki/DL3036",
  docs: `
zypper keeps repository metadata and downloaded packages in \`/var/cache/zypp\`, and what the RUN leaves there
stays in the layer. End the RUN with \`zypper clean\` (\`zypper cc\`), after the last install.

A \`--mount=type=cache\` or \`type=tmpfs\` on \`/var/cache/zypp\`, or an \`rm -rf /var/cache/zypp/*\` after the
install, keeps the cache out as well. Besides \`install\`, the subcommands that download packages are checked
(\`update\`, \`patch\`, \`dist-upgrade\`, \`source-install\`...).

Only stages that end up in the target image are checked (the target and the stages it is built FROM): a cache
left in a build stage that is only copied from never ships. hadolint checks every stage.

\`\`\`dockerfile fires
FROM opensuse/leap:15.6
RUN zypper -n install httpd=2.4.58
\`\`\`

\`\`\`dockerfile silent
FROM opensuse/leap:15.6
RUN zypper -n install httpd=2.4.58 && zypper clean -a
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    // Only a zypper command fills the cache (see fills): most files run none.
    if (!fileRunsPackageManager(ctx.model, "zypper")) return out;
    for (const run of imageRuns(ctx.model, ctx.stages)) {
      if (discardedPaths(run, ctx.stages).some((p) => pathCovers(p, CACHE))) continue;
      const last = lastUncleaned(run, fills, cleans, (path) => pathCovers(path, CACHE));
      if (last?.subcommand !== undefined) {
        out.push(ctx.finding(last.subcommand.span, `the zypper cache stays in the image: add \`zypper clean\` after the last zypper ${last.action ?? "install"} in this RUN`));
      }
    }
    return out;
  },
});

function fills(pc: PackageCommand): boolean {
  return pc.manager === "zypper" && FILLS.has(pc.action ?? "");
}

function cleans(pc: PackageCommand): boolean {
  return pc.manager === "zypper" && (pc.action === "clean" || pc.action === "cc");
}
