// Package-manager invocations in RUN instructions: which tool, which subcommand, its options, the packages it
// names with their version parts, and what a RUN keeps out of the image (cache and tmpfs mounts, `rm -rf` of
// cache directories). The package rules (DL3008, DL3013, ..., DD009, DD016) are small folds over this.
import type { Edit, TextFinding } from "../core/finding.ts";
import type { LineIndex } from "../core/text.ts";
import type { Dockerfile, Flag, RunInstruction } from "../dockerfile/ast.ts";
import { commandsOf, execFormScript, runInstructions } from "../dockerfile/query.ts";
import type { StageGraph } from "../dockerfile/stages.ts";
import type { ShellCommand, ShellWord } from "./parse.ts";
import { commandName, FLAGS_WITH_VALUE, unwrap } from "./query.ts";

/** The tools this module understands. git is here because `git clone` fetches software like an install does. */
export type PackageManager =
  | "apt-get" | "apt" | "aptitude" | "apk" | "pip" | "npm" | "yarn" | "gem" | "yum" | "dnf" | "microdnf" | "zypper"
  | "go" | "cargo" | "git";

export interface CommandFlag {
  /** Without dashes: "y", "no-install-recommends". A bundle `-yq` gives one flag per letter. */
  name: string;
  word: ShellWord;
  /** The static value; undefined when it is dynamic or missing; null when the flag takes none. */
  value: string | undefined | null;
  /** The separate argument holding the value, when it was not attached. */
  valueWord: ShellWord | undefined;
  /** Written before the subcommand: an option of the tool itself (`zypper -n install`). */
  global: boolean;
}

export interface PackageCommand {
  manager: PackageManager;
  run: RunInstruction;
  /** The command behind any wrappers (`sudo`, `env`, `python -m pip`). */
  command: ShellCommand;
  /** The first positional argument (`install` of `apt-get -y install curl`); undefined when there is none. */
  subcommand: ShellWord | undefined;
  /** The subcommand's static value; undefined when there is none or it is dynamic. */
  action: string | undefined;
  flags: CommandFlag[];
  /** Positional arguments after the subcommand, flag values excluded. */
  operands: ShellWord[];
  /** Position among all commands of the RUN (source order), to tell what runs after what. */
  index: number;
  /** The RUN is in exec form (JSON array): no shell, no variable expansion. */
  exec: boolean;
}

/** What an operand of an install names. */
export type PackageKind = "name" | "file" | "url" | "vcs" | "path" | "group";

export interface PackageSpec {
  kind: PackageKind;
  /** The package name (for a name), else the operand itself. */
  name: string;
  /** The version part with its operator, as written: "=1.2*", "==1.0", ">=1", "@1.2.3", ":1.0", "-1.2-3.el9", "/bookworm". */
  version: string | undefined;
}

export interface PackageArg {
  word: ShellWord;
  /** The operand after quote removal and ARG/ENV expansion; undefined when it depends on what is unknown. */
  value: string | undefined;
  /** How the manager reads the value; undefined when the value is unknown. */
  spec: PackageSpec | undefined;
}

interface ToolSpec {
  /** Options that take a value (names without dashes). */
  valued: readonly string[];
  /** Go's flag package: `-tags x` is one long option, not a bundle. */
  singleDashLong?: boolean;
}

const PIP_EXTRA = ["b", "build", "python", "root-user-action", "dest", "d", "platform"];
const YUM_VALUED = [...(FLAGS_WITH_VALUE.yum ?? []), "setopt", "disableplugin", "enableplugin", "forcearch", "advisory", "cve"];
const TOOLS: Readonly<Record<PackageManager, ToolSpec>> = {
  "apt-get": { valued: FLAGS_WITH_VALUE["apt-get"] ?? [] },
  apt: { valued: FLAGS_WITH_VALUE.apt ?? [] },
  aptitude: { valued: FLAGS_WITH_VALUE.aptitude ?? [] },
  apk: { valued: FLAGS_WITH_VALUE.apk ?? [] },
  pip: { valued: [...(FLAGS_WITH_VALUE.pip ?? []), ...PIP_EXTRA] },
  npm: { valued: [...(FLAGS_WITH_VALUE.npm ?? []), "save-prefix", "only", "also", "otp", "install-strategy", "C"] },
  yarn: { valued: [...(FLAGS_WITH_VALUE.yarn ?? []), "mutex", "global-folder", "link-folder", "network-concurrency", "use-yarnrc"] },
  gem: { valued: FLAGS_WITH_VALUE.gem ?? [] },
  yum: { valued: YUM_VALUED },
  dnf: { valued: YUM_VALUED },
  microdnf: { valued: YUM_VALUED },
  zypper: {
    valued: [...(FLAGS_WITH_VALUE.zypper ?? []), "C", "D", "cache-dir", "reposd-dir", "raw-cache-dir", "solv-cache-dir", "pkg-cache-dir", "userdata", "download"],
  },
  go: {
    valued: [
      "C", "o", "p", "tags", "ldflags", "gcflags", "asmflags", "mod", "modfile", "overlay", "pgo", "pkgdir", "toolexec",
      "buildmode", "compiler", "gccgoflags", "installsuffix", "exec", "covermode", "coverpkg",
    ],
    singleDashLong: true,
  },
  cargo: {
    valued: [
      "version", "vers", "git", "branch", "tag", "rev", "path", "root", "index", "registry", "bin", "example", "features", "F",
      "j", "jobs", "profile", "target", "target-dir", "config", "Z", "color",
    ],
  },
  git: {
    valued: [
      "C", "c", "git-dir", "work-tree", "namespace", "b", "branch", "o", "origin", "u", "upload-pack", "reference",
      "reference-if-able", "separate-git-dir", "depth", "shallow-since", "shallow-exclude", "config", "filter", "template",
      "j", "jobs", "server-option", "bundle-uri", "revision", "ref-format",
    ],
  },
};

const PIP_NAME = /^pip(?:\d+(?:\.\d+)*)?$/;
const PYTHON_NAME = /^python(?:\d+(?:\.\d+)*)?$/;

/** Which tool a command runs, by its name; undefined for anything else. */
export function managerOf(cmd: ShellCommand): PackageManager | undefined {
  const name = commandName(cmd);
  if (name === undefined) return undefined;
  if (PIP_NAME.test(name)) return "pip";
  if (name === "dnf5" || name === "dnf-3") return "dnf";
  return Object.hasOwn(TOOLS, name) ? (name as PackageManager) : undefined;
}

// A Map, not a WeakMap keyed by RUN: V8's minor GC copies every live WeakMap entry. Rules ask about the RUNs of
// one file at a time, so the cache holds one file's (and is bounded for callers outside a lint).
const cache = new Map<RunInstruction, PackageCommand[]>();
const CACHE_LIMIT = 2048;
let cacheSource: LineIndex | undefined;

/** Every package-manager invocation of a RUN (shell form, heredocs, `sh -c`, exec form), in source order. */
export function packageCommands(run: RunInstruction): PackageCommand[] {
  // A RUN of another file (told apart by its source): entries kept across files would keep their RUNs and
  // parsed scripts alive, for the garbage collector to copy and promote.
  if (run.line.source !== cacheSource) {
    cache.clear();
    cacheSource = run.line.source;
  }
  let found = cache.get(run);
  if (found === undefined) {
    found = [];
    if (cache.size >= CACHE_LIMIT) cache.clear();
    // An exec-form RUN is one command, unless it runs a shell script (`["sh", "-c", "..."]`): then its commands.
    const commands = run.command?.form === "exec" && execFormScript(run) === undefined ? execCommand(run) : commandsOf(run);
    commands.forEach((cmd, index) => {
      const inner = pythonModule(unwrap(cmd));
      const manager = managerOf(inner);
      if (manager !== undefined) found?.push(describe(manager, run, inner, index));
    });
    cache.set(run, found);
  }
  return found;
}

/** The package commands of every RUN (ONBUILD RUN included) of a Dockerfile. */
export function* allPackageCommands(model: Dockerfile): Generator<PackageCommand> {
  for (const run of runInstructions(model)) yield* packageCommands(run);
}

/**
 * The RUNs (ONBUILD RUN included) of the stages that make up the target image: the target and the stages it is
 * built FROM. What a RUN of any other stage leaves on disk (a package cache) never ships, so the cache rules look
 * only at these.
 */
export function imageRuns(model: Dockerfile, stages: StageGraph): readonly RunInstruction[] {
  // Several rules ask for the same file's list in turn: the last answer is kept.
  if (model === imageRunsModel && stages === imageRunsGraph) return imageRunsList;
  const inImage = new Set(stages.targetChain.map((s) => s.index));
  const runs: RunInstruction[] = [];
  for (const run of runInstructions(model)) {
    const stage = stages.stageOf(run);
    if (stage !== undefined && inImage.has(stage.index)) runs.push(run);
  }
  imageRunsModel = model;
  imageRunsGraph = stages;
  imageRunsList = runs;
  return runs;
}

let imageRunsModel: Dockerfile | undefined;
let imageRunsGraph: StageGraph | undefined;
let imageRunsList: readonly RunInstruction[] = [];

/** The package command whose name or one of whose arguments starts at offset: how a fix finds its command. */
export function packageCommandAt(model: Dockerfile, offset: number): PackageCommand | undefined {
  for (const pc of allPackageCommands(model)) {
    if (pc.command.name.span.start.offset === offset || pc.command.args.some((a) => a.span.start.offset === offset)) return pc;
  }
  return undefined;
}

/**
 * The edit that adds an option right after the word a finding points at: ` -y` in a shell-form RUN, `, "-y"` in an
 * exec-form one. None when the finding's command cannot be found again.
 */
export function addOptionAfter(model: Dockerfile, finding: TextFinding, option: string): Edit[] {
  const pc = packageCommandAt(model, finding.location.start.offset);
  if (pc === undefined) return [];
  const at = finding.location.end.offset;
  return [{ start: at, end: at, text: pc.exec ? `, ${JSON.stringify(option)}` : ` ${option}` }];
}

/**
 * The last command that fills a cache (per `fills`) and is followed in its RUN by nothing that empties it: neither
 * a package command that `cleans` nor an `rm` of a path for which `removes` holds. undefined when all is cleaned.
 */
export function lastUncleaned(
  run: RunInstruction,
  fills: (pc: PackageCommand) => boolean,
  cleans: (pc: PackageCommand) => boolean,
  removes: (path: string) => boolean,
): PackageCommand | undefined {
  const commands = packageCommands(run);
  const last = commands.findLast(fills);
  if (last === undefined) return undefined;
  if (commands.some((pc) => pc.index > last.index && cleans(pc))) return undefined;
  if (commandsAfter(last).some((cmd) => removedPaths(cmd)?.some(removes) === true)) return undefined;
  return last;
}

/** The commands of the same RUN that run after a package command (source order; `sh -c` scripts included). */
export function commandsAfter(pc: PackageCommand): ShellCommand[] {
  return pc.exec ? [] : commandsOf(pc.run).slice(pc.index + 1);
}

/** An exec-form RUN runs its first word directly: the same invocation, without a shell. */
function execCommand(run: RunInstruction): ShellCommand[] {
  const command = run.command;
  if (command?.form !== "exec") return [];
  const [first, ...rest] = command.args.map((w): ShellWord => ({ text: w.value, value: w.value, span: w.span }));
  if (first === undefined) return [];
  return [{
    name: first, args: rest, assignments: [], redirects: [], span: command.span, connector: undefined, pipeline: undefined,
    negated: false, within: [], inSubstitution: false, nested: undefined, wrapper: undefined,
  }];
}

/** `python3.12 -m pip ...` (query.ts unwraps only `python`/`python3`): the pip command it runs. */
function pythonModule(cmd: ShellCommand): ShellCommand {
  const name = commandName(cmd);
  if (name === undefined || !PYTHON_NAME.test(name)) return cmd;
  const args = cmd.args;
  for (let i = 0; i < args.length; i++) {
    const v = args[i]?.value;
    if (v === "-m") {
      const module = args[i + 1];
      if (module === undefined || module.value === undefined || !PIP_NAME.test(module.value)) return cmd;
      return { ...cmd, name: module, args: args.slice(i + 2), span: { start: module.span.start, end: cmd.span.end }, wrapper: cmd };
    }
    // Only plain interpreter switches (-I, -u, -B, ...) may come before -m.
    if (v === undefined || !/^-[A-Za-z]+$/.test(v) || v.includes("c")) return cmd;
  }
  return cmd;
}

function describe(manager: PackageManager, run: RunInstruction, command: ShellCommand, index: number): PackageCommand {
  const { flags, positional } = scanArgs(command.args, TOOLS[manager]);
  const subcommand = positional[0];
  const sub = subcommand === undefined ? -1 : command.args.indexOf(subcommand);
  for (const f of flags) f.global = sub === -1 || command.args.indexOf(f.word) < sub;
  return {
    manager, run, command, subcommand, action: subcommand?.value, flags, operands: positional.slice(1), index,
    exec: run.command?.form === "exec",
  };
}

/** Splits arguments into options and positional arguments (getopt conventions, plus `-q=2` as apt writes it). */
function scanArgs(args: readonly ShellWord[], spec: ToolSpec): { flags: CommandFlag[]; positional: ShellWord[] } {
  const valued = (name: string): boolean => spec.valued.includes(name);
  const flags: CommandFlag[] = [];
  const positional: ShellWord[] = [];
  const flag = (name: string, word: ShellWord, value: string | undefined | null, valueWord?: ShellWord): void => {
    flags.push({ name, word, value, valueWord, global: false });
  };
  let optionsDone = false;
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (word === undefined) continue;
    const v = word.value ?? word.text;
    if (optionsDone || v.length < 2 || v[0] !== "-") {
      positional.push(word);
      continue;
    }
    if (v === "--") {
      optionsDone = true;
      continue;
    }
    const long = v[1] === "-" || spec.singleDashLong === true;
    if (long) {
      const body = v.slice(v[1] === "-" ? 2 : 1);
      const eq = body.indexOf("=");
      const name = eq === -1 ? body : body.slice(0, eq);
      if (eq !== -1) {
        flag(name, word, word.value === undefined ? undefined : body.slice(eq + 1));
      } else if (valued(name)) {
        const next = args[++i];
        flag(name, word, next?.value, next);
      } else {
        flag(name, word, null);
      }
      continue;
    }
    for (let k = 1; k < v.length; k++) {
      const name = v[k] ?? "";
      const rest = v.slice(k + 1);
      if (rest.startsWith("=")) {
        flag(name, word, word.value === undefined ? undefined : rest.slice(1));
        break;
      }
      if (!valued(name)) {
        flag(name, word, null);
        continue;
      }
      if (rest !== "") {
        flag(name, word, word.value === undefined ? undefined : rest);
      } else {
        const next = args[++i];
        flag(name, word, next?.value, next);
      }
      break;
    }
  }
  return { flags, positional };
}

/** `npm install` and the aliases npm accepts for it. */
export const NPM_INSTALL_ALIASES: ReadonlySet<string> = new Set([
  "install", "i", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "isntall", "add",
]);

/** yum/dnf subcommands (with nested ones joined, see actionOf) that ask "Is this ok [y/N]" before changing anything. */
export const RPM_PROMPTING: ReadonlySet<string> = new Set([
  "install", "groupinstall", "localinstall", "reinstall", "remove", "erase", "update", "upgrade", "downgrade",
  "groupupdate", "groupremove", "autoremove", "distro-sync", "swap", "group install", "group remove", "group update",
  "group upgrade", "module install", "module remove", "module enable", "module disable", "module reset", "module switch-to",
]);

/** Subcommands that take a subcommand of their own, per tool. */
const NESTED: Partial<Record<PackageManager, readonly string[]>> = {
  yum: ["group", "groups", "module"],
  dnf: ["group", "groups", "module"],
  microdnf: ["group", "groups", "module"],
  yarn: ["cache", "global"],
  npm: ["cache"],
};

export interface PackageAction {
  /** "install", or two words for nested subcommands: "group install", "module install", "cache clean". */
  name: string;
  /** The word that says what happens (`install` of `dnf module install`). */
  word: ShellWord;
  /** The operands after it. */
  operands: ShellWord[];
}

/**
 * The actions of one manager in a file that prompt "Is this ok [y/N]" (their name is in `prompting`) and were
 * not given -y/--assumeyes: what the yum (DL3030) and dnf (DL3038) rules report.
 */
export function unconfirmedActions(model: Dockerfile, manager: PackageManager, prompting: ReadonlySet<string>): PackageAction[] {
  const out: PackageAction[] = [];
  for (const run of runInstructions(model)) {
    for (const pc of packageCommands(run)) {
      if (pc.manager !== manager) continue;
      const action = actionOf(pc);
      if (action !== undefined && prompting.has(action.name) && !hasOption(pc, ["y", "assumeyes", "assume-yes"])) out.push(action);
    }
  }
  return out;
}

/** What a package command does, with nested subcommands joined; undefined without a static subcommand. */
export function actionOf(pc: PackageCommand): PackageAction | undefined {
  const { subcommand, action } = pc;
  if (subcommand === undefined || action === undefined) return undefined;
  const [second, ...rest] = pc.operands;
  if (NESTED[pc.manager]?.includes(action) === true && second?.value !== undefined) {
    return { name: `${action === "groups" ? "group" : action} ${second.value}`, word: second, operands: rest };
  }
  return { name: action, word: subcommand, operands: pc.operands };
}

/** An operand that is reported, with the message that says why. */
export interface OperandFinding {
  word: ShellWord;
  message: string;
}

/**
 * Unpinned operands of yum/dnf/microdnf installs (DL3033, DL3041): packages need `-<version>`, module streams
 * `:<stream>`; group installs and `@group` names cannot be pinned and are skipped.
 */
export function rpmPinFindings(run: RunInstruction, stages: StageGraph, managers: readonly PackageManager[]): OperandFinding[] {
  const out: OperandFinding[] = [];
  for (const pc of packageCommands(run)) {
    if (!managers.includes(pc.manager)) continue;
    const action = actionOf(pc);
    if (action?.name === "install" || action?.name === "in") {
      for (const arg of packageArgs(pc, stages, action.operands)) {
        if (arg.spec === undefined || isPinned(arg.spec)) continue;
        const name = arg.spec.name;
        out.push({ word: arg.word, message: `Specify a version in ${pc.manager} install: "${name}" gets the newest build on build day; use ${name}-<version>` });
      }
    } else if (action?.name === "module install") {
      for (const arg of packageArgs(pc, stages, action.operands)) {
        if (arg.value === undefined || arg.value.includes(":") || arg.value.startsWith("/")) continue;
        out.push({ word: arg.word, message: `Specify a stream in ${pc.manager} module install: "${arg.value}" gets the default stream; use ${arg.value}:<stream>` });
      }
    }
  }
  return out;
}

/** `apt-get -s install ...` (also --simulate, --dry-run, ...) only prints what it would do: no prompt, no install. */
export function simulates(pc: PackageCommand): boolean {
  return (pc.manager === "apt-get" || pc.manager === "apt" || pc.manager === "aptitude")
    && hasOption(pc, ["s", "simulate", "just-print", "dry-run", "recon", "no-act"]);
}

/**
 * A bare `yarn` installs (as `yarn install`), unless it only asks for its version or help; `yarn install` and
 * `yarn add` install too.
 */
export function isYarnInstall(pc: PackageCommand): boolean {
  if (pc.manager !== "yarn") return false;
  if (pc.subcommand === undefined) return !hasOption(pc, ["version", "v", "help", "h"]);
  return pc.action === "install" || pc.action === "add";
}

/** Whether any of the options is given (a bundle counts each letter). */
export function hasOption(pc: PackageCommand, names: string | readonly string[]): boolean {
  const wanted = typeof names === "string" ? [names] : names;
  return pc.flags.some((f) => wanted.includes(f.name));
}

/** The values of an option, in order (undefined for a dynamic one). */
export function optionValues(pc: PackageCommand, names: string | readonly string[]): (string | undefined)[] {
  const wanted = typeof names === "string" ? [names] : names;
  return pc.flags.filter((f) => wanted.includes(f.name) && f.value !== null).map((f) => f.value ?? undefined);
}

/**
 * A word's value as the shell sees it: quotes removed and `$VAR`/`${VAR}` taken from the ARG/ENV in scope at the
 * RUN. undefined when a variable is not set there (it may be set in the script or by --build-arg) or the word
 * holds a command substitution: such a word is unknown, neither pinned nor unpinned.
 */
export function resolveWord(stages: StageGraph, run: RunInstruction, word: ShellWord): string | undefined {
  if (word.value !== undefined) return word.value;
  const text = word.text;
  if (text.includes("$(") || text.includes("`")) return undefined;
  const expansion = stages.expand(run, text);
  if (expansion.references.length === 0 || expansion.references.some((r) => !r.set)) return undefined;
  return expansion.value;
}

/**
 * The operands of a command, each resolved and read as its manager reads a package argument. A word with an
 * unquoted expansion is split into fields as the shell splits it (`$PHPIZE_DEPS` holding "autoconf gcc make" is
 * three packages, each an arg with the variable's word); options among the fields (`$APT_OPTS` = "-y -q") are left
 * out. A quoted `"$VAR"` stays one word. An exec-form RUN has no shell: its words are literal.
 */
export function packageArgs(pc: PackageCommand, stages: StageGraph, operands: readonly ShellWord[] = pc.operands): PackageArg[] {
  const out: PackageArg[] = [];
  const arg = (word: ShellWord, value: string | undefined): PackageArg => ({
    word, value, spec: value === undefined ? undefined : parsePackageSpec(pc.manager, value),
  });
  for (const word of operands) {
    if (pc.exec || word.value !== undefined) {
      out.push(arg(word, word.value));
      continue;
    }
    const fields = expandedFields(stages, pc.run, word);
    if (fields === undefined) out.push(arg(word, undefined));
    else for (const field of withoutOptions(fields, TOOLS[pc.manager])) out.push(arg(word, field));
  }
  return out;
}

/** Fields of expanded words that are options of the tool, with the values of those that take one, removed. */
function withoutOptions(fields: readonly string[], spec: ToolSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] ?? "";
    if (f.length < 2 || f[0] !== "-") {
      out.push(f);
      continue;
    }
    if (f[1] === "-" || spec.singleDashLong === true) {
      const body = f.slice(f[1] === "-" ? 2 : 1);
      if (!body.includes("=") && spec.valued.includes(body)) i++;
    } else if ([...f.slice(1)].findIndex((letter) => spec.valued.includes(letter)) === f.length - 2) {
      i++; // the bundle ends with an option that takes the next field as its value
    }
  }
  return out;
}

// The shell's default IFS: space, tab, newline.
const IFS_RUN = /[ \t\n]+/;
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/**
 * The fields a shell word becomes after parameter expansion, quote removal and field splitting with the default
 * IFS: what an unquoted expansion yields is split, quoted parts and literal text are not. Variables come from the
 * ARG/ENV in scope at the RUN. undefined when the word holds a command substitution, a special parameter, or a
 * variable not set there (its value is unknown).
 */
function expandedFields(stages: StageGraph, run: RunInstruction, word: ShellWord): string[] | undefined {
  const text = word.text;
  const fields: string[] = [];
  let current = "";
  let open = false; // a field has begun (a quoted "" begins an empty one)
  const literal = (s: string): void => {
    current += s;
    open = true;
  };
  const split = (value: string): void => {
    value.split(IFS_RUN).forEach((part, k) => {
      if (k > 0 && open) {
        fields.push(current);
        current = "";
        open = false;
      }
      if (part !== "") literal(part);
    });
  };
  const expansion = (from: number): { value: string; end: number } | undefined => {
    const end = expansionEnd(text, from);
    if (end === undefined) return undefined;
    const e = stages.expand(run, text.slice(from, end));
    if (e.references.length === 0 || e.references.some((r) => !r.set)) return undefined;
    return { value: e.value, end };
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? "";
    if (c === "`") return undefined;
    if (c === "\\") {
      if (text[i + 1] !== "\n") literal(text[i + 1] ?? "");
      i += 2;
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close === -1) return undefined;
      literal(text.slice(i + 1, close));
      i = close + 1;
    } else if (c === '"') {
      open = true;
      i++;
      for (;;) {
        const d = text[i];
        if (d === undefined || d === "`") return undefined;
        if (d === '"') break;
        if (d === "\\" && "$`\"\\\n".includes(text[i + 1] ?? "")) {
          if (text[i + 1] !== "\n") literal(text[i + 1] ?? "");
          i += 2;
        } else if (d === "$" && startsExpansion(text[i + 1])) {
          const e = expansion(i);
          if (e === undefined) return undefined;
          literal(e.value);
          i = e.end;
        } else {
          literal(d);
          i++;
        }
      }
      i++;
    } else if (c === "$" && startsExpansion(text[i + 1])) {
      const e = expansion(i);
      if (e === undefined) return undefined;
      split(e.value);
      i = e.end;
    } else {
      literal(c);
      i++;
    }
  }
  if (open) fields.push(current);
  return fields;
}

function startsExpansion(next: string | undefined): boolean {
  return next !== undefined && (next === "{" || next === "(" || NAME_START.test(next) || /[0-9@*#?$!-]/.test(next));
}

/** The end of the `$NAME` or `${...}` at from; undefined for substitutions and special or positional parameters. */
function expansionEnd(text: string, from: number): number | undefined {
  const next = text[from + 1] ?? "";
  if (NAME_START.test(next)) {
    let j = from + 2;
    while (j < text.length && NAME_CHAR.test(text[j] ?? "")) j++;
    return j;
  }
  if (next !== "{") return undefined;
  let depth = 1;
  for (let j = from + 2; j < text.length; j++) {
    const c = text[j];
    if (c === "\\") j++;
    else if (c === "{" && text[j - 1] === "$") depth++;
    else if (c === "}" && --depth === 0) return NAME_START.test(text[from + 2] ?? "") ? j + 1 : undefined;
  }
  return undefined;
}

/** Whether an operand pins what it installs: a name or VCS URL with a version, or a file, URL, path or group. */
export function isPinned(spec: PackageSpec): boolean {
  return (spec.kind !== "name" && spec.kind !== "vcs") || spec.version !== undefined;
}

/** Reads one package operand the way its manager does. */
export function parsePackageSpec(manager: PackageManager, value: string): PackageSpec {
  switch (manager) {
    case "apt-get":
    case "apt":
    case "aptitude":
      return aptSpec(value);
    case "apk":
      return apkSpec(value);
    case "pip":
      return pipSpec(value);
    case "npm":
    case "yarn":
      return npmSpec(value);
    case "gem":
      return gemSpec(value);
    case "yum":
    case "dnf":
    case "microdnf":
      return rpmSpec(value);
    case "zypper":
      return zypperSpec(value);
    case "go":
      return goSpec(value);
    case "cargo":
      return splitAt(value, value.indexOf("@", 1));
    case "git":
      return { kind: "url", name: value, version: undefined };
  }
}

function splitAt(value: string, at: number): PackageSpec {
  return at <= 0 ? { kind: "name", name: value, version: undefined } : { kind: "name", name: value.slice(0, at), version: value.slice(at) };
}

const LOCAL_PATH = /^(?:\/|\.\.?(?:\/|$)|~\/)/;

// apt-get: `pkg=version`, `pkg/release`, or a .deb file.
function aptSpec(value: string): PackageSpec {
  if (value.endsWith(".deb") || LOCAL_PATH.test(value)) return { kind: "file", name: value, version: undefined };
  const eq = value.indexOf("=");
  if (eq > 0) return splitAt(value, eq);
  return splitAt(value, value.indexOf("/"));
}

// apk: `pkg=1.2-r0`, `pkg~1.2`, `pkg>1`, `pkg<2`, or an .apk file.
function apkSpec(value: string): PackageSpec {
  if (value.endsWith(".apk") || LOCAL_PATH.test(value)) return { kind: "file", name: value, version: undefined };
  return splitAt(value, value.search(/[=~<>]/));
}

const VCS = /^(?:git|hg|svn|bzr)(?:\+[a-z-]+)?:/;
const PYTHON_ARCHIVE = /\.(?:whl|tar\.gz|tgz|tar\.bz2|zip)$/;
const PEP440_OPERATOR = /^(?:===|==|~=|!=|>=|<=|>|<)/;

// pip: a requirement specifier `name[extras]<op>version; marker`, a VCS URL (pinned by `@ref`), an archive, a path or URL.
function pipSpec(value: string): PackageSpec {
  if (VCS.test(value)) {
    const path = value.slice(value.indexOf("//") + 2);
    const slash = path.indexOf("/");
    const at = slash === -1 ? -1 : path.indexOf("@", slash);
    return { kind: "vcs", name: value, version: at === -1 ? undefined : path.slice(at).split("#")[0] };
  }
  if (PYTHON_ARCHIVE.test(value)) return { kind: "file", name: value, version: undefined };
  if (value.includes("://")) return { kind: "url", name: value, version: undefined };
  if (value.includes("/") || LOCAL_PATH.test(value) || value === ".") return { kind: "path", name: value, version: undefined };
  const op = value.search(/[=<>!~]/);
  if (op > 0 && PEP440_OPERATOR.test(value.slice(op))) return { kind: "name", name: value.slice(0, op).trim(), version: value.slice(op) };
  return { kind: "name", name: value.split(";")[0]?.trim() ?? value, version: undefined };
}

const NPM_GIT = /^(?:git(?:\+(?:ssh|https?|file))?:\/\/|(?:github|gitlab|bitbucket|gist):)/;
const NPM_TARBALL = /\.(?:tar|tar\.gz|tgz)$/;

// npm: `name@version|tag|range`, `@scope/name@version`, git URLs (pinned by `#ref`), `user/repo#ref`, tarballs, folders.
function npmSpec(value: string): PackageSpec {
  if (NPM_TARBALL.test(value)) return { kind: "file", name: value, version: undefined };
  if (LOCAL_PATH.test(value) || value.startsWith("file:")) return { kind: "path", name: value, version: undefined };
  const hash = value.indexOf("#");
  if (NPM_GIT.test(value) || (!value.startsWith("@") && /^[\w.-]+\/[\w.-]+(?:#|$)/.test(value))) {
    return { kind: "vcs", name: hash === -1 ? value : value.slice(0, hash), version: hash === -1 ? undefined : value.slice(hash) };
  }
  if (/^https?:\/\//.test(value)) return { kind: "url", name: value, version: undefined };
  const scoped = value.startsWith("@") ? value.indexOf("/") : 0;
  return splitAt(value, value.indexOf("@", Math.max(scoped, 1)));
}

// gem: `name:version` or a .gem file.
function gemSpec(value: string): PackageSpec {
  if (value.endsWith(".gem") || LOCAL_PATH.test(value)) return { kind: "file", name: value, version: undefined };
  return splitAt(value, value.indexOf(":"));
}

const RPM_VERSION_PART = /^[A-Za-z0-9.~^_:+*]+$/;

// yum/dnf: `name-version[-release]` where the parts after the name look like a version, `@group`, an .rpm file.
function rpmSpec(value: string): PackageSpec {
  if (value.endsWith(".rpm") || value.includes("://")) return { kind: "file", name: value, version: undefined };
  if (value.startsWith("@")) return { kind: "group", name: value, version: undefined };
  if (value.startsWith("/")) return { kind: "path", name: value, version: undefined };
  const parts = value.split("-");
  const tail = parts.slice(1);
  const versioned = tail.length > 0 && tail.every((p) => RPM_VERSION_PART.test(p)) && tail.some((p) => /^\d/.test(p));
  if (!versioned) return { kind: "name", name: value, version: undefined };
  const first = parts.findIndex((p, i) => i > 0 && /^\d/.test(p));
  return { kind: "name", name: parts.slice(0, first).join("-"), version: `-${parts.slice(first).join("-")}` };
}

// zypper: `name=version`, `name>=version`, `name<version`, or an .rpm file.
function zypperSpec(value: string): PackageSpec {
  if (value.endsWith(".rpm") || value.includes("://") || LOCAL_PATH.test(value)) return { kind: "file", name: value, version: undefined };
  return splitAt(value, value.search(/[=<>]/));
}

// Package patterns that name what the toolchain or go.mod already fixes.
const GO_META: ReadonlySet<string> = new Set(["std", "cmd", "all", "tool"]);

// go: `path@version`, or a local package (`.`, `./cmd/x`, a .go file), or a meta package (`std`, `tool`).
function goSpec(value: string): PackageSpec {
  if (value.startsWith(".") || value.startsWith("/") || value.endsWith(".go") || GO_META.has(value)) return { kind: "path", name: value, version: undefined };
  return splitAt(value, value.indexOf("@"));
}

/** A `RUN --mount` option, parsed as BuildKit reads it (CSV fields, values expanded). */
export interface RunMount {
  type: string;
  /** The target path, normalized; undefined when missing or unknown. */
  target: string | undefined;
  flag: Flag;
}

/** The mounts of a RUN. */
export function runMounts(run: RunInstruction, stages: StageGraph): RunMount[] {
  const out: RunMount[] = [];
  for (const flag of run.flags) {
    if (flag.name !== "mount" || flag.value === undefined) continue;
    let type = "bind";
    let target: string | undefined;
    for (const field of csvFields(flag.value)) {
      const eq = field.indexOf("=");
      if (eq === -1) continue;
      const key = field.slice(0, eq).trim().toLowerCase();
      const raw = field.slice(eq + 1);
      const value = raw.includes("$") ? knownExpansion(stages, run, raw) : raw;
      if (key === "type" && value !== undefined) type = value.toLowerCase();
      if (key === "target" || key === "dst" || key === "destination") target = value === undefined ? undefined : normalizePath(value);
    }
    out.push({ type, target, flag });
  }
  return out;
}

function knownExpansion(stages: StageGraph, run: RunInstruction, text: string): string | undefined {
  const e = stages.expand(run, text);
  return e.references.some((r) => !r.set) ? undefined : e.value;
}

// BuildKit reads mount options as one CSV record: commas separate fields, double quotes protect them.
function csvFields(text: string): string[] {
  const fields: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      if (quoted && text[i + 1] === '"') {
        current += '"';
        i++;
      } else {
        quoted = !quoted;
      }
    } else if (c === "," && !quoted) {
      fields.push(current);
      current = "";
    } else {
      current += c;
    }
  }
  fields.push(current);
  return fields;
}

/** Targets of the RUN's cache and tmpfs mounts: what is written there never reaches the image. */
export function discardedPaths(run: RunInstruction, stages: StageGraph): string[] {
  const out: string[] = [];
  for (const m of runMounts(run, stages)) {
    if ((m.type === "cache" || m.type === "tmpfs") && m.target !== undefined) out.push(m.target);
  }
  return out;
}

/** `a//b/./c/` → `a/b/c`; `..` removed lexically; "/" stays "/". */
export function normalizePath(path: string): string {
  const absolute = path.startsWith("/");
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && parts.length > 0 && parts[parts.length - 1] !== "..") parts.pop();
    else if (part !== ".." || !absolute) parts.push(part);
  }
  const joined = parts.join("/");
  return absolute ? `/${joined}` : joined;
}

/** Whether `outer` is `inner` or a directory above it (both normalized; "/" covers nothing: a mount there is no cache). */
export function pathCovers(outer: string, inner: string): boolean {
  if (outer === "/" || outer === "") return false;
  return inner === outer || inner.startsWith(`${outer}/`);
}

/** Whether a normalized path ends with these segments (`/root/.cache/pip` ends with [".cache", "pip"]). */
export function pathEndsWith(path: string, tail: readonly string[]): boolean {
  const parts = path.split("/");
  if (parts.length < tail.length) return false;
  return tail.every((t, i) => parts[parts.length - tail.length + i] === t);
}

/**
 * For an `rm` command: the paths it deletes, normalized, with a trailing `/*` or `*` dropped (deleting a cache
 * directory's contents counts as deleting the directory). undefined when cmd is not `rm`; dynamic operands are left out.
 */
export function removedPaths(cmd: ShellCommand): string[] | undefined {
  const inner = unwrap(cmd);
  if (commandName(inner) !== "rm") return undefined;
  const out: string[] = [];
  let optionsDone = false;
  for (const arg of inner.args) {
    const v = arg.value;
    if (v === undefined) continue;
    if (!optionsDone && v === "--") {
      optionsDone = true;
      continue;
    }
    if (!optionsDone && v.startsWith("-")) continue;
    const stripped = v.replace(/\/?\*+$/, "");
    if (stripped === "" || stripped.includes("*")) continue;
    out.push(normalizePath(stripped));
  }
  return out;
}

/** Values that turn a boolean environment switch on (pip's and yarn's readings agree on these). */
export const TRUTHY: ReadonlySet<string> = new Set(["1", "true", "True", "TRUE", "on", "On", "ON", "yes", "Yes", "YES"]);

/**
 * The value an environment variable has for a package command: a `NAME=value` prefix (also through `env`), else an
 * `export NAME=value` earlier in the same RUN, else the ARG/ENV in scope at the RUN. undefined when unset or unknown.
 */
export function environmentValue(pc: PackageCommand, stages: StageGraph, name: string): string | undefined {
  for (const a of pc.command.assignments) if (a.name === name) return a.assigned.value;
  let exported: string | undefined;
  const commands = pc.exec ? [] : commandsOf(pc.run);
  for (const cmd of commands.slice(0, pc.index)) {
    if (commandName(cmd) !== "export") continue;
    for (const arg of cmd.args) {
      const v = arg.value;
      if (v?.startsWith(`${name}=`) === true) exported = v.slice(name.length + 1);
    }
  }
  return exported ?? stages.scope(pc.run).get(name)?.value;
}
