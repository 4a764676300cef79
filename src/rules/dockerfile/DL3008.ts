import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { fileRunsPackageManager } from "../../hardening/package-managers.ts";
import { runInstructions } from "../../dockerfile/query.ts";
import { isPinned, packageArgs, packageCommands, simulates } from "../../shell/packages.ts";

export const rule = defineRule({
  id: "DL3008",
  aliases: ["hadolint:DL3008"],
  severity: "warning",
  source: "hadolint",
  summary: "Pin versions in apt-get install",
  url: "https://github.com/hadolint/hadolint/wiki/DL3008",
  docs: `
\`apt-get install curl\` installs whatever version the archive holds on the day of the build, so two builds
of the same Dockerfile differ and a broken or vulnerable release slips in unnoticed. Name the version:
\`curl=7.88.1-10+deb12u5\`, or a prefix with a wildcard (\`curl=7.88.*\`) to accept security updates of one
release.

A package that names a release (\`curl/bookworm-backports\`) or a \`.deb\` file counts as pinned, as in hadolint.
Variables are expanded from the ARG and ENV in scope: \`curl=$CURL_VERSION\` with \`ARG CURL_VERSION=7.88.1-10\`
is pinned; when the variable has no value the word is unknown and not reported. An unquoted variable that holds
several packages (\`ENV BUILD_DEPS="gcc make"\` and \`apt-get install $BUILD_DEPS\`) is split into words as the
shell splits it, and each package is judged on its own (the finding is on the variable and names the package);
\`"$BUILD_DEPS"\` in quotes stays one word.

\`\`\`dockerfile fires
FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
ARG CURL_VERSION=7.88.1-10+deb12u5
RUN apt-get update && apt-get install -y --no-install-recommends curl=\${CURL_VERSION} ca-certificates=2023*
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    // Only an apt-get install is reported: most files run no apt-get.
    if (!fileRunsPackageManager(ctx.model, "apt-get")) return out;
    for (const run of runInstructions(ctx.model)) {
      for (const pc of packageCommands(run)) {
        if (pc.manager !== "apt-get" || pc.action !== "install" || simulates(pc)) continue;
        for (const arg of packageArgs(pc, ctx.stages)) {
          if (arg.spec === undefined || isPinned(arg.spec)) continue;
          const name = arg.spec.name;
          out.push(ctx.finding(arg.word.span, `Pin versions in apt-get install: "${name}" gets whatever version the archive has on build day; use ${name}=<version>`));
        }
      }
    }
    return out;
  },
});
