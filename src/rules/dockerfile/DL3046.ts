import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { fileMayRunCommand, mayRunCommand, runInstructions, runScripts } from "../../dockerfile/query.ts";
import { commandsNamed, flagValues, hasFlag } from "../../shell/query.ts";

const USERADD_VALUED: readonly string[] = [
  "b", "c", "d", "e", "f", "g", "G", "k", "K", "p", "P", "R", "s", "u", "Z", "base-dir", "comment", "home-dir",
  "expiredate", "inactive", "gid", "groups", "skel", "key", "password", "prefix", "root", "shell", "uid", "selinux-user",
  "selinux-range",
];

export const rule = defineRule({
  id: "DL3046",
  aliases: ["hadolint:DL3046"],
  severity: "warning",
  source: "hadolint",
  summary: "useradd without flag -l and high UID will result in excessively large Image",
  url: "https://github.com/hadolint/hadolint/wiki/DL3046",
  docs: `
\`useradd\` records every user in \`/var/log/lastlog\` and \`/var/log/faillog\`, files indexed by UID. For a
large UID the files are sparse on disk but image layers store them in full: a UID of 100000000 adds gigabytes
to the image. \`-l\` (\`--no-log-init\`) leaves the user out of those files.

Reported: \`useradd\` with \`-u\`/\`--uid\` of six digits or more (hadolint's threshold) and without \`-l\`.
The fix adds \`-l\` after \`useradd\`: it only keeps the user out of the login records, which a container
does not use.

\`\`\`dockerfile fires
FROM debian:12
RUN useradd -u 123456 app
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
RUN useradd -l -u 123456 app
\`\`\`
`,
  fix: (finding) => [{ start: finding.location.end.offset, end: finding.location.end.offset, text: " -l" }],
  check(ctx) {
    const out: TextFinding[] = [];
    const options = { flagsWithValue: USERADD_VALUED };
    if (!fileMayRunCommand(ctx.model, "useradd")) return out;
    for (const run of runInstructions(ctx.model)) {
      if (!mayRunCommand(run, "useradd")) continue;
      for (const script of runScripts(run)) {
        for (const cmd of commandsNamed(script, "useradd")) {
          if (hasFlag(cmd, ["l", "no-log-init"], options)) continue;
          const uid = flagValues(cmd, ["u", "uid"], options).find((v) => v !== undefined && /^\d{6,}$/.test(v));
          if (uid !== undefined) out.push(ctx.finding(cmd.name.span, `useradd without flag -l and high UID will result in excessively large Image: UID ${uid} makes /var/log/lastlog and faillog that large; add -l`));
        }
      }
    }
    return out;
  },
});
