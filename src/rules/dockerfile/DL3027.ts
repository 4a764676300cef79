import type { Edit, TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { runInstructions } from "../../dockerfile/query.ts";
import { fileRunsPackageManager } from "../../hardening/package-managers.ts";
import { packageCommandAt, packageCommands } from "../../shell/packages.ts";

// Subcommands apt-get runs the same way apt does. Not `upgrade`: apt's installs new dependencies, apt-get's does not.
const SAME_IN_APT_GET: ReadonlySet<string> = new Set([
  "install", "reinstall", "update", "remove", "purge", "autoremove", "autopurge", "dist-upgrade", "build-dep", "source",
  "download", "changelog", "clean", "autoclean", "satisfy", "check",
]);

export const rule = defineRule({
  id: "DL3027",
  aliases: ["hadolint:DL3027"],
  severity: "warning",
  source: "hadolint",
  summary: "Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead",
  url: "https://github.com/hadolint/hadolint/wiki/DL3027",
  docs: `
\`apt\` is the interactive front end: its output and behaviour may change between releases ("WARNING: apt
does not have a stable CLI interface"), it shows progress bars in build logs, and \`apt upgrade\` installs new
packages where \`apt-get upgrade\` does not. Scripts should use \`apt-get\` (and \`apt-cache\` for
\`search\`/\`show\`/\`policy\`).

The fix replaces \`apt\` by \`apt-get\` for the subcommands apt-get runs the same way (\`install\`, \`update\`,
\`remove\`, \`purge\`, \`autoremove\`, \`clean\`, ...), not for \`upgrade\`, \`full-upgrade\`, \`list\`, \`search\`
or \`show\`.

\`\`\`dockerfile fires
FROM debian:12
RUN apt update && apt install -y curl
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
RUN apt-get update && apt-get install -y curl && apt-cache policy curl
\`\`\`
`,
  fix: (finding, model): Edit[] => {
    const pc = packageCommandAt(model, finding.location.start.offset);
    if (pc?.manager !== "apt" || pc.exec || !SAME_IN_APT_GET.has(pc.action ?? "")) return [];
    const name = pc.command.name;
    // Keep a directory prefix: /usr/bin/apt → /usr/bin/apt-get.
    if (name.value === undefined || name.text !== name.value) return [];
    return [{ start: name.span.end.offset, end: name.span.end.offset, text: "-get" }];
  },
  check(ctx) {
    const out: TextFinding[] = [];
    if (!fileRunsPackageManager(ctx.model, "apt")) return out;
    for (const run of runInstructions(ctx.model)) {
      for (const pc of packageCommands(run)) {
        if (pc.manager !== "apt") continue;
        const what = pc.action === undefined ? "apt" : `apt ${pc.action}`;
        const instead = SAME_IN_APT_GET.has(pc.action ?? "") ? `apt-get ${pc.action ?? ""}` : "apt-get or apt-cache";
        out.push(ctx.finding(pc.command.name.span, `Do not use apt in scripts, its interface is not stable: ${what} → ${instead}`));
      }
    }
    return out;
  },
});
