import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { runInstructions } from "../../dockerfile/query.ts";
import { fileRunsPackageManager } from "../../hardening/package-managers.ts";
import { addOptionAfter, packageCommands, type PackageCommand } from "../../shell/packages.ts";

/** zypper subcommands (and their aliases) that ask before changing anything. */
const PROMPTING: ReadonlySet<string> = new Set([
  "install", "in", "remove", "rm", "source-install", "si", "patch", "update", "up", "dist-upgrade", "dup",
  "install-new-recommends", "inr", "verify", "ve",
]);

export const rule = defineRule({
  id: "DL3034",
  aliases: ["hadolint:DL3034"],
  severity: "warning",
  source: "hadolint",
  summary: "Non-interactive switch missing from zypper command",
  url: "https://github.com/hadolint/hadolint/wiki/DL3034",
  docs: `
zypper asks for confirmation before it installs or removes anything, and a build cannot answer. Run it
non-interactively: the global option \`-n\`/\`--non-interactive\` before the subcommand, or \`-y\`/\`--no-confirm\`
after it.

A \`-n\` after the subcommand is not counted: for \`install\` and \`remove\` it means \`--name\`. Besides
\`install\`, the subcommands that prompt are checked (\`remove\`, \`update\`, \`patch\`, \`dist-upgrade\`,
\`source-install\`...). The fix inserts \` -n\` right after \`zypper\`.

\`\`\`dockerfile fires
FROM opensuse/leap:15.6
RUN zypper install httpd=2.4.58 && zypper clean
\`\`\`

\`\`\`dockerfile silent
FROM opensuse/leap:15.6
RUN zypper --non-interactive install httpd=2.4.58 && zypper -n clean
\`\`\`
`,
  fix: (finding, model) => addOptionAfter(model, finding, "-n"),
  check(ctx) {
    const out: TextFinding[] = [];
    if (!fileRunsPackageManager(ctx.model, "zypper")) return out;
    for (const run of runInstructions(ctx.model)) {
      for (const pc of packageCommands(run)) {
        if (pc.manager !== "zypper" || !PROMPTING.has(pc.action ?? "") || nonInteractive(pc)) continue;
        out.push(ctx.finding(pc.command.name.span, `zypper ${pc.action ?? ""} waits for an answer the build cannot give: add -n (--non-interactive)`));
      }
    }
    return out;
  },
});

function nonInteractive(pc: PackageCommand): boolean {
  return pc.flags.some((f) => f.name === "non-interactive" || f.name === "no-confirm" || f.name === "y" || (f.name === "n" && f.global));
}
