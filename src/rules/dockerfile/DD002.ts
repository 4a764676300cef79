import type { TextFinding } from "../../core/finding.ts";
import { defineRule, type DockerfileContext } from "../../core/rule.ts";
import type { Instruction } from "../../dockerfile/ast.ts";
import { instructionsOfKinds, parseImageRef } from "../../dockerfile/query.ts";

const IMAGE_USERS = ["copy", "run"] as const;

export const rule = defineRule({
  id: "DD002",
  aliases: [],
  severity: "warning",
  source: "drydock",
  summary: "Pin base images by digest",
  docs: `
A tag is a pointer the publisher (or anyone who takes over the account or the registry path) can move: the
same Dockerfile then builds on different content, and a compromised tag reaches every build that pulls it.
A digest names exactly one image. Keep the tag beside it for readers and let Renovate or Dependabot move
both together: \`FROM debian:12@sha256:<digest>\`.

Every stage pulls its base, so every \`FROM\` counts, build stages included; so do images named by
\`COPY --from=<image>\` and \`RUN --mount=from=<image>\`. ARGs are expanded first. Not reported: \`scratch\`,
earlier stages, and references built from an ARG without a default (the value comes at build time).

The severity is warning, as for DL3007 (\`latest\`): unpinned bases are the most common way a build changes
without a change to its Dockerfile. There is no automatic fix: the digest has to come from the registry.

\`\`\`dockerfile fires
FROM node:22-slim
\`\`\`

\`\`\`dockerfile silent
FROM node:22-slim@sha256:0c1c4c1d2d7e1a0f4d8e3c0b6b6a1ffb6b1f1e4e7b3f9a2d8c6e5f4a3b2c1d0e
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const stage of ctx.stages.stages) {
      const word = stage.from.image;
      if (word === undefined || stage.base.kind !== "image") continue;
      const message = unpinned(ctx, stage.from, word.value);
      if (message !== undefined) out.push(ctx.finding(word.span, message));
    }
    // Only COPY --from and RUN --mount name images.
    for (const inst of instructionsOfKinds(ctx.model, IMAGE_USERS)) {
      if (inst.parent !== undefined) continue; // ONBUILD pulls in the child build, against its own stages
      for (const flag of inst.flags) {
        if (flag.value === undefined) continue;
        if (inst.kind === "copy" && flag.name === "from") {
          const message = unpinned(ctx, inst, flag.value, true);
          if (message !== undefined) out.push(ctx.finding(flag.valueSpan ?? flag.span, message));
        } else if (inst.kind === "run" && flag.name === "mount") {
          for (const from of mountSources(flag.value)) {
            const message = unpinned(ctx, inst, from, true);
            if (message !== undefined) out.push(ctx.finding(flag.span, message));
          }
        }
      }
    }
    return out;
  },
});

/** The finding's message when the image text names is not pinned by digest; undefined when it is, or is no image. */
function unpinned(ctx: DockerfileContext, inst: Instruction, text: string, mayBeStage = false): string | undefined {
  const expanded = ctx.stages.expand(inst, text);
  if (expanded.references.some((r) => !r.set)) return undefined;
  const image = expanded.value;
  if (image === "" || image.toLowerCase() === "scratch") return undefined;
  if (mayBeStage && isEarlierStage(ctx, inst, image)) return undefined;
  if (parseImageRef(image).digest !== undefined) return undefined;
  return `"${image}" is not pinned by digest: the tag can be moved to other content; use ${image}@sha256:<digest>`;
}

function isEarlierStage(ctx: DockerfileContext, inst: Instruction, ref: string): boolean {
  const current = ctx.stages.stageOf(inst)?.index ?? Infinity;
  const named = ctx.stages.stageByName(ref);
  if (named !== undefined && named.index < current) return true;
  return /^\d+$/.test(ref) && Number(ref) < current;
}

/** The from= values of a --mount flag's comma-separated fields. */
function mountSources(value: string): string[] {
  const out: string[] = [];
  for (const field of value.split(",")) {
    const eq = field.indexOf("=");
    if (eq !== -1 && field.slice(0, eq).trim().toLowerCase() === "from") out.push(field.slice(eq + 1).trim());
  }
  return out;
}
