// A hand-written parser for the scripts most RUNs hold: simple commands with prefix assignments, joined by `&&`,
// `||`, `;`, `&`, `|`, `|&` and newlines; words of plain text, quotes, escapes and `$VAR`/`${VAR:-x}` expansions;
// comments; `>`, `>>`, `<`, `&>`, `N>file`, `N>&M` redirections. It builds exactly the ShellScript that the
// tree-sitter-bash path (parse.ts) builds, at a fraction of the cost, and gives up on anything else (subshells,
// substitutions, heredocs, keywords, ...) by returning undefined, so that parse.ts falls back to tree-sitter-bash.
// test/shell/fast.test.ts compares the two paths on generated scripts.
import type { Span } from "../core/finding.ts";
import type { MappedText } from "../core/text.ts";
import type {
  ShellCommand, ShellConnector, ShellContext, ShellPipeline, ShellRedirect, ShellScript,
} from "./parse.ts";
import { makeAssignment, makeWord, type ShellAssignment, type ShellWord } from "./word.ts";

/** What the fast path leaves to tree-sitter-bash in command position: keywords and declaration builtins. */
const SPECIAL_NAMES: ReadonlySet<string> = new Set([
  "if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while", "until", "do", "done", "in",
  "function", "time", "coproc", "export", "declare", "typeset", "readonly", "local", "unset", "unsetenv",
]);

/**
 * Builtins tree-sitter-bash parses as declarations when they come first: their `NAME=value` arguments are
 * assignments (ShellAssignment in args), and their words are taken as written (no escaped-blank repair).
 */
const DECLARATIONS: ReadonlySet<string> = new Set(["export", "declare", "typeset", "readonly", "local", "unset", "unsetenv"]);

/** Operators of `${NAME<op>word}` that the fast path reads. */
const EXPANSION_OPERATORS: readonly string[] = [":-", ":=", ":+", ":?", "-", "=", "+", "?"];

const NO_CONTEXT: readonly ShellContext[] = [];

const TAB = 0x09;
const NEWLINE = 0x0a;
/** tree-sitter-bash reads a carriage return as a blank (bash would not: CRLF scripts differ there). */
const CARRIAGE_RETURN = 0x0d;
const SPACE = 0x20;
const HASH = 0x23;
const DOLLAR = 0x24;
const AMPERSAND = 0x26;
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const SEMICOLON = 0x3b;
const LESS = 0x3c;
const GREATER = 0x3e;
const BACKSLASH = 0x5c;
const BACKTICK = 0x60;
const PIPE = 0x7c;
const BANG = 0x21;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const DASH = 0x2d;
const DOT = 0x2e;
const SLASH = 0x2f;
const ZERO = 0x30;
const EQUALS = 0x3d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const UNDERSCORE = 0x5f;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const TILDE = 0x7e;

/**
 * The script parsed by the fast path, or undefined when it holds anything the fast path does not read exactly as
 * tree-sitter-bash does. Commands get no `nested` script here: parse.ts adds those for both paths.
 */
export function parseSimpleShell(script: MappedText, pipefail: boolean): ShellScript | undefined {
  const parser = new SimpleParser(script);
  if (!parser.script() || parser.pos < script.text.length) return undefined;
  return { text: script, commands: parser.finishCommands(), pipelines: parser.finishPipelines(), hasErrors: false, errors: [], pipefail };
}

/** `$(...)` inside `$(...)` this deep is left to tree-sitter-bash (as is anything deeper). */
const MAX_SUBSTITUTION_DEPTH = 16;

/** One simple command as a pipeline stage; cmd is undefined for a statement of assignments only (`A=1`). */
interface Stage {
  cmd: ShellCommand | undefined;
  /** Where the command without its trailing redirects starts and ends (tree-sitter-bash's `command` node). */
  start: number;
  end: number;
  /** Redirects after the name: tree-sitter-bash wraps the statement they end in a `redirected_statement`. */
  trailing: boolean;
}

class SimpleParser {
  readonly text: MappedText;
  readonly s: string;
  readonly commands: ShellCommand[] = [];
  readonly pipelines: ShellPipeline[] = [];
  pos = 0;
  /** What encloses the commands being read: the `$(...)` they are in, outermost first. */
  private within: readonly ShellContext[] = NO_CONTEXT;
  /** The character that ends the script being read: `)` inside `$(...)`, none (-1) at the top. */
  private closer = -1;
  private substitutions = 0;
  /** Reads the `$(...)` at an index (the index after it, or -1): passed to the word scanners. */
  private readonly substitution = (i: number): number => this.readSubstitution(i);
  /** tree-sitter-bash reads `\r` as a blank, but parse.ts does not repair escaped blanks next to one. */
  private readonly carriageReturns: boolean;

  constructor(text: MappedText) {
    this.text = text;
    this.s = text.text;
    this.carriageReturns = this.s.includes("\r");
  }

  /**
   * The whole script, or the one inside `$(...)` up to its `)`: lists separated by `;`, `&` and newlines. False when
   * the fast path cannot read it.
   */
  script(): boolean {
    const s = this.s;
    // tree-sitter-bash has no newline tokens: an operator before newlines and comments is the connector.
    let pending: ShellConnector | undefined;
    let afterStatement = false;
    for (;;) {
      this.skipLinebreaks();
      if (this.pos >= s.length) return this.closer === -1;
      if (s.charCodeAt(this.pos) === this.closer) return afterStatement;
      if (!this.list(pending ?? (afterStatement ? "\n" : undefined))) return false;
      pending = undefined;
      afterStatement = true;
      this.skipBlanks();
      this.skipComment();
      if (this.pos >= s.length) return this.closer === -1;
      const c = s.charCodeAt(this.pos);
      if (c === this.closer) return true;
      if (c === NEWLINE) {
        this.pos++;
      } else if (c === SEMICOLON || c === AMPERSAND) {
        const next = s.charCodeAt(this.pos + 1);
        if (next === SEMICOLON || next === AMPERSAND) return false; // `;;`, `;&`, `&;`: case syntax or errors
        pending = c === SEMICOLON ? ";" : "&";
        this.pos++;
      } else {
        return false;
      }
    }
  }

  /** Pipelines joined by `&&` and `||`. */
  private list(connector: ShellConnector | undefined): boolean {
    const s = this.s;
    if (!this.pipeline(connector, true)) return false;
    for (;;) {
      this.skipBlanks();
      const c = s.charCodeAt(this.pos);
      if ((c !== AMPERSAND && c !== PIPE) || s.charCodeAt(this.pos + 1) !== c) return true;
      this.pos += 2;
      this.skipLinebreaks();
      if (!this.pipeline(c === AMPERSAND ? "&&" : "||", false)) return false;
    }
  }

  /**
   * Reads the script of the `$(...)` at i (not `$((`): its commands are pushed with a substitution context, as
   * tree-sitter-bash's tree gives them. The index after the `)`, or -1.
   */
  private readSubstitution(i: number): number {
    const s = this.s;
    if (s.charCodeAt(i + 2) === OPEN_PAREN || this.within.length >= MAX_SUBSTITUTION_DEPTH) return -1;
    const saved = { pos: this.pos, within: this.within, closer: this.closer };
    // The span is known once the `)` is found; the commands share the context object.
    const context: ShellContext = { kind: "substitution", span: this.text.span(i, i) };
    const before = this.commands.length;
    this.pos = i + 2;
    this.within = [...saved.within, context];
    this.closer = CLOSE_PAREN;
    const read = this.script() && s.charCodeAt(this.pos) === CLOSE_PAREN && this.commands.length > before;
    const end = this.pos + 1;
    this.pos = saved.pos;
    this.within = saved.within;
    this.closer = saved.closer;
    if (!read) return -1;
    context.span = this.text.span(i, end);
    this.substitutions++;
    return end;
  }

  /** The commands in source order (a substitution's are read before the command they are an argument of). */
  finishCommands(): ShellCommand[] {
    if (this.substitutions > 0) this.commands.sort((a, b) => a.span.start.offset - b.span.start.offset);
    return this.commands;
  }

  /** The pipelines, each stage's command pointing at its pipeline by index. */
  finishPipelines(): ShellPipeline[] {
    for (let id = 0; id < this.pipelines.length; id++) {
      for (const stage of this.pipelines[id]?.stages ?? []) {
        for (const cmd of stage.commands) if (cmd.pipeline !== undefined) cmd.pipeline.id = id;
      }
    }
    return this.pipelines;
  }

  /**
   * One command, or two joined by `|` or `|&`. tree-sitter-bash reads longer pipelines wrongly in places (`a | b |
   * c\nd && e` as `a | (b | c d && e)`), so they are left to it, to give what it gives.
   */
  private pipeline(connector: ShellConnector | undefined, firstOfList: boolean): boolean {
    const s = this.s;
    // tree-sitter-bash's order: a pipeline comes before the pipelines inside its stages' substitutions.
    const mark = this.pipelines.length;
    const first = this.command();
    if (first === undefined) return false;
    this.skipBlanks();
    if (s.charCodeAt(this.pos) !== PIPE || s.charCodeAt(this.pos + 1) === PIPE) {
      if (first.cmd !== undefined) {
        first.cmd.connector = connector;
        this.commands.push(first.cmd);
      }
      return true;
    }
    const op = s.charCodeAt(this.pos + 1) === AMPERSAND ? "|&" : "|";
    this.pos += op.length;
    this.skipLinebreaks();
    const second = this.command();
    if (second === undefined) return false;
    this.skipBlanks();
    if (s.charCodeAt(this.pos) === PIPE && s.charCodeAt(this.pos + 1) !== PIPE) return false;
    // tree-sitter-bash reads `a && b >f | c` as `(a && b >f) | c`; an assignment alone is a stage of no command.
    const left = first.cmd;
    const right = second.cmd;
    if ((first.trailing && !firstOfList) || left === undefined || right === undefined) return false;
    // Ids are set by finishPipelines, once every pipeline has its place.
    left.connector = connector;
    left.pipeline = { index: 0, length: 2, id: -1 };
    right.connector = op;
    right.pipeline = { index: 1, length: 2, id: -1 };
    this.commands.push(left, right);
    // A trailing redirect of the last stage redirects the whole pipeline in tree-sitter-bash's tree, so the
    // second stage (and the pipeline) end before it.
    const secondSpan = second.trailing ? this.text.span(second.start, second.end) : right.span;
    this.pipelines.splice(mark, 0, {
      span: this.text.span(first.start, second.end),
      stages: [{ span: left.span, commands: [left] }, { span: secondSpan, commands: [right] }],
      operators: [op],
      negated: false,
      within: this.within,
    });
    return true;
  }

  /** A simple command: assignments and redirects, the name, arguments, then trailing redirects. */
  private command(): Stage | undefined {
    const s = this.s;
    const text = this.text;
    this.skipBlanks();
    const start = this.pos;
    let end = start;
    const assignments: ShellAssignment[] = [];
    const redirects: ShellRedirect[] = [];
    let name: ShellWord | undefined;
    let declaration = false;
    while (this.atWordOrRedirect()) {
      const redirect = this.redirect();
      if (redirect === null) return undefined;
      if (redirect !== undefined) {
        // tree-sitter-bash reads `>a >b cmd` as redirects without a command, and `a | A=1 >f cmd` as `>f cmd`.
        if (redirects.length > 0 || assignments.length > 0) return undefined;
        redirects.push(redirect);
        end = this.pos;
      } else {
        const wordStart = this.pos;
        const eq = assignmentEquals(s, wordStart);
        const wordEnd = eq === -1 ? scanWord(s, wordStart, NAME, undefined, this.closer) : scanWord(s, wordStart, COMMAND_WORD, this.substitution, this.closer);
        if (wordEnd <= wordStart) return undefined;
        if (wordEnd === eq + 1 && !endsEmptyAssignment(s.charCodeAt(wordEnd))) return undefined;
        this.pos = wordEnd;
        end = wordEnd;
        if (eq !== -1) {
          assignments.push(makeAssignment(text, wordStart, wordEnd, s.slice(wordStart, eq)));
        } else {
          if (!isOrdinaryName(s, wordStart, wordEnd)) {
            // `X=1 export A` is a plain command to tree-sitter-bash: only a declaration that comes first is read.
            if (wordStart !== start || !DECLARATIONS.has(s.slice(wordStart, wordEnd))) return undefined;
            declaration = true;
          }
          name = makeWord(text, wordStart, wordEnd);
          break;
        }
      }
      this.skipBlanks();
    }
    if (name === undefined) {
      // `>f` alone, or nothing: tree-sitter-bash makes no command of it (or an error); it reads `A=1 B=2` and a
      // command on the next line as one command.
      if (redirects.length > 0 || assignments.length !== 1) return undefined;
      return { cmd: undefined, start, end, trailing: false };
    }
    const args: ShellWord[] = [];
    let trailing = false;
    let spanEnd = end;
    for (;;) {
      this.skipBlanks();
      if (!this.atWordOrRedirect()) break;
      const redirect = this.redirect();
      if (redirect === null) return undefined;
      if (redirect !== undefined) {
        redirects.push(redirect);
        trailing = true;
        spanEnd = this.pos;
        continue;
      }
      // tree-sitter-bash puts words after a redirect inside that redirect.
      if (trailing) return undefined;
      const wordEnd = declaration ? this.declarationArgument(args, !name.text.startsWith("unset")) : this.argument(args);
      if (wordEnd < 0) return undefined;
      this.pos = wordEnd;
      end = wordEnd;
      spanEnd = wordEnd;
    }
    const cmd: ShellCommand = {
      name, args, assignments, redirects, span: text.span(start, spanEnd), connector: undefined, pipeline: undefined,
      negated: false, within: this.within, inSubstitution: this.within.length > 0, nested: undefined, wrapper: undefined,
    };
    return { cmd, start, end, trailing };
  }

  /** An argument at pos (pushed onto args); its end, or -1. */
  private argument(args: ShellWord[]): number {
    const s = this.s;
    const start = this.pos;
    const end = scanWord(s, start, ARGUMENT, this.substitution, this.closer);
    if (end <= start || !isOrdinaryArgument(s, start, end)) return -1;
    // tree-sitter-bash drops a `-` argument before `2>f` or a lone `$`, and repairs escaped blanks only between spaces and tabs.
    if (end === start + 1 && s.charCodeAt(start) === DASH) {
      const next = s.charCodeAt(this.skipBlanksFrom(end));
      if (isDigit(next) || next === DOLLAR) return -1;
    }
    if (this.carriageReturns && hasEscapedBlank(s, start, end)) return -1;
    args.push(makeWord(this.text, start, end));
    return end;
  }

  /**
   * An argument of `export`-like builtins at pos: an assignment (not for `unset`), a name or a flag, the words
   * tree-sitter-bash reads there as bash does; its end, or -1.
   */
  private declarationArgument(args: ShellWord[], assignments: boolean): number {
    const s = this.s;
    const start = this.pos;
    const eq = assignmentEquals(s, start);
    const end = scanWord(s, start, COMMAND_WORD, this.substitution, this.closer);
    if (end <= start) return -1;
    if (eq === -1) {
      if (!isNameOrFlag(s, start, end)) return -1;
      args.push(makeWord(this.text, start, end));
    } else {
      if (!assignments || (end === eq + 1 && !endsEmptyAssignment(s.charCodeAt(end)))) return -1;
      args.push(makeAssignment(this.text, start, end, s.slice(start, eq)));
    }
    return end;
  }

  /** Whether a word or a redirect starts here (not the end, a separator, an operator or a comment). */
  private atWordOrRedirect(): boolean {
    const s = this.s;
    if (this.pos >= s.length) return false;
    const c = s.charCodeAt(this.pos);
    if (c === NEWLINE || c === SEMICOLON || c === PIPE || c === HASH || c === this.closer) return false;
    return c !== AMPERSAND || s.charCodeAt(this.pos + 1) === GREATER;
  }

  /**
   * A redirect at pos: the redirect (pos moved past it), undefined when there is none (pos unchanged), or null
   * when it is one the fast path leaves to tree-sitter-bash (heredocs, here-strings, `<>`, `>|`, `>&-`, ...).
   */
  private redirect(): ShellRedirect | undefined | null {
    const s = this.s;
    const start = this.pos;
    let i = start;
    while (isDigit(s.charCodeAt(i))) i++;
    let descriptor: number | undefined;
    const c = s.charCodeAt(i);
    if (i > start) {
      if (c !== GREATER && c !== LESS) return undefined;
      if (s.charCodeAt(start) === ZERO) return null; // tree-sitter-bash reads `0>` as the word 0 and `>`
      descriptor = Number(s.slice(start, i));
    }
    let op: string;
    const next = s.charCodeAt(i + 1);
    if (c === AMPERSAND) {
      if (next !== GREATER || s.charCodeAt(i + 2) === GREATER || s.charCodeAt(i + 2) === AMPERSAND) return null;
      op = "&>";
    } else if (c === GREATER) {
      op = next === GREATER ? ">>" : next === AMPERSAND ? ">&" : ">";
      if (next === PIPE || next === OPEN_PAREN) return null;
    } else if (c === LESS) {
      if (next === LESS || next === GREATER || next === OPEN_PAREN) return null;
      op = next === AMPERSAND ? "<&" : "<";
    } else {
      return undefined;
    }
    i += op.length;
    if (op === ">&" || op === "<&") {
      // Only `N>&M` with a digit target: `>&-` and `>&file` are left to tree-sitter-bash.
      const targetStart = i;
      while (isDigit(s.charCodeAt(i))) i++;
      if (i === targetStart || !endsWord(s.charCodeAt(i))) return null;
      return this.finishRedirect(start, op, descriptor, targetStart, i);
    }
    if (op === "&>" && s.charCodeAt(i) === GREATER) return null;
    while (s.charCodeAt(i) === SPACE || s.charCodeAt(i) === TAB) i++;
    if (s.charCodeAt(i) === HASH) return null;
    const targetEnd = scanWord(s, i, COMMAND_WORD, undefined, this.closer);
    if (targetEnd <= i) return null;
    return this.finishRedirect(start, op, descriptor, i, targetEnd);
  }

  private finishRedirect(start: number, op: string, descriptor: number | undefined, targetStart: number, targetEnd: number): ShellRedirect {
    this.pos = targetEnd;
    const target = makeWord(this.text, targetStart, targetEnd);
    const span: Span = this.text.span(start, targetEnd);
    return { op, descriptor, target, heredoc: undefined, span };
  }

  private skipBlanks(): void {
    this.pos = this.skipBlanksFrom(this.pos);
  }

  private skipBlanksFrom(i: number): number {
    const s = this.s;
    for (let c = s.charCodeAt(i); c === SPACE || c === TAB || c === CARRIAGE_RETURN; c = s.charCodeAt(++i));
    return i;
  }

  private skipComment(): void {
    if (this.s.charCodeAt(this.pos) !== HASH) return;
    const nl = this.s.indexOf("\n", this.pos);
    this.pos = nl === -1 ? this.s.length : nl;
  }

  /** Blanks, comments and newlines. */
  private skipLinebreaks(): void {
    for (;;) {
      this.skipBlanks();
      this.skipComment();
      if (this.s.charCodeAt(this.pos) !== NEWLINE) return;
      this.pos++;
    }
  }
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= 0x39;
}

function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === UNDERSCORE;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || isDigit(c);
}

/** Characters that end an unquoted word (NaN: the end of the text). */
function endsWord(c: number): boolean {
  return c === SPACE || c === TAB || c === CARRIAGE_RETURN || c === NEWLINE || c === SEMICOLON || c === AMPERSAND || c === PIPE ||
    c === LESS || c === GREATER || Number.isNaN(c);
}

/** In WORD_CHARS: `[A-Za-z0-9_./-]`, plain in every word. */
const NAME_CHAR = 1;
/** In WORD_CHARS: `:=+,@%^~*?`, plain except in command names. */
const PLAIN_CHAR = 2;
/** For ASCII: the characters that stand for themselves in an unquoted word; everything else is looked at. */
const WORD_CHARS: Uint8Array = (() => {
  const table = new Uint8Array(0x80);
  for (let c = 0; c < 0x80; c++) {
    if (isNameChar(c) || c === DOT || c === SLASH || c === DASH) table[c] = NAME_CHAR;
  }
  for (const c of ":=+,@%^~*?") table[c.charCodeAt(0)] = PLAIN_CHAR;
  return table;
})();

/** Where a word stands: tree-sitter-bash reads some words differently in command position. */
const ARGUMENT = 0;
/** A command name, an assignment or a redirect target. */
const COMMAND_WORD = 1;
/** A command name: some characters split it in tree-sitter-bash. */
const NAME = 2;

/**
 * The end of the word that starts at i, or -1 when it holds something the fast path leaves to tree-sitter-bash:
 * substitutions, `$'...'`, braces, parentheses, `!`, carriage returns and other control or blank characters, and
 * the spots where tree-sitter-bash splits or joins words unlike bash: `#` after a digit (`2#1` is a number), an
 * escape after a quote, an expansion or a bracket, a literal `$` after punctuation. In command position (names,
 * assignments, redirect targets) it also drops escaped blanks and misreads a literal `$`; parse.ts repairs escaped
 * blanks in arguments only, and not those after a quote or an expansion. Names keep to `[A-Za-z0-9_./-]` unquoted.
 */
function scanWord(s: string, i: number, where: number, sub: Substitution | undefined, closer: number): number {
  const n = s.length;
  const start = i;
  let quotedBefore = false;
  /** The previous character when it was a plain unquoted one, else -1. */
  let prev = -1;
  // tree-sitter-bash can join a word after a newline to the quoted word before it.
  if (s.charCodeAt(i) === BACKSLASH && s.charCodeAt(i - 1) === NEWLINE) return -1;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      // The common case first: characters that stand for themselves.
      const kind = WORD_CHARS[c];
      if (kind === NAME_CHAR || (kind === PLAIN_CHAR && where !== NAME)) {
        prev = c;
        i++;
        continue;
      }
    }
    if (endsWord(c) || c === closer) {
      // `x1>f`: tree-sitter-bash may read the digit as the redirect's descriptor.
      return isDigit(prev) && (c === GREATER || c === LESS) ? -1 : i;
    }
    if (c === SINGLE_QUOTE) {
      const close = s.indexOf("'", i + 1);
      if (close === -1) return -1;
      i = close + 1;
      quotedBefore = true;
      prev = -1;
    } else if (c === DOUBLE_QUOTE) {
      i = scanDoubleQuoted(s, i + 1, sub);
      if (i < 0) return -1;
      quotedBefore = true;
      prev = -1;
    } else if (c === BACKSLASH) {
      const next = s.charCodeAt(i + 1);
      if (Number.isNaN(next) || next === NEWLINE || !isOrdinary(next) || prev === OPEN_BRACKET || prev === CLOSE_BRACKET) return -1;
      if (quotedBefore && (where !== ARGUMENT || next === SPACE)) return -1;
      // tree-sitter-bash reads `\\ ==` as a test operator.
      if (next === SPACE && (where !== ARGUMENT || s.charCodeAt(i + 2) === EQUALS)) return -1;
      i += 2;
      prev = -1;
    } else if (c === DOLLAR) {
      const next = scanDollar(s, i, false, sub);
      if (next < 0 || prev === OPEN_BRACKET || prev === CLOSE_BRACKET) return -1;
      // A literal `$` only in an argument, after a word character (tree-sitter-bash may join a lone `$` to the
      // word before it).
      if (next === i + 1 && (where !== ARGUMENT || i === start || !isNameChar(prev))) return -1;
      if (where !== ARGUMENT && s.charCodeAt(i + 1) === DOLLAR) return -1;
      i = next;
      quotedBefore = true;
      prev = isDigit(s.charCodeAt(i - 1)) ? s.charCodeAt(i - 1) : -1;
    } else if (c === HASH) {
      if (!(isNameStart(prev) || isPunctuationBeforeHash(prev))) return -1;
      if (where === NAME || (where === COMMAND_WORD && prev === EQUALS)) return -1; // `A=#...`
      prev = c;
      i++;
    } else if (c === OPEN_PAREN || c === CLOSE_PAREN || c === OPEN_BRACE || c === CLOSE_BRACE || c === BANG || c === BACKTICK || !isOrdinary(c)) {
      return -1; // ( ) { } ! `
    } else if (where === NAME && c < 0x80 && !isNameChar(c) && c !== DOT && c !== SLASH && c !== DASH) {
      return -1; // outside [A-Za-z0-9_./-]
    } else if (where === COMMAND_WORD && (c === OPEN_BRACKET || c === CLOSE_BRACKET)) {
      return -1; // `A=[*$@`: tree-sitter-bash reads brackets in assignments and redirect targets as globs
    } else {
      prev = c;
      i++;
    }
  }
  return i;
}

/** Reads the `$(...)` at an index for a word scanner: the index after its `)`, or -1. */
type Substitution = (i: number) => number;

/** `_./:@%+,=~^*?-`: after these, tree-sitter-bash keeps a `#` in the word. */
function isPunctuationBeforeHash(c: number): boolean {
  return c === UNDERSCORE || c === DOT || c === SLASH || c === 0x3a || c === 0x40 || c === 0x25 || c === 0x2b || c === 0x2c ||
    c === EQUALS || c === TILDE || c === 0x5e || c === 0x2a || c === 0x3f || c === DASH;
}

/** From just after an opening `"`: the index after the closing one, or -1. */
function scanDoubleQuoted(s: string, i: number, sub: Substitution | undefined): number {
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === DOUBLE_QUOTE) return i + 1;
    if (c === BACKSLASH) {
      const next = s.charCodeAt(i + 1);
      if (Number.isNaN(next) || next === NEWLINE || !isOrdinary(next)) return -1;
      i += 2;
    } else if (c === DOLLAR) {
      i = scanDollar(s, i, true, sub);
      if (i < 0) return -1;
    } else if (c === BACKTICK || (c !== NEWLINE && !isOrdinary(c))) {
      return -1;
    } else {
      i++;
    }
  }
  return -1;
}

/** From a `$`: the index after `$NAME`, `$1`, `$@`, `${NAME}`, `${NAME:-word}` or a literal `$`; -1 otherwise. */
function scanDollar(s: string, i: number, quoted: boolean, sub: Substitution | undefined): number {
  const c = s.charCodeAt(i + 1);
  if (c === OPEN_PAREN) {
    // tree-sitter-bash starts the substitution at an escaped blank right before it (`\\ $(id)`), and in a string at
    // blanks before it (`" $(id)"`, `"$A $(id)"`); it is left the spans tree-sitter-bash gives then.
    const before = s.charCodeAt(i - 1);
    const blank = before === SPACE || before === TAB || before === NEWLINE || before === CARRIAGE_RETURN;
    if (sub === undefined || (blank && (quoted || s.charCodeAt(i - 2) === BACKSLASH))) return -1;
    return sub(i);
  }
  if (isNameStart(c)) {
    let k = i + 2;
    while (isNameChar(s.charCodeAt(k))) k++;
    return k;
  }
  // `$1` is left to tree-sitter-bash: it reads `x$1` as two words and `$1>f` as a redirect from descriptor `$1`.
  if (c === 0x40 || c === 0x2a || c === 0x3f || c === DOLLAR) return i + 2; // $@ $* $? $$
  if (c === OPEN_BRACE) return scanBraced(s, i + 2);
  if (quoted && c === DOUBLE_QUOTE) return i + 1;
  // A `$` before a blank or the end is literal; anything else is left to tree-sitter-bash.
  if (Number.isNaN(c) || c === SPACE || c === TAB || c === NEWLINE) return i + 1;
  return -1;
}

/** From just after `${`: `NAME}` or `NAME<op>word}` with a plain word; the index after `}`, or -1. */
function scanBraced(s: string, i: number): number {
  if (!isNameStart(s.charCodeAt(i))) return -1;
  let k = i + 1;
  while (isNameChar(s.charCodeAt(k))) k++;
  if (s.charCodeAt(k) === CLOSE_BRACE) return k + 1;
  const op = EXPANSION_OPERATORS.find((o) => s.startsWith(o, k));
  if (op === undefined) return -1;
  k += op.length;
  for (let c = s.charCodeAt(k); c !== CLOSE_BRACE; c = s.charCodeAt(++k)) {
    if (!isPlainWordChar(c)) return -1;
  }
  return k + 1;
}

/** Characters of a plain word in `${NAME:-word}`: letters, digits and `_./:@%+,-`. */
function isPlainWordChar(c: number): boolean {
  return isNameChar(c) || c === DOT || c === SLASH || c === 0x3a || c === 0x40 || c === 0x25 || c === 0x2b || c === 0x2c || c === DASH;
}

/**
 * Characters the fast path reads as tree-sitter-bash does inside words: printable ASCII and other characters
 * that are neither control characters nor blanks of any kind (tree-sitter-bash splits words at Unicode spaces).
 */
function isOrdinary(c: number): boolean {
  if (c >= 0x20 && c < 0x7f) return true;
  if (c < 0xa0) return false;
  return !(c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200b) || c === 0x2028 || c === 0x2029 || c === 0x202f ||
    c === 0x205f || c === 0x3000 || c === 0xfeff || c === 0x180e || c === 0x85);
}

function hasEscapedBlank(s: string, start: number, end: number): boolean {
  const k = s.indexOf("\\ ", start);
  return k !== -1 && k < end;
}

/**
 * Whether tree-sitter-bash reads an argument as one word: not one of escaped blanks alone (`\\ `, which can end
 * its command), of brackets alone (`[ ]` is read as one word), nor a test operator (`==`, `=~`).
 */
function isOrdinaryArgument(s: string, start: number, end: number): boolean {
  const first = s.charCodeAt(start);
  if (first === EQUALS && (s.charCodeAt(start + 1) === EQUALS || s.charCodeAt(start + 1) === TILDE)) return false;
  if (first !== OPEN_BRACKET && first !== CLOSE_BRACKET && first !== BACKSLASH) return true;
  let escapedBlanks = true;
  let brackets = true;
  for (let k = start; k < end; k++) {
    const c = s.charCodeAt(k);
    if (c !== OPEN_BRACKET && c !== CLOSE_BRACKET) brackets = false;
    if (c !== ((k - start) % 2 === 0 ? BACKSLASH : SPACE)) escapedBlanks = false;
  }
  return !brackets && !(escapedBlanks && (end - start) % 2 === 0);
}

/** What may follow `A=` with an empty value: tree-sitter-bash reads `A=>f` and `A=|b` as values. */
function endsEmptyAssignment(c: number): boolean {
  return c === SPACE || c === TAB || c === NEWLINE || c === SEMICOLON || Number.isNaN(c);
}

/** The index of `=` when the word at start is an assignment (`NAME=...`), else -1. */
function assignmentEquals(s: string, start: number): number {
  if (!isNameStart(s.charCodeAt(start))) return -1;
  let k = start + 1;
  while (isNameChar(s.charCodeAt(k))) k++;
  // tree-sitter-bash reads `_=x` as a command name.
  if (k === start + 1 && s.charCodeAt(start) === UNDERSCORE) return -1;
  return s.charCodeAt(k) === EQUALS ? k : -1;
}

/**
 * Whether a command name is one that tree-sitter-bash reads as a plain command: not a keyword, a declaration
 * builtin, a test (`[`, `[[`), a word starting with `#`, or a word with `=` (which might be read as an assignment).
 */
function isOrdinaryName(s: string, start: number, end: number): boolean {
  const first = s.charCodeAt(start);
  if (first === DASH) return false; // `-` alone is no command for tree-sitter-bash
  if (first === OPEN_BRACKET || first === CLOSE_BRACKET || first === HASH) return false;
  for (let k = start; k < end; k++) if (s.charCodeAt(k) === EQUALS) return false;
  // A keyword followed by more (`unset''`, `if$x`) is still the keyword to tree-sitter-bash.
  let k = start;
  while (k < end && isNameStart(s.charCodeAt(k))) k++;
  return k - start > 8 || !SPECIAL_NAMES.has(s.slice(start, k));
}

/** `NAME` or `-flags`: the plain words of a declaration. */
function isNameOrFlag(s: string, start: number, end: number): boolean {
  let k = start;
  if (s.charCodeAt(k) === DASH) {
    k++;
    if (k === end) return false;
    for (; k < end; k++) if (!isNameStart(s.charCodeAt(k))) return false;
    return true;
  }
  if (!isNameStart(s.charCodeAt(k))) return false;
  for (k++; k < end; k++) if (!isNameChar(s.charCodeAt(k))) return false;
  return true;
}
