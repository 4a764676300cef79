import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { fileMayRunCommand, mayRunCommand, runInstructions, runScripts } from "../../dockerfile/query.ts";
import type { ShellCommand } from "../../shell/parse.ts";
import { commandsNamed, hasFlag } from "../../shell/query.ts";

export const rule = defineRule({
  id: "DL3047",
  aliases: ["hadolint:DL3047"],
  severity: "info",
  source: "hadolint",
  summary: "wget without flag --progress will result in excessively bloated build logs when downloading larger files",
  url: "https://github.com/hadolint/hadolint/wiki/DL3047",
  docs: `
Without a terminal, wget falls back to printing a line of dots for every few kilobytes: a large download
fills the build log with thousands of lines. Use \`--progress=dot:giga\` (a line per 32 MB), or quiet output
with \`-q\` / \`--quiet\` or \`-nv\` / \`--no-verbose\`. Sending the log to a file (\`-o\`, \`-a\`) also keeps
it out of the build output.

\`\`\`dockerfile fires
FROM debian:12
RUN wget https://example.com/big.tar.gz
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
RUN wget --progress=dot:giga https://example.com/big.tar.gz
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    if (!fileMayRunCommand(ctx.model, "wget")) return out;
    for (const run of runInstructions(ctx.model)) {
      if (!mayRunCommand(run, "wget")) continue;
      for (const script of runScripts(run)) {
        for (const cmd of commandsNamed(script, "wget")) {
          if (!keepsLogShort(cmd)) out.push(ctx.finding(cmd.name.span, "Avoid use of wget without progress bar: use wget --progress=dot:giga <url>, or -q / -nv (--quiet / --no-verbose)"));
        }
      }
    }
    return out;
  },
});

function keepsLogShort(cmd: ShellCommand): boolean {
  // `-nv` is one option (--no-verbose), not -n and -v.
  if (cmd.args.some((a) => a.value === "-nv")) return true;
  return hasFlag(cmd, ["progress", "q", "quiet", "no-verbose", "o", "output-file", "a", "append-output"]);
}
