import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { fileRunsPackageManager } from "../../hardening/package-managers.ts";
import { actionOf, discardedPaths, imageRuns, lastUncleaned, pathCovers, pathEndsWith, type PackageCommand } from "../../shell/packages.ts";

// dnf 4 caches in /var/cache/dnf, dnf 5 in /var/cache/libdnf5 (~/.cache/libdnf5 for users), microdnf in /var/cache/yum.
const CACHES = ["/var/cache/dnf", "/var/cache/libdnf5", "/var/cache/yum"];
const FILLS: ReadonlySet<string> = new Set([
  "install", "in", "localinstall", "groupinstall", "reinstall", "rei", "upgrade", "up", "update", "upgrade-minimal",
  "up-min", "update-minimal", "downgrade", "dg", "distro-sync", "dsync", "group install", "group upgrade", "module install",
]);

export const rule = defineRule({
  id: "DL3040",
  aliases: ["hadolint:DL3040", "trivy:DS019", "trivy:DS027"],
  severity: "warning",
  source: "hadolint",
  summary: "dnf clean all missing after dnf command",
  url: "https://github.com/hadolint/hadolint/wiki/DL3040",
  docs: `
dnf and microdnf keep repository metadata and downloaded packages in their cache, and what the RUN leaves
there stays in the layer. End the RUN with \`dnf clean all\` (\`microdnf clean all\`), after the last install.

A \`--mount=type=cache\` or \`type=tmpfs\` on the cache (\`/var/cache/dnf\`, \`/var/cache/libdnf5\`,
\`/var/cache/yum\` for microdnf, \`~/.cache/libdnf5\`), or an \`rm -rf\` of it after the install, keeps it out of
the image as well. Every subcommand that downloads packages is checked (\`install\`, \`upgrade\`, \`reinstall\`,
\`downgrade\`, \`distro-sync\`, \`group install\`, \`module install\`, and their short aliases).

Only stages that end up in the target image are checked (the target and the stages it is built FROM): a cache
left in a build stage that is only copied from never ships. hadolint checks every stage.

\`\`\`dockerfile fires
FROM fedora:40
RUN dnf install -y nginx-1.26.1
\`\`\`

\`\`\`dockerfile silent
FROM fedora:40
RUN dnf install -y nginx-1.26.1 && dnf clean all
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    // Only a dnf or microdnf command fills the cache: most files run neither.
    if (!fileRunsPackageManager(ctx.model, ["dnf", "microdnf"])) return out;
    for (const run of imageRuns(ctx.model, ctx.stages)) {
      if (discardedPaths(run, ctx.stages).some(isCache)) continue;
      for (const tool of ["dnf", "microdnf"] as const) {
        const last = lastUncleaned(run, (pc) => pc.manager === tool && FILLS.has(actionOf(pc)?.name ?? ""), (pc) => cleansAll(pc, tool), isCache);
        const word = last === undefined ? undefined : actionOf(last)?.word;
        if (word !== undefined) out.push(ctx.finding(word.span, `the ${tool} cache stays in the image: add \`${tool} clean all\` after the last ${tool} ${word.value ?? "install"} in this RUN`));
      }
    }
    return out;
  },
});

function isCache(path: string): boolean {
  return CACHES.some((cache) => pathCovers(path, cache)) || pathEndsWith(path, [".cache", "libdnf5"]) || pathEndsWith(path, [".cache"]);
}

// dnf and yum share their cache where yum is dnf; microdnf keeps its own.
function cleansAll(pc: PackageCommand, tool: "dnf" | "microdnf"): boolean {
  const same = tool === "dnf" ? pc.manager === "dnf" || pc.manager === "yum" : pc.manager === "microdnf";
  return same && pc.action === "clean" && pc.operands.some((w) => w.value === "all");
}
