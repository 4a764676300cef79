// Which OS packages are still installed in the target image: the install and remove commands of apt, apk,
// yum/dnf/microdnf/tdnf and zypper in the RUNs of the stages the target is built FROM, replayed in build order.
// A removal later in that chain (`apt-get purge`, `apk del .build-deps`, `apt-mark auto` + autoremove, `dnf
// remove`) takes the package out. Build stages that are only copied from are not the image and are not read.
// Not a dependency resolver: only packages named on a command line are known.
import type { Instruction, RunInstruction } from "../dockerfile/ast.ts";
import { commandsOf, mayRunCommand } from "../dockerfile/query.ts";
import type { Stage, StageGraph } from "../dockerfile/stages.ts";
import type { ShellCommand, ShellWord } from "../shell/parse.ts";
import { commandName, flagValues, hasFlag, positionalArgs, subcommand, unwrap } from "../shell/query.ts";

export type PackageManager = "apt" | "apk" | "rpm" | "zypper";

/** A package named on an install command line that no later command removes. */
export interface InstalledPackage {
  manager: PackageManager;
  /** The package name without version, release or architecture ("gcc" of `gcc=4:12.2.0-3`). */
  name: string;
  /** The word on the command line, for the finding's span. */
  word: ShellWord;
  run: RunInstruction;
  stage: Stage;
}

/** What one command does to the installed set. */
export type PackageOperation =
  | { kind: "install"; manager: PackageManager; packages: { name: string; word: ShellWord }[]; group: string | undefined }
  | { kind: "remove"; manager: PackageManager; names: string[]; autoremove: boolean }
  | { kind: "autoremove"; manager: PackageManager }
  | { kind: "mark"; manager: PackageManager; auto: boolean; names: string[] | "all" };

const MANAGERS: Readonly<Record<string, PackageManager>> = {
  "apt-get": "apt", apt: "apt", aptitude: "apt", apk: "apk",
  yum: "rpm", dnf: "rpm", microdnf: "rpm", tdnf: "rpm", zypper: "zypper",
};

/** The commands packageOperation reads; a RUN that runs none of them changes nothing. */
const PACKAGE_TOOLS: readonly string[] = ["apt-mark", ...Object.keys(MANAGERS)];

const INSTALL: Readonly<Record<PackageManager, readonly string[]>> = {
  apt: ["install"],
  apk: ["add"],
  rpm: ["install", "groupinstall"],
  zypper: ["install", "in"],
};
const REMOVE: Readonly<Record<PackageManager, readonly string[]>> = {
  apt: ["remove", "purge"],
  apk: ["del"],
  rpm: ["remove", "erase", "autoremove", "groupremove"],
  zypper: ["remove", "rm"],
};

/** The effect of one command (seen through wrappers such as sudo) on installed packages; undefined for others. */
export function packageOperation(command: ShellCommand): PackageOperation | undefined {
  const cmd = unwrap(command);
  const tool = commandName(cmd);
  if (tool === "apt-mark") return aptMark(cmd);
  const manager = MANAGERS[tool ?? ""];
  if (manager === undefined) return undefined;
  const args = positionalArgs(cmd);
  let verb = subcommand(cmd)?.value;
  let rest = args.slice(1);
  // `dnf group install "Development Tools"`
  if (manager === "rpm" && verb === "group" && rest[0] !== undefined) {
    verb = `group${rest[0].value ?? ""}`;
    rest = rest.slice(1);
  }
  if (verb === undefined) return undefined;
  if (INSTALL[manager].includes(verb)) {
    const packages: { name: string; word: ShellWord }[] = [];
    for (const word of rest) {
      const name = word.value === undefined ? undefined : packageName(word.value, manager);
      if (name !== undefined) packages.push({ name, word });
    }
    const group = manager === "apk" ? flagValues(cmd, ["t", "virtual"]).at(-1) : undefined;
    return { kind: "install", manager, packages, group };
  }
  if (REMOVE[manager].includes(verb)) {
    const names = rest.flatMap((w) => (w.value === undefined ? [] : [packageName(w.value, manager) ?? w.value]));
    const autoremove = manager === "apt" && hasFlag(cmd, ["auto-remove", "autoremove"]);
    return { kind: "remove", manager, names, autoremove };
  }
  if (manager === "apt" && verb === "autoremove") return { kind: "autoremove", manager };
  return undefined;
}

// `apt-mark auto '.*'` (or any pattern, or a variable) marks every installed package as automatically installed;
// named packages mark only themselves. A later autoremove then takes the auto ones out.
function aptMark(cmd: ShellCommand): PackageOperation | undefined {
  const [verb, ...rest] = positionalArgs(cmd);
  if (verb?.value !== "auto" && verb?.value !== "manual") return undefined;
  const auto = verb.value === "auto";
  const names: string[] = [];
  for (const w of rest) {
    if (w.value === undefined || /[*?[\]^$.+]/.test(w.value)) return { kind: "mark", manager: "apt", auto, names: auto ? "all" : [] };
    names.push(w.value);
  }
  return { kind: "mark", manager: "apt", auto, names };
}

const RPM_ARCH = /\.(?:x86_64|aarch64|noarch|i[3-6]86|ppc64le|s390x|armv7hl)$/;

/**
 * The package's name without version, release or architecture; undefined for a file, URL or option-like word
 * (`./app.deb`, `https://.../x.rpm`).
 */
export function packageName(word: string, manager: PackageManager): string | undefined {
  if (word === "" || word.startsWith("-") || word.startsWith(".") || word.startsWith("/") || word.includes("://")) return undefined;
  let name = word;
  switch (manager) {
    case "apt":
      if (name.endsWith(".deb")) return undefined;
      name = beforeAny(beforeAny(name, "=/"), ":");
      break;
    case "apk":
      name = beforeAny(name, "=<>~@");
      break;
    case "rpm":
    case "zypper":
      if (name.endsWith(".rpm")) return undefined;
      name = name.split(/[<>=]/)[0]?.trim() ?? name;
      name = name.replace(RPM_ARCH, "").replace(/-\d[\w.:~^+]*(?:-[\w.:~^+]+)?$/, "");
      break;
  }
  return name === "" ? undefined : name.toLowerCase();
}

/** The text before the first of the characters (all of it when none occurs): `split(/[chars]/)[0]` without the array. */
function beforeAny(text: string, chars: string): string {
  for (let i = 0; i < text.length; i++) if (chars.includes(text.charAt(i))) return text.slice(0, i);
  return text;
}

// The last file's answer: rules run one file at a time. (Not a WeakMap by graph: V8's minor GC keeps such
// per-file entries alive, and with them every file's model.)
let cachedGraph: StageGraph | undefined;
let cachedPackages: readonly InstalledPackage[] | undefined;

/**
 * Packages installed in the stages of the target chain (ONBUILD RUNs included: images built FROM this one run
 * them) that no later command of the chain removes, in source order. Computed once per stage graph.
 */
export function packagesInTargetImage(stages: StageGraph): readonly InstalledPackage[] {
  if (stages !== cachedGraph || cachedPackages === undefined) {
    cachedPackages = replay(stages);
    cachedGraph = stages;
  }
  return cachedPackages;
}

function replay(stages: StageGraph): InstalledPackage[] {
  let installed: InstalledPackage[] = [];
  // The apk `--virtual` group each package was added with, for those added with one (rare).
  const groups = new Map<InstalledPackage, string>();
  const auto = new Set<InstalledPackage>();
  const remove = (gone: (r: InstalledPackage) => boolean): void => {
    installed = installed.filter((r) => {
      if (!gone(r)) return true;
      auto.delete(r);
      return false;
    });
  };
  for (const stage of [...stages.targetChain].reverse()) {
    for (const inst of stage.instructions) {
      const run = runOf(inst);
      if (run === undefined || !mayRunCommand(run, PACKAGE_TOOLS)) continue;
      for (const cmd of commandsOf(run)) {
        const op = packageOperation(cmd);
        if (op === undefined) continue;
        switch (op.kind) {
          case "install":
            for (const p of op.packages) {
              const pkg: InstalledPackage = { manager: op.manager, name: p.name, word: p.word, run, stage };
              installed.push(pkg);
              if (op.group !== undefined) groups.set(pkg, op.group);
            }
            break;
          case "remove": {
            const patterns = op.names.map(globMatcher);
            remove((r) => {
              if (r.manager !== op.manager) return false;
              const group = groups.get(r);
              return patterns.some((re) => re.test(r.name) || (group !== undefined && re.test(group)));
            });
            if (op.autoremove) remove((r) => auto.has(r));
            break;
          }
          case "autoremove":
            remove((r) => auto.has(r));
            break;
          case "mark":
            for (const r of installed) {
              if (r.manager !== "apt" || (op.names !== "all" && !op.names.includes(r.name))) continue;
              if (op.auto) auto.add(r);
              else auto.delete(r);
            }
            break;
        }
      }
    }
  }
  return installed;
}

function runOf(inst: Instruction): RunInstruction | undefined {
  if (inst.kind === "run") return inst;
  if (inst.kind === "onbuild" && inst.inner?.kind === "run") return inst.inner;
  return undefined;
}

// Package managers accept globs in removals (`apt-get purge 'gcc-*'`, `dnf remove '*-devel'`).
function globMatcher(glob: string): { test(name: string): boolean } {
  const lower = glob.toLowerCase();
  // Without `*` or `?` the pattern is the name itself (most removals): no RegExp to build.
  if (!lower.includes("*") && !lower.includes("?")) return { test: (name) => name === lower };
  const body = lower.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`, "s");
}
