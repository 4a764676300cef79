import type { TextFinding } from "../../core/finding.ts";
import { defineRule, type DockerfileContext } from "../../core/rule.ts";
import type { Instruction, RunInstruction } from "../../dockerfile/ast.ts";
import { runInstructions } from "../../dockerfile/query.ts";
import {
  actionOf, environmentValue, hasOption, isYarnInstall, NPM_INSTALL_ALIASES, optionValues, packageArgs, packageCommands, resolveWord,
  TRUTHY, type PackageCommand,
} from "../../shell/packages.ts";

// Branch names that move; any other ref given to --branch or checked out is taken as a tag or commit.
const MOVING_BRANCHES = new Set([
  "main", "master", "develop", "development", "dev", "trunk", "head", "latest", "nightly", "next", "edge", "canary", "unstable",
]);
// go's version queries that name no version.
const GO_MOVING = new Set(["@latest", "@upgrade", "@patch"]);
const NPM_LOCKFILES = ["package-lock.json", "npm-shrinkwrap.json"];

export const rule = defineRule({
  id: "DD009",
  aliases: [],
  severity: "warning",
  source: "drydock",
  summary: "Installs not locked",
  docs: `
A pinned top-level version is not a locked install: the dependencies it pulls in are still resolved on the
day of the build, and a tool run without its lockfile can pick up a different tree every time. Each package
ecosystem has a way to install exactly what was tested; this rule reports the installs that clearly do not
use it:

- \`npm install\` without package arguments, where \`npm ci\` fits: \`npm ci\` installs exactly
  \`package-lock.json\` and fails when it does not match \`package.json\`; \`npm install\` quietly rewrites it.
- \`yarn install\` (or a bare \`yarn\`) without \`--frozen-lockfile\` (yarn 1) or \`--immutable\` (yarn 2+;
  \`YARN_ENABLE_IMMUTABLE_INSTALLS=true\` counts).
- \`pip install\` of package names without \`--require-hashes\`, a requirements file (\`-r\`) or a constraints
  file (\`-c\`): their dependencies resolve anew. Names pinned with \`==\` and installed with \`--no-deps\` are
  exact and not reported; neither are local paths, archives and URLs, nor requirements files (whose content
  this rule cannot see).
- \`go install|get|run x@latest\` (also \`@upgrade\`, \`@patch\`): the newest version on build day.
- \`cargo install\` without \`--locked\`: cargo ignores the crate's \`Cargo.lock\` and takes the newest
  compatible dependencies.
- \`gem install\` of a gem without a version (\`-v\` or \`name:version\`); prefer \`bundle install\` with a
  \`Gemfile.lock\`.
- \`git clone\` without a pinned ref: no \`--branch <tag>\` (or \`--branch main\`/\`master\`, which move), and no
  \`git checkout\`/\`reset\`/\`switch\` of a commit or tag after it (in the same RUN, a later one of the stage, or of a stage built FROM it).

Variables are expanded from the ARG/ENV in scope; a ref or version that is not known is not reported.

\`\`\`dockerfile fires
FROM node:22
COPY package.json package-lock.json ./
RUN npm install
\`\`\`

\`\`\`dockerfile silent
FROM node:22
COPY package.json package-lock.json ./
RUN npm ci
\`\`\`

\`\`\`dockerfile fires
FROM debian:12
RUN git clone https://github.com/madler/zlib /src/zlib
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
RUN git clone --depth 1 --branch v1.3.1 https://github.com/madler/zlib /src/zlib
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const run of runInstructions(ctx.model)) {
      for (const pc of packageCommands(run)) {
        const finding = unlocked(ctx, pc);
        if (finding !== undefined) out.push(finding);
        unlockedGo(out, ctx, pc);
      }
    }
    return out;
  },
});

function unlocked(ctx: DockerfileContext, pc: PackageCommand): TextFinding | undefined {
  switch (pc.manager) {
    case "npm": return npmInstall(ctx, pc);
    case "yarn": return yarnInstall(ctx, pc);
    case "pip": return pipInstall(ctx, pc);
    case "cargo": return cargoInstall(ctx, pc);
    case "gem": return gemInstall(ctx, pc);
    case "git": return gitClone(ctx, pc);
    default: return undefined;
  }
}

function npmInstall(ctx: DockerfileContext, pc: PackageCommand): TextFinding | undefined {
  if (pc.subcommand === undefined || !NPM_INSTALL_ALIASES.has(pc.action ?? "") || pc.operands.length > 0) return undefined;
  if (hasOption(pc, ["g", "global"]) || optionValues(pc, "location").includes("global")) return undefined;
  const lockfile = copiedLockfile(ctx, pc.run);
  return ctx.finding(pc.subcommand.span, lockfile === undefined
    ? `npm ${pc.action ?? ""} resolves versions anew wherever package.json allows a range: commit a package-lock.json and use npm ci`
    : `npm ${pc.action ?? ""} may rewrite ${lockfile.name} (copied at line ${lockfile.line}) instead of failing when it is out of date: use npm ci`);
}

/** A package-lock.json or npm-shrinkwrap.json COPY'd or ADD'ed into the RUN's stage before it. */
function copiedLockfile(ctx: DockerfileContext, run: RunInstruction): { name: string; line: number } | undefined {
  const stage = ctx.stages.stageOf(run);
  const outer: Instruction = run.parent ?? run;
  let found: { name: string; line: number } | undefined;
  for (const inst of stage?.instructions ?? []) {
    if (inst === outer) break;
    if (inst.kind !== "copy" && inst.kind !== "add") continue;
    for (const src of inst.sources) {
      const base = ctx.stages.expand(inst, src.value).value.split("/").pop() ?? "";
      const name = NPM_LOCKFILES.find((f) => globMatches(base, f));
      if (name !== undefined) found = { name, line: src.span.start.line };
    }
  }
  return found;
}

function globMatches(pattern: string, name: string): boolean {
  if (!/[*?[]/.test(pattern)) return pattern === name;
  const re = pattern.replace(/[.+^${}()|\\]/g, "\\$&").replaceAll("*", "[^/]*").replaceAll("?", "[^/]");
  try {
    return new RegExp(`^${re}$`).test(name);
  } catch {
    return false; // an unbalanced [ in the pattern
  }
}

function yarnInstall(ctx: DockerfileContext, pc: PackageCommand): TextFinding | undefined {
  if (!isYarnInstall(pc) || pc.action === "add") return undefined;
  if (hasOption(pc, ["frozen-lockfile", "immutable"])) return undefined;
  const immutable = environmentValue(pc, ctx.stages, "YARN_ENABLE_IMMUTABLE_INSTALLS");
  if (immutable !== undefined && TRUTHY.has(immutable)) return undefined;
  const what = pc.subcommand === undefined ? "yarn" : "yarn install";
  return ctx.finding((pc.subcommand ?? pc.command.name).span, `${what} updates yarn.lock instead of failing when it is out of date: add --frozen-lockfile (yarn 1) or --immutable (yarn 2+)`);
}

function pipInstall(ctx: DockerfileContext, pc: PackageCommand): TextFinding | undefined {
  if (pc.subcommand === undefined || pc.action !== "install") return undefined;
  if (hasOption(pc, ["r", "requirement", "c", "constraint", "require-hashes"])) return undefined;
  for (const name of ["PIP_REQUIRE_HASHES", "PIP_CONSTRAINT", "PIP_REQUIREMENT"]) {
    if (environmentValue(pc, ctx.stages, name) !== undefined) return undefined;
  }
  const names = packageArgs(pc, ctx.stages).flatMap((a) => (a.spec?.kind === "name" ? [a.spec] : []));
  if (names.length === 0) return undefined;
  const exact = names.every((n) => n.version?.startsWith("==") === true && !n.version.includes("*"));
  if (exact && hasOption(pc, "no-deps")) return undefined;
  const list = names.map((n) => `"${n.name}"`).join(", ");
  return ctx.finding(pc.subcommand.span, `pip install of ${list} resolves ${names.length === 1 ? "it and its" : "them and their"} dependencies anew on every build: install from a requirements file with hashes (--require-hashes)`);
}

function cargoInstall(ctx: DockerfileContext, pc: PackageCommand): TextFinding | undefined {
  if (pc.subcommand === undefined || pc.action !== "install" || hasOption(pc, ["locked", "frozen"])) return undefined;
  const what = pc.operands.length > 0 ? pc.operands.map((w) => w.value ?? w.text).join(" ") : "the crate";
  return ctx.finding(pc.subcommand.span, `cargo install ignores the Cargo.lock of ${what} and takes the newest compatible dependencies: add --locked`);
}

function gemInstall(ctx: DockerfileContext, pc: PackageCommand): TextFinding | undefined {
  if (pc.subcommand === undefined || (pc.action !== "install" && pc.action !== "i") || hasOption(pc, ["v", "version"])) return undefined;
  const loose = packageArgs(pc, ctx.stages).flatMap((a) => (a.spec?.kind === "name" && a.spec.version === undefined ? [a.spec.name] : []));
  if (loose.length === 0) return undefined;
  return ctx.finding(pc.subcommand.span, `gem install of ${loose.map((n) => `"${n}"`).join(", ")} resolves the newest release and its dependencies on every build: give -v <version>, or use bundle install with a Gemfile.lock`);
}

// Pushes onto out: a generator made per package command cost more than the work.
function unlockedGo(out: TextFinding[], ctx: DockerfileContext, pc: PackageCommand): void {
  if (pc.manager !== "go" || (pc.action !== "install" && pc.action !== "get" && pc.action !== "run")) return;
  const operands = pc.action === "run" ? pc.operands.slice(0, 1) : pc.operands;
  for (const arg of packageArgs(pc, ctx.stages, operands)) {
    const spec = arg.spec;
    if (spec?.kind !== "name" || spec.version === undefined || !GO_MOVING.has(spec.version)) continue;
    out.push(ctx.finding(arg.word.span, `go ${pc.action} ${spec.name}${spec.version} builds whatever version is newest on build day: name one (${spec.name}@v1.2.3)`));
  }
}

function gitClone(ctx: DockerfileContext, pc: PackageCommand): TextFinding | undefined {
  if (pc.action !== "clone") return undefined;
  const url = pc.operands[0];
  if (url === undefined || hasOption(pc, "revision")) return undefined;
  const branch = pc.flags.findLast((f) => f.name === "b" || f.name === "branch");
  if (branch !== undefined) {
    const ref = branch.valueWord === undefined ? branch.value : resolveWord(ctx.stages, pc.run, branch.valueWord);
    if (ref === undefined || ref === null || !isMovingRef(ref)) return undefined;
  }
  if (checksOutLater(ctx, pc)) return undefined;
  const where = resolveWord(ctx.stages, pc.run, url) ?? url.text;
  if (branch !== undefined) {
    return ctx.finding((branch.valueWord ?? branch.word).span, `git clone --branch ${branch.value ?? ""} of ${where} follows a branch that moves: clone a tag, or check out a commit after cloning`);
  }
  return ctx.finding(url.span, `git clone of ${where} gets whatever its default branch holds on build day: clone a tag (--branch v1.2.3), or check out a commit after cloning`);
}

// A `git checkout|switch|reset <ref>` (also `git -C dir ...`) of a ref that is not a moving branch, after the clone
// and before the next one, in the same RUN or a later RUN of the stage, pins the clone.
function checksOutLater(ctx: DockerfileContext, clone: PackageCommand): boolean {
  const later = packageCommands(clone.run).filter((pc) => pc.index > clone.index);
  for (const inst of laterInTree(ctx, clone.run)) if (inst.kind === "run") later.push(...packageCommands(inst));
  for (const pc of later) {
    if (pc.manager !== "git") continue;
    const action = actionOf(pc)?.name;
    if (action === "clone") return false;
    if (action !== "checkout" && action !== "switch" && action !== "reset") continue;
    for (const word of pc.operands) {
      const ref = resolveWord(ctx.stages, pc.run, word);
      if (ref === undefined || !isMovingRef(ref)) return true;
    }
  }
  return false;
}

/** The instructions after a RUN that work on its file tree: the rest of its stage and of stages built FROM it. */
function laterInTree(ctx: DockerfileContext, run: RunInstruction): Instruction[] {
  const stage = ctx.stages.stageOf(run);
  if (stage === undefined) return [];
  const outer: Instruction = run.parent ?? run;
  const out = stage.instructions.slice(stage.instructions.indexOf(outer) + 1);
  for (const s of ctx.stages.stages) {
    if (s.index > stage.index && ctx.stages.baseChain(s).includes(stage)) out.push(...s.instructions);
  }
  return out;
}

function isMovingRef(ref: string): boolean {
  const name = ref.replace(/^(?:refs\/heads\/|refs\/remotes\/)?(?:origin\/|upstream\/)?/, "");
  return MOVING_BRANCHES.has(name.toLowerCase());
}
