import { defineRule, type DockerfileContext } from "../../core/rule.ts";
import type { Span, TextFinding } from "../../core/finding.ts";
import type { Instruction } from "../../dockerfile/ast.ts";
import { parseImageRef } from "../../dockerfile/query.ts";

// Names Docker Hub is known by; an image without a registry comes from it.
const DOCKER_HUB: readonly string[] = ["docker.io", "index.docker.io", "registry-1.docker.io", "hub.docker.com"];

interface ImageUse {
  /** The reference after ARG expansion. */
  image: string;
  span: Span;
  /** What uses it, for the message. */
  what: string;
}

export const rule = defineRule({
  id: "DL3026",
  aliases: ["hadolint:DL3026"],
  severity: "error",
  source: "hadolint",
  summary: "Use only an allowed registry in the FROM image",
  url: "https://github.com/hadolint/hadolint/wiki/DL3026",
  docs: `
Where base images come from decides who can put code into your image. With a list of trusted registries
configured (\`trustedRegistries\` in the config file, the same key as in hadolint's \`.hadolint.yaml\`),
every image the build pulls must come from one of them; with no list the rule is silent.

Checked: FROM images, and the images named by \`COPY --from\` and \`RUN --mount=...,from=\` (not stage names or
indexes). ARGs are expanded first; a reference whose variable has no value is skipped. An image without a
registry comes from Docker Hub, so \`debian:12\` needs \`docker.io\` (or \`hub.docker.com\`) in the list.
\`scratch\` and earlier stages pull nothing. List entries may use a wildcard at either end: \`*.gcr.io\` matches
\`eu.gcr.io\` (not \`gcr.io\` itself), \`registry.example.com*\` matches it with any port, \`*\` anything.
Registry names are compared ignoring case.

With \`trustedRegistries: [registry.example.com]\`:

\`\`\`dockerfile fires trustedRegistries=registry.example.com
FROM docker.io/library/debian:12
\`\`\`

\`\`\`dockerfile silent trustedRegistries=registry.example.com
FROM registry.example.com/base/debian:12
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    const trusted = ctx.options.trustedRegistries;
    if (trusted.length === 0) return out;
    for (const use of imageUses(ctx)) {
      const registry = parseImageRef(use.image).registry;
      const candidates = registry === undefined || DOCKER_HUB.includes(registry.toLowerCase()) ? DOCKER_HUB : [registry];
      if (candidates.some((r) => trusted.some((pattern) => registryMatches(pattern, r)))) continue;
      const from = registry ?? "docker.io (Docker Hub, the default)";
      out.push(ctx.finding(use.span, `Use only an allowed registry in the FROM image: ${use.what} "${use.image}" comes from ${from}, which is not in the trusted registries (${trusted.join(", ")})`));
    }
    return out;
  },
});

function* imageUses(ctx: DockerfileContext): Generator<ImageUse> {
  for (const stage of ctx.stages.stages) {
    const word = stage.from.image;
    if (word !== undefined && stage.base.kind === "image" && !hasUnsetVariable(ctx, stage.from, word.value)) {
      yield { image: stage.image, span: word.span, what: "the base image" };
    }
    for (const inst of stage.instructions) {
      if (inst.kind === "copy") {
        for (const flag of inst.flags) {
          if (flag.name !== "from" || flag.value === undefined || isStage(ctx, flag.value)) continue;
          yield { image: flag.value, span: flag.valueSpan ?? flag.span, what: "COPY --from image" };
        }
      }
      if (inst.kind === "run") {
        for (const flag of inst.flags) {
          if (flag.name !== "mount" || flag.value === undefined) continue;
          const from = mountFrom(flag.value);
          if (from === undefined || isStage(ctx, from)) continue;
          yield { image: from, span: flag.span, what: "RUN --mount image" };
        }
      }
    }
  }
}

function hasUnsetVariable(ctx: DockerfileContext, inst: Instruction, word: string): boolean {
  return ctx.stages.expand(inst, word).references.some((r) => !r.set);
}

/** A stage name (any case, any position: BuildKit resolves them all) or index, or a value that names no image to pull. */
function isStage(ctx: DockerfileContext, ref: string): boolean {
  return ctx.stages.stageByName(ref) !== undefined || /^\d+$/.test(ref) || ref === "" || ref.includes("$") || ref.toLowerCase() === "scratch";
}

/** The `from=` field of a `--mount` value. */
function mountFrom(value: string): string | undefined {
  for (const field of value.split(",")) {
    const eq = field.indexOf("=");
    if (eq !== -1 && field.slice(0, eq).trim().toLowerCase() === "from") return field.slice(eq + 1).trim();
  }
  return undefined;
}

/** hadolint's matching: `*` anything, `*suffix`, `prefix*`, else the exact name; hosts ignore case. */
function registryMatches(pattern: string, registry: string): boolean {
  const p = pattern.toLowerCase();
  const r = registry.toLowerCase();
  if (p === "*") return true;
  if (p.startsWith("*")) return r.endsWith(p.slice(1));
  if (p.endsWith("*")) return r.startsWith(p.slice(0, -1));
  return r === p;
}
