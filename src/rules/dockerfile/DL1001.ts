import { parseIgnoreComment } from "../../core/pragmas.ts";
import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";

export const rule = defineRule({
  id: "DL1001",
  aliases: ["hadolint:DL1001"],
  // hadolint ships this rule at severity "ignore" (off until a user raises it): here it is opt-in.
  severity: "info",
  source: "hadolint",
  optIn: true,
  summary: "Please refrain from using inline ignore pragmas `# hadolint ignore=DLxxxx`",
  url: "https://github.com/hadolint/hadolint/wiki/DL1001",
  docs: `
Teams that keep their exceptions in one reviewed place (the config file) can enable this rule to report every
suppression written into a Dockerfile instead. It is off by default, as in hadolint; turn it on with
\`enable: [DL1001]\` or \`--enable DL1001\`.

Every ignore pragma is reported: \`# hadolint ignore=...\`, drydock's \`# drydock ignore=...\`, and the
\`global\` and \`stage\` forms (hadolint reports only the next-line \`# hadolint ignore=\` form). A comment that
only looks like a pragma but is malformed suppresses nothing and is not reported. BuildKit's \`# check=\`
directive is configuration, not an inline ignore, and is not reported either.

\`\`\`dockerfile fires
FROM debian:12
# hadolint ignore=DL3003
RUN cd /tmp && make
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
# build the tools first
WORKDIR /tmp
RUN make
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const comment of ctx.model.comments) {
      // Every pragma starts with the tool's name; most comments are prose.
      if (!comment.text.startsWith("hadolint") && !comment.text.startsWith("drydock")) continue;
      const pragma = parseIgnoreComment(comment.text);
      if (pragma === undefined || "problem" in pragma) continue;
      const scope = pragma.scope === "next" ? "" : `${pragma.scope} `;
      out.push(ctx.finding(comment.span, `Please refrain from using inline ignore pragmas: "# ${pragma.tool} ${scope}ignore=${pragma.rules.join(",")}" hides findings outside the config file`));
    }
    return out;
  },
});
