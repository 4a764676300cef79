import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import type { CmdInstruction, RunInstruction } from "../../dockerfile/ast.ts";
import { execFormScript, parseImageRef, runInstructions, runScripts } from "../../dockerfile/query.ts";
import type { Stage } from "../../dockerfile/stages.ts";
import type { ShellPipeline } from "../../shell/parse.ts";
import { pipefailInEffect } from "../../shell/query.ts";

/**
 * The shell RUN uses at some point of a stage. "exempt": one where the rule does not apply (Windows shells, a
 * POSIX shell without pipefail chosen on purpose with SHELL, a program we do not know).
 */
type RunShell = { kind: "exempt" } | { kind: "posix"; pipefail: boolean };

const DEFAULT_SHELL: RunShell = { kind: "posix", pipefail: false };
const EXEMPT: RunShell = { kind: "exempt" };
const PIPEFAIL_SHELLS: readonly string[] = ["bash", "zsh", "ksh", "mksh"];
const PLAIN_SHELLS: readonly string[] = ["sh", "dash", "ash", "busybox"];
const WINDOWS_SHELLS: readonly string[] = ["pwsh", "powershell", "cmd"];

export const rule = defineRule({
  id: "DL4006",
  aliases: ["hadolint:DL4006", "trivy:DS032"],
  severity: "warning",
  source: "hadolint",
  summary: "Set the SHELL option -o pipefail before RUN with a pipe in it",
  url: "https://github.com/hadolint/hadolint/wiki/DL4006",
  docs: `
A pipeline's exit status is that of its last command: in \`RUN curl -fsSL https://example.com/install.sh | sh\`
a failed download leaves \`sh\` reading nothing, succeeding, and the build goes on without the install. With
pipefail the pipeline fails when any of its commands fails. Set it for every RUN with
\`SHELL ["/bin/bash", "-o", "pipefail", "-c"]\`, or in the step itself with \`set -o pipefail &&\`.

The shell is parsed: a pipe inside quotes or a comment is not a pipe, and \`||\` is not one either. Each pipeline
that runs without pipefail is reported. Accepted: a SHELL with \`-o pipefail\` earlier in the stage or in a stage
it is built FROM (hadolint looks only at the stage itself), and \`set -o pipefail\` (also \`set -euo pipefail\`)
earlier in the same RUN, in the same shell (hadolint does not accept it). Not checked: exec-form RUN (no shell),
stages whose SHELL is a Windows shell (\`pwsh\`, \`powershell\`, \`cmd\`), or a plain POSIX shell chosen with SHELL
(\`sh\`, \`dash\`, \`ash\`, \`busybox\`: such shells may not support pipefail, so the stage opted out), and
Windows base images from mcr.microsoft.com. RUN heredocs are read; for \`ONBUILD RUN\` the SHELL the stage ends
with applies, as that is the shell of the image the trigger runs in.

\`\`\`dockerfile fires
FROM debian:12
RUN curl -fsSL https://example.com/install.sh | sh
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/install.sh | sh
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    // Only a pipeline can be reported: most files have none.
    if (!runInstructions(ctx.model).some((run) => runScripts(run).some((s) => s.pipelines.length > 0))) return out;
    const finalShells: RunShell[] = [];
    for (const stage of ctx.stages.stages) {
      let shell = initialShell(stage, finalShells);
      const deferred: RunInstruction[] = [];
      const findings: ShellPipeline[] = [];
      for (const inst of stage.instructions) {
        if (inst.kind === "shell") shell = shellOf(inst) ?? shell;
        else if (inst.kind === "onbuild" && inst.inner?.kind === "run") deferred.push(inst.inner);
        else if (inst.kind === "run") findings.push(...unguardedPipelines(inst, shell));
      }
      finalShells[stage.index] = shell;
      for (const run of deferred) findings.push(...unguardedPipelines(run, shell));
      findings.sort((a, b) => a.span.start.offset - b.span.start.offset);
      for (const pipeline of findings) {
        const first = pipeline.stages[0]?.commands[0]?.name.text ?? "the first command";
        const last = pipeline.stages[pipeline.stages.length - 1]?.commands[0]?.name.text ?? "the last command";
        out.push(ctx.finding(pipeline.span, `Set the SHELL option -o pipefail before RUN with a pipe in it: without it the pipeline succeeds whenever "${last}" does, even if "${first}" fails`));
      }
    }
    return out;
  },
});

function initialShell(stage: Stage, finalShells: readonly RunShell[]): RunShell {
  if (stage.base.kind === "stage") return finalShells[stage.base.index] ?? DEFAULT_SHELL;
  if (stage.base.kind === "image" && isWindowsImage(stage.image)) return EXEMPT;
  return DEFAULT_SHELL;
}

function isWindowsImage(image: string): boolean {
  const ref = parseImageRef(image);
  return ref.registry?.toLowerCase() === "mcr.microsoft.com" && /(^|\/)(windows|nanoserver|servercore)(\/|-|$)/.test(ref.repository);
}

function unguardedPipelines(run: RunInstruction, stageShell: RunShell): ShellPipeline[] {
  // An exec-form RUN names its own shell: `["bash", "-c", "a | b"]` ignores SHELL.
  const exec = execFormScript(run);
  const shell = exec === undefined ? stageShell : PIPEFAIL_SHELLS.includes(exec.shell) || exec.pipefail ? { kind: "posix" as const, pipefail: exec.pipefail } : EXEMPT;
  if (shell.kind === "exempt") return [];
  const out: ShellPipeline[] = [];
  for (const script of runScripts(run)) {
    const initially = shell.pipefail || script.pipefail;
    for (const pipeline of script.pipelines) if (!pipefailInEffect(script, pipeline, { initially })) out.push(pipeline);
  }
  return out;
}

/** The shell a SHELL instruction sets; undefined when it is malformed (BuildKit rejects it anyway). */
function shellOf(inst: CmdInstruction): RunShell | undefined {
  if (inst.command?.form !== "exec") return undefined;
  let args = inst.command.args.map((w) => w.value);
  if (baseName(args[0] ?? "") === "env") args = args.slice(1); // ["/usr/bin/env", "bash", "-c"]
  const program = baseName(args[0] ?? "").toLowerCase().replace(/\.exe$/, "");
  if (WINDOWS_SHELLS.some((w) => program.startsWith(w))) return EXEMPT;
  const pipefail = pipefailOption(args.slice(1));
  if (PIPEFAIL_SHELLS.includes(program)) return { kind: "posix", pipefail };
  if (PLAIN_SHELLS.includes(program)) return pipefail ? { kind: "posix", pipefail } : EXEMPT;
  return EXEMPT;
}

/** Whether shell options (before `-c` and the script) turn pipefail on: `-o pipefail`, `-euo pipefail`. */
function pipefailOption(options: readonly string[]): boolean {
  let on = false;
  for (let i = 0; i < options.length; i++) {
    const v = options[i] ?? "";
    if (v === "--" || v.length < 2 || (v[0] !== "-" && v[0] !== "+")) break;
    for (const letter of v.slice(1)) {
      if (letter !== "o") continue;
      i++;
      if (options[i] === "pipefail") on = v[0] === "-";
    }
  }
  return on;
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
}
