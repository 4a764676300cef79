import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { fileMayRunCommand, mayRunCommand, runScripts } from "../../dockerfile/query.ts";
import { commandName, commandsNamed } from "../../shell/query.ts";

type Tool = "curl" | "wget";

const TOOLS: readonly string[] = ["curl", "wget"];

export const rule = defineRule({
  id: "DL4001",
  aliases: ["hadolint:DL4001", "trivy:DS014"],
  severity: "warning",
  source: "hadolint",
  summary: "Either use Wget or Curl but not both",
  url: "https://github.com/hadolint/hadolint/wiki/DL4001",
  docs: `
curl and wget do the same job. Using both means installing, updating and auditing two downloaders, and
readers have to know the flags of both. Pick one per stage.

Per stage, as in hadolint: once a stage has run one of them, each use of the other is reported (and then each
use of either). Only commands that run count: installing the \`wget\` package or \`command -v curl\` does not.
\`ONBUILD RUN\` triggers are counted separately, since they run in another build.

\`\`\`dockerfile fires
FROM debian:12
RUN curl -fsSLO https://example.com/a.tar.gz
RUN wget -q https://example.com/b.tar.gz
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
RUN curl -fsSLO https://example.com/a.tar.gz
FROM debian:12
RUN wget -q https://example.com/b.tar.gz
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    if (!fileMayRunCommand(ctx.model, TOOLS)) return out;
    for (const stage of ctx.stages.stages) {
      const seen = { direct: new Map<Tool, number>(), onbuild: new Map<Tool, number>() };
      for (const outer of stage.instructions) {
        const run = outer.kind === "onbuild" ? outer.inner : outer;
        if (run?.kind !== "run") continue;
        if (!mayRunCommand(run, TOOLS)) continue;
        const used = outer.kind === "onbuild" ? seen.onbuild : seen.direct;
        for (const script of runScripts(run)) {
          for (const cmd of commandsNamed(script, TOOLS)) {
            const tool: Tool = commandName(cmd) === "curl" ? "curl" : "wget";
            const other: Tool = tool === "curl" ? "wget" : "curl";
            if (!used.has(tool)) used.set(tool, run.span.start.line);
            const otherLine = used.get(other);
            if (otherLine !== undefined) out.push(ctx.finding(cmd.name.span, `Either use wget or curl but not both: this stage also runs ${other} (line ${otherLine})`));
          }
        }
      }
    }
    return out;
  },
});
