import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { commandsOf, fileMayRunCommand, runInstructions } from "../../dockerfile/query.ts";
import { commandName } from "../../shell/query.ts";

export const rule = defineRule({
  id: "DL3004",
  aliases: ["hadolint:DL3004", "trivy:DS010"],
  severity: "error",
  source: "hadolint",
  summary: "Do not use sudo as it leads to unpredictable behavior",
  url: "https://github.com/hadolint/hadolint/wiki/DL3004",
  docs: `
RUN already runs as the current USER; sudo adds a setuid binary to the image, needs a TTY-less configuration
and behaves differently across base images. Run the step as root (\`USER root\`) and switch back, or use a tool
like gosu in an entrypoint that must drop privileges.

The shell is parsed: \`sudo\` found anywhere a command runs (after \`&&\`, in \`sh -c '...'\`, in a RUN heredoc)
is reported, and the word in a string or a comment is not.

\`\`\`dockerfile fires
FROM debian:12
RUN sudo apt-get update
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
RUN echo "no sudo here" && apt-get update
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    if (!fileMayRunCommand(ctx.model, "sudo")) return out;
    for (const run of runInstructions(ctx.model)) {
      for (const cmd of commandsOf(run)) {
        if (commandName(cmd) === "sudo") out.push(ctx.finding(cmd.name.span, "Do not use sudo as it leads to unpredictable behavior: use USER root for the step, or gosu to drop privileges"));
      }
    }
    return out;
  },
});
