import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { runInstructions } from "../../dockerfile/query.ts";
import { fileRunsPackageManager } from "../../hardening/package-managers.ts";
import { hasOption, isPinned, packageArgs, packageCommands } from "../../shell/packages.ts";

export const rule = defineRule({
  id: "DL3013",
  aliases: ["hadolint:DL3013"],
  severity: "warning",
  source: "hadolint",
  summary: "Pin versions in pip",
  url: "https://github.com/hadolint/hadolint/wiki/DL3013",
  docs: `
\`pip install flask\` installs the newest release on PyPI at build time, so rebuilding the same Dockerfile can
bring in a new major version. Give a version (\`flask==3.0.3\`) or install from a requirements file.

As in hadolint, any version operator counts as pinned (\`==\`, \`===\`, \`~=\`, \`!=\`, \`>=\`, \`<=\`, \`>\`, \`<\`),
and so do a VCS URL with an \`@ref\`, a wheel or sdist file, a local path and a URL. A command with
\`-c/--constraint\` is not checked (the constraints file may pin everything). Unlike hadolint, names given
beside \`-r requirements.txt\` are still checked: the requirements file pins only what it lists. \`pip\`,
\`pip3\`, \`pip3.12\` and \`python -m pip\` are recognised; variables are expanded from the ARG/ENV in scope.

\`\`\`dockerfile fires
FROM python:3.12
RUN pip install --no-cache-dir flask
\`\`\`

\`\`\`dockerfile silent
FROM python:3.12
RUN pip install --no-cache-dir flask==3.0.3 -r requirements.txt
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    if (!fileRunsPackageManager(ctx.model, "pip")) return out;
    for (const run of runInstructions(ctx.model)) {
      for (const pc of packageCommands(run)) {
        if (pc.manager !== "pip" || pc.action !== "install" || hasOption(pc, ["c", "constraint"])) continue;
        for (const arg of packageArgs(pc, ctx.stages)) {
          if (arg.spec === undefined || isPinned(arg.spec)) continue;
          const { kind, name } = arg.spec;
          out.push(ctx.finding(arg.word.span, kind === "vcs"
            ? `Pin versions in pip: ${name} installs the repository's default branch; add @<tag or commit>`
            : `Pin versions in pip: "${name}" gets the newest release on build day; use ${name}==<version>`));
        }
      }
    }
    return out;
  },
});
