import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { runInstructions } from "../../dockerfile/query.ts";
import { fileRunsPackageManager } from "../../hardening/package-managers.ts";
import { isPinned, NPM_INSTALL_ALIASES, packageArgs, packageCommands } from "../../shell/packages.ts";

export const rule = defineRule({
  id: "DL3016",
  aliases: ["hadolint:DL3016"],
  severity: "warning",
  source: "hadolint",
  summary: "Pin versions in npm",
  url: "https://github.com/hadolint/hadolint/wiki/DL3016",
  docs: `
\`npm install -g typescript\` installs whatever is tagged \`latest\` on the registry at build time. Name a
version, tag or range (\`typescript@5.4.5\`); for a git dependency, a commit or \`#semver:\` range.

As in hadolint, anything after \`@\` counts (also a tag such as \`@latest\`), and tarballs, local folders and
\`file:\` specs are not names. A git URL or a GitHub shorthand (\`user/repo\`, \`github:user/repo\`) needs a
\`#<commit>\`. \`npm install\` without package arguments installs from package.json and is not reported here
(see DD009 for \`npm ci\`). The aliases \`npm i\` and \`npm add\` are checked too.

\`\`\`dockerfile fires
FROM node:22
RUN npm install -g typescript
\`\`\`

\`\`\`dockerfile silent
FROM node:22
RUN npm install -g typescript@5.4.5 && npm install
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    if (!fileRunsPackageManager(ctx.model, "npm")) return out;
    for (const run of runInstructions(ctx.model)) {
      for (const pc of packageCommands(run)) {
        if (pc.manager !== "npm" || !NPM_INSTALL_ALIASES.has(pc.action ?? "")) continue;
        for (const arg of packageArgs(pc, ctx.stages)) {
          if (arg.spec === undefined || isPinned(arg.spec)) continue;
          const { kind, name } = arg.spec;
          out.push(ctx.finding(arg.word.span, kind === "vcs"
            ? `Pin versions in npm: ${name} is a git dependency on whatever its default branch holds; add #<commit> or #semver:<range>`
            : `Pin versions in npm: "${name}" gets the release tagged latest on build day; use ${name}@<version>`));
        }
      }
    }
    return out;
  },
});
