// Small queries over the Dockerfile model that rules share.
import type { MappedText } from "../core/text.ts";
import { parseShell, type ShellCommand, type ShellScript } from "../shell/parse.ts";
import { allCommands } from "../shell/query.ts";
import type { Dockerfile, Instruction, RunInstruction } from "./ast.ts";
import type { Stage, StageGraph } from "./stages.ts";

/** Every instruction, with the instruction inside each ONBUILD following its wrapper. */
export function* allInstructions(model: Dockerfile): Generator<Instruction> {
  for (const inst of model.instructions) {
    yield inst;
    if (inst.kind === "onbuild" && inst.inner !== undefined) yield inst.inner;
  }
}

/** RUN instructions, ONBUILD RUN included. */
export function* runInstructions(model: Dockerfile): Generator<RunInstruction> {
  for (const inst of allInstructions(model)) if (inst.kind === "run") yield inst;
}

export interface ImageRef {
  /** Registry host when the first path component looks like one (has '.', ':' or is localhost). */
  registry: string | undefined;
  /** Repository path without registry, tag and digest. */
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

/** Splits an image reference (after ARG expansion) into its parts, the way docker's reference grammar does. */
export function parseImageRef(ref: string): ImageRef {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.indexOf("/");
  let registry: string | undefined;
  if (slash !== -1) {
    const first = rest.slice(0, slash);
    if (first.includes(".") || first.includes(":") || first === "localhost" || first !== first.toLowerCase()) {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon !== -1 && !rest.slice(colon).includes("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { registry, repository: rest, tag, digest };
}

/** USER values that mean root: root, 0, with or without a group. */
export function isRootUser(user: string): boolean {
  const name = user.split(":")[0]?.trim() ?? "";
  return name === "root" || name === "0";
}

const scripts = new WeakMap<MappedText, ShellScript>();

function parsedShell(text: MappedText): ShellScript {
  let script = scripts.get(text);
  if (script === undefined) {
    script = parseShell(text);
    scripts.set(text, script);
  }
  return script;
}

// A heredoc body that starts with one of these is still shell; any other `#!` names another interpreter.
const SHELL_SHEBANG = /^#!\s*(?:\/usr)?(?:\/local)?\/bin\/(?:env\s+)?(?:sh|bash|ash|dash|zsh|ksh|mksh|busybox\s+sh)(?:\s|$)/;

/**
 * The shell scripts a RUN executes, parsed once and shared by every rule. `RUN <<EOF` alone runs the heredoc
 * body as the script (BuildKit's behaviour), unless its `#!` line names something other than a shell; any other
 * shell-form RUN is one script in which heredocs are what bash makes of them. Exec form runs no shell.
 */
export function runScripts(run: RunInstruction): ShellScript[] {
  const command = run.command;
  if (command?.form !== "shell") return [];
  const line = command.script.text;
  const firstHeredoc = run.heredocs[0];
  if (firstHeredoc !== undefined && /^\d*<<-?\S+$/.test(run.rest.text.trim())) {
    if (firstHeredoc.content.startsWith("#!") && !SHELL_SHEBANG.test(firstHeredoc.content)) return [];
    return [parsedShell(firstHeredoc.body)];
  }
  return line.trim() === "" ? [] : [parsedShell(command.script)];
}

/** Every command a RUN executes (also inside `sh -c '...'`), in source order. */
export function commandsOf(run: RunInstruction): ShellCommand[] {
  return runScripts(run).flatMap((s) => allCommands(s));
}

/**
 * The SHELL in force for an instruction: the last SHELL before it in its stage or the stages it is built FROM;
 * undefined when none was set (the platform's default: /bin/sh -c, or cmd /S /C on Windows).
 */
export function explicitShell(graph: StageGraph, inst: Instruction): string[] | undefined {
  const outer = inst.parent ?? inst;
  const stage = graph.stageOf(outer);
  if (stage === undefined) return undefined;
  for (const s of graph.baseChain(stage)) {
    let shell: string[] | undefined;
    for (const i of s.instructions) {
      if (s === stage && i === outer) break;
      if (i.kind === "shell" && i.command?.form === "exec") shell = i.command.args.map((a) => a.value);
    }
    if (shell !== undefined) return shell;
  }
  return undefined;
}

// Windows base images: Microsoft's server images, and Windows variants published under other names.
const WINDOWS_IMAGE = /(^|[/:_.-])(windows|nanoserver|servercore|ltsc20\d\d|windowsservercore)([/:_.-]|$)/i;

/**
 * Whether a stage builds a Windows image: its FROM --platform says windows, its base (or the stage it is built
 * FROM) is a Windows image by name, or the file uses the backtick escape that Windows Dockerfiles use. RUN in
 * such a stage runs cmd or PowerShell, not sh.
 */
export function isWindowsStage(graph: StageGraph, stage: Stage, model: Dockerfile): boolean {
  for (const s of graph.baseChain(stage)) {
    const platform = s.from.flags.find((f) => f.name === "platform")?.value;
    if (platform !== undefined) {
      const expanded = graph.expand(s.from, platform).value.toLowerCase();
      if (expanded.startsWith("windows")) return true;
      if (expanded.startsWith("linux")) return false;
    }
    if (s.base.kind === "image") return WINDOWS_IMAGE.test(s.base.ref) || model.escapeToken === "`";
    if (s.base.kind === "scratch") return model.escapeToken === "`";
  }
  return model.escapeToken === "`";
}
