import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { runInstructions } from "../../dockerfile/query.ts";
import { fileRunsPackageManager } from "../../hardening/package-managers.ts";
import { packageArgs, packageCommands, type PackageCommand } from "../../shell/packages.ts";
import type { ShellWord } from "../../shell/parse.ts";

// Version queries that name no version: whatever is newest when the build runs.
const MOVING = new Set(["@latest", "@upgrade", "@patch"]);

export const rule = defineRule({
  id: "DL3062",
  aliases: ["hadolint:DL3062"],
  severity: "warning",
  source: "hadolint",
  summary: "Pin versions in go install",
  url: "https://github.com/hadolint/hadolint/wiki/DL3062",
  docs: `
\`go install golang.org/x/tools/gopls\` (or \`@latest\`) builds whatever version is newest when the image is
built. Name a version: \`golang.org/x/tools/gopls@v0.16.1\` (a tag, or a commit hash).

\`go install\`, \`go get\` and \`go run\` (its package argument only; what follows goes to the program) are
checked. Local packages (\`.\`, \`./cmd/app\`, \`/src/x\`, \`main.go\`) are built from the context and not
reported, nor is \`@none\` (which removes a dependency). Variables are expanded from the ARG/ENV in scope.

\`\`\`dockerfile fires
FROM golang:1.22
RUN go install golang.org/x/tools/gopls@latest
\`\`\`

\`\`\`dockerfile silent
FROM golang:1.22
RUN go install golang.org/x/tools/gopls@v0.16.1 && go run ./cmd/gen -out /tmp/x
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    if (!fileRunsPackageManager(ctx.model, "go")) return out;
    for (const run of runInstructions(ctx.model)) {
      for (const pc of packageCommands(run)) {
        if (pc.manager !== "go") continue;
        for (const arg of packageArgs(pc, ctx.stages, goPackages(pc))) {
          const spec = arg.spec;
          if (spec === undefined || spec.kind !== "name") continue;
          if (spec.version !== undefined && !MOVING.has(spec.version)) continue;
          out.push(ctx.finding(arg.word.span, spec.version === undefined
            ? `Pin versions in go ${pc.action ?? ""}: ${spec.name} has no version; use ${spec.name}@<version>`
            : `Pin versions in go ${pc.action ?? ""}: ${spec.name}${spec.version} builds whatever is newest on build day; use ${spec.name}@<version>`));
        }
      }
    }
    return out;
  },
});

function goPackages(pc: PackageCommand): ShellWord[] {
  if (pc.action === "install" || pc.action === "get") return pc.operands;
  if (pc.action === "run") return pc.operands.slice(0, 1);
  return [];
}
