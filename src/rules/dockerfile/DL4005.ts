import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { fileMayRunCommand, mayRunCommand, runInstructions, runScripts } from "../../dockerfile/query.ts";
import { commandsNamed, positionalArgs } from "../../shell/query.ts";

// With merged /usr, /usr/bin/sh is the same file as /bin/sh.
const DEFAULT_SHELL: readonly string[] = ["/bin/sh", "/usr/bin/sh"];
const LN_VALUED: readonly string[] = ["S", "t", "suffix", "target-directory"];

export const rule = defineRule({
  id: "DL4005",
  aliases: ["hadolint:DL4005"],
  severity: "warning",
  source: "hadolint",
  summary: "Use SHELL to change the default shell",
  url: "https://github.com/hadolint/hadolint/wiki/DL4005",
  docs: `
Replacing \`/bin/sh\` with a link to bash changes the shell of every script in the image that starts with
\`#!/bin/sh\`, not just of the RUN instructions, and the change is invisible in the image config. The SHELL
instruction changes the shell RUN uses, and nothing else.

Reported: \`ln\` whose link name (the last argument) is \`/bin/sh\` or \`/usr/bin/sh\`. A link that only points
to \`/bin/sh\` (\`ln -s /bin/sh /usr/local/bin/sh\`) is fine; hadolint reports any \`ln\` that mentions
\`/bin/sh\`.

\`\`\`dockerfile fires
FROM debian:12
RUN ln -sf /bin/bash /bin/sh
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
SHELL ["/bin/bash", "-c"]
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    if (!fileMayRunCommand(ctx.model, "ln")) return out;
    for (const run of runInstructions(ctx.model)) {
      if (!mayRunCommand(run, "ln")) continue;
      for (const script of runScripts(run)) {
        for (const cmd of commandsNamed(script, "ln")) {
          const args = positionalArgs(cmd, { flagsWithValue: LN_VALUED });
          const link = args.length >= 2 ? args[args.length - 1] : undefined;
          if (link?.value !== undefined && DEFAULT_SHELL.includes(link.value)) {
            out.push(ctx.finding(link.span, `Use SHELL to change the default shell: linking ${link.value} to ${args[0]?.text ?? "another shell"} changes it for every script in the image`));
          }
        }
      }
    }
    return out;
  },
});
