// The stage graph: stages, their names and bases, what each depends on (FROM <stage>, COPY --from,
// RUN --mount=from=), which stages end up in the target image, and the ARG/ENV scope at every instruction.
import type { ArgInstruction, Dockerfile, FromInstruction, Instruction } from "./ast.ts";
import { expandWord, type ExpandEnv, type Expansion } from "./expand.ts";

/** BuildKit defines these for every build; in a stage they still need an `ARG NAME` to be visible. */
export const PLATFORM_ARGS: readonly string[] = [
  "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT", "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
];
/** Predefined ARGs usable in RUN without a declaration (Dockerfile reference, "Predefined ARGs"). */
export const PROXY_ARGS: readonly string[] = [
  "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy",
  "ALL_PROXY", "all_proxy",
];

export type StageBase =
  | { kind: "scratch" }
  | { kind: "stage"; index: number }
  | { kind: "image"; ref: string };

export interface Stage {
  index: number;
  from: FromInstruction;
  /** The stage name as written after AS (BuildKit compares names case-insensitively). */
  name: string | undefined;
  /** The base image reference after ARG expansion. */
  image: string;
  base: StageBase;
  /** The instructions after FROM up to the next FROM (ONBUILD wrappers included, not unwrapped). */
  instructions: Instruction[];
  /** Stages this one reads from: its base stage, COPY --from, RUN --mount from=. */
  dependsOn: ReadonlySet<number>;
}

/** A variable visible at an instruction. value undefined: declared by `ARG NAME` without a default. */
export interface Variable {
  name: string;
  value: string | undefined;
  from: "arg" | "env" | "global-arg";
}

export interface StageGraph {
  globalArgs: ArgInstruction[];
  stages: Stage[];
  /** The stage built by default (the last), or the one named by the target option. */
  target: Stage | undefined;
  /** Stages whose result reaches the target image (the target and everything it depends on). */
  reachable: ReadonlySet<number>;
  /** The target and the stages it is built FROM, in order from the target down: config like USER is inherited along it. */
  targetChain: Stage[];
  stageByName(name: string): Stage | undefined;
  /** The stage, then the stage it is built FROM, and so on down to an image or scratch (one shared array per stage: do not modify it). */
  baseChain(stage: Stage): Stage[];
  /** The stage an instruction belongs to (an ONBUILD's inner instruction: its wrapper's). */
  stageOf(inst: Instruction): Stage | undefined;
  /** Variables visible when the instruction runs (before its own effect). */
  scope(inst: Instruction): ReadonlyMap<string, Variable>;
  /** Expands a word as BuildKit would at this instruction; unset variables expand to "". */
  expand(inst: Instruction, word: string): Expansion;
}

export interface StageOptions {
  /** Build target (a stage name); default: the last stage. */
  target?: string;
  /** --build-arg values, which override ARG defaults. */
  buildArgs?: Readonly<Record<string, string>>;
}

type Scope = Map<string, Variable>;

/** The scope before any ARG: the platform ARGs, declared without a value. Shared, never written (copy on write). */
const PLATFORM_SCOPE: Scope = new Map(PLATFORM_ARGS.map((name) => [name, { name, value: undefined, from: "global-arg" }]));

// Characters BuildKit's word lexer treats specially (both escape tokens, and a byte order mark it drops).
const MAY_EXPAND = /[$<'"\\`\uFEFF]/;

export function buildStageGraph(model: Dockerfile, options: StageOptions = {}): StageGraph {
  const escapeToken = model.escapeToken;
  const buildArgs = options.buildArgs ?? {};
  const globalArgs: ArgInstruction[] = [];
  const stages: Stage[] = [];
  const scopes = new Map<Instruction, Scope>();
  const stageOfInst = new Map<Instruction, Stage>();
  const byName = new Map<string, Stage>();
  const stageScopes: Scope[] = [];

  const envOf = (scope: Scope): ExpandEnv => ({ get: (name) => scope.get(name)?.value });
  const expandIn = (scope: Scope, word: string): Expansion => {
    // Nothing to expand, unquote or unescape: the word is its value (most words of a Dockerfile).
    if (!MAY_EXPAND.test(word)) return { value: word, references: [] };
    try {
      return expandWord(word, envOf(scope), { escapeToken });
    } catch {
      // A bad substitution is a rule's business (it reads the error itself); scope building goes on.
      return { value: word, references: [] };
    }
  };
  // Many rules expand the same words at the same instructions; scopes are shared between instructions, so the
  // cache is per scope. Expansions are read-only values, so one object serves every caller.
  const expansions = new Map<Scope, Map<string, Expansion>>();
  const expandCached = (scope: Scope, word: string): Expansion => {
    if (!MAY_EXPAND.test(word)) return { value: word, references: [] };
    let inScope = expansions.get(scope);
    if (inScope === undefined) {
      inScope = new Map();
      expansions.set(scope, inScope);
    }
    let e = inScope.get(word);
    if (e === undefined) {
      e = expandIn(scope, word);
      inScope.set(word, e);
    }
    return e;
  };

  // Scopes are copied on write: instructions between two ARG/ENV share one map (and files without a global
  // ARG share the platform scope).
  const globalValues = new Map<string, string | undefined>();
  let globalScope: Scope = PLATFORM_SCOPE;
  let current: { stage: Stage; scope: Scope; deps: Set<number> } | undefined;

  const declareArg = (inst: ArgInstruction, before: Scope, from: Variable["from"]): Scope => {
    const scope = new Map(before);
    for (const d of inst.declarations) {
      const name = d.name.value;
      let value: string | undefined;
      // Every value of one instruction is expanded with the scope before it, as BuildKit does.
      if (d.value !== undefined) value = expandIn(before, d.value.value).value;
      else if (from === "arg") value = globalValues.get(name);
      if (Object.hasOwn(buildArgs, name)) value = buildArgs[name];
      scope.set(name, { name, value, from });
      if (from === "global-arg") globalValues.set(name, value);
    }
    return scope;
  };
  for (const inst of model.instructions) {
    const kind = inst.kind;
    if (kind === "from") {
      const imageText = inst.image?.value ?? "";
      const image = expandIn(globalScope, imageText).value;
      const name = inst.stageName?.value;
      const lower = image.toLowerCase();
      const baseStage = byName.get(lower);
      const deps = new Set<number>();
      const base: StageBase = baseStage !== undefined
        ? { kind: "stage", index: baseStage.index }
        : lower === "scratch" ? { kind: "scratch" } : { kind: "image", ref: image };
      if (baseStage !== undefined) deps.add(baseStage.index);
      const stage: Stage = { index: stages.length, from: inst, name, image, base, instructions: [], dependsOn: deps };
      // A stage starts with its base stage's ENV (ARGs do not carry over).
      const scope: Scope = new Map();
      if (baseStage !== undefined) {
        for (const v of stageScopes[baseStage.index]?.values() ?? []) if (v.from === "env") scope.set(v.name, v);
      }
      scopes.set(inst, globalScope);
      stageOfInst.set(inst, stage);
      stages.push(stage);
      if (name !== undefined && !byName.has(name.toLowerCase())) byName.set(name.toLowerCase(), stage);
      stageScopes.push(scope);
      current = { stage, scope, deps };
      continue;
    }
    if (current === undefined) {
      scopes.set(inst, globalScope);
      if (kind === "arg") {
        globalArgs.push(inst);
        globalScope = declareArg(inst, globalScope, "global-arg");
      }
      continue;
    }
    const { stage, deps } = current;
    stage.instructions.push(inst);
    stageOfInst.set(inst, stage);
    scopes.set(inst, current.scope);
    // ONBUILD (its own kind) changes nothing in this build.
    if (inst.kind === "arg") current.scope = declareArg(inst, current.scope, "arg");
    else if (inst.kind === "env") {
      const scope = new Map(current.scope);
      for (const p of inst.pairs) {
        const value = expandIn(current.scope, p.value.value).value;
        scope.set(p.key.value, { name: p.key.value, value, from: "env" });
      }
      current.scope = scope;
    }
    stageScopes[stage.index] = current.scope;
    if (kind === "copy" || kind === "add" || kind === "run") {
      for (const ref of stageReferences(inst)) {
        const dep = resolveStageRef(ref, byName, stage.index);
        if (dep !== undefined) deps.add(dep);
      }
    }
  }

  const target = options.target === undefined ? stages[stages.length - 1] : byName.get(options.target.toLowerCase());
  const reachable = new Set<number>();
  const visit = (i: number): void => {
    if (reachable.has(i)) return;
    reachable.add(i);
    for (const d of stages[i]?.dependsOn ?? []) visit(d);
  };
  if (target !== undefined) visit(target.index);
  // Bases always name earlier stages, so the chain ends. Rules ask for the same chains again and again.
  const chains = new Map<Stage, Stage[]>();
  const baseChain = (stage: Stage): Stage[] => {
    let chain = chains.get(stage);
    if (chain === undefined) {
      chain = [];
      for (let s: Stage | undefined = stage; s !== undefined; s = s.base.kind === "stage" ? stages[s.base.index] : undefined) chain.push(s);
      chains.set(stage, chain);
    }
    return chain;
  };
  const targetChain = target === undefined ? [] : baseChain(target);

  const scopeOf = (inst: Instruction): Scope => {
    const outer = inst.parent ?? inst;
    return scopes.get(outer) ?? globalScope;
  };
  return {
    globalArgs,
    stages,
    target,
    reachable,
    targetChain,
    stageByName: (name) => byName.get(name.toLowerCase()),
    baseChain,
    stageOf: (inst) => stageOfInst.get(inst.parent ?? inst),
    scope: scopeOf,
    expand: (inst, word) => expandCached(scopeOf(inst), word),
  };
}

/** Stage names or indexes an instruction reads from: COPY --from=x, RUN --mount=...,from=x. */
export function stageReferences(inst: Instruction): string[] {
  const refs: string[] = [];
  if (inst.kind === "copy" || inst.kind === "add") {
    for (const f of inst.flags) if (f.name === "from" && f.value !== undefined) refs.push(f.value);
  }
  if (inst.kind === "run") {
    for (const f of inst.flags) {
      if (f.name !== "mount" || f.value === undefined) continue;
      for (const field of f.value.split(",")) {
        const eq = field.indexOf("=");
        if (eq !== -1 && field.slice(0, eq).trim().toLowerCase() === "from") refs.push(field.slice(eq + 1).trim());
      }
    }
  }
  return refs;
}

/** A stage name (any case) or the index of an earlier stage; anything else is an image reference. */
export function resolveStageRef(ref: string, byName: ReadonlyMap<string, Stage>, before: number): number | undefined {
  const named = byName.get(ref.toLowerCase());
  if (named !== undefined && named.index < before) return named.index;
  if (/^\d+$/.test(ref)) {
    const n = Number(ref);
    if (n < before) return n;
  }
  return undefined;
}
