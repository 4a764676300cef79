import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { fileRunsPackageManager } from "../../hardening/package-managers.ts";
import { actionOf, discardedPaths, imageRuns, lastUncleaned, pathCovers, type PackageCommand } from "../../shell/packages.ts";

// yum 3 caches in /var/cache/yum; the yum of RHEL 8 and later is dnf, which caches in /var/cache/dnf.
const CACHES = ["/var/cache/yum", "/var/cache/dnf"];
const FILLS: ReadonlySet<string> = new Set([
  "install", "groupinstall", "localinstall", "reinstall", "update", "upgrade", "downgrade", "groupupdate",
  "group install", "group update", "group upgrade", "module install",
]);

export const rule = defineRule({
  id: "DL3032",
  aliases: ["hadolint:DL3032", "trivy:DS015"],
  severity: "warning",
  source: "hadolint",
  summary: "yum clean all missing after yum command",
  url: "https://github.com/hadolint/hadolint/wiki/DL3032",
  docs: `
yum keeps the repository metadata and downloaded packages in its cache, and whatever the RUN leaves there
stays in the layer. End the RUN with \`yum clean all\` (or \`rm -rf /var/cache/yum\`), after the last
install: a clean before it, or in a later RUN, leaves the cache in the image.

A \`--mount=type=cache\` or \`type=tmpfs\` on \`/var/cache/yum\` (or \`/var/cache/dnf\`, where yum is dnf)
keeps the cache out of the image and is not reported. Besides \`install\`, the subcommands that download
packages are checked (\`update\`, \`reinstall\`, \`groupinstall\`, \`module install\`...).

Only stages that end up in the target image are checked (the target and the stages it is built FROM): a cache
left in a build stage that is only copied from never ships. hadolint checks every stage.

\`\`\`dockerfile fires
FROM centos:7
RUN yum install -y httpd-2.4.6
\`\`\`

\`\`\`dockerfile silent
FROM centos:7
RUN yum install -y httpd-2.4.6 && yum clean all
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    // Only a yum command fills the cache (see fills): most files run none.
    if (!fileRunsPackageManager(ctx.model, "yum")) return out;
    for (const run of imageRuns(ctx.model, ctx.stages)) {
      if (discardedPaths(run, ctx.stages).some((p) => CACHES.some((cache) => pathCovers(p, cache)))) continue;
      const last = lastUncleaned(run, fills, cleansAll, (path) => CACHES.some((cache) => pathCovers(path, cache)));
      const word = last === undefined ? undefined : actionOf(last)?.word;
      if (word !== undefined) out.push(ctx.finding(word.span, `the yum cache stays in the image: add \`yum clean all\` after the last yum ${word.value ?? "install"} in this RUN`));
    }
    return out;
  },
});

function fills(pc: PackageCommand): boolean {
  return pc.manager === "yum" && FILLS.has(actionOf(pc)?.name ?? "");
}

function cleansAll(pc: PackageCommand): boolean {
  return (pc.manager === "yum" || pc.manager === "dnf") && pc.action === "clean" && pc.operands.some((w) => w.value === "all");
}
