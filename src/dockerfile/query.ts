// Small queries over the Dockerfile model that rules share.
import { jsonStringText, type MappedText } from "../core/text.ts";
import { parseShell, type ShellCommand, type ShellScript } from "../shell/parse.ts";
import { allCommands, commandName, isShellName, shellScriptArgument, unwrapOnce, WRAPPERS } from "../shell/query.ts";
import type { Dockerfile, Instruction, InstructionKind, RunInstruction } from "./ast.ts";
import type { Stage, StageGraph } from "./stages.ts";

/** A file's instructions, listed once per model and shared by every rule (rules run ~100 times per file). */
interface InstructionIndex {
  all: readonly Instruction[];
  /** kindBits[i] is kindBit(all[i].kind) (read from a plain array, not from instructions of many shapes). */
  kindBits: readonly number[];
  byKind: ReadonlyMap<InstructionKind, readonly Instruction[]>;
  /** instructionsOfKinds' answers, by the kinds array the rule passed (rules pass constants). */
  merged: Map<readonly InstructionKind[], readonly Instruction[]>;
  /** Every command name the file's RUNs may run (fileMayRunCommand), once asked for. */
  commandNames?: ReadonlySet<string>;
}

/**
 * What the queries below work out, kept for the file being linted: rules run one file at a time, ~100 of them
 * asking the same questions, so a query about another file's model starts a new cache (answers are pure, so a
 * dropped one is only worked out again). Plain Maps on purpose, not WeakMaps keyed by models or RUNs: with those,
 * V8's minor GCs kept copying the models and parsed scripts of files already done (~6 MB per minor GC over the
 * benchmark corpus, against ~0.1 MB now).
 */
interface FileCache {
  model: Dockerfile | undefined;
  index: InstructionIndex | undefined;
  runs: Map<RunInstruction, RunFacts>;
  stages: Map<Stage, ReadonlyMap<InstructionKind, readonly Instruction[]>>;
  scripts: Map<MappedText, ShellScript>;
}

// RUN-level entries asked for without a model query in between (code outside a lint) are capped.
const MAX_ENTRIES = 4096;

let cache: FileCache = emptyCache(undefined);

function emptyCache(model: Dockerfile | undefined): FileCache {
  return { model, index: undefined, runs: new Map(), stages: new Map(), scripts: new Map() };
}

function indexOf(model: Dockerfile): InstructionIndex {
  if (cache.model !== model) cache = emptyCache(model);
  let index = cache.index;
  if (index === undefined) {
    const all: Instruction[] = [];
    const kindBits: number[] = [];
    const byKind = new Map<InstructionKind, Instruction[]>();
    const add = (inst: Instruction): void => {
      const kind = inst.kind;
      all.push(inst);
      kindBits.push(kindBit(kind));
      const bucket = byKind.get(kind);
      if (bucket === undefined) byKind.set(kind, [inst]);
      else bucket.push(inst);
    };
    for (const inst of model.instructions) {
      add(inst);
      if (inst.kind === "onbuild" && inst.inner !== undefined) add(inst.inner);
    }
    index = { all, kindBits, byKind, merged: new Map() };
    cache.index = index;
  }
  return index;
}

const NONE: readonly never[] = [];

// One bit per instruction kind (there are fewer than 31), given out as kinds are first seen.
const KIND_BITS = new Map<InstructionKind, number>();

function kindBit(kind: InstructionKind): number {
  let bit = KIND_BITS.get(kind);
  if (bit === undefined) {
    bit = 1 << KIND_BITS.size;
    KIND_BITS.set(kind, bit);
  }
  return bit;
}

/** Every instruction, with the instruction inside each ONBUILD following its wrapper. */
export function allInstructions(model: Dockerfile): readonly Instruction[] {
  return indexOf(model).all;
}

/** The instructions of one kind in source order, ONBUILD inner instructions included (after their wrapper). */
export function instructionsOfKind<K extends InstructionKind>(model: Dockerfile, kind: K): readonly InstructionOfKind<K>[] {
  // The bucket holds exactly the instructions whose kind is K.
  return (indexOf(model).byKind.get(kind) ?? NONE) as readonly InstructionOfKind<K>[];
}

/**
 * The instructions of several kinds, in allInstructions' order (source order, an ONBUILD's inner after its
 * wrapper). Answers are kept per kinds array: pass a constant.
 */
export function instructionsOfKinds<K extends InstructionKind>(model: Dockerfile, kinds: readonly K[]): readonly InstructionOfKind<K>[] {
  const index = indexOf(model);
  let merged = index.merged.get(kinds);
  if (merged === undefined) {
    // One of the kinds present: its bucket is the answer; several: pick them from the file in order.
    let only: readonly Instruction[] | undefined;
    let present = 0;
    let wanted = 0;
    for (const kind of kinds) {
      const bit = kindBit(kind);
      if ((wanted & bit) !== 0) continue; // a repeated kind
      wanted |= bit;
      const bucket = index.byKind.get(kind);
      if (bucket === undefined) continue;
      only = bucket;
      present++;
    }
    if (present === 1) merged = only ?? NONE;
    else if (present > 1) {
      const found: Instruction[] = [];
      for (let i = 0; i < index.all.length; i++) {
        const inst = index.all[i];
        if (inst !== undefined && ((index.kindBits[i] ?? 0) & wanted) !== 0) found.push(inst);
      }
      merged = found;
    } else merged = NONE;
    index.merged.set(kinds, merged);
  }
  // Every instruction in it has one of the kinds.
  return merged as readonly InstructionOfKind<K>[];
}

/** The instruction type whose kind can be K (CmdInstruction for "cmd", "entrypoint" and "shell"). */
export type InstructionOfKind<K extends InstructionKind> = Instruction extends infer I
  ? I extends { kind: infer IK } ? (K extends IK ? I : never) : never
  : never;

/**
 * A stage's own instructions of one kind (Stage.instructions filtered: ONBUILD wrappers are of kind "onbuild",
 * their inner instructions are not included), listed once per stage and shared by every rule.
 */
export function stageInstructionsOfKind<K extends InstructionKind>(stage: Stage, kind: K): readonly InstructionOfKind<K>[] {
  let byKind = cache.stages.get(stage);
  if (byKind === undefined) {
    const buckets = new Map<InstructionKind, Instruction[]>();
    for (const inst of stage.instructions) {
      const bucket = buckets.get(inst.kind);
      if (bucket === undefined) buckets.set(inst.kind, [inst]);
      else bucket.push(inst);
    }
    byKind = buckets;
    if (cache.stages.size >= MAX_ENTRIES) cache.stages.clear();
    cache.stages.set(stage, byKind);
  }
  // The bucket holds exactly the instructions whose kind is K.
  return (byKind.get(kind) ?? NONE) as readonly InstructionOfKind<K>[];
}

/** RUN instructions, ONBUILD RUN included. */
export function runInstructions(model: Dockerfile): readonly RunInstruction[] {
  return instructionsOfKind(model, "run");
}

export interface ImageRef {
  /** Registry host when the first path component looks like one (has '.', ':' or is localhost). */
  registry: string | undefined;
  /** Repository path without registry, tag and digest. */
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

// Rules split the same few references of a file again and again; answers are shared (callers only read them).
const MAX_IMAGE_REFS = 512;
const imageRefs = new Map<string, ImageRef>();

/** Splits an image reference (after ARG expansion) into its parts, the way docker's reference grammar does. */
export function parseImageRef(ref: string): ImageRef {
  let parts = imageRefs.get(ref);
  if (parts === undefined) {
    parts = splitImageRef(ref);
    if (imageRefs.size >= MAX_IMAGE_REFS) imageRefs.clear();
    imageRefs.set(ref, parts);
  }
  return parts;
}

function splitImageRef(ref: string): ImageRef {
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

/** A shell-form text (a RUN script, a CMD/ENTRYPOINT/HEALTHCHECK command) parsed once and shared by every rule. */
export function parsedShell(text: MappedText): ShellScript {
  let script = cache.scripts.get(text);
  if (script === undefined) {
    script = parseShell(text);
    if (cache.scripts.size >= MAX_ENTRIES) cache.scripts.clear();
    cache.scripts.set(text, script);
  }
  return script;
}

// A heredoc body that starts with one of these is still shell; any other `#!` names another interpreter.
const SHELL_SHEBANG = /^#!\s*(?:\/usr)?(?:\/local)?\/bin\/(?:env\s+)?(?:sh|bash|ash|dash|zsh|ksh|mksh|busybox\s+sh)(?:\s|$)/;

/**
 * The shell scripts a RUN executes, parsed once and shared by every rule. `RUN <<EOF` alone runs the heredoc
 * body as the script (BuildKit's behaviour), unless its `#!` line names something other than a shell; any other
 * shell-form RUN is one script in which heredocs are what bash makes of them. Exec form runs no shell, unless it
 * names one: `RUN ["bash", "-o", "pipefail", "-c", "apt-get update && ..."]` runs that script.
 */
export function runScripts(run: RunInstruction): ShellScript[] {
  const facts = factsOf(run);
  facts.scripts ??= findRunScripts(run);
  return facts.scripts;
}

/** What rules ask of a RUN again and again, worked out once. */
interface RunFacts {
  scripts?: ShellScript[];
  commands?: ShellCommand[];
  names?: ReadonlySet<string>;
}

function factsOf(run: RunInstruction): RunFacts {
  let facts = cache.runs.get(run);
  if (facts === undefined) {
    facts = {};
    if (cache.runs.size >= MAX_ENTRIES) cache.runs.clear();
    cache.runs.set(run, facts);
  }
  return facts;
}

function findRunScripts(run: RunInstruction): ShellScript[] {
  const command = run.command;
  if (command?.form === "exec") {
    const script = execFormScript(run);
    return script === undefined ? [] : [parseShell(script.text, { pipefail: script.pipefail })];
  }
  if (command?.form !== "shell") return [];
  const line = command.script.text;
  const firstHeredoc = run.heredocs[0];
  if (firstHeredoc !== undefined && /^\d*<<-?\S+$/.test(run.rest.text.trim())) {
    if (firstHeredoc.content.startsWith("#!") && !SHELL_SHEBANG.test(firstHeredoc.content)) return [];
    return [parsedShell(firstHeredoc.body)];
  }
  return line.trim() === "" ? [] : [parsedShell(command.script)];
}

/**
 * For an exec-form RUN that runs a shell with `-c` (`["/bin/sh", "-c", "..."]`): the script, mapped to its place in
 * the Dockerfile (escapes included), the shell's name, and whether `-o pipefail` was given.
 */
export function execFormScript(run: RunInstruction): { shell: string; text: MappedText; pipefail: boolean } | undefined {
  if (run.command?.form !== "exec") return undefined;
  const args = run.command.args;
  const program = args[0]?.value ?? "";
  const shell = program.slice(program.lastIndexOf("/") + 1);
  if (!isShellName(shell)) return undefined;
  const found = shellScriptArgument(args.slice(1).map((a) => a.value));
  const word = found === undefined ? undefined : args[found.index + 1];
  if (found === undefined || word === undefined) return undefined;
  const text = jsonStringText(run.rest.source, word.span.start.offset, word.span.end.offset);
  return text === undefined || text.text !== word.value ? undefined : { shell, text, pipefail: found.pipefail };
}

/** Every command a RUN executes (also inside `sh -c '...'`), in source order. */
export function commandsOf(run: RunInstruction): ShellCommand[] {
  const facts = factsOf(run);
  if (facts.commands === undefined) {
    const scripts = facts.scripts ??= findRunScripts(run);
    facts.commands = scripts.length === 1 && scripts[0] !== undefined ? allCommands(scripts[0]) : scripts.flatMap((s) => allCommands(s));
  }
  return facts.commands;
}

// A wrapper chain longer than this is not followed (commandsNamed stops far earlier).
const MAX_CHAIN = 64;

/**
 * Every static command name a RUN may run: each command's of every script (`sh -c` scripts included) and those
 * of the commands behind its wrappers (`sudo`, `env`, ...). A superset of what commandsNamed can return, so a
 * name not in it is run by no command of the RUN.
 */
function runCommandNames(run: RunInstruction): ReadonlySet<string> {
  const facts = factsOf(run);
  let names = facts.names;
  if (names === undefined) {
    const found = new Set<string>();
    for (const cmd of commandsOf(run)) {
      let c: ShellCommand | undefined = cmd;
      for (let depth = 0; c !== undefined && depth < MAX_CHAIN; depth++) {
        const name = commandName(c);
        if (name !== undefined) found.add(name);
        // unwrapOnce's own first test: most commands are no wrapper.
        if (WRAPPERS[name ?? ""] === undefined) break;
        c = unwrapOnce(c);
      }
    }
    names = found;
    facts.names = names;
  }
  return names;
}

/**
 * Whether a command of this RUN may be named one of names (through wrappers, in `sh -c` scripts): when false,
 * commandsNamed finds none of them in any of its scripts, so a rule looking for them can skip the RUN.
 */
export function mayRunCommand(run: RunInstruction, names: string | readonly string[]): boolean {
  return hasAny(runCommandNames(run), names);
}

/** Whether any RUN of the file (ONBUILD RUN included) may run a command named one of names; see mayRunCommand. */
export function fileMayRunCommand(model: Dockerfile, names: string | readonly string[]): boolean {
  const index = indexOf(model);
  let all = index.commandNames;
  if (all === undefined) {
    const found = new Set<string>();
    for (const run of runInstructions(model)) for (const name of runCommandNames(run)) found.add(name);
    all = found;
    index.commandNames = all;
  }
  return hasAny(all, names);
}

function hasAny(set: ReadonlySet<string>, names: string | readonly string[]): boolean {
  if (typeof names === "string") return set.has(names);
  for (const name of names) if (set.has(name)) return true;
  return false;
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
