import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { fileMayRunCommand, mayRunCommand, runInstructions, runScripts } from "../../dockerfile/query.ts";
import { commandsNamed, positionalArgs } from "../../shell/query.ts";

export const rule = defineRule({
  id: "DL3003",
  aliases: ["hadolint:DL3003", "trivy:DS013"],
  severity: "warning",
  source: "hadolint",
  summary: "Use WORKDIR to switch to a directory",
  url: "https://github.com/hadolint/hadolint/wiki/DL3003",
  docs: `
\`cd\` lasts only until the end of its RUN, so every later step has to repeat it, and a reader has to track
which directory each command runs in. WORKDIR sets the directory for every later RUN, CMD, ENTRYPOINT, COPY
and ADD, creates it when missing, and shows up in the image config.

Every \`cd\` that runs is reported, also in a subshell, after \`&&\`, in \`sh -c '...'\` and in RUN heredocs;
the word in a string or comment is not.

\`\`\`dockerfile fires
FROM debian:12
RUN cd /usr/src/app && make
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
WORKDIR /usr/src/app
RUN make
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    if (!fileMayRunCommand(ctx.model, "cd")) return out;
    for (const run of runInstructions(ctx.model)) {
      if (!mayRunCommand(run, "cd")) continue;
      for (const script of runScripts(run)) {
        for (const cmd of commandsNamed(script, "cd")) {
          const target = positionalArgs(cmd, { flagsWithValue: [] })[0];
          const where = target === undefined ? "" : ` ${target.text}`;
          out.push(ctx.finding(cmd.name.span, `Use WORKDIR to switch to a directory instead of \`cd${where}\``));
        }
      }
    }
    return out;
  },
});
