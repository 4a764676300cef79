import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { isDrydockError } from "../../core/errors.ts";
import { cleanPath, parseDockerignore, type IgnoreMatcher } from "../../context/dockerignore.ts";
import { dispatchEnv, environmentFullyKnown, expandInScope } from "../../context/dispatch.ts";
import { goQuote } from "../../dockerfile/lex.ts";

export const rule = defineRule({
  id: "CopyIgnoredFile",
  aliases: ["buildkit:CopyIgnoredFile"],
  severity: "warning",
  source: "buildkit",
  summary: "Attempting to Copy file that is excluded by .dockerignore",
  url: "https://docs.docker.com/go/dockerfile/rule/copy-ignored-file/",
  docs: `
Files that match \`.dockerignore\` (or \`<Dockerfile>.dockerignore\` beside the Dockerfile) are not sent with the
build context, so a COPY or ADD of one fails the build, or silently copies less than intended when it is a
directory. Sources are matched as Docker matches them: Go \`filepath.Match\` patterns, \`**\` for any number of
directories, a leading \`/\` ignored, and a path excluded when any directory above it is.

As in BuildKit: when the ignore file has exceptions (\`!pattern\`) nothing is reported, since an excluded
directory may have files let back in; \`COPY --from\` reads a stage, not the context; \`.\` is reported only when
a pattern (\`*\`, \`**\` or \`**/*\`) excludes everything; and a source is matched as written, after ARG/ENV
expansion and path cleaning, wildcards included. Nothing is reported when the Dockerfile comes from standard
input (there is no context), and an ignore file with a malformed pattern (which fails every build) is left to
the build to report.

\`\`\`dockerfile fires dockerignore=.git
FROM scratch
COPY .git/config /config
\`\`\`

\`\`\`dockerfile silent dockerignore=.git
FROM scratch
COPY ./forever/helloworld.txt /helloworld.txt
\`\`\`

(The examples assume a \`.dockerignore\` with the line \`.git\`.)
`,
  check(ctx) {
    const out: TextFinding[] = [];
    const ignore = ctx.buildContext?.dockerignore;
    if (ignore === undefined) return out;
    let matcher: IgnoreMatcher;
    try {
      matcher = parseDockerignore(ignore.text, ignore.file);
    } catch (e) {
      if (isDrydockError(e)) return out;
      throw e;
    }
    if (matcher.patterns.length === 0 || matcher.hasExclusions) return out;
    const rootIgnored = matcher.patterns.some((p) => p.text === "*" || p.text === "**" || p.text === "**/*");
    const env = dispatchEnv(ctx);
    for (const stage of ctx.stages.stages) {
      for (const inst of stage.instructions) {
        if (inst.kind !== "copy" && inst.kind !== "add") continue;
        if (inst.kind === "copy" && inst.flags.some((f) => f.name === "from" && f.value !== undefined && f.value !== "")) continue;
        const scope = env.at(inst);
        if (scope === undefined) continue;
        const known = environmentFullyKnown(ctx, inst);
        for (const source of inst.sources) {
          if (inst.heredocs.length > 0 && source.value.startsWith("<<")) continue;
          const e = expandInScope(scope, source.value, { escapeToken: ctx.model.escapeToken });
          if (e === undefined || (!known && e.references.some((r) => !r.set))) continue;
          if (inst.kind === "add" && isRemote(e.value)) continue;
          const path = cleanPath(e.value);
          if ((path === "." || path === "/") && !rootIgnored) continue;
          if (matcher.matchesOrParentMatches(path) === true) {
            out.push(ctx.finding(source.span, `Attempting to ${inst.kind === "add" ? "Add" : "Copy"} file ${goQuote(path)} that is excluded by .dockerignore`));
          }
        }
      }
    }
    return out;
  },
});

// ADD fetches URLs and git repositories instead of reading the context.
function isRemote(source: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(source) || /^git@[^:]+:/.test(source);
}
