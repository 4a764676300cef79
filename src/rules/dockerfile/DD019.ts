import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import type { BuildContextInfo } from "../../core/rule.ts";
import type { CopyInstruction } from "../../dockerfile/ast.ts";
import type { StageGraph } from "../../dockerfile/stages.ts";
import { cleanPath, ignorePattern, isIgnored, parseIgnoreFile, type IgnorePattern } from "../../hardening/ignore-patterns.ts";

export const rule = defineRule({
  id: "DD019",
  aliases: [],
  severity: "warning",
  source: "drydock",
  summary: "COPY of the whole build context needs a .dockerignore that excludes .git and .env",
  docs: `
\`COPY . .\` copies everything in the build context that \`.dockerignore\` does not exclude. Without one, the
\`.git\` directory (the whole history, including secrets committed and later deleted) and \`.env\` files (API
keys, database passwords) end up in a layer that everyone who pulls the image can read, and every change to
them breaks the build cache. Add a \`.dockerignore\` that excludes at least:

\`\`\`
.git
.env
**/.env
*.pem
\`\`\`

Reported: COPY or ADD whose source is the context root (\`.\`, \`./\`, \`/\`, \`*\`; ARGs expanded) when there is no
\`.dockerignore\` (nor \`<Dockerfile>.dockerignore\`), or it does not exclude \`.git\` or \`.env\` with Docker's
matching rules (\`**\`, \`!\` exceptions, last match wins). \`COPY --exclude\` patterns count too. When the list of
context files is known, only \`.git\` and \`.env\` files that exist (\`.env\` at any depth) are reported. Not
checked: \`COPY --from\` (another stage or image), \`ONBUILD COPY\` (the child's context), and a Dockerfile
read from stdin (no context).

\`\`\`dockerfile fires
FROM node:22-slim
WORKDIR /app
COPY . .
RUN npm ci && npm run build
\`\`\`

\`\`\`dockerfile silent
FROM node:22-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY src ./src
RUN npm ci && npm run build
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    const context = ctx.buildContext;
    if (context === undefined) return out;
    let ignored: IgnorePattern[] | undefined;
    for (const inst of ctx.model.instructions) {
      if (inst.kind !== "copy" && inst.kind !== "add") continue;
      if (inst.flags.some((f) => f.name === "from")) continue;
      for (const src of inst.sources) {
        const expanded = ctx.stages.expand(inst, src.value);
        if (expanded.references.some((r) => !r.set) || !isContextRoot(expanded.value)) continue;
        ignored ??= context.dockerignore === undefined ? [] : parseIgnoreFile(context.dockerignore.text);
        const leaked = copiedSecrets(context, ignored, excludes(ctx.stages, inst));
        if (leaked.length === 0) continue;
        const what = leaked.join(" and ");
        const source = `${inst.keyword} ${src.value}`;
        out.push(ctx.finding(src.span, context.dockerignore === undefined
          ? `${source} copies the whole build context and there is no .dockerignore: ${what} ${context.files === undefined ? "would be" : leaked.length > 1 ? "are" : "is"} copied into the image; add a .dockerignore that excludes .git, .env and key files`
          : `${source} copies the whole build context and ${context.dockerignore.file} does not exclude ${what}: add ${leaked.length > 1 ? "them" : "it"} (and key files such as *.pem)`));
      }
    }
    return out;
  },
});

/** `.`, `./`, `/`, `./.`, `*`, `/*`: the whole context. */
function isContextRoot(source: string): boolean {
  const path = cleanPath(source.replace(/^\/+/, "") || ".");
  return path === "." || /^\*+$/.test(path);
}

/** The instruction's own `--exclude` patterns (BuildKit applies them like .dockerignore ones). */
function excludes(stages: StageGraph, inst: CopyInstruction): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  for (const f of inst.flags) {
    if (f.name !== "exclude" || f.value === undefined) continue;
    const p = ignorePattern(stages.expand(inst, f.value).value);
    if (p !== undefined && !p.exception) out.push(p);
  }
  return out;
}

/**
 * The sensitive paths that would be copied. With the context's file list: the `.git` directory and `.env`
 * files (any depth) that exist and are not excluded. Without it: `.git` and `.env` at the root, as if present.
 */
function copiedSecrets(context: BuildContextInfo, ignored: readonly IgnorePattern[], excluded: readonly IgnorePattern[]): string[] {
  const copied = (path: string): boolean => !isIgnored(path, ignored) && !isIgnored(path, excluded);
  if (context.files === undefined) {
    // A .git directory counts as copied when any of its usual entries would be.
    const git = [".git", ".git/config", ".git/HEAD"].some(copied);
    return [...(git ? [".git"] : []), ...(copied(".env") ? [".env"] : [])];
  }
  const out: string[] = [];
  if (context.files.some((f) => (f === ".git" || f.startsWith(".git/")) && copied(f))) out.push(".git");
  for (const f of context.files) {
    if ((f === ".env" || f.endsWith("/.env")) && copied(f)) out.push(f);
  }
  return out;
}
