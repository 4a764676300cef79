// `docker run` / `podman run` lines wherever people write them: shell scripts, Makefile recipes, Markdown code blocks
// (and inline code), string values of CI YAML (`run: |` steps), or a text given as is. The shell is parsed with the
// project's bash parser (src/shell) over a text mapped back to the file, so every word keeps its file:line:column
// through line continuations, stripped prompts, recipe tabs and `$$` escapes.
import type { Span } from "../core/finding.ts";
import { LineIndex, MappedText } from "../core/text.ts";
import { parseShell, type ShellCommand } from "../shell/parse.ts";
import { allCommands, commandName, unwrap } from "../shell/query.ts";
import { type RunCommand } from "./docker-run.ts";
import { scalarText, type YDocument, type YNode } from "./yaml.ts";

const PROGRAMS: ReadonlySet<string> = new Set(["docker", "podman", "nerdctl"]);

/** Global options of docker/podman/nerdctl that take a value (the subcommand comes after them). */
const GLOBAL_VALUE_OPTIONS: ReadonlySet<string> = new Set([
  "config", "context", "host", "log-level", "tlscacert", "tlscert", "tlskey",
  "cgroup-manager", "conmon", "connection", "events-backend", "hooks-dir", "identity", "imagestore", "module",
  "network-cmd-path", "network-config-dir", "out", "root", "runroot", "runtime", "runtime-flag", "ssh",
  "storage-driver", "storage-opt", "tmpdir", "url", "volumepath", "cdi-spec-dir", "cni-config-dir",
  "address", "namespace", "snapshotter", "cni-path", "data-root", "cgroup-manager", "host-gateway-ip",
]);
const GLOBAL_SHORT_VALUE_OPTIONS: ReadonlySet<string> = new Set(["H", "c", "l", "a", "n"]);

/** Cheap test before parsing: a text that never names a container CLI has no run line. */
export function mentionsContainerCli(text: string): boolean {
  return text.includes("docker") || text.includes("podman") || text.includes("nerdctl");
}

/** The run/create commands of a shell text (commands behind sudo/env, in `$(...)` and `sh -c '...'` included). */
export function runCommandsIn(script: MappedText): RunCommand[] {
  if (!mentionsContainerCli(script.text)) return [];
  const out: RunCommand[] = [];
  for (const cmd of allCommands(parseShell(script))) {
    const run = runCommandOf(cmd);
    if (run !== undefined) out.push(run);
  }
  return out;
}

export function runCommandOf(cmd: ShellCommand): RunCommand | undefined {
  const c = unwrap(cmd);
  const program = commandName(c);
  if (program === undefined || !PROGRAMS.has(program)) return undefined;
  const args = c.args;
  let i = 0;
  for (; i < args.length; i++) {
    const v = args[i]?.value;
    if (v === undefined) return undefined; // `docker $GLOBAL_OPTS run`: cannot tell what runs
    if (!v.startsWith("-")) break;
    if (v.startsWith("--")) {
      if (!v.includes("=") && GLOBAL_VALUE_OPTIONS.has(v.slice(2))) i++;
    } else if (v.length === 2 && GLOBAL_SHORT_VALUE_OPTIONS.has(v[1] ?? "")) {
      i++;
    }
  }
  if (args[i]?.value === "container") i++;
  const sub = args[i];
  if (sub === undefined || (sub.value !== "run" && sub.value !== "create")) return undefined;
  const head: Span = { start: c.name.span.start, end: sub.span.end };
  return { program, head, args: args.slice(i + 1) };
}

// ---------------------------------------------------------------------------------------------------------------
// Shell texts inside other files

/** Builds a mapped text piece by piece; each appended range keeps its offsets in the source. */
class MappedBuilder {
  private readonly source: LineIndex;
  private text = "";
  private readonly offsets: number[] = [];

  constructor(source: LineIndex) {
    this.source = source;
  }

  /** Appends source[start, end). */
  range(start: number, end: number): void {
    this.text += this.source.text.slice(start, end);
    for (let o = start; o < end; o++) this.offsets.push(o);
  }

  /** Appends one character standing at a source offset (a newline that ends a skipped line, say). */
  char(c: string, offset: number): void {
    this.text += c;
    this.offsets.push(offset);
  }

  get empty(): boolean {
    return this.text.trim() === "";
  }

  build(): MappedText {
    const end = this.offsets.length === 0 ? 0 : (this.offsets[this.offsets.length - 1] ?? 0) + 1;
    return new MappedText(this.text, Int32Array.from(this.offsets), this.source, end);
  }
}

interface Line {
  start: number;
  /** Offset of the line break, or the text's end. */
  end: number;
  text: string;
}

function linesOf(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  while (start <= text.length) {
    const nl = text.indexOf("\n", start);
    const end = nl === -1 ? text.length : nl;
    const line = text.slice(start, end);
    out.push({ start, end, text: line.endsWith("\r") ? line.slice(0, -1) : line });
    if (nl === -1) break;
    start = nl + 1;
  }
  return out;
}

/** A whole shell script. */
export function shellScriptText(lines: LineIndex): MappedText {
  return MappedText.contiguous(lines, 0, lines.text.length);
}

/**
 * Makefile recipe lines (a tab first) as one shell text: the tab and the `@`, `-`, `+` prefixes dropped, `$$` read as
 * `$`; other lines become empty lines, so line numbers stay meaningful and commands never join across them.
 */
export function makefileShellText(lines: LineIndex): MappedText {
  const b = new MappedBuilder(lines);
  let continued = false;
  for (const line of linesOf(lines.text)) {
    const recipe: boolean = continued || line.text.startsWith("\t");
    if (recipe) {
      let i = line.start + (line.text.startsWith("\t") ? 1 : 0);
      if (!continued) while (i < line.end && "@-+ \t".includes(lines.text[i] ?? "")) i++;
      for (; i < line.start + line.text.length; i++) {
        const c = lines.text[i];
        if (c === "$" && lines.text[i + 1] === "$") {
          b.char("$", i);
          i++;
        } else b.range(i, i + 1);
      }
    }
    continued = recipe && line.text.endsWith("\\");
    b.char("\n", line.end);
  }
  return b.build();
}

const CONSOLE_LANGS = new Set(["console", "shell-session", "shellsession", "terminal", "bash-session", "sh-session", "session"]);
const SHELL_LANGS = new Set(["", "sh", "bash", "shell", "zsh", "ksh", "dash", "posix", "bash-script", "cmd", "text", "txt", "none"]);
const INLINE_COMMAND = /^\s*(?:sudo\s+)?(?:docker|podman|nerdctl)\s+(?:container\s+)?(?:run|create)\b/;

/**
 * The shell in a Markdown file: fenced code blocks in a shell language (or none), prompts (`$ `) removed, and for
 * console sessions only the prompted lines and their continuations (the rest is output); inline code spans that
 * hold a whole `docker run` command, each as a line of its own.
 */
export function markdownShellText(lines: LineIndex): MappedText {
  const b = new MappedBuilder(lines);
  let fence: { char: string; length: number; lang: string } | undefined;
  let continued = false;
  for (const line of linesOf(lines.text)) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*([^\s`{]*)/.exec(line.text);
    if (fence === undefined) {
      if (open !== null) {
        fence = { char: open[1]?.[0] ?? "`", length: open[1]?.length ?? 3, lang: (open[2] ?? "").toLowerCase() };
        continued = false;
      } else {
        inlineCommands(line, b);
      }
      b.char("\n", line.end);
      continue;
    }
    if (open !== null && open[1]?.[0] === fence.char && (open[1]?.length ?? 0) >= fence.length && (open[2] ?? "") === "") {
      fence = undefined;
      b.char("\n", line.end);
      continue;
    }
    if (SHELL_LANGS.has(fence.lang) || CONSOLE_LANGS.has(fence.lang)) {
      const prompt = /^\s*(?:[\w.@~:/-]*[$#%>]|PS [^>]*>)\s/.exec(line.text);
      const isConsole = CONSOLE_LANGS.has(fence.lang);
      const dollar = /^\s*\$\s/.exec(line.text);
      const strip = isConsole ? prompt : dollar;
      if (continued || strip !== null || !isConsole) {
        const from = line.start + (continued || strip === null ? 0 : strip[0].length);
        b.range(from, line.start + line.text.length);
        continued = line.text.endsWith("\\");
      }
    }
    b.char("\n", line.end);
  }
  return b.build();
}

function inlineCommands(line: Line, b: MappedBuilder): void {
  if (!line.text.includes("`")) return;
  for (const m of line.text.matchAll(/(?<!`)`([^`]+)`(?!`)/g)) {
    const code = m[1] ?? "";
    if (!INLINE_COMMAND.test(code)) continue;
    const start = line.start + m.index + 1;
    b.range(start, start + code.length);
    b.char("\n", start + code.length);
  }
}

/** String values of YAML documents that may hold run lines (CI steps), each as the shell text it is. */
export function yamlShellTexts(docs: readonly YDocument[]): MappedText[] {
  const out: MappedText[] = [];
  const visit = (node: YNode): void => {
    if (node.kind === "map") for (const e of node.entries) visit(e.value);
    else if (node.kind === "seq") for (const i of node.items) visit(i);
    else if (typeof node.value === "string" && mentionsContainerCli(node.value) && /\b(?:run|create)\b/.test(node.value)) {
      const text = scalarText(node);
      if (text !== undefined) out.push(text);
    }
  };
  for (const d of docs) if (d.root !== undefined) visit(d.root);
  return out;
}
