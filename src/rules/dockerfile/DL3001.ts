import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { fileMayRunCommand, mayRunCommand, runInstructions, runScripts } from "../../dockerfile/query.ts";
import { commandName, commandsNamed } from "../../shell/query.ts";

// hadolint's list (its code omits ifconfig, which its message and docs name; drydock follows the docs).
const POINTLESS: readonly string[] = ["free", "ifconfig", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim"];

export const rule = defineRule({
  id: "DL3001",
  aliases: ["hadolint:DL3001"],
  severity: "info",
  source: "hadolint",
  summary: "For some bash commands it makes no sense running them in a Docker container",
  url: "https://github.com/hadolint/hadolint/wiki/DL3001",
  docs: `
A build step runs once, without a terminal, init system or network configuration of its own: interactive
programs (\`vim\`, \`top\`), service managers (\`service\`, \`shutdown\`), process and system inspection
(\`ps\`, \`free\`, \`kill\`, \`mount\`, \`ifconfig\`) and remote sessions (\`ssh\`) either hang, fail, or
inspect the build container and leave nothing useful in the image. Reported commands: ${POINTLESS.map((c) => `\`${c}\``).join(", ")}.

Only commands that run are reported: \`apt-get install vim\` installs a package and is fine, and so is the word
in a string or a comment. Wrappers are seen through (\`sudo service nginx start\`), and RUN heredocs are read.

\`\`\`dockerfile fires
FROM debian:12
RUN service nginx start
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
RUN apt-get update && apt-get install -y vim
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    if (!fileMayRunCommand(ctx.model, POINTLESS)) return out;
    for (const run of runInstructions(ctx.model)) {
      if (!mayRunCommand(run, POINTLESS)) continue;
      for (const script of runScripts(run)) {
        for (const cmd of commandsNamed(script, POINTLESS)) {
          const name = commandName(cmd) ?? cmd.name.text;
          out.push(ctx.finding(cmd.name.span, `Running "${name}" in a build step makes no sense: the build container has no terminal, services or network setup of its own`));
        }
      }
    }
    return out;
  },
});
