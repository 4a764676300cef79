import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { runInstructions } from "../../dockerfile/query.ts";
import { fileRunsPackageManager } from "../../hardening/package-managers.ts";
import { addOptionAfter, hasOption, optionValues, packageCommands, simulates, type PackageCommand } from "../../shell/packages.ts";

/** apt-get subcommands that ask "Do you want to continue? [Y/n]" before changing anything. */
const PROMPTING: ReadonlySet<string> = new Set([
  "install", "reinstall", "remove", "purge", "autoremove", "auto-remove", "autopurge", "upgrade", "dist-upgrade",
  "full-upgrade", "build-dep", "satisfy",
]);

export const rule = defineRule({
  id: "DL3014",
  aliases: ["hadolint:DL3014", "trivy:DS021"],
  severity: "warning",
  source: "hadolint",
  summary: "Use the -y switch to avoid manual input",
  url: "https://github.com/hadolint/hadolint/wiki/DL3014",
  docs: `
Without \`-y\`, \`apt-get install\` asks for confirmation whenever it installs more than was named. A build has
no one to answer, so apt-get reads end of input, aborts and the build fails, depending on what the archive
holds that day. Pass \`-y\` (\`--yes\`, \`--assume-yes\`); quiet level 2 (\`-qq\`, \`-q=2\`) implies it, and so does
\`-o APT::Get::Assume-Yes=true\`.

Besides \`install\`, the other subcommands that prompt are checked too (\`remove\`, \`purge\`, \`autoremove\`,
\`upgrade\`, \`dist-upgrade\`, \`build-dep\`...). The fix inserts \` -y\` after the subcommand.

\`\`\`dockerfile fires
FROM debian:12
RUN apt-get update && apt-get install curl
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
RUN apt-get update && apt-get install -y curl
\`\`\`
`,
  fix: (finding, model) => addOptionAfter(model, finding, "-y"),
  check(ctx) {
    const out: TextFinding[] = [];
    if (!fileRunsPackageManager(ctx.model, "apt-get")) return out;
    for (const run of runInstructions(ctx.model)) {
      for (const pc of packageCommands(run)) {
        if (pc.manager !== "apt-get" || pc.subcommand === undefined || !PROMPTING.has(pc.action ?? "") || assumesYes(pc) || simulates(pc)) continue;
        out.push(ctx.finding(pc.subcommand.span, `apt-get ${pc.action ?? ""} stops at a confirmation prompt the build cannot answer: add -y`));
      }
    }
    return out;
  },
});

function assumesYes(pc: PackageCommand): boolean {
  if (hasOption(pc, ["y", "yes", "assume-yes"])) return true;
  if (quietLevel(pc) >= 2) return true;
  return optionValues(pc, ["o", "option"]).some((v) => v !== undefined && /^APT::Get::Assume-Yes=(?:1|true|yes)$/i.test(v));
}

// Each -q adds one level; `-q=2` / `--quiet=2` sets it.
function quietLevel(pc: PackageCommand): number {
  let level = 0;
  for (const f of pc.flags) {
    if (f.name !== "q" && f.name !== "quiet") continue;
    if (f.value === null) level++;
    else if (f.value !== undefined && /^\d+$/.test(f.value)) level = Number(f.value);
  }
  return level;
}
