import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { parsedShell } from "../../dockerfile/query.ts";
import type { CommandForm } from "../../dockerfile/ast.ts";
import type { StageGraph } from "../../dockerfile/stages.ts";
import { packagesInTargetImage } from "../../hardening/image-packages.ts";
import { DOWNLOADERS, toolchainKind } from "../../hardening/package-kinds.ts";
import { allCommands, commandName, unwrap } from "../../shell/query.ts";

export const rule = defineRule({
  id: "DD010",
  aliases: [],
  severity: "info",
  source: "drydock",
  summary: "Build toolchain left in the final image",
  docs: `
Compilers, build tools, headers and version control clients are needed to build the application, not to run
it. Left in the image they add size and CVEs to patch, and give an attacker who gets a shell a ready kit to
build and fetch tools. Build in a stage of its own and copy only the result into the final stage
(related: CIS Docker Benchmark 4.3, "do not install unnecessary packages").

Reported: packages such as gcc, g++, clang, make, cmake, autoconf, build-essential/build-base, pkg-config, git,
\`*-dev\`/\`*-devel\` headers, golang, rustc/cargo and JDKs installed with apt-get/apt, apk, yum/dnf/microdnf or
zypper in the final stage or the stages it is built \`FROM\`, and not removed later there (\`apt-get purge\`,
\`apk del\` of the \`--virtual\` group, \`apt-mark auto\` followed by autoremove, \`dnf remove\`). curl and wget
are reported too when no CMD, ENTRYPOINT or HEALTHCHECK of the image runs them (a script the entrypoint runs
cannot be seen, so check before removing them).

A build stage that is only copied from is not the image, and is not reported.

\`\`\`dockerfile fires
FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev
COPY . /src
RUN gcc -o /usr/local/bin/app /src/main.c
CMD ["app"]
\`\`\`

\`\`\`dockerfile silent
FROM debian:12 AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev
COPY . /src
RUN gcc -o /app /src/main.c

FROM debian:12
COPY --from=build /app /usr/local/bin/app
CMD ["app"]
\`\`\`

\`\`\`dockerfile silent
FROM alpine:3.20
RUN apk add --no-cache --virtual .build-deps gcc musl-dev \\
 && apk del .build-deps
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    let runtimeTools: ReadonlySet<string> | undefined;
    for (const pkg of packagesInTargetImage(ctx.stages)) {
      const kind = toolchainKind(pkg.name, pkg.manager);
      if (kind !== undefined) {
        out.push(ctx.finding(pkg.word.span, `${pkg.name} (${kind}) is installed in the final image and not removed: build in a separate stage and COPY only the result into this one`));
        continue;
      }
      if (!DOWNLOADERS.has(pkg.name)) continue;
      runtimeTools ??= commandsRunAtRuntime(ctx.stages);
      if (runtimeTools.has(pkg.name)) continue;
      out.push(ctx.finding(pkg.word.span, `${pkg.name} is installed in the final image but no CMD, ENTRYPOINT or HEALTHCHECK uses it: download in a build stage, or remove it in the RUN that used it`));
    }
    return out;
  },
});

/** Names of the commands the image's CMD, ENTRYPOINT and HEALTHCHECK run (the target's own or inherited). */
function commandsRunAtRuntime(stages: StageGraph): Set<string> {
  const names = new Set<string>();
  for (const stage of stages.targetChain) {
    for (const inst of stage.instructions) {
      if (inst.kind === "cmd" || inst.kind === "entrypoint" || inst.kind === "healthcheck") {
        if (inst.command !== undefined) for (const name of commandNames(inst.command)) names.add(name);
      }
    }
  }
  return names;
}

function commandNames(command: CommandForm): string[] {
  if (command.form === "shell") {
    return allCommands(parsedShell(command.script)).flatMap((cmd) => commandName(unwrap(cmd)) ?? []);
  }
  // Exec form: the program, and any word of an argument that may be a script (`["sh", "-c", "curl -f ..."]`).
  return command.args.flatMap((arg) => arg.value.split(/[\s;&|()`]+/)).map((w) => w.slice(w.lastIndexOf("/") + 1));
}
