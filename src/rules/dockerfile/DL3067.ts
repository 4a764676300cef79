import type { TextFinding } from "../../core/finding.ts";
import { defineRule, type DockerfileContext } from "../../core/rule.ts";
import type { Instruction } from "../../dockerfile/ast.ts";
import { allInstructions, parseImageRef } from "../../dockerfile/query.ts";

export const rule = defineRule({
  id: "DL3067",
  aliases: ["hadolint:DL3067"],
  severity: "warning",
  source: "hadolint",
  summary: "Do not copy an entire filesystem from another stage",
  url: "https://github.com/hadolint/hadolint/wiki/DL3067",
  docs: `
\`COPY --from=build / /\` copies every file of the other stage (its package databases, caches, compilers and
whatever the build left) over this one, undoing the point of a multi-stage build and overwriting this stage's
own system files. Copy the directories the final image needs.

Unlike hadolint, copying \`/\` from a stage whose base chain ends in \`scratch\` is not reported: such a stage holds
only what was copied into it, and gathering build outputs in one (\`FROM scratch AS out\`, then
\`COPY --from=out / /\`) is the usual way to export them. Copying \`/\` from an image or from a stage built on a
distribution is reported. The same holds for stages built from images known to be \`FROM scratch\` collections of
files made to be copied whole: \`tonistiigi/xx\` (BuildKit's cross-compilation helpers, \`COPY --from=xx / /\` is
its documented use) and Docker's \`docker/buildx-bin\` and \`docker/compose-bin\`.

\`\`\`dockerfile fires
FROM golang:1.22 AS build
RUN go build -o /out/app .
FROM gcr.io/distroless/static-debian12
COPY --from=build / /
\`\`\`

\`\`\`dockerfile silent
FROM golang:1.22 AS build
RUN go build -o /out/app .
FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
\`\`\`

\`\`\`dockerfile silent
FROM golang:1.22 AS build
RUN go build -o /out/app .
FROM scratch AS binaries
COPY --from=build /out/app /bin/app
FROM gcr.io/distroless/static-debian12
COPY --from=binaries / /
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const inst of allInstructions(ctx.model)) {
      if (inst.kind !== "copy" || inst.destination === undefined) continue;
      const from = inst.flags.find((f) => f.name === "from")?.value;
      if (from === undefined || unquoted(inst.destination.value) !== "/") continue;
      const root = inst.sources.find((s) => unquoted(s.value) === "/");
      if (root === undefined || isScratchStage(ctx, inst, from)) continue;
      out.push(ctx.finding(root.span, `Do not copy an entire filesystem from another stage: "/" copies everything from ${from} onto this stage's root`));
    }
    return out;
  },
});

function unquoted(value: string): string {
  return value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]) ? value.slice(1, -1) : value;
}

/** Images published as `FROM scratch` sets of files meant to be copied whole into another image. */
const SCRATCH_IMAGES: ReadonlySet<string> = new Set(["tonistiigi/xx", "docker/buildx-bin", "docker/compose-bin"]);

/**
 * Whether ref names an earlier stage built (through its base stages) FROM scratch, or on one of the scratch-built
 * helper images, or is such an image itself: it holds only what was copied in.
 */
function isScratchStage(ctx: DockerfileContext, inst: Instruction, ref: string): boolean {
  const current = ctx.stages.stageOf(inst)?.index ?? Infinity;
  const stage = ctx.stages.stageByName(ref) ?? (/^\d+$/.test(ref) ? ctx.stages.stages[Number(ref)] : undefined);
  if (stage === undefined) return isScratchImage(ref);
  if (stage.index >= current) return false;
  const root = ctx.stages.baseChain(stage).at(-1);
  if (root === undefined) return false;
  return root.base.kind === "scratch" || (root.base.kind === "image" && isScratchImage(root.image));
}

function isScratchImage(image: string): boolean {
  if (image === "") return false;
  const ref = parseImageRef(image);
  const registry = ref.registry?.toLowerCase();
  if (registry !== undefined && registry !== "docker.io" && registry !== "index.docker.io") return false;
  return SCRATCH_IMAGES.has(ref.repository.replace(/^library\//, ""));
}
