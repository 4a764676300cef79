// Small queries over a parsed shell script (parse.ts): commands by name, flags and their values, positional
// arguments, wrappers such as `sudo` seen through, `sh -c` scripts, pipelines and pipefail.
//
// Flags follow getopt conventions: a name of one character is a short flag (`-y`, also inside a bundle `-yq`), a
// longer name a long flag (`--yes`, `--yes=1`). Parsing stops at `--`. A flag listed in `flagsWithValue` takes the
// rest of its bundle (`-ofoo`, `-q=2`) or the next argument as its value; without the option, the command's entry
// in FLAGS_WITH_VALUE is used, so `apt-get -o Foo=yes install` has no `-y`.
import type { ShellAssignment, ShellCommand, ShellContextKind, ShellHeredoc, ShellPipeline, ShellScript } from "./parse.ts";
import { assignmentOf, sliceWord, type ShellWord } from "./word.ts";

export interface FlagOptions {
  /** Flags (names without dashes) that take a value; defaults to FLAGS_WITH_VALUE[commandName(cmd)]. */
  flagsWithValue?: readonly string[];
}

export interface CommandQueryOptions {
  /** See through wrappers (`sudo`, `env`, `nice`, ...; see `unwrap`). Default true. */
  wrappers?: boolean;
  /** Include commands of `sh -c '...'` scripts. Default true. */
  nested?: boolean;
}

const APT = ["o", "c", "t", "a", "P", "option", "config-file", "target-release", "default-release", "host-architecture", "build-profiles"];
const PIP = [
  "r", "c", "e", "t", "i", "f", "C", "requirement", "constraint", "editable", "target", "index-url", "extra-index-url",
  "find-links", "prefix", "root", "src", "trusted-host", "platform", "python-version", "implementation", "abi",
  "upgrade-strategy", "progress-bar", "log", "proxy", "retries", "timeout", "exists-action", "cert", "client-cert",
  "cache-dir", "no-binary", "only-binary", "config-settings", "global-option", "install-option", "report",
];
const YUM = ["c", "x", "d", "e", "config", "releasever", "installroot", "enablerepo", "disablerepo", "exclude", "setopt", "repo", "repoid", "debuglevel", "errorlevel", "downloaddir", "destdir"];

/** Flags that take a value, per command: what positionalArgs needs to tell a package from a flag's value. */
export const FLAGS_WITH_VALUE: Readonly<Record<string, readonly string[]>> = {
  "apt-get": APT,
  apt: APT,
  aptitude: APT,
  apk: ["X", "p", "t", "repository", "root", "keys-dir", "cache-dir", "repositories-file", "virtual", "arch"],
  pip: PIP,
  pip3: PIP,
  npm: ["w", "registry", "prefix", "workspace", "cache", "userconfig", "tag", "loglevel", "omit", "include"],
  yarn: ["cwd", "registry", "network-timeout", "modules-folder", "cache-folder"],
  gem: ["v", "i", "n", "s", "p", "P", "g", "version", "install-dir", "bindir", "source", "http-proxy", "platform", "trust-policy", "file"],
  yum: YUM,
  dnf: YUM,
  microdnf: YUM,
  zypper: ["r", "R", "t", "c", "repo", "from", "root", "type", "config"],
  curl: [
    "o", "H", "d", "X", "u", "A", "e", "x", "w", "T", "F", "b", "c", "K", "m", "E", "r", "y", "Y", "z", "C",
    "output", "header", "data", "data-raw", "data-binary", "data-urlencode", "request", "user", "user-agent", "referer",
    "proxy", "write-out", "upload-file", "form", "cookie", "cookie-jar", "config", "retry", "retry-delay",
    "retry-max-time", "max-time", "connect-timeout", "cert", "key", "cacert", "capath", "resolve", "url", "limit-rate",
    "range", "proto", "proto-redir",
  ],
  wget: [
    "O", "o", "a", "P", "t", "T", "U", "e", "i", "output-document", "output-file", "append-output", "directory-prefix",
    "tries", "timeout", "user-agent", "header", "user", "password", "input-file", "post-data", "ca-certificate", "execute",
  ],
};

/** The command's name without its directory (`/usr/bin/apt-get` → `apt-get`); undefined when not static. */
export function commandName(cmd: ShellCommand): string | undefined {
  const v = cmd.name.value;
  if (v === undefined) return undefined;
  const slash = v.lastIndexOf("/");
  return slash === -1 || slash === v.length - 1 ? v : v.slice(slash + 1);
}

/** Every command of a script, with (by default) those of `sh -c` scripts right after the command that runs them. */
export function allCommands(script: ShellScript, options: { nested?: boolean } = {}): ShellCommand[] {
  if (options.nested === false) return script.commands;
  const out: ShellCommand[] = [];
  const add = (s: ShellScript): void => {
    for (const cmd of s.commands) {
      out.push(cmd);
      if (cmd.nested !== undefined) add(cmd.nested);
    }
  };
  add(script);
  return out;
}

/**
 * Commands with one of the names (basename of a static name). With wrappers (default), a command found behind
 * wrappers is returned as unwrap() shows it: `sudo apt-get install` matches "apt-get" as `apt-get install` and
 * "sudo" as itself.
 */
export function commandsNamed(script: ShellScript, names: string | readonly string[], options: CommandQueryOptions = {}): ShellCommand[] {
  const wanted = typeof names === "string" ? [names] : names;
  const out: ShellCommand[] = [];
  for (const cmd of allCommands(script, { nested: options.nested !== false })) {
    let c: ShellCommand | undefined = cmd;
    for (let depth = 0; c !== undefined && depth < MAX_WRAPPERS; depth++) {
      const name = commandName(c);
      if (name !== undefined && wanted.includes(name)) {
        out.push(c);
        break;
      }
      if (options.wrappers === false) break;
      c = unwrapOnce(c);
    }
  }
  return out;
}

export function isWithin(cmd: ShellCommand, kind: ShellContextKind): boolean {
  return cmd.within.some((c) => c.kind === kind);
}

interface FlagOccurrence {
  /** Without dashes: "y", "yes". */
  name: string;
  word: ShellWord;
  /** Static value when the flag has one; undefined for a dynamic value; null when the flag has none. */
  value: string | undefined | null;
  /** The separate argument holding the value, if the value was not attached. */
  valueWord: ShellWord | undefined;
}

/** Splits arguments into flag occurrences and positional arguments. */
function scanArgs(cmd: ShellCommand, options: FlagOptions, alsoValued: readonly string[] = []): { flags: FlagOccurrence[]; positional: ShellWord[] } {
  const base = options.flagsWithValue ?? FLAGS_WITH_VALUE[commandName(cmd) ?? ""] ?? [];
  const valued = (name: string): boolean => base.includes(name) || alsoValued.includes(name);
  const flags: FlagOccurrence[] = [];
  const positional: ShellWord[] = [];
  const args = cmd.args;
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
    if (v[1] === "-") {
      const eq = v.indexOf("=");
      const name = eq === -1 ? v.slice(2) : v.slice(2, eq);
      if (eq !== -1) {
        flags.push({ name, word, value: word.value === undefined ? undefined : v.slice(eq + 1), valueWord: undefined });
      } else if (valued(name)) {
        const next = args[i + 1];
        flags.push({ name, word, value: next === undefined ? undefined : next.value, valueWord: next });
        i++;
      } else {
        flags.push({ name, word, value: null, valueWord: undefined });
      }
      continue;
    }
    for (let k = 1; k < v.length; k++) {
      const name = v[k] ?? "";
      if (!valued(name)) {
        flags.push({ name, word, value: null, valueWord: undefined });
        continue;
      }
      const rest = v.slice(k + 1);
      if (rest !== "") {
        // `-q=2` as apt-get accepts it: the `=` is not part of the value.
        const attached = rest.startsWith("=") ? rest.slice(1) : rest;
        flags.push({ name, word, value: word.value === undefined ? undefined : attached, valueWord: undefined });
      } else {
        const next = args[i + 1];
        flags.push({ name, word, value: next === undefined ? undefined : next.value, valueWord: next });
        i++;
      }
      break;
    }
  }
  return { flags, positional };
}

function nameList(names: string | readonly string[]): readonly string[] {
  return typeof names === "string" ? [names] : names;
}

/** Whether any of the flags is given: `hasFlag(cmd, ["y", "yes", "assume-yes"])`. */
export function hasFlag(cmd: ShellCommand, names: string | readonly string[], options: FlagOptions = {}): boolean {
  return countFlags(cmd, names, options) > 0;
}

/** How often the flags are given; a bundle counts each letter (`-qq` is two `q`). */
export function countFlags(cmd: ShellCommand, names: string | readonly string[], options: FlagOptions = {}): number {
  const wanted = nameList(names);
  let n = 0;
  for (const f of scanArgs(cmd, options).flags) if (wanted.includes(f.name)) n++;
  return n;
}

/**
 * The values of a flag that takes one, in order: `--name=v`, `--name v`, `-nv`, `-n v`, `-n=v`. A value that is not
 * static (`--name="$X"`) is undefined; a missing one at the end of the arguments too.
 */
export function flagValues(cmd: ShellCommand, names: string | readonly string[], options: FlagOptions = {}): (string | undefined)[] {
  const wanted = nameList(names);
  const out: (string | undefined)[] = [];
  for (const f of scanArgs(cmd, options, wanted).flags) {
    if (wanted.includes(f.name) && f.value !== null) out.push(f.value);
  }
  return out;
}

/** Arguments that are neither flags nor flag values (everything after `--` is positional). */
export function positionalArgs(cmd: ShellCommand, options: FlagOptions = {}): ShellWord[] {
  return scanArgs(cmd, options).positional;
}

/** The first positional argument: `install` of `apt-get -y install curl`. */
export function subcommand(cmd: ShellCommand, options: FlagOptions = {}): ShellWord | undefined {
  return scanArgs(cmd, options).positional[0];
}

export interface Wrapper {
  /** Options whose value is the next argument (or the rest of a bundle). */
  valued: readonly string[];
  /** Arguments between the options and the command: timeout's duration, gosu's user, chroot's directory. */
  operands?: number;
  /** NAME=value words may come before the command. */
  assignments?: boolean;
  /** With one of these options the wrapper runs no command (`command -v x`, `sudo -l`). */
  inert?: readonly string[];
  /** `python -m pip`: the command is this option's value. */
  module?: string;
}

const PYTHON: Wrapper = { valued: ["X", "W"], inert: ["c"], module: "m" };

/** Commands that run another command given as their arguments. xargs (reads its arguments from stdin) is not one. */
export const WRAPPERS: Readonly<Record<string, Wrapper>> = {
  sudo: {
    valued: ["u", "g", "C", "D", "h", "p", "R", "r", "t", "T", "U", "user", "group", "close-from", "chdir", "host", "prompt", "chroot", "role", "type", "command-timeout", "other-user"],
    assignments: true,
    inert: ["l", "v", "V", "K", "e", "list", "validate", "version", "remove-timestamp", "edit"],
  },
  doas: { valued: ["u", "C"] },
  env: { valued: ["u", "C", "S", "unset", "chdir", "split-string"], assignments: true },
  nice: { valued: ["n", "adjustment"] },
  ionice: { valued: ["c", "n", "class", "classdata"] },
  time: { valued: ["f", "o", "format", "output"] },
  command: { valued: [], inert: ["v", "V"] },
  builtin: { valued: [] },
  exec: { valued: ["a"] },
  nohup: { valued: [] },
  eatmydata: { valued: [] },
  stdbuf: { valued: ["i", "o", "e", "input", "output", "error"] },
  timeout: { valued: ["k", "s", "kill-after", "signal"], operands: 1 },
  chroot: { valued: ["userspec", "groups"], operands: 1 },
  gosu: { valued: [], operands: 1 },
  "su-exec": { valued: [], operands: 1 },
  busybox: { valued: [] },
  python: PYTHON,
  python3: PYTHON,
};

const MAX_WRAPPERS = 8;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * The command a wrapper runs, as a command of its own: name and arguments from the wrapper's arguments, env's
 * assignments added, everything else (span end, pipeline, connector, context) the wrapper's; `wrapper` points to it.
 * undefined when cmd is no wrapper, runs nothing (`command -v x`), or has dynamic options.
 */
export function unwrapOnce(cmd: ShellCommand): ShellCommand | undefined {
  const spec = WRAPPERS[commandName(cmd) ?? ""];
  if (spec === undefined) return undefined;
  const args = cmd.args;
  const assignments: ShellAssignment[] = [];
  let operands = spec.operands ?? 0;
  let optionsDone = false;
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (word === undefined) continue;
    const v = word.value;
    if (v === undefined) return undefined;
    if (!optionsDone && v === "--") {
      optionsDone = true;
      continue;
    }
    if (!optionsDone && v.length > 1 && v[0] === "-") {
      if (v[1] === "-") {
        const eq = v.indexOf("=");
        const name = eq === -1 ? v.slice(2) : v.slice(2, eq);
        if (spec.inert?.includes(name) === true) return undefined;
        if (eq === -1 && spec.valued.includes(name)) i++;
        continue;
      }
      for (let k = 1; k < v.length; k++) {
        const letter = v[k] ?? "";
        if (spec.inert?.includes(letter) === true) return undefined;
        if (letter === spec.module) {
          // `python -m pip install x`: the module is the command, what follows its arguments.
          const attached = k + 1 < v.length;
          if (attached && word.text !== v) return undefined; // quoted `"-mpip"`: too rare to map
          const name = attached ? sliceWord(word, k + 1) : args[i + 1];
          if (name === undefined) return undefined;
          return inner(cmd, name, args.slice(attached ? i + 1 : i + 2), assignments);
        }
        if (spec.valued.includes(letter)) {
          if (k + 1 === v.length) i++;
          break;
        }
      }
      continue;
    }
    if (spec.assignments === true && operands === 0 && ASSIGNMENT.test(v)) {
      assignments.push(assignmentOf(word, v.slice(0, v.indexOf("="))));
      continue;
    }
    if (operands > 0) {
      operands--;
      continue;
    }
    if (spec.module !== undefined) return undefined; // `python script.py`: not a module run
    return inner(cmd, word, args.slice(i + 1), assignments);
  }
  return undefined;
}

function inner(wrapper: ShellCommand, name: ShellWord, args: ShellWord[], assignments: ShellAssignment[]): ShellCommand {
  return {
    ...wrapper,
    name,
    args,
    assignments: [...wrapper.assignments, ...assignments],
    span: { start: name.span.start, end: wrapper.span.end },
    wrapper,
  };
}

/** The command behind all wrappers (`sudo -E env X=1 nice apt-get ...` → `apt-get ...`); cmd itself if none. */
export function unwrap(cmd: ShellCommand): ShellCommand {
  let c = cmd;
  for (let i = 0; i < MAX_WRAPPERS; i++) {
    const next = unwrapOnce(c);
    if (next === undefined) return c;
    c = next;
  }
  return c;
}

const SHELLS: ReadonlySet<string> = new Set(["sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"]);

/**
 * For `sh -c 'script'` (behind any wrappers): the script word and whether `-o pipefail` was given. undefined for
 * a shell run without -c (a script file, stdin) or with options that are not static.
 */
export function shellInvocation(cmd: ShellCommand): { shell: string; script: ShellWord; pipefail: boolean } | undefined {
  const shell = unwrap(cmd);
  const name = commandName(shell);
  if (name === undefined || !SHELLS.has(name)) return undefined;
  const found = shellScriptArgument(shell.args.map((a) => a.value));
  const script = found === undefined ? undefined : shell.args[found.index];
  return found === undefined || script === undefined ? undefined : { shell: name, script, pipefail: found.pipefail };
}

/** Whether a program name (no directory) is a POSIX-style shell that takes `-c SCRIPT`. */
export function isShellName(name: string): boolean {
  return SHELLS.has(name);
}

/**
 * Where a shell's script is among its arguments (`-e -o pipefail -c SCRIPT`, `--login -c SCRIPT`), when `-c` is
 * given; and whether `-o pipefail` was. undefined values are words with expansions: nothing past them is known.
 */
export function shellScriptArgument(args: readonly (string | undefined)[]): { index: number; pipefail: boolean } | undefined {
  let dashC = false;
  let pipefail = false;
  for (let i = 0; i < args.length; i++) {
    const v = args[i];
    if (v === undefined) return undefined;
    if (v === "--" || v === "-") return dashC && i + 1 < args.length ? { index: i + 1, pipefail } : undefined;
    if (v.startsWith("--")) {
      if (v === "--rcfile" || v === "--init-file") i++;
      continue;
    }
    if (v.length > 1 && (v[0] === "-" || v[0] === "+")) {
      for (const letter of v.slice(1)) {
        if (letter === "c") dashC = true;
        else if (letter === "o" || letter === "O") {
          i++;
          if (letter === "o" && args[i] === "pipefail") pipefail = v[0] === "-";
        }
      }
      continue;
    }
    return dashC ? { index: i, pipefail } : undefined;
  }
  return undefined;
}

/**
 * A quick test that must pass for shellInvocation or shellHeredocInvocation to find a script: a `-c` in some
 * argument, or a heredoc. Most commands fail it, and are then not unwrapped twice.
 */
export function mayRunShellScript(cmd: ShellCommand): boolean {
  for (const r of cmd.redirects) if (r.heredoc !== undefined) return true;
  for (const a of cmd.args) {
    const v = a.value;
    if (v !== undefined && v.length > 1 && (v[0] === "-" || v[0] === "+") && v[1] !== "-" && v.includes("c")) return true;
  }
  return false;
}

/** Redirects of standard input: the last one is what a command reads. */
const STDIN_OPS: ReadonlySet<string> = new Set(["<", "<<", "<<-", "<<<", "<&", "<>"]);

/**
 * For a shell that reads its script from a heredoc (`bash <<EOF`, `<<EOF sh -e`, `sudo bash -s -- x <<EOF`): the
 * heredoc and whether `-o pipefail` was given. undefined for `sh -c`, a script file, options that are not static,
 * or when standard input is not a heredoc.
 */
export function shellHeredocInvocation(cmd: ShellCommand): { shell: string; heredoc: ShellHeredoc; pipefail: boolean } | undefined {
  const shell = unwrap(cmd);
  const name = commandName(shell);
  if (name === undefined || !SHELLS.has(name)) return undefined;
  let stdin: ShellHeredoc | undefined;
  for (const r of shell.redirects) {
    if (STDIN_OPS.has(r.op) && (r.descriptor === undefined || r.descriptor === 0)) stdin = r.heredoc;
  }
  if (stdin === undefined) return undefined;
  const args = shell.args;
  let fromStdin = false;
  let pipefail = false;
  for (let i = 0; i < args.length; i++) {
    const v = args[i]?.value;
    if (v === undefined) return undefined;
    if (v === "-") break;
    // After `--`, the first argument is a script file unless -s said to read standard input.
    if (v === "--") return fromStdin || i + 1 === args.length ? { shell: name, heredoc: stdin, pipefail } : undefined;
    if (v.startsWith("--")) {
      if (v === "--rcfile" || v === "--init-file") i++;
      continue;
    }
    if (v.length > 1 && (v[0] === "-" || v[0] === "+")) {
      for (const letter of v.slice(1)) {
        if (letter === "c") return undefined;
        if (letter === "s") fromStdin = true;
        else if (letter === "o" || letter === "O") {
          i++;
          if (letter === "o" && args[i]?.value === "pipefail") pipefail = v[0] === "-";
        }
      }
      continue;
    }
    if (!fromStdin) return undefined; // `bash script.sh`: the script is the file
    break;
  }
  return { shell: name, heredoc: stdin, pipefail };
}

/** Structures whose `set` does not reach the commands after them. */
const SCOPES: ReadonlySet<ShellContextKind> = new Set(["subshell", "substitution", "process-substitution", "function"]);

/**
 * What a `set` command does to pipefail: true for `set -o pipefail` (also bundled: `set -euxo pipefail`), false for
 * `set +o pipefail`, undefined when it does not touch it.
 */
export function pipefailSetting(cmd: ShellCommand): boolean | undefined {
  if (commandName(cmd) !== "set") return undefined;
  let result: boolean | undefined;
  const args = cmd.args;
  for (let i = 0; i < args.length; i++) {
    const v = args[i]?.value;
    if (v === undefined || v === "--" || v === "-") break;
    if (v.length < 2 || (v[0] !== "-" && v[0] !== "+")) break;
    let names = 0;
    for (const letter of v.slice(1)) if (letter === "o") names++;
    // Each `o` in the bundle takes the next argument as an option name.
    for (let k = 0; k < names; k++) {
      i++;
      if (args[i]?.value === "pipefail") result = v[0] === "-";
    }
  }
  return result;
}

/**
 * Whether pipefail is on when the pipeline runs: the script's starting state (or options.initially), changed by
 * the `set` commands before the pipeline that run in the same shell (not in a subshell, substitution, function or
 * pipeline of their own).
 */
export function pipefailInEffect(script: ShellScript, pipeline: ShellPipeline, options: { initially?: boolean } = {}): boolean {
  let on = options.initially ?? script.pipefail;
  const start = pipeline.span.start.offset;
  for (const cmd of script.commands) {
    if (cmd.span.start.offset >= start) break;
    if (cmd.pipeline !== undefined) continue;
    if (!cmd.within.every((c) => !SCOPES.has(c.kind) || pipeline.within.includes(c))) continue;
    const setting = pipefailSetting(cmd);
    if (setting !== undefined) on = setting;
  }
  return on;
}

/** How many command or process substitutions enclose a command: a pipeline stage's own commands are at its depth. */
export function substitutionDepth(cmd: ShellCommand): number {
  let n = 0;
  for (const c of cmd.within) if (c.kind === "substitution" || c.kind === "process-substitution") n++;
  return n;
}
