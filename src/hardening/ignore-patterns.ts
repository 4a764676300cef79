// .dockerignore patterns with Docker's semantics (moby/patternmatcher and its ignorefile reader, which both the
// docker CLI and BuildKit use): `*` and `?` stop at '/', `**` crosses directories, `[...]` classes, `\` escapes,
// `!` re-includes, the last matching pattern wins, and a pattern that matches a parent directory matches
// everything below it. Enough to answer "is this path sent to the builder?".
import { posix } from "node:path";

export interface IgnorePattern {
  /** The pattern after cleaning, without its `!`. */
  text: string;
  /** A `!` line: matching paths are included again. */
  exception: boolean;
  /** undefined when the pattern is malformed (Docker then fails the build; here it matches nothing). */
  matches: ((path: string) => boolean) | undefined;
}

/** The patterns of an ignore file: `#` lines and blank lines skipped, each line trimmed, cleaned, leading '/' dropped. */
export function parseIgnoreFile(text: string): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  for (const line of lines) {
    if (line.startsWith("#")) continue;
    const pattern = ignorePattern(line);
    if (pattern !== undefined) out.push(pattern);
  }
  return out;
}

/** One pattern (an ignore-file line without comments, or a `COPY --exclude` value); undefined when blank. */
export function ignorePattern(line: string): IgnorePattern | undefined {
  let text = line.trim();
  if (text === "") return undefined;
  const exception = text.startsWith("!");
  if (exception) text = text.slice(1).trim();
  if (text === "") return { text, exception, matches: undefined };
  text = cleanPath(text);
  if (text.length > 1 && text.startsWith("/")) text = text.slice(1);
  return { text, exception, matches: compile(text) };
}

/** Go's filepath.Clean for '/' paths: no empty or `.` elements, `..` resolved, no trailing slash. */
export function cleanPath(path: string): string {
  if (path === "") return ".";
  const normal = posix.normalize(path);
  return normal.length > 1 && normal.endsWith("/") ? normal.slice(0, -1) : normal;
}

/** Whether the path (relative to the context root, '/'-separated) is excluded from the build context. */
export function isIgnored(path: string, patterns: readonly IgnorePattern[]): boolean {
  const file = cleanPath(path);
  if (file === ".") return false; // the root itself is never excluded
  const parents = ancestors(file);
  let matched = false;
  for (const p of patterns) {
    // As patternmatcher does: a pattern that cannot change the verdict is skipped.
    const test = p.matches;
    if (p.exception !== matched || test === undefined) continue;
    if (test(file) || parents.some((dir) => test(dir))) matched = !p.exception;
  }
  return matched;
}

/** `a/b/c` → `a`, `a/b`. */
function ancestors(file: string): string[] {
  const out: string[] = [];
  for (let i = file.indexOf("/"); i !== -1; i = file.indexOf("/", i + 1)) out.push(file.slice(0, i));
  return out;
}

// Characters that mean something in a regular expression and nothing in a pattern.
const REGEXP_ONLY = new Set([".", "+", "(", ")", "|", "{", "}", "$", "^"]);

/**
 * The pattern as a matcher, following patternmatcher's translation: plain text compares exactly, `x**` is a
 * prefix test, `**x` a suffix test, anything else a regular expression in which `**` followed by a slash matches any number of
 * directories (also none) and `[...]` is passed through as a class (so `[!a]` is a class containing '!', as in
 * Docker, not a negation as in filepath.Match).
 */
function compile(pattern: string): ((path: string) => boolean) | undefined {
  if (!isWellFormed(pattern)) return undefined;
  let kind: "exact" | "prefix" | "suffix" | "regexp" = "exact";
  let re = "^";
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] ?? "";
    const first = i === 0;
    if (c === "*") {
      if (chars[i + 1] === "*") {
        i++;
        if (chars[i + 1] === "/") i++;
        if (i + 1 >= chars.length) {
          if (kind === "exact") kind = "prefix";
          else {
            re += ".*";
            kind = "regexp";
          }
        } else {
          re += "(?:.*/)?";
          kind = "regexp";
        }
        if (first) kind = "suffix";
      } else {
        re += "[^/]*";
        kind = "regexp";
      }
    } else if (c === "?") {
      re += "[^/]";
      kind = "regexp";
    } else if (c === "\\") {
      const next = chars[i + 1];
      if (next === undefined) re += "\\\\";
      else {
        re += escapeLiteral(next);
        kind = "regexp";
        i++;
      }
    } else if (c === "[") {
      const end = classEnd(chars, i);
      for (let k = i; k <= end; k++) {
        const m = chars[k] ?? "";
        re += m === "\\" ? escapeInClass(chars[++k] ?? "") : m;
      }
      i = end;
      kind = "regexp";
    } else {
      re += escapeLiteral(c);
    }
  }
  switch (kind) {
    case "exact":
      return (path) => path === pattern;
    case "prefix": {
      const prefix = pattern.slice(0, -2);
      return (path) => path.startsWith(prefix);
    }
    case "suffix": {
      // `**/foo` also matches `foo` itself.
      const suffix = pattern.slice(2);
      return (path) => path.endsWith(suffix) || (suffix.startsWith("/") && path === suffix.slice(1));
    }
    case "regexp":
      try {
        const regexp = new RegExp(`${re}$`, "su");
        return (path) => regexp.test(path);
      } catch {
        return undefined;
      }
    default:
      return undefined;
  }
}

function escapeLiteral(c: string): string {
  return REGEXP_ONLY.has(c) || c === "\\" || c === "*" || c === "?" || c === "[" || c === "]" || c === "/" ? `\\${c}` : c;
}

// In a class only these need a backslash (and the "u" flag refuses it on anything else).
function escapeInClass(c: string): string {
  return "^$\\.*+?()[]{}|/-".includes(c) ? `\\${c}` : c;
}

/** The syntax check patternmatcher does with filepath.Match: classes closed and not empty, no trailing `\`. */
function isWellFormed(pattern: string): boolean {
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === "\\") {
      if (i + 1 >= chars.length) return false;
      i++;
    } else if (c === "[") {
      const end = classEnd(chars, i);
      if (end === -1) return false;
      i = end;
    }
  }
  return true;
}

/** Index of the `]` closing the class opened at start; -1 when it is not closed, empty, or holds a '/'. */
function classEnd(chars: readonly string[], start: number): number {
  let k = start + 1;
  if (chars[k] === "^") k++;
  let members = 0;
  for (; k < chars.length; k++) {
    const c = chars[k];
    if (c === "]" && members > 0) return k;
    if (c === "]" || c === "/" || c === "-" && members === 0) return -1;
    if (c === "\\") k++;
    members++;
  }
  return -1;
}
