import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import type { StringInstruction } from "../../dockerfile/ast.ts";
import { isWindowsStage } from "../../dockerfile/query.ts";
import type { Stage } from "../../dockerfile/stages.ts";
import { knownNonRootImage, NON_ROOT_IMAGES } from "../../hardening/nonroot-images.ts";

// Windows containers: Nano Server images (and those built on them) run as ContainerUser, a standard user;
// Server Core and Windows Server images run as ContainerAdministrator, an administrator of the container.
const NANOSERVER = /(^|[/:_.-])nanoserver([/:_.-]|$)/i;
const WINDOWS_ADMIN = "containeradministrator";

export const rule = defineRule({
  id: "DD001",
  aliases: ["cis:4.1"],
  severity: "warning",
  source: "drydock",
  summary: "The final image runs as root: no USER is set",
  docs: `
Without a USER instruction a container runs as the base image's user, which for almost every base (debian,
alpine, ubuntu, node, python, scratch) is root. Root in the container is one kernel bug, one writable host
mount or one mounted Docker socket away from root on the host. Create an unprivileged user and switch to it
(CIS Docker Benchmark 4.1).

Only the image that is built counts: the target stage and the stages it is built \`FROM\`, whose USER it
inherits. A build stage that is only copied from may run as root. An explicit \`USER root\` at the end is
reported by DL3002, not here, so the two never report the same line; Trivy's DS002 covers both cases.

Bases known to run as a non-root user without a USER line are not reported:

${NON_ROOT_IMAGES.map((e) => `- ${e.pattern}: ${e.why}.`).join("\n")}

A base given by an ARG without a default is not known, so it is not reported either.

Windows stages have no root, but they have an administrator: Server Core and Windows Server images run as
\`ContainerAdministrator\` unless a USER says otherwise, so they are reported as above, and so is a last
\`USER ContainerAdministrator\`. Nano Server images (\`mcr.microsoft.com/windows/nanoserver\` and the images
built on it, such as \`mcr.microsoft.com/dotnet/runtime:8.0-nanoserver-ltsc2022\`) run as the standard user
\`ContainerUser\` and are not reported. Switch with \`USER ContainerUser\`.

\`\`\`dockerfile fires
FROM debian:12
RUN useradd --system app
COPY app /usr/local/bin/app
CMD ["app"]
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
RUN useradd --system app
COPY app /usr/local/bin/app
USER app
CMD ["app"]
\`\`\`

\`\`\`dockerfile fires
FROM mcr.microsoft.com/windows/servercore:ltsc2022
COPY app.exe C:/app/
CMD ["C:\\\\app\\\\app.exe"]
\`\`\`

\`\`\`dockerfile silent
FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022
COPY app/ C:/app/
CMD ["dotnet", "C:\\\\app\\\\app.dll"]
\`\`\`

\`\`\`dockerfile silent
FROM golang:1.22 AS build
RUN go build -o /app .
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /app /app
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    const chain = ctx.stages.targetChain;
    const target = chain[0];
    const bottom = chain.at(-1);
    if (target === undefined || bottom === undefined) return out;
    const windows = isWindowsStage(ctx.stages, target, ctx.model);
    // Any USER along the chain decides; a root one is DL3002's finding, a Windows administrator is ours.
    const user = lastUser(chain);
    if (user !== undefined) {
      if (!windows || user.value === undefined) return out;
      const expanded = ctx.stages.expand(user, user.value.value);
      const name = expanded.value.split(":")[0]?.trim() ?? "";
      if (expanded.references.some((r) => !r.set) || name.toLowerCase() !== WINDOWS_ADMIN) return out;
      out.push(ctx.finding(user.value.span, `The image runs as ${name}, the container's administrator: end with USER ContainerUser, a standard user`));
      return out;
    }
    let why: string;
    if (bottom.base.kind === "image") {
      const word = bottom.from.image;
      if (word !== undefined && ctx.stages.expand(bottom.from, word.value).references.some((r) => !r.set)) return out;
      if (knownNonRootImage(bottom.base.ref) !== undefined) return out;
      if (windows && NANOSERVER.test(bottom.base.ref)) return out;
      why = windows
        ? `"${bottom.base.ref}" runs as ContainerAdministrator, the container's administrator, unless a USER says otherwise`
        : `"${bottom.base.ref}" is not known to set a non-root user`;
    } else {
      why = "scratch has no user, so it is uid 0";
    }
    const where = target.from.image ?? target.from.keywordSpan;
    const span = "span" in where ? where.span : where;
    const fix = windows ? "add USER ContainerUser" : "add USER with an unprivileged user";
    out.push(ctx.finding(span, `The image runs as ${windows ? "an administrator" : "root"}: no USER in the target stage or the stages it is built FROM, and ${why}; ${fix}`));
    return out;
  },
});

/** The USER in force in the target: the last one of the first stage along the chain (target first) that has one. */
function lastUser(chain: readonly Stage[]): StringInstruction | undefined {
  for (const stage of chain) {
    const user = stage.instructions.findLast((inst): inst is StringInstruction => inst.kind === "user");
    if (user !== undefined) return user;
  }
  return undefined;
}
