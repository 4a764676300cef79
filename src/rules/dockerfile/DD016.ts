import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { runInstructions } from "../../dockerfile/query.ts";
import { fileRunsPackageManager } from "../../hardening/package-managers.ts";
import { packageCommands, type PackageCommand, type PackageManager } from "../../shell/packages.ts";

// Subcommands that move every installed package to the newest version, per tool.
const UPGRADES: Partial<Record<PackageManager, readonly string[]>> = {
  "apt-get": ["upgrade", "dist-upgrade", "full-upgrade"],
  apt: ["upgrade", "dist-upgrade", "full-upgrade"],
  aptitude: ["upgrade", "safe-upgrade", "full-upgrade", "dist-upgrade"],
  apk: ["upgrade"],
  yum: ["upgrade", "update", "distro-sync"],
  dnf: ["upgrade", "update", "up", "upgrade-minimal", "update-minimal", "up-min", "distro-sync", "distrosync", "dsync"],
  microdnf: ["upgrade", "update"],
  zypper: ["update", "up"],
};
// These upgrade everything whatever their arguments; the others only when no package is named.
const ALWAYS_ALL: ReadonlySet<PackageManager> = new Set(["apt-get", "apt", "aptitude"]);

/** The managers UPGRADES knows: no other can upgrade everything here. */
const UPGRADING = Object.keys(UPGRADES) as PackageManager[];

export const rule = defineRule({
  id: "DD016",
  aliases: [],
  severity: "warning",
  source: "drydock",
  summary: "Upgrades in a build",
  docs: `
\`apt-get upgrade\`, \`apk upgrade\`, \`dnf upgrade\` and their kin move every installed package to whatever is
newest on the day of the build. The image then depends on that day rather than on the Dockerfile: two builds
of the same commit differ, a regression arrives unannounced, and the layer duplicates much of the base
image. Rebuild on a newer base image instead (its maintainers ship the updates, tested together), and
install pinned packages on top.

Reported: \`apt-get\`/\`apt\`/\`aptitude\` \`upgrade\`, \`dist-upgrade\`, \`full-upgrade\`; \`apk upgrade\`;
\`yum\`/\`dnf\`/\`microdnf\` \`upgrade\`/\`update\` (and \`distro-sync\`, \`upgrade-minimal\`) without package
names; \`zypper update\`/\`up\` without package names. \`zypper dist-upgrade\` is DL3035. hadolint once reported
\`apt-get upgrade\` as DL3005 and dropped the rule; Trivy's DS024 covers \`apt-get dist-upgrade\` only.

\`\`\`dockerfile fires
FROM debian:12
RUN apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/*
\`\`\`

\`\`\`dockerfile silent
FROM debian:12.6
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.* && rm -rf /var/lib/apt/lists/*
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    if (!fileRunsPackageManager(ctx.model, UPGRADING)) return out;
    for (const run of runInstructions(ctx.model)) {
      for (const pc of packageCommands(run)) {
        if (pc.subcommand === undefined || !upgradesAll(pc)) continue;
        out.push(ctx.finding(pc.subcommand.span, `${pc.manager} ${pc.action ?? ""} makes the image depend on the day it is built: rebuild on a newer base image and install pinned packages instead`));
      }
    }
    return out;
  },
});

function upgradesAll(pc: PackageCommand): boolean {
  if (UPGRADES[pc.manager]?.includes(pc.action ?? "") !== true) return false;
  return ALWAYS_ALL.has(pc.manager) || pc.operands.length === 0;
}
