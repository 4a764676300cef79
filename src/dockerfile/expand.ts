// Variable expansion of Dockerfile words with BuildKit's semantics (frontend/dockerfile/shell/lex.go):
// the same operators, quote and escape rules, errors and word splitting, including where BuildKit differs
// from a POSIX shell. Offsets are 0-based UTF-16 indices into the word; characters are read by code point.
import type { Location } from "../core/finding.ts";
import { DrydockError, type ErrorCode } from "../core/errors.ts";
import type { EscapeToken } from "./ast.ts";

/** Where variable values come from; undefined means "not set" (an empty string is set). */
export interface ExpandEnv {
  get(name: string): string | undefined;
}

export interface ExpandOptions {
  escapeToken: EscapeToken;
  /** BuildKit's SkipUnsetEnv: an unset variable keeps its `$NAME` / `${...}` text instead of expanding. */
  skipUnset?: boolean;
  /** BuildKit's SkipProcessQuotes: quote characters are ordinary characters. */
  skipProcessQuotes?: boolean;
  /** BuildKit's RawQuotes: quote characters stay in the value (heredoc delimiter detection). */
  rawQuotes?: boolean;
  /** BuildKit's RawEscapes: escape characters stay in the value (heredoc delimiter detection). */
  rawEscapes?: boolean;
  /** Maps a [start, end) range of the word to a location in its file, for errors. */
  locate?: (start: number, end: number) => Location;
}

export interface VariableReference {
  name: string;
  set: boolean;
  /** [start, end) of the whole `$NAME` or `${...}` in the input. */
  start: number;
  end: number;
}

export interface Expansion {
  value: string;
  /** Every variable looked up, in input order, with whether it was set. */
  references: VariableReference[];
}

export interface WordsExpansion extends Expansion {
  /** The value split on unquoted whitespace, as BuildKit's ProcessWords returns it. */
  words: string[];
}

/** A DrydockError that also says where in the word it happened. */
export class ExpansionError extends DrydockError {
  readonly start: number;
  readonly end: number;

  constructor(code: ErrorCode, message: string, start: number, end: number, location: Location | undefined) {
    super(code, message, location === undefined ? {} : { location });
    this.start = start;
    this.end = end;
  }
}

/** An env over a plain record; caseInsensitive matches names as BuildKit does on Windows. */
export function envFromRecord(record: Readonly<Record<string, string>>, options: { caseInsensitive?: boolean } = {}): ExpandEnv {
  if (options.caseInsensitive !== true) {
    return { get: (name) => (Object.hasOwn(record, name) ? record[name] : undefined) };
  }
  const upper = new Map<string, string>();
  for (const [k, v] of Object.entries(record)) upper.set(k.toUpperCase(), v);
  return { get: (name) => upper.get(name.toUpperCase()) };
}

/** BuildKit's ProcessWord: expands one word and removes its quotes; whitespace is kept. */
export function expandWord(word: string, env: ExpandEnv, options: ExpandOptions): Expansion {
  const lexer = new Lexer(word, env, options);
  const value = lexer.scanTopLevel(undefined);
  return { value, references: lexer.sortedReferences() };
}

/** BuildKit's ProcessWords: expands the text and splits it into words on unquoted whitespace. */
export function expandWords(text: string, env: ExpandEnv, options: ExpandOptions): WordsExpansion {
  const lexer = new Lexer(text, env, options);
  const words: string[] = [];
  const value = lexer.scanTopLevel(words);
  return { value, words, references: lexer.sortedReferences() };
}

const EOF = -1;
const DOLLAR = 0x24;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const COLON = 0x3a;
const SLASH = 0x2f;
const BACKSLASH = 0x5c;
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const LESS_THAN = 0x3c;
const STAR = 0x2a;
const QUESTION = 0x3f;
const HASH = 0x23;
const PERCENT = 0x25;
const PLUS = 0x2b;
const MINUS = 0x2d;
const NEWLINE = 0x0a;
const UNDERSCORE = 0x5f;
const BOM = 0xfeff;

// BuildKit recurses once per nested `${`; Go's stack grows, ours does not, so deep nesting is refused.
const MAX_NESTING = 1000;

const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;

function isDigit(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x30 && cp <= 0x39;
  return DIGIT.test(String.fromCodePoint(cp));
}

function isLetter(cp: number): boolean {
  if (cp < 0x80) return (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
  return cp >= 0 && LETTER.test(String.fromCodePoint(cp));
}

function isNameChar(cp: number): boolean {
  return cp === UNDERSCORE || isLetter(cp) || isDigit(cp);
}

// POSIX special parameters; never set in a Dockerfile, but they are names, so `$@x` is "" + "x".
function isSpecialParameter(cp: number): boolean {
  return cp === 0x40 || cp === STAR || cp === HASH || cp === QUESTION || cp === MINUS || cp === DOLLAR || cp === 0x21 || cp === 0x30;
}

// Go's unicode.IsSpace (Unicode White_Space), which splits words; JavaScript's \s is a different set.
function isSpace(cp: number): boolean {
  if (cp <= 0xff) return (cp >= 0x09 && cp <= 0x0d) || cp === 0x20 || cp === 0x85 || cp === 0xa0;
  return cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029
    || cp === 0x202f || cp === 0x205f || cp === 0x3000;
}

// The blanks BuildKit allows between `<<` and a heredoc delimiter.
function isHeredocBlank(cp: number): boolean {
  return cp === 0x20 || cp === 0x09 || cp === 0x0d;
}

function charOf(cp: number): string {
  return cp === EOF ? "\uFFFD" : String.fromCodePoint(cp);
}

class Lexer {
  private readonly text: string;
  private readonly env: ExpandEnv;
  private readonly escape: number;
  private readonly options: ExpandOptions;
  private pos: number;
  private rawEscapes: boolean;
  private nesting = 0;
  private readonly references: VariableReference[] = [];
  /**
   * The word being built for expandWords. BuildKit keeps one such buffer for the whole call and every nested
   * `${name<op>word}` clears it, so text before such an expansion in the same word is dropped from the words
   * (not from the value): ProcessWords("80/${P:-tcp}") gives ["tcp"]. Reproduced on purpose.
   */
  private pendingWord = "";

  constructor(text: string, env: ExpandEnv, options: ExpandOptions) {
    this.text = text;
    this.env = env;
    this.escape = options.escapeToken.codePointAt(0) ?? BACKSLASH;
    this.options = options;
    this.rawEscapes = options.rawEscapes === true;
    // Go's text/scanner drops a byte order mark at the start of its input.
    this.pos = text.codePointAt(0) === BOM ? 1 : 0;
  }

  sortedReferences(): VariableReference[] {
    return this.references.sort((a, b) => a.start - b.start);
  }

  scanTopLevel(words: string[] | undefined): string {
    const value = this.scanUntil(EOF, this.rawEscapes, words);
    if (words !== undefined && this.pendingWord !== "") words.push(this.pendingWord);
    return value;
  }

  private peek(): number {
    return this.pos < this.text.length ? (this.text.codePointAt(this.pos) ?? EOF) : EOF;
  }

  private next(): number {
    const cp = this.peek();
    if (cp !== EOF) this.pos += cp > 0xffff ? 2 : 1;
    return cp;
  }

  private fail(code: ErrorCode, message: string, start: number, end: number): never {
    const location = this.options.locate?.(start, end);
    throw new ExpansionError(code, message, start, end, location);
  }

  /** The input from start, shortened, for messages. */
  private excerpt(start: number, end = this.pos): string {
    const text = this.text.slice(start, Math.max(end, start + 1));
    return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
  }

  // Splitting on whitespace: expanded text splits, quoted text and escaped characters do not.
  private addSplitting(words: string[] | undefined, text: string): void {
    if (words === undefined) return;
    for (const ch of text) {
      const cp = ch.codePointAt(0) ?? EOF;
      if (!isSpace(cp)) this.pendingWord += ch;
      else if (this.pendingWord !== "") {
        words.push(this.pendingWord);
        this.pendingWord = "";
      }
    }
  }

  private addVerbatim(words: string[] | undefined, text: string): void {
    if (words !== undefined) this.pendingWord += text;
  }

  /**
   * Reads up to `stop` (consumed) or the end of input when stop is EOF. With rawEscapes the escape character
   * is kept in the value before the character it escapes.
   */
  private scanUntil(stop: number, rawEscapes: boolean, words: string[] | undefined): string {
    this.pendingWord = "";
    const outerRawEscapes = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    try {
      let out = "";
      for (let ch = this.peek(); ch !== EOF; ch = this.peek()) {
        if (ch === stop) {
          this.next();
          return out;
        }
        if (ch === DOLLAR) {
          const value = this.expandDollar();
          out += value;
          this.addSplitting(words, value);
        } else if (ch === LESS_THAN) {
          const value = this.scanPossibleHeredoc();
          out += value;
          this.addVerbatim(words, value);
        } else if ((ch === SINGLE_QUOTE || ch === DOUBLE_QUOTE) && this.options.skipProcessQuotes !== true) {
          const value = ch === SINGLE_QUOTE ? this.scanSingleQuoted() : this.scanDoubleQuoted();
          out += value;
          this.addVerbatim(words, value);
        } else {
          this.next();
          if (ch === this.escape) {
            if (rawEscapes) {
              out += charOf(ch);
              this.addVerbatim(words, charOf(ch));
            }
            const escaped = this.next();
            if (escaped === EOF) break;                 // a trailing escape character is dropped
            out += charOf(escaped);
            this.addVerbatim(words, charOf(escaped));
          } else {
            out += charOf(ch);
            this.addSplitting(words, charOf(ch));
          }
        }
      }
      if (stop !== EOF) this.fail("DOCKERFILE_SYNTAX", `missing "${charOf(stop)}"`, this.pos, this.pos);
      return out;
    } finally {
      this.rawEscapes = outerRawEscapes;
    }
  }

  /** The word part of `${...}`; an error that reaches the end of input is reported as the `${` left open. */
  private scanNested(stop: number, rawEscapes: boolean, dollarAt: number, missing: string): string {
    if (this.nesting >= MAX_NESTING) {
      this.fail("INPUT_TOO_LARGE", `variable expansions nested more than ${MAX_NESTING} deep; drydock does not expand them`, dollarAt, this.pos);
    }
    this.nesting++;
    try {
      return this.scanUntil(stop, rawEscapes, undefined);
    } catch (e) {
      if (e instanceof DrydockError && this.peek() === EOF) {
        this.fail("DOCKERFILE_SYNTAX", `unterminated ${this.excerpt(dollarAt)}: missing "${missing}"`, dollarAt, this.pos);
      }
      throw e;
    } finally {
      this.nesting--;
    }
  }

  // Everything up to the next single quote is literal, escape characters included.
  private scanSingleQuoted(): string {
    const open = this.pos;
    const close = this.text.indexOf("'", open + 1);
    if (close === -1) {
      this.fail("DOCKERFILE_SYNTAX", `unterminated single-quoted string ${this.excerpt(open, this.text.length)}: missing "'"`, open, this.text.length);
    }
    this.pos = close + 1;
    const inner = this.text.slice(open + 1, close);
    return this.options.rawQuotes === true ? `'${inner}'` : inner;
  }

  // Inside double quotes only $ expands; the escape character escapes ", $ and itself and is literal otherwise.
  private scanDoubleQuoted(): string {
    const open = this.pos;
    const raw = this.options.rawQuotes === true;
    this.next();
    let out = raw ? '"' : "";
    for (;;) {
      const ch = this.peek();
      if (ch === EOF) {
        this.fail("DOCKERFILE_SYNTAX", `unterminated double-quoted string ${this.excerpt(open, this.text.length)}: missing '"'`, open, this.text.length);
      }
      if (ch === DOUBLE_QUOTE) {
        this.next();
        return raw ? `${out}"` : out;
      }
      if (ch === DOLLAR) {
        out += this.expandDollar();
        continue;
      }
      let literal = this.next();
      if (literal === this.escape) {
        if (this.rawEscapes) out += charOf(literal);
        const following = this.peek();
        if (following === EOF) continue;                // reported as the unterminated quote
        if (following === DOUBLE_QUOTE || following === DOLLAR || following === this.escape) literal = this.next();
      }
      out += charOf(literal);
    }
  }

  // `<<` and the blanks after it stay glued to the heredoc delimiter when splitting words.
  private scanPossibleHeredoc(): string {
    this.next();
    if (this.peek() !== LESS_THAN) return "<";
    this.next();
    let out = "<<";
    while (isHeredocBlank(this.peek())) out += charOf(this.next());
    return out;
  }

  private scanName(): string {
    const first = this.peek();
    if (first === EOF) return "";
    // Positional parameters take every digit: `$12` is parameter 12, not `$1` and "2" as in sh.
    if (isDigit(first)) {
      let name = "";
      while (isDigit(this.peek())) name += charOf(this.next());
      return name;
    }
    if (isSpecialParameter(first)) return charOf(this.next());
    let name = "";
    while (this.peek() !== EOF && isNameChar(this.peek())) name += charOf(this.next());
    return name;
  }

  private lookUp(name: string, start: number): string | undefined {
    const value = this.env.get(name);
    this.references.push({ name, set: value !== undefined, start, end: this.pos });
    return value;
  }

  private expandDollar(): string {
    const start = this.pos;
    this.next();
    if (this.peek() !== LBRACE) {
      const name = this.scanName();
      if (name === "") return "$";
      const value = this.lookUp(name, start);
      if (value === undefined) return this.options.skipUnset === true ? `$${name}` : "";
      return value;
    }
    this.next();
    const first = this.peek();
    if (first === EOF) this.fail("DOCKERFILE_SYNTAX", `unterminated ${this.excerpt(start)}: missing "}"`, start, this.pos);
    if (first === LBRACE || first === RBRACE || first === COLON) {
      this.fail("DOCKERFILE_SYNTAX", `bad substitution ${this.excerpt(start, this.pos + 1)}: a variable name must follow "\${"`, start, this.pos + 1);
    }
    const name = this.scanName();
    const operator = this.next();
    if (operator === EOF) this.fail("DOCKERFILE_SYNTAX", `unterminated ${this.excerpt(start)}: missing "}"`, start, this.pos);
    if (operator === RBRACE) {
      const value = this.lookUp(name, start);
      if (value === undefined) return this.options.skipUnset === true ? `\${${name}}` : "";
      return value;
    }
    if (operator === SLASH) return this.expandReplacement(name, start);
    if (operator === COLON || operator === PLUS || operator === MINUS || operator === QUESTION || operator === HASH || operator === PERCENT) {
      return this.expandModifier(name, start, operator);
    }
    return this.unsupported(start, charOf(operator));
  }

  private unsupported(start: number, modifier: string): never {
    return this.fail(
      "DOCKERFILE_SYNTAX",
      `unsupported modifier "${modifier}" in ${this.excerpt(start)}; BuildKit supports - + ? # % / with an optional ":" before - + ?`,
      start,
      this.pos,
    );
  }

  /** `${name[:]-word}`, `${name[:]+word}`, `${name[:]?word}`, `${name#[#]pattern}`, `${name%[%]pattern}`. */
  private expandModifier(name: string, start: number, operator: number): string {
    const emptyIsUnset = operator === COLON;
    const modifier = emptyIsUnset ? this.next() : operator;
    const written = emptyIsUnset ? `:${charOf(modifier)}` : charOf(modifier);
    const isTrim = modifier === HASH || modifier === PERCENT;
    if (emptyIsUnset && isTrim) this.unsupported(start, written);
    // Patterns keep their escapes for the pattern compiler; other words lose them.
    const word = this.scanNested(RBRACE, isTrim, start, "}");
    const value = this.lookUp(name, start);
    if (value === undefined && this.options.skipUnset === true) return `\${${name}${written}${word}}`;
    const unset = value === undefined || (emptyIsUnset && value === "");
    switch (modifier) {
      case MINUS:
        return unset ? word : (value ?? "");
      case PLUS:
        return unset ? "" : word;
      case QUESTION:
        if (unset) {
          const fallback = value === undefined ? "is not allowed to be unset" : "is not allowed to be empty";
          this.fail("EXPANSION_FAILED", `${name}: ${word === "" ? fallback : word}`, start, this.pos);
        }
        return value ?? "";
      case HASH:
      case PERCENT: {
        // A doubled operator (## or %%) removes the longest match instead of the shortest.
        const longest = word.codePointAt(0) === modifier;
        const source = longest ? word.slice(1) : word;
        if (modifier === HASH) return removePrefix(value ?? "", this.compile(source, source, longest, start));
        // The suffix is found by matching the reversed pattern at the start of the reversed value.
        const backwards = Array.from(value ?? "").reverse().join("");
        const pattern = this.compile(reversePatternText(source), source, longest, start);
        return Array.from(removePrefix(backwards, pattern)).reverse().join("");
      }
      default:
        return this.unsupported(start, written);
    }
  }

  /** `${name/pattern/replacement}` and `${name//pattern/replacement}`; the second slash is required. */
  private expandReplacement(name: string, start: number): string {
    const every = this.peek() === SLASH;
    if (every) this.next();
    const pattern = this.scanNested(SLASH, true, start, "/");
    const replacement = this.scanNested(RBRACE, true, start, "}");
    const value = this.lookUp(name, start);
    // BuildKit writes one slash back even for `//`.
    if (value === undefined && this.options.skipUnset === true) return `\${${name}/${pattern}/${replacement}}`;
    const compiled = this.compile(pattern, pattern, true, start);
    const subject = value ?? "";
    if (every) return replaceEvery(subject, compiled, replacement);
    const match = findMatch(compiled, subject, 0, false);
    return match === undefined ? subject : subject.slice(0, match[0]) + replacement + subject.slice(match[1]);
  }

  /** Compiles source; written is the pattern as the user wrote it, for the message. */
  private compile(source: string, written: string, longest: boolean, start: number): Pattern {
    const compiled = compilePattern(source, longest);
    if (typeof compiled === "string") {
      this.fail(
        "DOCKERFILE_SYNTAX",
        `invalid escape "\\${compiled}" in pattern ${JSON.stringify(written)} of ${this.excerpt(start)}: only \\*, \\?, \\\\, \\} and \\/ may be escaped`,
        start,
        this.pos,
      );
    }
    return compiled;
  }
}

// ---- Patterns -------------------------------------------------------------------------------------------
// BuildKit turns a pattern into a Go regular expression: `*` is any run of characters, `?` one character
// (neither crosses a newline: Go's `.`), `\` escapes `*`, `?` and `\`, and is dropped before `}` and `/`.
// There are no bracket expressions. Matching here simulates that expression's leftmost-first semantics in
// one pass over the subject (no backtracking), so hostile input cannot make it slow.

/** A code point to match literally, or ANY / RUN. */
type PatternToken = number;
const ANY = -1;
const RUN = -2;

interface Pattern {
  tokens: PatternToken[];
  /** Whether a run prefers the longest text (the regex `.*`) or the shortest (`.*?`). */
  longest: boolean;
}

/** The compiled pattern, or the character after a `\` that may not be escaped ("" at the end). */
function compilePattern(source: string, longest: boolean): Pattern | string {
  const tokens: PatternToken[] = [];
  const chars = Array.from(source);
  // Go's text/scanner drops a byte order mark at the start of the pattern too.
  let i = chars[0] === "\uFEFF" ? 1 : 0;
  for (; i < chars.length; i++) {
    const ch = chars[i] ?? "";
    if (ch === "*") {
      if (tokens[tokens.length - 1] !== RUN) tokens.push(RUN);   // `**` is `*`
    } else if (ch === "?") {
      tokens.push(ANY);
    } else if (ch === "\\") {
      const following = chars[i + 1];
      if (following === "}" || following === "/") continue;
      if (following !== "*" && following !== "?" && following !== "\\") return following ?? "";
      tokens.push(following.codePointAt(0) ?? 0);
      i++;
    } else {
      tokens.push(ch.codePointAt(0) ?? 0);
    }
  }
  return { tokens, longest };
}

/**
 * The first match at or after `from` ([start, end) in code units), preferring the leftmost start and then
 * what a backtracking engine would try first. A thread is a position in the token list; threads are kept in
 * priority order and a position is kept once per step, as in a Pike VM.
 */
function findMatch(pattern: Pattern, subject: string, from: number, anchored: boolean): [number, number] | undefined {
  const { tokens, longest } = pattern;
  const done = tokens.length;
  const seen = new Int32Array(done + 1).fill(-1);
  let current: number[] = [];          // pairs: token index, match start
  let next: number[] = [];
  let step = 0;
  let match: [number, number] | undefined;

  const add = (list: number[], at: number, start: number): void => {
    if (seen[at] === step) return;
    seen[at] = step;
    if (tokens[at] !== RUN) {
      list.push(at, start);
      return;
    }
    // A run either takes one more character (stays) or ends (moves on); which first decides longest/shortest.
    const after = at + 1;
    const addAfter = seen[after] !== step;
    if (addAfter) seen[after] = step;
    if (longest) list.push(at, start);
    if (addAfter) list.push(after, start);
    if (!longest) list.push(at, start);
  };

  for (let i = from; ; ) {
    if (match === undefined && (!anchored || i === from)) add(current, 0, i);
    if (current.length === 0 && (match !== undefined || anchored)) break;
    const cp = i < subject.length ? (subject.codePointAt(i) ?? EOF) : EOF;
    step++;
    next.length = 0;
    for (let t = 0; t < current.length; t += 2) {
      const at = current[t] ?? done;
      const start = current[t + 1] ?? i;
      if (at === done) {
        match = [start, i];
        break;                                        // lower-priority threads lose to this match
      }
      if (cp === EOF) continue;
      const token = tokens[at];
      if (token === RUN) {
        if (cp !== NEWLINE) add(next, at, start);
      } else if (token === ANY ? cp !== NEWLINE : token === cp) {
        add(next, at + 1, start);
      }
    }
    if (cp === EOF) break;
    [current, next] = [next, current];
    i += cp > 0xffff ? 2 : 1;
  }
  return match;
}

function removePrefix(value: string, pattern: Pattern): string {
  const match = findMatch(pattern, value, 0, true);
  return match === undefined ? value : value.slice(match[1]);
}

/**
 * Reverses a pattern's characters but keeps each `\x` pair in order, as BuildKit does before matching a
 * suffix; a lone trailing `\` is reversed like any character (so `*\` becomes the valid `\*`).
 */
function reversePatternText(pattern: string): string {
  const chars = Array.from(pattern);
  const last = chars.length - 1;
  const out = new Array<string>(chars.length);
  for (let i = 0; i <= last; ) {
    const ch = chars[i] ?? "";
    if (ch === "\\" && i !== last) {
      out[last - i - 1] = ch;
      out[last - i] = chars[i + 1] ?? "";
      i += 2;
    } else {
      out[last - i] = ch;
      i++;
    }
  }
  return out.join("");
}

/** Go's Regexp.ReplaceAllString: successive non-overlapping matches; an empty match right after one is skipped. */
function replaceEvery(subject: string, pattern: Pattern, template: string): string {
  let out = "";
  let copiedTo = 0;
  let searchFrom = 0;
  while (searchFrom <= subject.length) {
    const match = findMatch(pattern, subject, searchFrom, false);
    if (match === undefined) break;
    const [start, end] = match;
    out += subject.slice(copiedTo, start);
    if (end > copiedTo || start === 0) out += expandTemplate(template, subject.slice(start, end));
    copiedTo = end;
    const cp = subject.codePointAt(searchFrom);
    const width = cp === undefined ? 0 : cp > 0xffff ? 2 : 1;
    searchFrom = searchFrom + width > end ? searchFrom + width : searchFrom + 1 > end ? searchFrom + 1 : end;
  }
  return out + subject.slice(copiedTo);
}

/**
 * Go's Regexp.Expand as ReplaceAllString applies it to the replacement: `$$` is `$`, `$0`/`${0}` the match,
 * any other `$name`/`${name}` nothing (the pattern has no groups), and a malformed `$` stays as it is.
 */
function expandTemplate(template: string, matched: string): string {
  if (!template.includes("$")) return template;
  let out = "";
  let i = 0;
  for (let dollar = template.indexOf("$", i); dollar !== -1; dollar = template.indexOf("$", i)) {
    out += template.slice(i, dollar);
    i = dollar + 1;
    if (template[i] === "$") {
      out += "$";
      i++;
      continue;
    }
    const braced = template[i] === "{";
    let end = braced ? i + 1 : i;
    while (end < template.length) {
      const cp = template.codePointAt(end) ?? EOF;
      if (!isNameChar(cp)) break;
      end += cp > 0xffff ? 2 : 1;
    }
    const name = template.slice(braced ? i + 1 : i, end);
    if (name === "" || (braced && template[end] !== "}")) {
      out += "$";
      continue;
    }
    i = braced ? end + 1 : end;
    if (name === "0") out += matched;
  }
  return out + template.slice(i);
}
