// A hand-written parser for the shell most RUNs hold: simple commands with prefix assignments and `export`-like
// declarations, joined by `&&`, `||`, `;`, `&`, `|`, `|&` and newlines; `!`; `if`/`elif`/`else`, `for ... in`,
// `while`/`until`, `case` with plain patterns, `{ ...; }` and `( ... )`, also as pipeline stages; `[ ... ]`/`[[ ... ]]`
// tests of the usual shapes; words of plain text, quotes, escapes, `$VAR`, `${VAR:-x}`, `${VAR#pattern}` and `$(...)`
// (read recursively); comments; `>`, `>>`, `<`, `&>`, `N>file`, `N>&M` redirections. It builds exactly the
// ShellScript that the tree-sitter-bash path (parse.ts) builds, quirks of that tree included, at a fraction of the
// cost, and gives up on anything else (heredocs, here-strings, functions, arithmetic, backticks, process
// substitution, the spots where tree-sitter-bash's tree is odd ...) by returning undefined, so that parse.ts falls
// back to tree-sitter-bash. test/shell/fast.test.ts compares the two paths on generated scripts, and
// test/shell/fast-corpus.test.ts on every RUN of the real corpus.
import type { Span } from "../core/finding.ts";
import type { MappedText } from "../core/text.ts";
import type {
  ShellCommand, ShellConnector, ShellContext, ShellPipeline, ShellRedirect, ShellScript,
} from "./parse.ts";
import { makeAssignment, makeWord, type ShellAssignment, type ShellWord } from "./word.ts";
import { substitutionDepth } from "./query.ts";

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

/**
 * One statement as a pipeline stage: a simple command, or (cmd undefined) a statement of assignments only (`A=1`), a
 * test (`[ -f x ]`) or a compound command (`if`, `for`, `{ ... }` ...), whose commands are pushed as they are read.
 */
interface Stage {
  cmd: ShellCommand | undefined;
  /** Where the statement without its trailing redirects starts and ends (tree-sitter-bash's `command` node). */
  start: number;
  end: number;
  /** Where it ends with its trailing redirects. */
  spanEnd: number;
  /** Redirects after the name: tree-sitter-bash wraps the statement they end in a `redirected_statement`. */
  trailing: boolean;
  /** A test (no command of its own) or a compound command (commands pushed as read). */
  compound: "test" | "compound" | undefined;
  /** this.commands' length before and after the statement was read (a compound's commands are in between). */
  before: number;
  after: number;
  /** After `!`. */
  negated: boolean;
}

const NO_ENDS: readonly string[] = [];
const THEN: readonly string[] = ["then"];
const IF_BODY_ENDS: readonly string[] = ["elif", "else", "fi"];
const FI: readonly string[] = ["fi"];
const DO: readonly string[] = ["do"];
const DONE: readonly string[] = ["done"];
const CASE_BODY_ENDS: readonly string[] = [";;", "esac"];
const ESAC: readonly string[] = ["esac"];
const GROUP_END: readonly string[] = ["}"];
/** Compound commands too deeply nested are left to tree-sitter-bash. */
const MAX_NESTING = 64;
/** An unquoted operand of a test the fast path reads: a number, a plain word (`/etc/os-release`), `$A`, `${A}`. */
const PLAIN_OPERAND = /^(?:\d+|(?=[^ ]*[A-Za-z0-9])[A-Za-z_/.][A-Za-z0-9_./:,+-]*|\$[A-Za-z_]\w*|\$\{[A-Za-z_]\w*\})$/;
/** `[ ... ]` operators of two operands. */
const TEST_BINARY: ReadonlySet<string> = new Set(["=", "==", "!=", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef"]);

class SimpleParser {
  readonly text: MappedText;
  readonly s: string;
  readonly commands: ShellCommand[] = [];
  readonly pipelines: ShellPipeline[] = [];
  pos = 0;
  /** What encloses the commands being read (substitutions, `if`, loops, groups ...), outermost first. */
  private within: readonly ShellContext[] = NO_CONTEXT;
  /** How many `$(...)` enclose the commands being read. */
  private substitutionDepth = 0;
  /** The pipeline each pipeline position given out belongs to (ids are set at the end). */
  private pipelineOf: Map<NonNullable<ShellCommand["pipeline"]>, ShellPipeline> | undefined;
  /** Where the last statement a script() read ends (before its terminator). */
  private lastStatementEnd = 0;
  /** The character that ends the script being read: `)` inside `$(...)`, none (-1) at the top. */
  private closer = -1;
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
   * A list of statements separated by `;`, `&` and newlines, up to the end of the whole script, the `)` of the
   * `$(...)` or `(...)` being read (closer), or one of `ends` at the start of a statement (`then`, `fi`, `done`, `;;`
   * ...), where it stops. Inside anything at least one statement (unless empty is allowed). False when the fast path
   * cannot read it.
   */
  script(ends: readonly string[] = NO_ENDS, empty = false): boolean {
    const s = this.s;
    const top = this.closer === -1 && ends.length === 0;
    // tree-sitter-bash has no newline tokens: an operator before newlines and comments is the connector.
    let pending: ShellConnector | undefined;
    let afterStatement = false;
    for (;;) {
      this.skipLinebreaks();
      if (this.pos >= s.length) return top;
      if (s.charCodeAt(this.pos) === this.closer || (ends.length > 0 && this.endAt(ends) !== undefined)) return afterStatement || empty;
      if (!this.list(pending ?? (afterStatement ? "\n" : undefined))) return false;
      pending = undefined;
      afterStatement = true;
      this.lastStatementEnd = this.pos;
      this.skipBlanks();
      this.skipComment();
      if (this.pos >= s.length) return top;
      const c = s.charCodeAt(this.pos);
      if (c === this.closer) return true;
      if (c === NEWLINE) {
        this.pos++;
      } else if (c === SEMICOLON || c === AMPERSAND) {
        const next = s.charCodeAt(this.pos + 1);
        // `;;` ends a case item's commands; `;&`, `;;&`, `&;` are left to tree-sitter-bash.
        if (c === SEMICOLON && next === SEMICOLON && ends === CASE_BODY_ENDS && this.endAt(ends) !== undefined) return true;
        if (next === SEMICOLON || next === AMPERSAND) return false;
        pending = c === SEMICOLON ? ";" : "&";
        this.pos++;
      } else {
        return false;
      }
    }
  }

  /** The one of `ends` that starts at pos as a word of its own (`;;` not followed by `&`), or undefined. */
  private endAt(ends: readonly string[]): string | undefined {
    const s = this.s;
    for (const end of ends) {
      if (!s.startsWith(end, this.pos)) continue;
      const after = s.charCodeAt(this.pos + end.length);
      if (end === ";;" ? after !== AMPERSAND : endsKeyword(after)) return end;
    }
    return undefined;
  }

  /** Reads `word` (one of the ends script() stopped at). */
  private expect(word: string): boolean {
    if (this.endAt([word]) === undefined) return false;
    this.pos += word.length;
    return true;
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
    if (s.charCodeAt(i + 2) === OPEN_PAREN || this.substitutionDepth >= MAX_SUBSTITUTION_DEPTH || this.within.length >= MAX_NESTING) return -1;
    const saved = { pos: this.pos, within: this.within, closer: this.closer, depth: this.substitutionDepth, last: this.lastStatementEnd };
    // The span is known once the `)` is found; the commands share the context object.
    const context: ShellContext = { kind: "substitution", span: this.text.span(i, i) };
    const before = this.commands.length;
    this.pos = i + 2;
    this.within = [...saved.within, context];
    this.closer = CLOSE_PAREN;
    this.substitutionDepth++;
    const read = this.script() && s.charCodeAt(this.pos) === CLOSE_PAREN && this.commands.length > before;
    const end = this.pos + 1;
    this.pos = saved.pos;
    this.within = saved.within;
    this.closer = saved.closer;
    this.substitutionDepth = saved.depth;
    this.lastStatementEnd = saved.last;
    if (!read) return -1;
    context.span = this.text.span(i, end);
    return end;
  }

  /**
   * The commands in source order (a substitution's are read before the command they are an argument of, a compound
   * stage's before the pipeline's simple commands).
   */
  finishCommands(): ShellCommand[] {
    const commands = this.commands;
    for (let i = 1; i < commands.length; i++) {
      if ((commands[i - 1] as ShellCommand).span.start.offset > (commands[i] as ShellCommand).span.start.offset) {
        return commands.sort((a, b) => a.span.start.offset - b.span.start.offset);
      }
    }
    return commands;
  }

  /** The pipelines, each command of one pointing at it by index. */
  finishPipelines(): ShellPipeline[] {
    if (this.pipelineOf === undefined) return this.pipelines;
    const ids = new Map<ShellPipeline, number>();
    this.pipelines.forEach((p, id) => ids.set(p, id));
    for (const [position, pipeline] of this.pipelineOf) position.id = ids.get(pipeline) ?? -1;
    return this.pipelines;
  }

  /**
   * One statement, or simple commands joined by `|` or `|&`. tree-sitter-bash reads some pipelines wrongly (`a | b |
   * c\nd && e` as `a | (b | c d && e)`, `a | b >f | c` as `(a | b >f) | c`): those are left to it, to give what it gives.
   */
  private pipeline(connector: ShellConnector | undefined, firstOfList: boolean): boolean {
    const s = this.s;
    // tree-sitter-bash's order: a pipeline comes before the pipelines inside its stages' substitutions.
    const mark = this.pipelines.length;
    const first = this.statement();
    if (first === undefined) return false;
    this.skipBlanks();
    if (s.charCodeAt(this.pos) !== PIPE || s.charCodeAt(this.pos + 1) === PIPE) {
      if (first.cmd !== undefined) {
        first.cmd.connector = connector;
        this.commands.push(first.cmd);
      }
      return true;
    }
    const stages: Stage[] = [first];
    const operators: ("|" | "|&")[] = [];
    while (s.charCodeAt(this.pos) === PIPE && s.charCodeAt(this.pos + 1) !== PIPE) {
      const op = s.charCodeAt(this.pos + 1) === AMPERSAND ? "|&" : "|";
      this.pos += op.length;
      this.skipLinebreaks();
      const next = this.statement();
      if (next === undefined) return false;
      stages.push(next);
      operators.push(op);
      this.skipBlanks();
    }
    // Three or more stages then a newline: tree-sitter-bash may join the last command to the next line's; and it
    // puts a trailing redirect around the last two stages only.
    if (stages.length > 2 && (s.charCodeAt(this.pos) === NEWLINE || s.charCodeAt(this.pos) === HASH || (stages[stages.length - 1] as Stage).trailing)) return false;
    const own: ShellCommand[][] = [];
    for (let i = 0; i < stages.length; i++) {
      const stage = stages[i] as Stage;
      // tree-sitter-bash reads `a && b >f | c` as `(a && b >f) | c`; an assignment alone is a stage of no command.
      if (stage.trailing && i < stages.length - 1 && (i > 0 || !firstOfList)) return false;
      if (stage.negated && (stage.compound !== undefined || (i > 0 && stages.length > 2))) return false;
      if (stage.compound === "compound") {
        // A compound stage's commands (not those of its substitutions) are the stage's: each is in the pipeline unless
        // it is in a pipeline of its own inside.
        const depth = this.substitutionDepth;
        const commands = this.commands.slice(stage.before, stage.after).filter((c) => substitutionDepth(c) === depth);
        if (commands.length === 0) return false;
        own.push(commands.sort((a, b) => a.span.start.offset - b.span.start.offset));
      } else if (stage.cmd !== undefined && stage.compound === undefined) {
        own.push([stage.cmd]);
      } else {
        return false;
      }
    }
    // Ids are set by finishPipelines, once every pipeline has its place.
    const last = stages[stages.length - 1] as Stage;
    const pipeline: ShellPipeline = {
      // `! a >f | b`: the redirect's statement, not the negation, is the first stage in tree-sitter-bash's tree.
      span: this.text.span(first.start, last.end), stages: [], operators, negated: first.negated && !first.trailing, within: this.within,
    };
    for (let i = 0; i < stages.length; i++) {
      const stage = stages[i] as Stage;
      const commands = own[i] as ShellCommand[];
      for (const cmd of commands) {
        if (cmd.pipeline !== undefined) continue;
        cmd.pipeline = { index: i, length: stages.length, id: -1 };
        (this.pipelineOf ??= new Map()).set(cmd.pipeline, pipeline);
      }
      if (stage.cmd !== undefined) {
        stage.cmd.connector = i === 0 ? connector : operators[i - 1];
        this.commands.push(stage.cmd);
      }
      // A trailing redirect of the last stage redirects the whole pipeline in tree-sitter-bash's tree, so the last
      // stage (and the pipeline) end before it.
      const end = i === stages.length - 1 && stage.trailing ? stage.end : stage.spanEnd;
      pipeline.stages.push({ span: this.text.span(stage.start, end), commands });
    }
    this.pipelines.splice(mark, 0, pipeline);
    return true;
  }

  /** A statement: `!` and a statement, a compound command, a test, or a simple command. */
  private statement(): Stage | undefined {
    const before = this.commands.length;
    const stage = this.readStatement();
    if (stage === undefined) return undefined;
    stage.before = before;
    stage.after = this.commands.length;
    return stage;
  }

  private readStatement(): Stage | undefined {
    const s = this.s;
    this.skipBlanks();
    const start = this.pos;
    if (s.charCodeAt(start) === BANG) {
      if (!isBlank(s.charCodeAt(start + 1))) return undefined;
      this.pos++;
      this.skipBlanks();
      // tree-sitter-bash reads `! {` as a command named `{`: after `!`, only a simple command, a test or a subshell.
      const compound = this.compoundAt(this.pos);
      if (s.charCodeAt(this.pos) === BANG || (compound !== undefined && compound !== "[" && compound !== "[[" && compound !== "(")) return undefined;
      const inner = this.statement();
      if (inner === undefined) return undefined;
      if (inner.cmd !== undefined) inner.cmd.negated = true;
      return { ...inner, start, negated: true };
    }
    if (this.within.length >= MAX_NESTING) return undefined;
    switch (this.compoundAt(start)) {
      case "if":
        return this.ifStatement(start);
      case "for":
        return this.forStatement(start);
      case "while":
      case "until":
        return this.whileStatement(start);
      case "case":
        return this.caseStatement(start);
      case "{":
        return this.group(start);
      case "(":
        return this.subshell(start);
      case "[":
        return this.test(start, "]");
      case "[[":
        return this.test(start, "]]");
      default:
        return this.command();
    }
  }

  /** The compound command or test that starts at i, by its opening word. */
  private compoundAt(i: number): string | undefined {
    const s = this.s;
    const c = s.charCodeAt(i);
    if (c === OPEN_BRACE) return isBlank(s.charCodeAt(i + 1)) || s.charCodeAt(i + 1) === NEWLINE ? "{" : undefined;
    if (c === OPEN_PAREN) return s.charCodeAt(i + 1) === OPEN_PAREN ? undefined : "(";
    if (c === OPEN_BRACKET) {
      if (s.charCodeAt(i + 1) === OPEN_BRACKET) return isBlank(s.charCodeAt(i + 2)) ? "[[" : undefined;
      return isBlank(s.charCodeAt(i + 1)) ? "[" : undefined;
    }
    // Most statements are commands: a look at the first letter rules nearly all of them out.
    let word: string;
    if (c === 0x69) word = "if";
    else if (c === 0x66) word = "for";
    else if (c === 0x77) word = "while";
    else if (c === 0x75) word = "until";
    else if (c === 0x63) word = "case";
    else return undefined;
    if (!s.startsWith(word, i)) return undefined;
    const after = s.charCodeAt(i + word.length);
    return isBlank(after) || after === NEWLINE ? word : undefined;
  }

  /** A context whose span is set when the structure's end is found. */
  private context(kind: ShellContext["kind"], start: number): ShellContext {
    return { kind, span: this.text.span(start, start) };
  }

  /** `if ...; then ...; [elif ...; then ...;]... [else ...;] fi`. */
  private ifStatement(start: number): Stage | undefined {
    const outer = this.within;
    const ifContext = this.context("if", start);
    const inIf = [...outer, ifContext];
    const condition = this.context("condition", start);
    const conditions = [{ context: condition, start, end: -1 }];
    this.pos = start + 2;
    this.within = [...inIf, condition];
    let ok = this.script(THEN) && this.expect("then");
    this.within = inIf;
    ok = ok && this.script(IF_BODY_ENDS);
    let word = ok ? this.endAt(IF_BODY_ENDS) : undefined;
    while (ok && word === "elif") {
      // An elif clause ends after its last command's terminator: the span of its condition context.
      const clause = { context: this.context("condition", this.pos), start: this.pos, end: -1 };
      conditions.push(clause);
      this.pos += 4;
      this.within = [...inIf, clause.context];
      ok = this.script(THEN) && this.expect("then");
      this.within = inIf;
      ok = ok && this.script(IF_BODY_ENDS);
      clause.end = ok ? this.clauseEnd() : -1;
      ok = ok && clause.end >= 0;
      word = ok ? this.endAt(IF_BODY_ENDS) : undefined;
    }
    if (ok && word === "else") {
      this.pos += 4;
      ok = this.script(FI);
    }
    this.within = outer;
    if (!ok || !this.expect("fi")) return undefined;
    const span = this.text.span(start, this.pos);
    ifContext.span = span;
    for (const c of conditions) c.context.span = c.end < 0 ? span : this.text.span(c.start, c.end);
    return this.compoundEnd(start);
  }

  /**
   * Where the clause script() just read ends in tree-sitter-bash's tree: after the `;` or newline that ends its last
   * statement; -1 when more than blanks follow that (further newlines, comments), where it is left to tree-sitter-bash.
   */
  private clauseEnd(): number {
    const s = this.s;
    let i = this.lastStatementEnd;
    while (s.charCodeAt(i) === SPACE || s.charCodeAt(i) === TAB) i++;
    const c = s.charCodeAt(i);
    if (c !== SEMICOLON && c !== NEWLINE) return -1;
    const end = i + 1;
    for (i = end; i < this.pos; i++) if (s.charCodeAt(i) !== SPACE && s.charCodeAt(i) !== TAB) return -1;
    return end;
  }

  /** `for NAME in WORDS; do ...; done`. */
  private forStatement(start: number): Stage | undefined {
    const s = this.s;
    const outer = this.within;
    const loop = this.context("loop", start);
    this.pos = start + 3;
    this.skipBlanks();
    const nameStart = this.pos;
    while (isNameChar(s.charCodeAt(this.pos))) this.pos++;
    if (this.pos === nameStart || !isNameStart(s.charCodeAt(nameStart)) || !isBlank(s.charCodeAt(this.pos))) return undefined;
    this.skipBlanks();
    if (!s.startsWith("in", this.pos) || !isBlank(s.charCodeAt(this.pos + 2))) return undefined;
    this.pos += 2;
    this.within = [...outer, loop];
    let ok = true;
    let words = 0;
    // The words are only looked into for substitutions (the loop's context is theirs).
    for (;;) {
      this.skipBlanks();
      const c = s.charCodeAt(this.pos);
      if (c === SEMICOLON || c === NEWLINE) {
        ok = words > 0; // `for x in ;` is an error to tree-sitter-bash
        break;
      }
      words++;
      if (!this.atWordOrRedirect() || c === LESS || c === GREATER || isDigit(c)) {
        ok = false;
        break;
      }
      const args: ShellWord[] = [];
      const end = this.argument(args);
      if (end < 0) {
        ok = false;
        break;
      }
      this.pos = end;
    }
    if (ok) {
      this.pos++;
      this.skipLinebreaks();
      ok = this.expect("do") && this.script(DONE) && this.expect("done");
    }
    return this.endCompound(start, outer, ok, loop);
  }

  /** `while ...; do ...; done`, `until ...; do ...; done`. */
  private whileStatement(start: number): Stage | undefined {
    const outer = this.within;
    const loop = this.context("loop", start);
    const inLoop = [...outer, loop];
    const condition = this.context("condition", start);
    this.pos = start + 5;
    this.within = [...inLoop, condition];
    let ok = this.script(DO) && this.expect("do");
    this.within = inLoop;
    ok = ok && this.script(DONE) && this.expect("done");
    return this.endCompound(start, outer, ok, loop, condition);
  }

  /** `case WORD in PATTERN|PATTERN) ...;; ... esac`, patterns of plain words. */
  private caseStatement(start: number): Stage | undefined {
    const s = this.s;
    const outer = this.within;
    const context = this.context("case", start);
    this.within = [...outer, context];
    this.pos = start + 4;
    this.skipBlanks();
    const word = this.argument([]);
    let ok = word > this.pos && isPlainOperand(s.slice(this.pos, word));
    if (ok) {
      this.pos = word;
      this.skipBlanks();
      ok = s.startsWith("in", this.pos) && (isBlank(s.charCodeAt(this.pos + 2)) || s.charCodeAt(this.pos + 2) === NEWLINE);
      this.pos += 2;
    }
    while (ok) {
      this.skipLinebreaks();
      if (this.endAt(ESAC) !== undefined) break;
      ok = this.casePatterns() && this.script(CASE_BODY_ENDS, true);
      if (ok && this.endAt(CASE_BODY_ENDS) === ";;") this.pos += 2;
    }
    return this.endCompound(start, outer, ok && this.expect("esac"), context);
  }

  /**
   * `a|b)`: words of plain characters (letters, digits, globs, `_./:@+=,-`) or quoted ones (`'x86_64'`, `"arm64"`
   * with no expansion) separated by `|`, then `)`.
   */
  private casePatterns(): boolean {
    const s = this.s;
    for (;;) {
      const begin = this.pos;
      for (let c = s.charCodeAt(this.pos); ; c = s.charCodeAt(this.pos)) {
        if (isPatternChar(c)) {
          this.pos++;
        } else if (c === SINGLE_QUOTE || c === DOUBLE_QUOTE) {
          const close = s.indexOf(c === SINGLE_QUOTE ? "'" : '"', this.pos + 1);
          if (close === -1) return false;
          for (let k = this.pos + 1; k < close; k++) if (!isOrdinary(s.charCodeAt(k)) || (c === DOUBLE_QUOTE && !isPatternChar(s.charCodeAt(k)))) return false;
          this.pos = close + 1;
        } else {
          break;
        }
      }
      if (this.pos === begin) return false;
      this.skipBlanks();
      const c = s.charCodeAt(this.pos);
      if (c === CLOSE_PAREN) {
        this.pos++;
        return true;
      }
      if (c !== PIPE) return false;
      this.pos++;
      this.skipBlanks();
    }
  }

  /** `{ ...; }`. */
  private group(start: number): Stage | undefined {
    const outer = this.within;
    const context = this.context("group", start);
    this.within = [...outer, context];
    this.pos = start + 1;
    return this.endCompound(start, outer, this.script(GROUP_END) && this.expect("}"), context);
  }

  /** `( ... )`. */
  private subshell(start: number): Stage | undefined {
    const outer = this.within;
    const closer = this.closer;
    const context = this.context("subshell", start);
    this.within = [...outer, context];
    this.closer = CLOSE_PAREN;
    this.pos = start + 1;
    const ok = this.script() && this.s.charCodeAt(this.pos) === CLOSE_PAREN;
    this.closer = closer;
    if (ok) this.pos++;
    return this.endCompound(start, outer, ok, context);
  }

  /** After a compound command read inside contexts: they get its span; then its trailing redirects. */
  private endCompound(start: number, outer: readonly ShellContext[], ok: boolean, ...contexts: ShellContext[]): Stage | undefined {
    this.within = outer;
    if (!ok) return undefined;
    const span = this.text.span(start, this.pos);
    for (const c of contexts) c.span = span;
    return this.compoundEnd(start);
  }

  /**
   * `[ EXPRESSION ]`, `[[ EXPRESSION ]]`: no command, but substitutions in its words are read. Only expressions of
   * the usual shapes (`-f x`, `"$a" = b`, `! ...`, joined by `-a`/`-o` in `[ ]`), which tree-sitter-bash reads
   * without error.
   */
  private test(start: number, close: string): Stage | undefined {
    const s = this.s;
    this.pos = start + close.length;
    const words: string[] = [];
    for (;;) {
      this.skipBlanks();
      if (s.startsWith(close, this.pos) && endsKeyword(s.charCodeAt(this.pos + close.length))) {
        this.pos += close.length;
        break;
      }
      const c = s.charCodeAt(this.pos);
      if (!this.atWordOrRedirect() || c === LESS || c === GREATER || (c === AMPERSAND)) return undefined;
      const args: ShellWord[] = [];
      const end = c === BANG && isBlank(s.charCodeAt(this.pos + 1)) ? this.pos + 1 : this.argument(args);
      if (end < 0) return undefined;
      words.push(s.slice(this.pos, end));
      this.pos = end;
    }
    if (!isTestExpression(words, close === "]")) return undefined;
    const stage = this.compoundEnd(start);
    return stage === undefined ? undefined : { ...stage, compound: "test" };
  }

  /** After a compound command or test: its trailing redirects, then the end of the statement. */
  private compoundEnd(start: number): Stage | undefined {
    const s = this.s;
    const end = this.pos;
    for (;;) {
      const blanks = this.pos;
      this.skipBlanks();
      const c = s.charCodeAt(this.pos);
      if (!(isDigit(c) || c === LESS || c === GREATER || (c === AMPERSAND && s.charCodeAt(this.pos + 1) === GREATER))) {
        this.pos = blanks;
        break;
      }
      const redirect = this.redirect();
      if (redirect === null || redirect === undefined) return undefined;
    }
    const spanEnd = this.pos;
    this.skipBlanks();
    const c = s.charCodeAt(this.pos);
    const atEnd = this.pos >= s.length || c === NEWLINE || c === SEMICOLON || c === AMPERSAND || c === PIPE || c === HASH || c === this.closer;
    this.pos = spanEnd;
    if (!atEnd) return undefined;
    return { cmd: undefined, start, end, spanEnd, trailing: spanEnd > end, compound: "compound", negated: false, before: 0, after: 0 };
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
      return { cmd: undefined, start, end, spanEnd: end, trailing: false, compound: undefined, negated: false, before: 0, after: 0 };
    }
    const args: ShellWord[] = [];
    let trailing = false;
    let spanEnd = end;
    let redirectStart = -1;
    for (;;) {
      this.skipBlanks();
      if (!this.atWordOrRedirect()) break;
      const at = this.pos;
      const redirect = this.redirect();
      if (redirect === null) return undefined;
      if (redirect !== undefined) {
        redirects.push(redirect);
        trailing = true;
        redirectStart = at;
        spanEnd = this.pos;
        continue;
      }
      if (trailing) {
        // tree-sitter-bash puts words after a redirect inside it (`echo >&2 "error"`): they are the command's
        // arguments, and the redirect's span runs to their end. Its escaped-blank repair does not reach them.
        const last = redirects[redirects.length - 1];
        const wordEnd = declaration ? -1 : this.argument(args);
        // (A substitution there is walked before the pipeline the command may end: left to tree-sitter-bash.)
        if (last === undefined || wordEnd < 0 || s.slice(at, wordEnd).includes("\\") || s.slice(at, wordEnd).includes("$(")) return undefined;
        last.span = text.span(redirectStart, wordEnd);
        this.pos = wordEnd;
        spanEnd = wordEnd;
        continue;
      }
      const wordEnd = declaration ? this.declarationArgument(args, !name.text.startsWith("unset")) : this.argument(args);
      if (wordEnd < 0) return undefined;
      this.pos = wordEnd;
      end = wordEnd;
      spanEnd = wordEnd;
    }
    const cmd: ShellCommand = {
      name, args, assignments, redirects, span: text.span(start, spanEnd), connector: undefined, pipeline: undefined,
      negated: false, within: this.within, inSubstitution: this.substitutionDepth > 0, nested: undefined, wrapper: undefined,
    };
    return { cmd, start, end, spanEnd, trailing, compound: undefined, negated: false, before: 0, after: 0 };
  }

  /** An argument at pos (pushed onto args); its end, or -1. */
  argument(args: ShellWord[]): number {
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
      if (i === targetStart || !(endsWord(s.charCodeAt(i)) || s.charCodeAt(i) === this.closer)) return null;
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

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

/** What may follow a reserved word (`then`, `fi`, `}` ...) for it to be one. */
function endsKeyword(c: number): boolean {
  return Number.isNaN(c) || c === SPACE || c === TAB || c === NEWLINE || c === SEMICOLON || c === AMPERSAND || c === PIPE || c === CLOSE_PAREN;
}

/** Characters of a plain case pattern: letters, digits, `_./:@+=,-` and the globs `*?`. */
function isPatternChar(c: number): boolean {
  return isNameChar(c) || c === DOT || c === SLASH || c === DASH || c === 0x3a || c === 0x40 || c === 0x2b || c === EQUALS ||
    c === 0x2c || c === 0x2a || c === 0x3f;
}

/**
 * Whether test words form an expression of the shapes the fast path reads: `[!] OPERAND`, `[!] -op OPERAND`,
 * `[!] OPERAND BINARY OPERAND`, joined by `-a`/`-o` (single brackets only). Operands are words that are not
 * operators: quoted whole, or numbers, plain words and variables.
 */
function isTestExpression(words: readonly string[], single: boolean): boolean {
  let i = 0;
  const operand = (w: string | undefined): boolean => w !== undefined && isPlainOperand(w);
  for (;;) {
    if (words[i] === "!") i++;
    const w = words[i];
    if (w === undefined) return false;
    if (/^-[a-zA-Z]$/.test(w)) {
      if (!operand(words[i + 1])) return false;
      i += 2;
    } else if (operand(w)) {
      const op = words[i + 1];
      if (op !== undefined && TEST_BINARY.has(op)) {
        if (!operand(words[i + 2])) return false;
        i += 3;
      } else {
        i += 1;
      }
    } else {
      return false;
    }
    if (i === words.length) return true;
    if (!single || (words[i] !== "-a" && words[i] !== "-o")) return false;
    i++;
  }
}

/**
 * tree-sitter-bash reads test operands and case subjects with globs, a `/` alone, `1@`, escapes and the like as
 * patterns, arithmetic or errors: the fast path reads words quoted whole, numbers, plain words and variables.
 */
function isPlainOperand(w: string): boolean {
  return w.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, "") === "" ? /^["']/.test(w) : PLAIN_OPERAND.test(w);
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
    } else if (where === ARGUMENT && i === start && ((c === BANG && s.charCodeAt(i + 1) === EQUALS) || (c === OPEN_BRACE && s.charCodeAt(i + 1) === CLOSE_BRACE)) &&
      (endsWord(s.charCodeAt(i + 2)) || s.charCodeAt(i + 2) === closer)) {
      return i + 2; // `!=` (test's operator), `{}` (find's placeholder): whole words
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
  if (op !== undefined) {
    k += op.length;
    for (let c = s.charCodeAt(k); c !== CLOSE_BRACE; c = s.charCodeAt(++k)) {
      if (!isPlainWordChar(c)) return -1;
    }
    return k + 1;
  }
  // `${A#pattern}`, `${A%%pattern}`, `${A/pattern/word}`: a pattern of plain and glob characters.
  const pattern = PATTERN_OPERATORS.find((o) => s.startsWith(o, k));
  if (pattern === undefined) return -1;
  k += pattern.length;
  let slashes = 0;
  for (let c = s.charCodeAt(k); c !== CLOSE_BRACE; c = s.charCodeAt(++k)) {
    if (c === SLASH && pattern[0] === "/") slashes++;
    if (!isPatternWordChar(c) || slashes > 1) return -1;
  }
  return k + 1;
}

/** Operators of `${NAME<op>pattern}` that the fast path reads (longest first). */
const PATTERN_OPERATORS: readonly string[] = ["##", "#", "%%", "%", "//", "/"];

/** Characters of a pattern in `${NAME#pattern}`: those of a plain word, the globs `*?[]`, and `=`. */
function isPatternWordChar(c: number): boolean {
  return isPlainWordChar(c) || c === 0x2a || c === 0x3f || c === OPEN_BRACKET || c === CLOSE_BRACKET || c === EQUALS;
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
