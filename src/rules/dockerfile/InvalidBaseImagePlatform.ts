import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import type { EscapeToken } from "../../dockerfile/ast.ts";
import { expandWord, type ExpandEnv } from "../../dockerfile/expand.ts";
import type { Stage, StageGraph } from "../../dockerfile/stages.ts";
import { formatPlatform, normalizePlatform, parsePlatform, type Platform } from "../../image/platform.ts";

export const rule = defineRule({
  id: "InvalidBaseImagePlatform",
  aliases: ["buildkit:InvalidBaseImagePlatform"],
  severity: "warning",
  source: "buildkit",
  summary: "Base image platform does not match expected target platform",
  docs: `
BuildKit reports this when the base image of a stage is for another platform than the one the stage is built
for (for example an image published for linux/amd64 only, used for linux/arm64): the build then runs under
emulation, or its binaries do not run on the target at all. The platform a stage is built for is its
\`FROM --platform\` value (with \`$BUILDPLATFORM\` and \`$TARGETPLATFORM\` expanded), else the build's target
platform. As in BuildKit, only the operating system and architecture are compared (\`linux/arm64\` and
\`linux/arm64/v8\` are the same), and only stages that end up in the target image are checked.

**It needs the base image's metadata**, so \`drydock lint\` reports it only with \`--resolve-images\`: each base
image named by a registry reference (not \`scratch\`, not a stage, no unset ARG in it) is then looked up in its
registry (the platforms of its index, or its config's for a single image). The target platform is the host's
unless \`--platform\` gives one. An image that cannot be looked up (registry down, no access) is a note on
stderr, never a finding; without \`--resolve-images\` the check stays silent.

With an image published for linux/amd64 only, \`drydock lint --resolve-images\` reports:

\`\`\`dockerfile
FROM --platform=linux/arm64 example.com/amd64-only-tool:1.0
\`\`\`

\`Base image example.com/amd64-only-tool:1.0 was pulled with platform "linux/amd64", expected "linux/arm64" for
current build\` (for an index that lacks the platform, where BuildKit fails to pull, the message lists the platforms
it has instead). Fix it by building for a platform the image exists for, or by choosing an image published for
yours. Without image metadata (offline, the default) nothing is reported:

\`\`\`dockerfile silent
FROM --platform=linux/arm64 alpine:3.20
\`\`\`
`,
  // Its firing example needs a registry: the docs harness runs offline, so it has none (see registry.test.ts).
  inert: true,
  check(ctx) {
    const known = ctx.options.imagePlatforms;
    if (known === undefined) return [];
    const target = parsePlatform(known.target);
    const build = parsePlatform(known.build);
    const out: TextFinding[] = [];
    for (const base of stageBaseImages(ctx.stages, ctx.model.escapeToken, target, build)) {
      const published = known.platformsOf(base.ref);
      if (published === undefined || published.length === 0) continue;
      const available = published.map(platformOrUndefined).filter((p) => p !== undefined);
      if (available.some((p) => samePlatform(p, base.platform))) continue;
      const span = base.stage.from.image?.span ?? base.stage.from.span;
      out.push(ctx.finding(span, mismatchMessage(base.ref, base.platform, available)));
    }
    return out;
  },
});

/** A stage whose base BuildKit pulls from a registry, with the platform it pulls it for. */
export interface StageBaseImage {
  stage: Stage;
  /** The reference after ARG expansion, as the FROM names it. */
  ref: string;
  /** What the stage is built for: its FROM --platform value, else the build's target platform. */
  platform: Platform;
}

/**
 * The registry images the build pulls: stages that reach the target, FROM an image (not scratch, not a stage)
 * whose reference and --platform expand without an unset variable. FROM lines see the global ARGs and the
 * predefined platform ARGs, as in BuildKit.
 */
export function stageBaseImages(graph: StageGraph, escapeToken: EscapeToken, target: Platform, build: Platform): StageBaseImage[] {
  const out: StageBaseImage[] = [];
  const predefined = platformArgs(target, build);
  for (const stage of graph.stages) {
    if (!graph.reachable.has(stage.index) || stage.base.kind !== "image") continue;
    const scope = graph.scope(stage.from);
    const env: ExpandEnv = { get: (name) => scope.get(name)?.value ?? predefined.get(name) };
    const ref = fullyExpanded(stage.from.image?.value ?? "", env, escapeToken);
    if (ref === undefined || ref === "" || ref.toLowerCase() === "scratch") continue;
    const flag = stage.from.flags.find((f) => f.name === "platform");
    let platform = target;
    if (flag !== undefined) {
      const text = fullyExpanded(flag.value ?? "", env, escapeToken);
      const parsed = text === undefined || text === "" ? undefined : platformOrUndefined(text);
      if (parsed === undefined) continue;
      platform = parsed;
    }
    out.push({ stage, ref, platform });
  }
  return out;
}

/** BuildKit's automatic platform ARGs for a build on `build` for `target`. */
function platformArgs(target: Platform, build: Platform): ReadonlyMap<string, string> {
  const values = new Map<string, string>();
  for (const [prefix, p] of [["TARGET", target], ["BUILD", build]] as const) {
    values.set(`${prefix}PLATFORM`, formatPlatform(p));
    values.set(`${prefix}OS`, p.os);
    values.set(`${prefix}ARCH`, p.architecture);
    values.set(`${prefix}VARIANT`, p.variant ?? "");
  }
  return values;
}

/** The expanded word, or undefined when it uses a variable that has no value or does not expand. */
function fullyExpanded(word: string, env: ExpandEnv, escapeToken: EscapeToken): string | undefined {
  try {
    const e = expandWord(word, env, { escapeToken });
    return e.references.every((r) => r.set) ? e.value : undefined;
  } catch {
    return undefined;
  }
}

function platformOrUndefined(text: string): Platform | undefined {
  try {
    return parsePlatform(text);
  } catch {
    return undefined;
  }
}

/** BuildKit compares the operating system and architecture only (after normalizing: aarch64 is arm64). */
export function samePlatform(a: Platform, b: Platform): boolean {
  const x = normalizePlatform(a);
  const y = normalizePlatform(b);
  return x.os === y.os && x.architecture === y.architecture;
}

function mismatchMessage(ref: string, expected: Platform, available: readonly Platform[]): string {
  const wanted = formatPlatform(normalizePlatform(expected));
  const names = [...new Set(available.map((p) => formatPlatform(normalizePlatform(p))))];
  // One platform: BuildKit's own words. Several (an index without the expected one): BuildKit fails to pull, so
  // say what there is instead.
  if (names.length === 1) return `Base image ${ref} was pulled with platform "${names[0] ?? ""}", expected "${wanted}" for current build`;
  return `Base image ${ref} is published for ${names.map((n) => `"${n}"`).join(", ")}, expected "${wanted}" for current build`;
}
