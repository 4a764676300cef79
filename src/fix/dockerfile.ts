// Dockerfile fixes beyond the rules' own `fix` functions: the ones that need the stage graph or an option
// (`--add-user`). Each returns edits of the file text for one finding, or none when the fix would not be exact;
// src/fix/apply.ts applies them and lints again.
import type { Edit, TextFinding } from "../core/finding.ts";
import type { CmdInstruction, CopyInstruction, Dockerfile, Instruction, RunInstruction } from "../dockerfile/ast.ts";
import { explicitShell, isWindowsStage } from "../dockerfile/query.ts";
import type { Stage, StageGraph } from "../dockerfile/stages.ts";
import { NPM_INSTALL_ALIASES, packageCommandAt, packageCommands } from "../shell/packages.ts";

export interface DockerfileFixContext {
  model: Dockerfile;
  stages: StageGraph;
  /** `--add-user`: the user the USER fix (DD001) adds; undefined leaves DD001 alone. */
  addUser: string | undefined;
}

export interface DockerfileFixer {
  /** The findings it fixes. */
  ruleIds: readonly string[];
  fix(finding: TextFinding, ctx: DockerfileFixContext): Edit[];
}

/** The default uid:gid of `--add-user`: distroless's "nonroot", unused by any distribution's packages. */
export const DEFAULT_USER = "65532:65532";

export const dockerfileFixers: readonly DockerfileFixer[] = [
  { ruleIds: ["DL3020"], fix: addToCopy },
  { ruleIds: ["DL3025", "JSONArgsRecommended"], fix: shellToExecForm },
  { ruleIds: ["DL3009"], fix: cleanAptLists },
  { ruleIds: ["DD009"], fix: npmInstallToCi },
  { ruleIds: ["DD001"], fix: addUser },
];

export function fixerFor(ruleId: string): DockerfileFixer | undefined {
  return dockerfileFixers.find((f) => f.ruleIds.includes(ruleId));
}

// ---- ADD → COPY ----

/** Flags COPY takes as well; ADD's own (--checksum, --keep-git-dir, --unpack) make ADD necessary. */
const COPY_FLAGS: ReadonlySet<string> = new Set(["chown", "chmod", "link", "exclude"]);
/** Names ADD may unpack: any tar, and the compressions ADD detects (by content; by name here, to be safe). */
const ARCHIVE_NAME = /\.(?:tar|tgz|tbz2?|tb2|txz|tzst|tlz|taz|gz|bz2|xz|zst|lzma|lz|z|zip)$|\.tar\./i;
const REMOTE_SOURCE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@)/i;
const GLOB = /[*?[]/;

function addToCopy(finding: TextFinding, { model, stages }: DockerfileFixContext): Edit[] {
  const inst = instructionAt(model, finding.location.start.offset);
  if (inst?.kind !== "add" || !copiesLikeCopy(inst, stages)) return [];
  const keyword = inst.keywordText === inst.keywordText.toLowerCase() ? "copy" : "COPY";
  return [{ start: inst.keywordSpan.start.offset, end: inst.keywordSpan.end.offset, text: keyword }];
}

/** Every source is a local file or folder that is not an archive by name, and every flag means the same for COPY. */
function copiesLikeCopy(inst: CopyInstruction, stages: StageGraph): boolean {
  if (inst.sources.length === 0 || !inst.flags.every((f) => COPY_FLAGS.has(f.name.toLowerCase()))) return false;
  return inst.sources.every((src) => {
    if (src.value.startsWith("<<")) return true; // a heredoc is written as a plain file by both
    const expanded = stages.expand(inst, src.value);
    if (expanded.references.some((r) => !r.set)) return false;
    const path = expanded.value;
    if (REMOTE_SOURCE.test(path) || ARCHIVE_NAME.test(path)) return false;
    const base = path.replace(/\/+$/, "").split("/").pop() ?? "";
    // A pattern may match archives unless its name ends in a literal, non-archive extension.
    return !GLOB.test(base) || /\.[A-Za-z0-9]+$/.test(base.replace(/^.*[*?\]]/, ""));
  });
}

// ---- shell form → exec form ----

/** A word the shell passes on unchanged: no quoting, expansion, globbing, redirection or operators. */
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;
/** Names that are not programs on disk: the shell runs them itself, so exec form would fail. */
const SHELL_ONLY = new Set([
  "cd", "export", "set", "unset", "source", ".", "eval", "trap", "ulimit", "umask", "alias", "wait", "read", "shift",
  "times", "return", "exit", "break", "continue", "readonly", "local", "declare", "typeset", "if", "then", "else",
  "fi", "for", "while", "until", "do", "done", "case", "esac", "function", "select", "time", "coproc",
]);

function shellToExecForm(finding: TextFinding, { model, stages }: DockerfileFixContext): Edit[] {
  const inst = instructionAt(model, finding.location.start.offset);
  if ((inst?.kind !== "cmd" && inst?.kind !== "entrypoint") || inst.command?.form !== "shell") return [];
  const stage = stages.stageOf(inst);
  // Under a SHELL or on Windows the shell form is not /bin/sh -c, so the words may mean something else.
  if (stage === undefined || explicitShell(stages, inst) !== undefined || isWindowsStage(stages, stage, model)) return [];
  // Words read as flags (`CMD --port 80`) are not part of the command text; a CMD under an ENTRYPOINT is its
  // arguments, which shell form wraps in `/bin/sh -c`.
  if (inst.flags.length > 0) return [];
  if (inst.kind === "entrypoint" && cmdFollows(inst, stage, stages)) return [];
  if (inst.kind === "cmd" && stages.baseChain(stage).some((s) => s.instructions.some((i) => i.kind === "entrypoint"))) return [];
  const { span, script } = inst.command;
  if (model.comments.some((c) => c.span.start.offset >= span.start.offset && c.span.start.offset < span.end.offset)) return [];
  let words = script.text.trim().split(/\s+/);
  // `exec prog` replaces the shell by prog: exactly what exec form does.
  if (words[0] === "exec") words = words.slice(1);
  const first = words[0];
  if (first === undefined || first.includes("=") || SHELL_ONLY.has(first) || !words.every((w) => PLAIN_WORD.test(w))) return [];
  return [{ start: span.start.offset, end: span.end.offset, text: `[${words.map((w) => JSON.stringify(w)).join(", ")}]` }];
}

/**
 * A shell-form ENTRYPOINT ignores CMD; in exec form CMD's words become its arguments. So it is converted only
 * when no CMD comes after it in its stage or in a stage built on it (a CMD of the base image is reset by it).
 */
function cmdFollows(entrypoint: CmdInstruction, stage: Stage, stages: StageGraph): boolean {
  const after = entrypoint.span.start.offset;
  return stages.stages.some((s) => (s === stage || stages.baseChain(s).includes(stage))
    && s.instructions.some((i) => i.kind === "cmd" && i.span.start.offset > after));
}

// ---- apt lists cleanup ----

const APT_TOOLS: ReadonlySet<string> = new Set(["apt-get", "apt", "aptitude"]);
/** apt actions that read the package lists: they fail once the lists are gone. */
const NEEDS_LISTS: ReadonlySet<string> = new Set(["install", "upgrade", "dist-upgrade", "full-upgrade", "build-dep", "source", "download", "reinstall", "satisfy"]);
const RM_LISTS = "rm -rf /var/lib/apt/lists/*";

function cleanAptLists(finding: TextFinding, { model }: DockerfileFixContext): Edit[] {
  const pc = packageCommandAt(model, finding.location.start.offset);
  if (pc === undefined || pc.exec || pc.run.heredocs.length > 0 || pc.run.command?.form !== "shell") return [];
  if (laterRunNeedsLists(model, pc.run)) return [];
  const { span, script } = pc.run.command;
  const text = script.text.trimEnd();
  // A trailing comment would swallow the addition; a trailing operator would make it a syntax error.
  if (/(?:^|\s)#/.test(text) || /[;&|\\]$/.test(text)) return [];
  return [{ start: span.end.offset, end: span.end.offset, text: continuation(model, pc.run) }];
}

/** A later RUN that installs without its own update would find no lists: then they must stay. */
function laterRunNeedsLists(model: Dockerfile, run: RunInstruction): boolean {
  const after = run.span.start.offset;
  return model.instructions.some((inst) => {
    const later = inst.kind === "onbuild" ? inst.inner : inst;
    if (later?.kind !== "run" || inst.span.start.offset <= after) return false;
    let updated = false;
    for (const pc of packageCommands(later)) {
      if (!APT_TOOLS.has(pc.manager)) continue;
      if (pc.action === "update") updated = true;
      else if (!updated && NEEDS_LISTS.has(pc.action ?? "")) return true;
    }
    return false;
  });
}

/** `&& rm -rf ...` in the RUN's own style: on one line, or on a new continuation line indented like the last one. */
function continuation(model: Dockerfile, run: RunInstruction): string {
  const source = model.source;
  const end = run.command?.span.end ?? run.span.end;
  const start = run.command?.span.start ?? run.span.start;
  if (end.line === start.line) return ` && ${RM_LISTS}`;
  const lastLine = source.text.slice(source.lineStart(end.line), end.offset);
  const indent = /^[ \t]*/.exec(lastLine)?.[0] ?? "";
  const escape = model.escapeToken;
  // Operator first (` && cmd` on each line) or last (`cmd && \` at each line's end): keep whichever is used.
  if (lastLine.trimStart().startsWith("&&")) return ` ${escape}\n${indent}&& ${RM_LISTS}`;
  return ` && ${escape}\n${indent}${RM_LISTS}`;
}

// ---- npm install → npm ci ----

const NPM_LOCKFILES = ["package-lock.json", "npm-shrinkwrap.json"];
/** Options that make npm install ignore or only write the lockfile: npm ci would do something else. */
const NOT_FOR_CI = /^(?:no-package-lock|package-lock-only|package-lock|save.*|no-save|g|global|location)$/;

function npmInstallToCi(finding: TextFinding, { model, stages }: DockerfileFixContext): Edit[] {
  const pc = packageCommandAt(model, finding.location.start.offset);
  const sub = pc?.subcommand;
  if (pc === undefined || pc.manager !== "npm" || sub === undefined || !NPM_INSTALL_ALIASES.has(pc.action ?? "")) return [];
  if (pc.operands.length > 0 || pc.flags.some((f) => NOT_FOR_CI.test(f.name)) || !lockfileCopiedBefore(pc.run, stages)) return [];
  if (sub.span.start.offset !== finding.location.start.offset) return [];
  return [{ start: sub.span.start.offset, end: sub.span.end.offset, text: pc.exec ? '"ci"' : "ci" }];
}

/** npm ci needs the lockfile: it must have been COPY'd or ADD'ed into the stage before the RUN. */
function lockfileCopiedBefore(run: RunInstruction, stages: StageGraph): boolean {
  const outer: Instruction = run.parent ?? run;
  const stage = stages.stageOf(run);
  for (const inst of stage?.instructions ?? []) {
    if (inst === outer) return false;
    if (inst.kind !== "copy" && inst.kind !== "add") continue;
    if (inst.flags.some((f) => f.name === "from")) continue; // from another stage or image, not the project's file
    for (const src of inst.sources) {
      const base = stages.expand(inst, src.value).value.replace(/\/+$/, "").split("/").pop() ?? "";
      if (NPM_LOCKFILES.some((name) => globMatches(base, name))) return true;
    }
  }
  return false;
}

function globMatches(pattern: string, name: string): boolean {
  if (!GLOB.test(pattern)) return pattern === name;
  const re = pattern.replace(/[.+^${}()|\\]/g, "\\$&").replaceAll("*", "[^/]*").replaceAll("?", "[^/]");
  try {
    return new RegExp(`^${re}$`).test(name);
  } catch {
    return false;
  }
}

// ---- USER (opt-in) ----

/** Instructions that only describe the image: USER goes before the run of them that ends a stage. */
const METADATA: ReadonlySet<string> = new Set(["cmd", "entrypoint", "healthcheck", "expose", "stopsignal", "label"]);

function addUser(finding: TextFinding, { model, stages, addUser: user }: DockerfileFixContext): Edit[] {
  const target = stages.targetChain[0];
  if (user === undefined || target === undefined || isWindowsStage(stages, target, model)) return [];
  // DD001 reports a root user it found too (Windows only); only a missing USER is fixed.
  if (target.instructions.some((i) => i.kind === "user")) return [];
  let first = target.instructions.length;
  while (first > 0 && METADATA.has(target.instructions[first - 1]?.kind ?? "")) first--;
  const keyword = target.from.keywordText === target.from.keywordText.toLowerCase() ? "user" : "USER";
  const line = `${keyword} ${user}\n`;
  const before = target.instructions[first];
  const source = model.source;
  if (before === undefined) {
    const endLine = target.instructions.at(-1)?.endLine ?? target.from.endLine;
    if (endLine < source.lineCount) {
      const at = source.lineStart(endLine + 1);
      return [{ start: at, end: at, text: line }];
    }
    return [{ start: source.text.length, end: source.text.length, text: `\n${line}` }];
  }
  // Keep the comment lines directly above an instruction with it.
  let startLine = before.span.start.line;
  while (model.comments.some((c) => c.span.start.line === startLine - 1 && c.span.start.column === 1)) startLine--;
  const at = source.lineStart(startLine);
  return [{ start: at, end: at, text: line }];
}

// ---- shared ----

/** The instruction (ONBUILD's inner one included) whose span holds offset. */
function instructionAt(model: Dockerfile, offset: number): Instruction | undefined {
  for (const inst of model.instructions) {
    if (offset < inst.span.start.offset || offset > inst.span.end.offset) continue;
    return inst.kind === "onbuild" && inst.inner !== undefined ? inst.inner : inst;
  }
  return undefined;
}
