import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { isWindowsStage } from "../../dockerfile/query.ts";

export const rule = defineRule({
  id: "DL3066",
  aliases: ["hadolint:DL3066"],
  severity: "info",
  source: "hadolint",
  summary: "Non-numeric user-id may not be resolvable by host system",
  url: "https://github.com/hadolint/hadolint/wiki/DL3066",
  docs: `
A user name means something only inside the image (its \`/etc/passwd\`). The host, volume permissions and
policies such as Kubernetes' \`runAsNonRoot\` see only numbers: with \`USER app\` they cannot tell which UID the
container runs as, or whether it is root. Use a numeric UID (and GID).

The value is read after ARG/ENV expansion: \`USER \${UID}\` with a numeric value is fine, and a variable with no
value (an ARG to be given at build time) is not reported. hadolint accepts any reference to an ARG, whatever
its value, and reports ENV references.

Unlike hadolint, \`USER root\` is not reported: root is UID 0 on every system, so the name says exactly what the
number would (DL3002 is the rule about running as root). Windows stages are not checked either: Windows
accounts such as \`ContainerUser\` and \`ContainerAdministrator\` are identified by SIDs, not numeric UIDs, so
a name is the only way to write them.

\`\`\`dockerfile fires
FROM debian:12
RUN useradd -u 10001 app
USER app
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
RUN useradd -u 10001 app
USER 10001:10001
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const inst of ctx.model.instructions) {
      if (inst.kind !== "user" || inst.value === undefined) continue;
      const stage = ctx.stages.stageOf(inst);
      if (stage !== undefined && isWindowsStage(ctx.stages, stage, ctx.model)) continue;
      const expanded = ctx.stages.expand(inst, inst.value.value);
      if (expanded.references.some((r) => !r.set)) continue;
      const uid = expanded.value.split(":")[0] ?? "";
      if (uid === "" || uid === "root" || /^\d+$/.test(uid)) continue;
      out.push(ctx.finding(inst.value.span, `Non-numeric user-id may not be resolvable by host system: "${uid}" is a name; use the numeric UID`));
    }
    return out;
  },
});
