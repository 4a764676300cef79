import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { dispatchEnv, environmentFullyKnown, expandInScope } from "../../context/dispatch.ts";
import { goQuote } from "../../dockerfile/lex.ts";
import { isWindowsStage } from "../../dockerfile/query.ts";

export const rule = defineRule({
  id: "WorkdirRelativePath",
  aliases: ["buildkit:WorkdirRelativePath"],
  severity: "warning",
  source: "buildkit",
  summary: "Relative workdir without an absolute workdir declared within the build can have unexpected results if the base image changes",
  url: "https://docs.docker.com/go/dockerfile/rule/workdir-relative-path/",
  redundantWith: ["DL3000"],
  docs: `
Where hadolint's DL3000 reports the same instruction, only DL3000's finding is shown (ignore DL3000 to see this one).

A relative WORKDIR is resolved against the working directory the base image left, which can change with
any new version of that image. As in BuildKit, only the first WORKDIR of a stage counts (a stage built FROM
another stage continues its WORKDIRs): once it is absolute, later relative ones are resolved against a
directory this Dockerfile chose. hadolint's DL3000 reports every relative WORKDIR instead.

In a Windows stage the path is read as BuildKit reads a Windows path: \`C:\\app\`, \`c:/app\` and \`\\app\` are
absolute; \`C:app\` (relative to the drive's current directory), another drive and a UNC path are not.

The path is checked after ARG/ENV expansion. When it uses a variable that is not defined here and the stage
is built on an image (whose ENV cannot be seen when linting), it is not judged.

\`\`\`dockerfile fires
FROM nginx AS web
WORKDIR usr/share/nginx/html
\`\`\`

\`\`\`dockerfile silent
FROM nginx AS web
WORKDIR /usr/share/nginx
WORKDIR html
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    const env = dispatchEnv(ctx);
    const workdirSet: boolean[] = [];
    for (const stage of ctx.stages.stages) {
      let set = stage.base.kind === "stage" ? (workdirSet[stage.base.index] ?? false) : false;
      let windows: boolean | undefined;
      for (const inst of stage.instructions) {
        if (inst.kind !== "workdir" || inst.value === undefined) continue;
        const first = !set;
        set = true;
        if (!first) continue;
        const scope = env.at(inst);
        const path = scope === undefined ? undefined : expandInScope(scope, inst.value.value, { escapeToken: ctx.model.escapeToken });
        if (path === undefined) continue;
        if (path.references.some((r) => !r.set) && !environmentFullyKnown(ctx, inst)) continue;
        windows ??= isWindowsStage(ctx.stages, stage, ctx.model);
        if (!isAbsolute(path.value, windows)) {
          out.push(ctx.finding(inst.value.span, `Relative workdir ${goQuote(path.value)} can have unexpected results if the base image changes`));
        }
      }
      workdirSet.push(set);
    }
    return out;
  },
});

/** BuildKit's system.IsAbs: on Windows, the drive (only C:) is dropped and backslashes read as slashes first. */
function isAbsolute(path: string, windows: boolean): boolean {
  if (!windows) return path.startsWith("/");
  const slashed = path.replaceAll("\\", "/");
  if (slashed.startsWith("//")) return false; // UNC paths are refused
  const colon = slashed.indexOf(":");
  if (colon === -1) return slashed.startsWith("/");
  return slashed.slice(0, colon).toLowerCase() === "c" && slashed.slice(colon + 1).startsWith("/");
}
