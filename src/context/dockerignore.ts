// .dockerignore with Docker's semantics: the file read as moby/patternmatcher's ignorefile.ReadAll reads it, and
// patterns matched as its PatternMatcher matches them (Go filepath.Match syntax turned into a regular expression,
// `**` for any number of directories, `!` exceptions, the last matching pattern deciding, parent directories
// matching for their contents). Paths are context-relative with "/" separators.
import { DrydockError } from "../core/errors.ts";

export interface IgnorePattern {
  /** The pattern after cleaning, without its `!` (patternmatcher's Pattern.String()). */
  text: string;
  /** A `!` pattern: re-includes what earlier patterns excluded. */
  exclusion: boolean;
  /** 1-based line of the ignore file. */
  line: number;
}

export interface IgnoreMatcher {
  readonly patterns: readonly IgnorePattern[];
  /** Whether any pattern is an exception (`!`). */
  readonly hasExclusions: boolean;
  /**
   * patternmatcher's MatchesOrParentMatches: the path, or a directory above it, is excluded. undefined where
   * patternmatcher returns an error: a pattern Go's regexp rejects had to be tried on the path.
   */
  matchesOrParentMatches(path: string): boolean | undefined;
  /** patternmatcher's Matches: like the above, but a parent only counts at the pattern's own depth. */
  matches(path: string): boolean | undefined;
}

/**
 * Reads an ignore file and compiles its patterns. A malformed pattern (what Go's filepath.Match rejects, or
 * a lone `!`) is a DOCKERIGNORE_INVALID error, as it makes every build with that context fail.
 */
export function parseDockerignore(text: string, file = ".dockerignore"): IgnoreMatcher {
  const compiled: CompiledPattern[] = [];
  for (const { pattern, line } of readIgnoreLines(text)) {
    let p = pattern.trim();
    if (p === "") continue;
    p = cleanPath(p);
    const exclusion = p.startsWith("!");
    if (exclusion) {
      if (p.length === 1) throw invalid(file, line, 'illegal exclusion pattern "!"');
      p = p.slice(1);
    }
    const problem = globSyntaxProblem(p);
    if (problem !== undefined) throw invalid(file, line, `bad pattern ${JSON.stringify(p)}: ${problem}`);
    compiled.push(new CompiledPattern({ text: p, exclusion, line }));
  }
  return new PatternMatcher(compiled);
}

function invalid(file: string, line: number, message: string): DrydockError {
  return new DrydockError("DOCKERIGNORE_INVALID", `${message}; every build with this context fails`, {
    location: { kind: "text", file, start: { line, column: 1, offset: 0 }, end: { line, column: 1, offset: 0 } },
  });
}

/** ignorefile.ReadAll: BOM dropped, `#` lines skipped, `!` kept, each pattern cleaned and made relative. */
function readIgnoreLines(text: string): { pattern: string; line: number }[] {
  const out: { pattern: string; line: number }[] = [];
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const lines = body.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  lines.forEach((raw, i) => {
    // bufio.ScanLines drops one \r before the newline.
    let pattern = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (pattern.startsWith("#")) return;
    pattern = goTrimSpace(pattern);
    if (pattern === "") return;
    const invert = pattern.startsWith("!");
    if (invert) pattern = goTrimSpace(pattern.slice(1));
    if (pattern.length > 0) {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith("/")) pattern = pattern.slice(1);
    }
    out.push({ pattern: invert ? `!${pattern}` : pattern, line: i + 1 });
  });
  return out;
}

// Go's strings.TrimSpace trims Unicode White_Space.
function goTrimSpace(s: string): string {
  return s.replace(/^[\s\u0085]+|[\s\u0085]+$/gu, "");
}

/** Go's path.Clean (filepath.Clean on Unix). */
export function cleanPath(p: string): string {
  if (p === "") return ".";
  const rooted = p.startsWith("/");
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
      continue;
    }
    out.push(part);
  }
  const joined = out.join("/");
  if (rooted) return `/${joined}`;
  return joined === "" ? "." : joined;
}

/** Go's path.Dir. */
function dirOf(p: string): string {
  const slash = p.lastIndexOf("/");
  return cleanPath(slash === -1 ? "" : p.slice(0, slash + 1));
}

class PatternMatcher implements IgnoreMatcher {
  readonly patterns: readonly IgnorePattern[];
  readonly hasExclusions: boolean;
  private readonly compiled: readonly CompiledPattern[];

  constructor(compiled: CompiledPattern[]) {
    this.compiled = compiled;
    this.patterns = compiled.map((c) => c.pattern);
    this.hasExclusions = compiled.some((c) => c.pattern.exclusion);
  }

  matchesOrParentMatches(path: string): boolean | undefined {
    return this.match(path, (pattern, parents) => {
      for (let i = 0; i < parents.length; i++) if (pattern.matches(parents.slice(0, i + 1).join("/")) === true) return true;
      return false;
    });
  }

  matches(path: string): boolean | undefined {
    return this.match(path, (pattern, parents) => pattern.depth <= parents.length && pattern.matches(parents.slice(0, pattern.depth).join("/")) === true);
  }

  // The last pattern that matches decides; a pattern only runs when it could change the answer. As in
  // patternmatcher, an error on the path itself ends the match; on a parent directory it counts as no match.
  private match(path: string, parentMatches: (pattern: CompiledPattern, parents: string[]) => boolean): boolean | undefined {
    let matched = false;
    const parent = dirOf(path);
    const parents = parent.split("/");
    for (const pattern of this.compiled) {
      if (pattern.pattern.exclusion !== matched) continue;
      let match = pattern.matches(path);
      if (match === undefined) return undefined;
      if (!match && parent !== ".") match = parentMatches(pattern, parents);
      if (match) matched = !pattern.pattern.exclusion;
    }
    return matched;
  }
}

type Matcher =
  | { kind: "exact"; text: string }
  | { kind: "prefix"; prefix: string }
  | { kind: "suffix"; suffix: string }
  | { kind: "regexp"; re: RegExp | undefined };

// patternmatcher means to escape `.+()|{}$`, but its bit set drops the characters from 64 up: `|`, `{` and `}`
// reach the regular expression as they are (so `a|b` is an alternation). Reproduced on purpose.
const ESCAPED = new Set([".", "+", "(", ")", "$"]);

class CompiledPattern {
  readonly pattern: IgnorePattern;
  /** Number of path components (patternmatcher's len(dirs)). */
  readonly depth: number;
  private readonly matcher: Matcher;

  constructor(pattern: IgnorePattern) {
    this.pattern = pattern;
    this.depth = pattern.text.split("/").length;
    this.matcher = compile(pattern.text);
  }

  /** undefined when Go's regexp rejects the pattern (patternmatcher's ErrBadPattern). */
  matches(path: string): boolean | undefined {
    const m = this.matcher;
    switch (m.kind) {
      case "exact": return path === m.text;
      case "prefix": return path.startsWith(m.prefix);
      case "suffix": return path.endsWith(m.suffix) || (m.suffix.startsWith("/") && path === m.suffix.slice(1));
      case "regexp": return m.re?.test(path);
    }
  }
}

/** patternmatcher's Pattern.compile: the match kind, and for regexp patterns the Go regular expression. */
function compile(text: string): Matcher {
  const chars = Array.from(text);
  let re = "^";
  let kind: Matcher["kind"] = "exact";
  for (let i = 0, token = 0; i < chars.length; token++) {
    const ch = chars[i++] ?? "";
    if (ch === "*") {
      if (chars[i] === "*") {
        i++;
        if (chars[i] === "/") i++;
        if (i >= chars.length) {
          if (kind === "exact") kind = "prefix";
          else {
            re += ".*";
            kind = "regexp";
          }
        } else {
          re += "(.*/)?";
          kind = "regexp";
        }
        if (token === 0) kind = "suffix";
      } else {
        re += "[^/]*";
        kind = "regexp";
      }
    } else if (ch === "?") {
      re += "[^/]";
      kind = "regexp";
    } else if (ESCAPED.has(ch)) {
      re += `\\${ch}`;
    } else if (ch === "\\") {
      if (i < chars.length) {
        re += `\\${chars[i++] ?? ""}`;
        kind = "regexp";
      } else {
        re += "\\";
      }
    } else if (ch === "[" || ch === "]") {
      re += ch;
      kind = "regexp";
    } else {
      re += ch;
    }
  }
  switch (kind) {
    case "exact": return { kind, text };
    case "prefix": return { kind, prefix: text.slice(0, -2) };
    case "suffix": return { kind, suffix: text.slice(2) };
    case "regexp": return { kind, re: goRegexp(`${re}$`) };
  }
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: "0-9A-Za-z", alpha: "A-Za-z", ascii: "\\x00-\\x7F", blank: "\\t ", cntrl: "\\x00-\\x1F\\x7F", digit: "0-9",
  graph: "!-~", lower: "a-z", print: " -~", punct: "!-\\/:-@\\[-`{-~", space: "\\t\\n\\v\\f\\r ", upper: "A-Z",
  word: "0-9A-Za-z_", xdigit: "0-9A-Fa-f",
};
// Go's Perl classes are ASCII-only; \s is narrower than JavaScript's.
const PERL_CLASSES: Record<string, string> = {
  d: "0-9", w: "0-9A-Za-z_", s: "\\t\\n\\f\\r ",
};
const SIMPLE_ESCAPES: Record<string, string> = { a: "\\x07", f: "\\f", t: "\\t", n: "\\n", r: "\\r", v: "\\v" };

/**
 * Translates the Go (RE2) expression compile() builds into an equivalent JavaScript one (`u` flag, so a
 * character is a code point as in Go); undefined when Go's regexp would reject it.
 */
function goRegexp(go: string): RegExp | undefined {
  const chars = Array.from(go);
  let js = "";
  let inClass = false;
  let classStart = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? "";
    if (ch === "\\") {
      const next = chars[++i];
      if (next === undefined) return undefined;
      const translated = translateEscape(next, inClass);
      if (translated === undefined) return undefined;
      js += translated;
      classStart = false;
      continue;
    }
    if (inClass) {
      if (ch === "]" && !classStart) {
        js += "]";
        inClass = false;
      } else if (ch === "[" && chars[i + 1] === ":") {
        // A POSIX class such as [:alpha:] (Go's regexp knows them; filepath.Match does not). Go takes "[:" up to
        // the next ":]" as a class name, wherever that is, and rejects an unknown name; with no ":]" it is "[".
        let end = -1;
        for (let j = i + 2; j + 1 < chars.length; j++) if (chars[j] === ":" && chars[j + 1] === "]") { end = j; break; }
        if (end === -1) {
          js += "\\[";
        } else {
          const set = POSIX_CLASSES[chars.slice(i + 2, end).join("")];
          if (set === undefined) return undefined;
          js += set;
          i = end + 1;
        }
      } else {
        // Go takes "]" first in a class as a literal; JavaScript would close the class.
        js += ch === "[" || ch === "/" || ch === "]" ? `\\${ch}` : ch;
      }
      classStart = false;
      continue;
    }
    if (ch === "[") {
      inClass = true;
      classStart = true;
      js += "[";
      if (chars[i + 1] === "^") {
        js += "^";
        i++;
      }
      continue;
    }
    if (ch === "{") {
      // Go reads `{n}`, `{n,}` and `{n,m}` as repetition and any other `{` as a literal.
      const repeat = /^\{\d+(?:,\d*)?\}/.exec(chars.slice(i, i + 12).join(""));
      if (repeat === null) js += "\\{";
      else {
        js += repeat[0];
        i += repeat[0].length - 1;
      }
    } else if (ch === "]" || ch === "/" || ch === "}") js += `\\${ch}`;
    else if (ch === ".") js += "[^\\n]";
    else js += ch;
  }
  if (inClass) return undefined;
  try {
    return new RegExp(js, "u");
  } catch {
    return undefined;
  }
}

// Go's regexp: an escaped ASCII character that is not a letter or digit is itself; of the letters, the ones below
// mean what they mean in Go (hex, octal, Unicode classes and \Q are left out: undefined, as if Go rejected them).
function translateEscape(ch: string, inClass: boolean): string | undefined {
  if (/^[\x00-\x7F]$/.test(ch) && !/^[0-9A-Za-z]$/.test(ch)) {
    // JavaScript's u flag accepts only syntax characters (and "-" in a class) escaped.
    return /^[\\^$.*+?()[\]{}|/]$/.test(ch) || (inClass && ch === "-") ? `\\${ch}` : ch;
  }
  const simple = SIMPLE_ESCAPES[ch];
  if (simple !== undefined) return simple;
  const perl = PERL_CLASSES[ch];
  if (perl !== undefined) return inClass ? perl : `[${perl}]`;
  if (inClass) return undefined;
  const negated = PERL_CLASSES[ch.toLowerCase()];
  if (negated !== undefined) return `[^${negated}]`;
  if (ch === "b" || ch === "B") return `\\${ch}`;
  if (ch === "A") return "^";
  if (ch === "z") return "$";
  return undefined;
}

/** Why Go's filepath.Match rejects the pattern, or undefined when it is well formed. */
export function globSyntaxProblem(pattern: string): string | undefined {
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; ) {
    const ch = chars[i++];
    if (ch === "\\") {
      if (i >= chars.length) return "it ends with an escape character";
      i++;
    } else if (ch === "[") {
      if (chars[i] === "^") i++;
      let ranges = 0;
      for (;;) {
        if (i >= chars.length) return "a character class is not closed";
        if (chars[i] === "]" && ranges > 0) {
          i++;
          break;
        }
        const lo = classChar(chars, i);
        if (lo === undefined) return "a character class is malformed";
        i = lo;
        if (chars[i] === "-") {
          const hi = classChar(chars, i + 1);
          if (hi === undefined) return "a character class range is malformed";
          i = hi;
        }
        ranges++;
      }
    }
  }
  return undefined;
}

// Go's getEsc: one (possibly escaped) class character; returns the index after it.
function classChar(chars: string[], i: number): number | undefined {
  const c = chars[i];
  if (c === undefined || c === "-" || c === "]") return undefined;
  if (c === "\\") return chars[i + 1] === undefined ? undefined : i + 2;
  return i + 1;
}
