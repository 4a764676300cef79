// What BuildKit's dispatcher knows of variables when it runs each instruction, for the BuildKit checks that
// expand words (UndefinedVar, UndefinedArgInFrom, WorkdirRelativePath, CopyIgnoredFile, EXPOSE, ...).
// It differs from the stage graph's scopes where BuildKit does: a stage built FROM another stage inherits that
// stage's whole state, its ARG values and declarations included; PATH is always set; an ARG without a value is
// declared (never "undefined") but not in the environment; and FROM sees the predefined platform ARGs.
import type { Span } from "../core/finding.ts";
import type { DockerfileContext } from "../core/rule.ts";
import type { ArgInstruction, EscapeToken, Instruction, Word } from "../dockerfile/ast.ts";
import { expandWord, expandWords, type ExpandEnv } from "../dockerfile/expand.ts";
import { instructionsOfKind, stageInstructionsOfKind } from "../dockerfile/query.ts";
import type { StageGraph } from "../dockerfile/stages.ts";
import { isIPv4, isIPv6 } from "../labels/validators.ts";

/** The PATH BuildKit sets when the image has none (scratch, and images we cannot see). */
export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/**
 * BuildKit's predefined ARGs, as a build on a linux/amd64 machine for linux/amd64 sets them (the values are the
 * builder's: linting assumes the common case). TARGETSTAGE is filled in per build.
 */
export const PREDEFINED_ARGS: readonly (readonly [string, string])[] = [
  ["BUILDPLATFORM", "linux/amd64"], ["BUILDOS", "linux"], ["BUILDOSVERSION", ""], ["BUILDARCH", "amd64"], ["BUILDVARIANT", ""],
  ["TARGETPLATFORM", "linux/amd64"], ["TARGETOS", "linux"], ["TARGETOSVERSION", ""], ["TARGETARCH", "amd64"], ["TARGETVARIANT", ""],
  ["TARGETSTAGE", "default"],
];

/** ARGs BuildKit never puts in the environment nor reports as undefined. */
export const NON_ENV_ARGS: ReadonlySet<string> = new Set(["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"]);

/** Variables at one point of the build. */
export interface DispatchScope {
  /** The environment, in BuildKit's key order (by last assignment). */
  readonly env: ReadonlyMap<string, string>;
  /** ARG names declared so far (in the stage or the stages it is built FROM); an ARG is never undefined. */
  readonly args: ReadonlySet<string>;
}

export interface GlobalScope extends DispatchScope {
  /** Every global ARG name, with or without a value (BuildKit's outline of all ARGs). */
  readonly declared: ReadonlySet<string>;
}

export interface DispatchEnv {
  /** The global scope FROM lines are expanded in: predefined ARGs, then the global ARGs with values. */
  readonly global: GlobalScope;
  /** The scope an instruction of a stage runs in (before its own effect); undefined outside stages. */
  at(inst: Instruction): DispatchScope | undefined;
  /** The scope the n-th declaration of an ARG runs in: the earlier ones of the same ARG are visible. */
  atDeclaration(inst: ArgInstruction, index: number): DispatchScope | undefined;
}

// The last file's environment: rules run one file at a time. (Not a WeakMap by graph: V8's minor GC keeps such
// per-file entries alive, and with them every file's model.)
let cachedGraph: StageGraph | undefined;
let cachedEnv: DispatchEnv | undefined;

/** The dispatch environment of the whole file, computed once per stage graph and shared by every rule. */
export function dispatchEnv(ctx: DockerfileContext): DispatchEnv {
  const graph = ctx.stages;
  if (graph !== cachedGraph || cachedEnv === undefined) {
    cachedEnv = computeDispatchEnv(graph, ctx.model.escapeToken);
    cachedGraph = graph;
  }
  return cachedEnv;
}

class Scope implements DispatchScope {
  readonly env: Map<string, string>;
  readonly args: Set<string>;

  constructor(env: Map<string, string> = new Map(), args: Set<string> = new Set()) {
    this.env = env;
    this.args = args;
  }

  copy(): Scope {
    return new Scope(new Map(this.env), new Set(this.args));
  }

  /** llb's EnvList.AddOrReplace: the key moves to the end. */
  set(name: string, value: string): void {
    this.env.delete(name);
    this.env.set(name, value);
  }
}

function computeDispatchEnv(graph: StageGraph, escapeToken: EscapeToken): DispatchEnv {
  const global = new Scope();
  const targetName = graph.stages[graph.stages.length - 1]?.name;
  for (const [name, value] of PREDEFINED_ARGS) {
    global.set(name, name === "TARGETSTAGE" ? (graph.target?.name ?? targetName ?? "default") : value);
  }
  const declared = new Set<string>();
  for (const inst of graph.globalArgs) {
    for (const d of inst.declarations) {
      declared.add(d.name.value);
      if (d.value !== undefined) global.set(d.name.value, expandIn(global, d.value.value, escapeToken).value);
    }
  }
  const globalScope: GlobalScope = { env: global.env, args: new Set(), declared };

  const scopes = new Map<Instruction, Scope>();
  const declarationScopes = new Map<ArgInstruction, Scope[]>();
  const finalScopes: Scope[] = [];
  const imageKeys: string[][] = [];
  for (const stage of graph.stages) {
    let scope: Scope;
    let keys: string[];
    const baseIndex = stage.base.kind === "stage" ? stage.base.index : -1;
    const base = finalScopes[baseIndex];
    if (base !== undefined) {
      // The base stage's state, then its image config's ENV set again (which moves those keys to the end).
      scope = base.copy();
      keys = [...(imageKeys[baseIndex] ?? [])];
      for (const k of keys) {
        const v = base.env.get(k);
        if (v !== undefined) scope.set(k, v);
      }
    } else {
      scope = new Scope();
      scope.set("PATH", DEFAULT_PATH);
      keys = ["PATH"];
    }
    // Copy on write: instructions get the scope itself, and it is copied before the first change after that, so
    // the instructions between two that change it share one copy (and the last ones of a stage need none).
    let shared = false;
    const writable = (): Scope => {
      if (shared) {
        scope = scope.copy();
        shared = false;
      }
      return scope;
    };
    for (const inst of stage.instructions) {
      scopes.set(inst, scope);
      shared = true;
      if (inst.kind === "env") {
        const before = scope;
        for (const pair of inst.pairs) {
          const key = expandIn(before, pair.key.value, escapeToken).value;
          writable().set(key, expandIn(before, pair.value.value, escapeToken).value);
          if (!keys.includes(key)) keys.push(key);
        }
      } else if (inst.kind === "arg") {
        const perDeclaration: Scope[] = [];
        for (const d of inst.declarations) {
          perDeclaration.push(scope);
          shared = true;
          const name = d.name.value;
          let value: string | undefined;
          if (d.value !== undefined) value = expandIn(scope, d.value.value, escapeToken).value;
          else value = global.env.get(name);
          const target = writable();
          if (value !== undefined && !NON_ENV_ARGS.has(name)) target.set(name, value);
          target.args.add(name);
        }
        declarationScopes.set(inst, perDeclaration);
      }
    }
    finalScopes.push(scope);
    imageKeys.push(keys);
  }
  return {
    global: globalScope,
    at: (inst) => scopes.get(inst),
    atDeclaration: (inst, index) => declarationScopes.get(inst)?.[index],
  };
}

export interface DispatchReference {
  name: string;
  /** [start, end) of `$NAME` / `${...}` in the text. */
  start: number;
  end: number;
  /** Set in the environment (BuildKit's "matched"). */
  set: boolean;
}

export interface DispatchExpansion {
  value: string;
  /** The value split into words (only when asked for). */
  words: string[];
  references: DispatchReference[];
}

export interface ExpandOptions {
  escapeToken: EscapeToken;
  /** BuildKit's ProcessWords: also split the result into words. */
  words?: boolean;
  /** Quotes are ordinary characters (BuildKit's raw expansion of COPY/ADD heredocs). */
  skipProcessQuotes?: boolean;
}

// Characters BuildKit's word lexer treats specially (both escape tokens, and a byte order mark it drops).
const MAY_EXPAND = /[$<'"\\`\uFEFF]/;
// Printable ASCII without blanks: never split into several words.
const PLAIN_WORD = /^[\x21-\x7e]*$/;

/** Expands text in a scope as BuildKit's shell lexer does; undefined when BuildKit would fail to expand it. */
export function expandInScope(scope: DispatchScope, text: string, options: ExpandOptions): DispatchExpansion | undefined {
  // Nothing to expand, unquote or unescape (most words): the text is its value, and one word when it has no blank.
  if (!MAY_EXPAND.test(text)) {
    if (options.words !== true) return { value: text, words: [], references: [] };
    if (PLAIN_WORD.test(text)) return { value: text, words: text === "" ? [] : [text], references: [] };
  }
  const env: ExpandEnv = { get: (name) => scope.env.get(name) };
  const lexOptions = { escapeToken: options.escapeToken, skipProcessQuotes: options.skipProcessQuotes === true };
  try {
    if (options.words === true) {
      const e = expandWords(text, env, lexOptions);
      return { value: e.value, words: e.words, references: e.references };
    }
    const e = expandWord(text, env, lexOptions);
    return { value: e.value, words: [], references: e.references };
  } catch {
    return undefined;
  }
}

function expandIn(scope: DispatchScope, text: string, escapeToken: EscapeToken): { value: string } {
  return expandInScope(scope, text, { escapeToken }) ?? { value: text };
}

/**
 * The span of [start, end) of a word's value when the value is exactly the word's source text (no quotes
 * removed, no line continuation inside); otherwise the whole word, which is the most precise we know.
 */
export function spanInWord(ctx: DockerfileContext, word: Word, start: number, end: number): Span {
  const from = word.span.start.offset;
  if (ctx.model.source.text.slice(from, word.span.end.offset) !== word.value) return word.span;
  return ctx.model.source.span(from + start, from + end);
}

/** util/suggest.Search as BuildKit calls it: the closest option under edit distance 3, none on an exact match. */
export function suggestName(value: string, options: Iterable<string>, caseSensitive = true): string | undefined {
  const needle = caseSensitive ? value : value.toLowerCase();
  const needleLength = codePointLength(needle);
  let match: string | undefined;
  let best = 3;
  for (const option of options) {
    const candidate = caseSensitive ? option : option.toLowerCase();
    if (candidate === needle) return undefined;
    // The distance is at least the difference in length: most names are too long or too short to be closer.
    if (Math.abs(codePointLength(candidate) - needleLength) >= best) continue;
    const distance = levenshtein(needle, candidate);
    if (distance < best) {
      match = caseSensitive ? option : matchCase(candidate, value);
      best = distance;
    }
  }
  return match;
}

function matchCase(value: string, original: string): string {
  if (original === original.toLowerCase()) return value.toLowerCase();
  if (original === original.toUpperCase()) return value.toUpperCase();
  return value;
}

// A UTF-16 surrogate: the string has code points of two code units.
const SURROGATE = /[\uD800-\uDFFF]/;

function codePointLength(text: string): number {
  return SURROGATE.test(text) ? Array.from(text).length : text.length;
}

/** Edit distance over code points, each insertion, deletion and substitution costing 1 (agext/levenshtein). */
export function levenshtein(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return unitLevenshtein(a, b);
  const s = Array.from(a);
  const t = Array.from(b);
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      row.push(Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = row;
  }
  return previous[t.length] ?? 0;
}

/** levenshtein for strings without surrogates, where code units are code points: one row of numbers, reused. */
function unitLevenshtein(a: string, b: string): number {
  const row = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) row[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0; // the previous row's value at j - 1
    row[0] = i;
    const c = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      const cost = c === b.charCodeAt(j - 1) ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

export interface PortSpec {
  /** The port as written (after expansion): what BuildKit's messages quote. */
  raw: string;
  ip: string;
  hostPort: string;
  /** The container port or range, without the protocol. */
  port: string;
  /** The protocol as written; "tcp" when none was. */
  proto: string;
}

/**
 * BuildKit's EXPOSE port parsing up to where its checks run: `[ip:][hostPort:]port[/proto]`. undefined where
 * BuildKit stops with an error before checking (no port, or a protocol other than tcp, udp or sctp).
 */
export function parsePortSpec(raw: string): PortSpec | undefined {
  const parts = raw.split(":");
  const containerPort = parts[parts.length - 1] ?? "";
  const hostPort = parts.length >= 2 ? (parts[parts.length - 2] ?? "") : "";
  const ip = parts.length >= 3 ? parts.slice(0, -2).join(":") : "";
  const slash = containerPort.indexOf("/");
  const port = slash === -1 ? containerPort : containerPort.slice(0, slash);
  const proto = slash === -1 ? "" : containerPort.slice(slash + 1);
  if (port === "") return undefined;
  if (!["", "tcp", "udp", "sctp"].includes(proto.toLowerCase())) return undefined;
  return { raw, ip, hostPort, port, proto: proto === "" ? "tcp" : proto };
}

/**
 * Whether BuildKit accepts the rest of a port spec after its checks ran (IP address, port numbers, ranges):
 * when it does not, the build stops there and later ports of the instruction are never looked at.
 */
export function portSpecIsValid(spec: PortSpec): boolean {
  let ip = spec.ip;
  if (ip.startsWith("[")) {
    if (!ip.endsWith("]")) return false;
    ip = ip.slice(1, -1);
  }
  // Go's net.ParseIP: dotted IPv4 without leading zeros, or IPv6 text form.
  if (ip !== "" && !isIPv4(ip) && !isIPv6(ip)) return false;
  const container = portRange(spec.port);
  if (container === undefined) return false;
  if (spec.hostPort !== "") {
    const host = portRange(spec.hostPort);
    if (host === undefined) return false;
    if (container[1] - container[0] !== host[1] - host[0] && container[1] !== container[0]) return false;
  }
  return true;
}

// parsePortRange: "8000" or "8000-9000", each 0..65535 as Go's strconv.ParseInt reads them (a sign is allowed).
function portRange(text: string): [number, number] | undefined {
  if (text === "") return undefined;
  const dash = text.indexOf("-");
  const start = portNumber(dash === -1 ? text : text.slice(0, dash));
  if (start === undefined) return undefined;
  if (dash === -1) return [start, start];
  const endText = text.slice(dash + 1);
  if (endText === text.slice(0, dash)) return [start, start];
  const end = portNumber(endText);
  if (end === undefined || end < start) return undefined;
  return [start, end];
}

function portNumber(text: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 0 && n <= 65535 ? n : undefined;
}

/**
 * Whether every variable of the instruction's stage is known when linting: only when the stage is built on
 * scratch (directly or through other stages). An image pulled from a registry may set ENV we cannot see.
 */
export function environmentFullyKnown(ctx: DockerfileContext, inst: Instruction): boolean {
  const stage = ctx.stages.stageOf(inst);
  if (stage === undefined) return false;
  const chain = ctx.stages.baseChain(stage);
  return chain[chain.length - 1]?.base.kind === "scratch";
}

export interface ExposedPort {
  /** The EXPOSE argument the port came from (one argument can expand to several ports). */
  word: Word;
  spec: PortSpec;
}

/**
 * The ports of every EXPOSE in the stages, expanded and split as BuildKit does, up to where BuildKit would stop
 * the instruction with an error (a later port of that instruction is then never checked).
 */
export function exposedPorts(ctx: DockerfileContext): readonly ExposedPort[] {
  if (instructionsOfKind(ctx.model, "expose").length === 0) return [];
  // Two rules read them: worked out once per file (the last file's, as rules run one file at a time).
  if (ctx.stages !== portsGraph || cachedPorts === undefined) {
    cachedPorts = findExposedPorts(ctx);
    portsGraph = ctx.stages;
  }
  return cachedPorts;
}

let portsGraph: StageGraph | undefined;
let cachedPorts: readonly ExposedPort[] | undefined;

function findExposedPorts(ctx: DockerfileContext): ExposedPort[] {
  const out: ExposedPort[] = [];
  const env = dispatchEnv(ctx);
  for (const stage of ctx.stages.stages) {
    for (const inst of stageInstructionsOfKind(stage, "expose")) {
      const scope = env.at(inst);
      if (scope === undefined) continue;
      const expanded: { word: Word; ports: string[] }[] = [];
      let failed = false;
      for (const word of inst.items) {
        const e = expandInScope(scope, word.value, { escapeToken: ctx.model.escapeToken, words: true });
        if (e === undefined) {
          failed = true;
          break;
        }
        expanded.push({ word, ports: e.words });
      }
      if (failed) continue;
      portsOfInstruction: for (const { word, ports } of expanded) {
        for (const raw of ports) {
          const spec = parsePortSpec(raw);
          if (spec === undefined) break portsOfInstruction;
          out.push({ word, spec });
          if (!portSpecIsValid(spec)) break portsOfInstruction;
        }
      }
    }
  }
  return out;
}
