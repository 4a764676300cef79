// Inline suppressions written in a Dockerfile: hadolint's and drydock's `ignore=` comments and BuildKit's
// `# check=` directive. Read from the model once per file; applied by the policy after every rule has run.
import type { Finding, RuleInfo, Span } from "./finding.ts";
import type { Comment, Directive, Instruction } from "../dockerfile/ast.ts";

/** Tools whose ids may be written bare: `DL3008` means `hadolint:DL3008`, `JSONArgsRecommended` `buildkit:...`. */
const BARE_ALIAS_PREFIXES: readonly string[] = ["hadolint:", "buildkit:", "dockle:"];

/**
 * Whether a reference written by a user (config, CLI, pragma) names a rule: its id or any alias, case-sensitively;
 * hadolint and BuildKit names also without their prefix, and with a prefix in front of our id.
 */
export function refersToRule(ref: string, rule: { id: string; aliases: readonly string[] }): boolean {
  if (ref === rule.id || rule.aliases.includes(ref)) return true;
  const bare = stripBarePrefix(ref);
  if (bare !== undefined && bare === rule.id) return true;
  return bare === undefined && rule.aliases.some((alias) => stripBarePrefix(alias) === ref);
}

function stripBarePrefix(name: string): string | undefined {
  const prefix = BARE_ALIAS_PREFIXES.find((p) => name.startsWith(p));
  return prefix === undefined ? undefined : name.slice(prefix.length);
}

/** The parts of the Dockerfile model pragmas are read from. */
export interface PragmaSource {
  comments: readonly Pick<Comment, "text" | "span">[];
  instructions: readonly Pick<Instruction, "kind" | "span" | "endLine">[];
  directives: readonly Pick<Directive, "name" | "value" | "span">[];
}

/**
 * next: the instruction after the comment; stage: from that instruction to the end of its build stage
 * (hadolint's `stage ignore=`); global: the whole file.
 */
export type PragmaScope = "next" | "stage" | "global";

export interface IgnorePragma {
  tool: "hadolint" | "drydock";
  scope: PragmaScope;
  /** Rule references as written (ids or aliases). */
  rules: readonly string[];
  /** The comment. */
  span: Span;
  /** The lines covered, inclusive; Infinity when the range runs to the end of the file. */
  fromLine: number;
  toLine: number;
}

/** BuildKit's `# check=skip=...;error=true;experimental=...` directive. */
export interface CheckDirective {
  skipAll: boolean;
  skip: readonly string[];
  /** Report BuildKit check violations as errors. */
  error: boolean;
  experimentalAll: boolean;
  experimental: readonly string[];
  span: Span;
}

/** A pragma that could not be understood: reported, never fatal. */
export interface PragmaWarning {
  message: string;
  span: Span;
}

export interface Pragmas {
  ignores: readonly IgnorePragma[];
  check: CheckDirective | undefined;
  warnings: readonly PragmaWarning[];
}

export const NO_PRAGMAS: Pragmas = { ignores: [], check: undefined, warnings: [] };

export function pragmasOf(model: PragmaSource): Pragmas {
  const ignores: IgnorePragma[] = [];
  const warnings: PragmaWarning[] = [];
  for (const comment of model.comments) {
    const parsed = parseIgnoreComment(comment.text);
    if (parsed === undefined) continue;
    if ("problem" in parsed) {
      warnings.push({ message: parsed.problem, span: comment.span });
      continue;
    }
    const lines = coveredLines(parsed.scope, comment.span.start.line, model.instructions);
    if (lines === undefined) {
      warnings.push({ message: `"# ${comment.text}" is followed by no instruction, so it suppresses nothing`, span: comment.span });
      continue;
    }
    ignores.push({ ...parsed, span: comment.span, ...lines });
  }
  const directive = model.directives.find((d) => d.name.toLowerCase() === "check");
  const check = directive === undefined ? undefined : parseCheckDirective(directive.value, directive.span, warnings);
  return { ignores, check, warnings };
}

// `hadolint ignore=DL3008,DL3009`, `drydock global ignore = X, Y # why`, `hadolint stage ignore=...`
const IGNORE_PRAGMA = /^(hadolint|drydock)[ \t]+(?:(global|stage)[ \t]+)?ignore\b(.*)$/;
const RULE_WORD = /^[A-Za-z0-9][A-Za-z0-9:._/-]*$/;

type ParsedIgnore = { tool: "hadolint" | "drydock"; scope: PragmaScope; rules: string[] } | { problem: string };

/** undefined for an ordinary comment; a problem for one that looks like an ignore pragma but is malformed. */
export function parseIgnoreComment(text: string): ParsedIgnore | undefined {
  const match = IGNORE_PRAGMA.exec(text);
  if (match === null) return undefined;
  const [, tool, scopeWord, tail = ""] = match;
  const assignment = /^[ \t]*=(.*)$/.exec(tail);
  const list = assignment?.[1]?.split("#")[0] ?? ""; // anything after a second '#' is the author's reason
  const rules = list.split(",").map((r) => r.trim());
  if (assignment === null || rules.some((r) => !RULE_WORD.test(r))) {
    return { problem: `malformed pragma "# ${text}": write "# ${tool} ${scopeWord === undefined ? "" : `${scopeWord} `}ignore=ID1,ID2"` };
  }
  return { tool: tool === "drydock" ? "drydock" : "hadolint", scope: scopeWord === "global" || scopeWord === "stage" ? scopeWord : "next", rules };
}

function coveredLines(
  scope: PragmaScope,
  commentLine: number,
  instructions: PragmaSource["instructions"],
): { fromLine: number; toLine: number } | undefined {
  if (scope === "global") return { fromLine: 1, toLine: Infinity };
  const nextIndex = instructions.findIndex((i) => i.span.start.line > commentLine);
  const next = instructions[nextIndex];
  if (next === undefined) return undefined;
  if (scope === "next") return { fromLine: next.span.start.line, toLine: next.endLine };
  const nextStage = instructions.slice(nextIndex + 1).find((i) => i.kind === "from");
  return { fromLine: next.span.start.line, toLine: nextStage === undefined ? Infinity : nextStage.span.start.line - 1 };
}

/**
 * Parses BuildKit's check directive value. Unlike BuildKit, which fails the build on a bad value, a bad part is
 * reported as a warning and skipped; keys are read case-insensitively and whitespace is allowed around every part.
 */
export function parseCheckDirective(value: string, span: Span, warnings: PragmaWarning[] = []): CheckDirective {
  const check = { skipAll: false, skip: [] as string[], error: false, experimentalAll: false, experimental: [] as string[], span };
  for (const part of value.split(";")) {
    if (part.trim() === "") continue;
    const eq = part.indexOf("=");
    const key = eq === -1 ? "" : part.slice(0, eq).trim().toLowerCase();
    const v = eq === -1 ? "" : part.slice(eq + 1).trim();
    if (key === "skip" || key === "experimental") {
      const names = v.split(",").map((n) => n.trim()).filter((n) => n !== "");
      if (key === "skip") {
        if (v === "all") check.skipAll = true;
        else check.skip.push(...names);
      } else if (v === "all") check.experimentalAll = true;
      else check.experimental.push(...names);
    } else if (key === "error") {
      const flag = parseGoBool(v);
      if (flag === undefined) warnings.push({ message: `check directive: error=${JSON.stringify(v)} is not true or false; ignored`, span });
      else check.error = flag;
    } else {
      warnings.push({ message: `check directive: unknown option ${JSON.stringify(part.trim())} (expected skip=, error= or experimental=); ignored`, span });
    }
  }
  return check;
}

// BuildKit reads error= with Go's strconv.ParseBool.
function parseGoBool(v: string): boolean | undefined {
  if (["1", "t", "T", "true", "TRUE", "True"].includes(v)) return true;
  if (["0", "f", "F", "false", "FALSE", "False"].includes(v)) return false;
  return undefined;
}

/** A BuildKit check: reproduces a BuildKit rule (source) or names one among its aliases. */
export function isBuildkitRule(rule: Pick<RuleInfo, "source" | "aliases">): boolean {
  return rule.source === "buildkit" || rule.aliases.some((a) => a.startsWith("buildkit:"));
}

export interface SuppressionOptions {
  /** false when `disableIgnorePragma` is set: only the check directive still applies. */
  ignorePragmas?: boolean;
}

/** Whether a finding in the file these pragmas came from is suppressed by an ignore pragma or `check=skip`. */
export function isSuppressed(pragmas: Pragmas, finding: Finding, options: SuppressionOptions = {}): boolean {
  const rule = { id: finding.ruleId, aliases: finding.aliases };
  const check = pragmas.check;
  if (check !== undefined && isBuildkitRule(finding) && (check.skipAll || check.skip.some((ref) => refersToRule(ref, rule)))) {
    return true;
  }
  if (options.ignorePragmas === false || finding.location.kind !== "text") return false;
  const line = finding.location.start.line;
  return pragmas.ignores.some(
    (p) => line >= p.fromLine && line <= p.toLine && p.rules.some((ref) => refersToRule(ref, rule)),
  );
}
