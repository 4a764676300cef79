// A Dockerfile parser that reproduces BuildKit's (moby/buildkit frontend/dockerfile/parser) results exactly and
// also keeps where every piece came from. The line handling, directives, continuation and heredoc rules follow
// BuildKit's behaviour; the argument parsing of each instruction follows BuildKit's per-instruction line parsers.
import type { Span } from "../core/finding.ts";
import { DrydockError } from "../core/errors.ts";
import { concatMapped, LineIndex, MappedText } from "../core/text.ts";
import type {
  ArgDeclaration, CommandForm, Comment, Directive, DirectiveName, Dockerfile, EscapeToken, Flag, Heredoc, Instruction,
  InstructionKind, KeyValue, ParseWarning, Word,
} from "./ast.ts";
import { isRe2Space, isSeparator, isSpace, separatorSplit, skipSpaces, trimEndSpaces, utf8Length } from "./lex.ts";

export interface ParseOptions {
  /** Name used in spans and errors. */
  file?: string;
}

/** Larger inputs are refused rather than parsed: no real Dockerfile comes near this. */
export const MAX_DOCKERFILE_CHARS = 16 * 1024 * 1024;
/** BuildKit reads lines with Go's bufio.Scanner, whose default limit is 64 KiB per line. */
export const MAX_LINE_BYTES = 65535;

const KINDS: ReadonlySet<string> = new Set<InstructionKind>([
  "add", "arg", "cmd", "copy", "entrypoint", "env", "expose", "from", "healthcheck", "label", "maintainer", "onbuild",
  "run", "shell", "stopsignal", "user", "volume", "workdir",
]);
/** The keywords as usually written (all upper or all lower case) and what they are, without case conversions. */
const KEYWORDS: ReadonlyMap<string, { kind: InstructionKind; upper: string }> = new Map(
  [...KINDS].flatMap((kind) => {
    const known = { kind: kind as InstructionKind, upper: kind.toUpperCase() };
    return [[kind, known], [known.upper, known]] as const;
  }),
);
const DIRECTIVES: ReadonlySet<string> = new Set<DirectiveName>(["syntax", "escape", "check"]);
const HEREDOC_KINDS: ReadonlySet<string> = new Set(["add", "copy", "run"]);

interface RawLine {
  /** Offset of the first character. */
  start: number;
  /** Offset after the last character that is not a trailing \r or \n. */
  contentEnd: number;
  /** Offset after the line's newline. */
  end: number;
}

interface Piece {
  start: number;
  end: number;
}

// Room for the offsets of lines with continuations is cut from shared chunks: a typed array of more than a few
// elements gets a buffer of its own outside the heap, which costs more than filling it. A chunk lives as long as a
// line cut from it (at most CHUNK_SIZE * 4 bytes kept for a model); long lines get arrays of their own. A line of
// one piece needs no offsets at all (MappedText.contiguous).
const CHUNK_SIZE = 16384;
let chunk = new Int32Array(CHUNK_SIZE);
let chunkUsed = 0;

/** Room for `length` offsets: an array and the index where the room starts in it. */
function offsetsFor(length: number): { array: Int32Array; base: number } {
  if (length > CHUNK_SIZE / 8) return { array: new Int32Array(length), base: 0 };
  if (chunkUsed + length > CHUNK_SIZE) {
    chunk = new Int32Array(CHUNK_SIZE);
    chunkUsed = 0;
  }
  const base = chunkUsed;
  chunkUsed += length;
  return { array: chunk, base };
}

function joinPieces(text: string, pieces: readonly Piece[]): string {
  let out = "";
  for (const p of pieces) out += text.slice(p.start, p.end);
  return out;
}

/**
 * Parses a Dockerfile. Throws DrydockError (DOCKERFILE_SYNTAX, DOCKERFILE_EMPTY, INPUT_BINARY, INPUT_TOO_LARGE)
 * with the file, line and column of the problem.
 */
export function parseDockerfile(input: string, options: ParseOptions = {}): Dockerfile {
  return new Parser(input, options.file ?? "Dockerfile").parse();
}

class Parser {
  readonly file: string;
  readonly text: string;
  readonly source: LineIndex;
  private pos = 0;
  private lineNo = 0;
  private escape: EscapeToken = "\\";
  private escapeCode = 0x5c;
  private directivesDone = false;
  private readonly seenDirectives = new Set<string>();
  private readonly directives: Directive[] = [];
  private readonly comments: Comment[] = [];
  private readonly warnings: ParseWarning[] = [];

  constructor(input: string, file: string) {
    this.file = file;
    // A byte-order mark at the start is dropped, as BuildKit does.
    this.text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
    this.source = new LineIndex(this.text);
  }

  parse(): Dockerfile {
    if (this.text.length > MAX_DOCKERFILE_CHARS) {
      throw new DrydockError("INPUT_TOO_LARGE", `file is larger than ${MAX_DOCKERFILE_CHARS / 1024 / 1024} MiB: not a Dockerfile`, {
        location: this.location(this.source.span(0, 0)),
      });
    }
    const nul = this.text.indexOf("\0");
    if (nul !== -1) {
      throw new DrydockError("INPUT_BINARY", "binary data (a NUL byte): not a Dockerfile", {
        location: this.location(this.source.span(nul, nul + 1)),
      });
    }

    const instructions: Instruction[] = [];
    let prevComments: string[] = [];
    for (let raw = this.nextLine(); raw !== undefined; raw = this.nextLine()) {
      const first = skipSpaces(this.text, raw.start, raw.contentEnd);
      const isComment = first < raw.contentEnd && this.text.charCodeAt(first) === 0x23;
      if (isComment) {
        const commentText = this.text.slice(first + 1, raw.contentEnd).trim();
        this.comments.push({ text: commentText, span: this.source.span(first, raw.contentEnd) });
        prevComments = commentText === "" ? [] : [...prevComments, commentText];
      }
      if (this.directiveLine(first, raw.contentEnd)) prevComments.pop();
      const startLine = this.lineNo;
      if (isComment) continue;

      // The first line of an instruction: leading whitespace stripped.
      const pieces: Piece[] = [];
      let cont = this.trimContinuation(first, raw.contentEnd);
      if (cont.continues === false && cont.end === first) continue; // blank line
      pieces.push({ start: first, end: cont.end });
      let lastEnd = raw.contentEnd;
      let emptyContinuation: number | undefined;
      while (cont.continues) {
        const next = this.nextLine();
        if (next === undefined) break;
        const nFirst = skipSpaces(this.text, next.start, next.contentEnd);
        if (nFirst < next.contentEnd && this.text.charCodeAt(nFirst) === 0x23) {
          this.comments.push({ text: this.text.slice(nFirst + 1, next.contentEnd).trim(), span: this.source.span(nFirst, next.contentEnd) });
          continue;
        }
        if (nFirst === next.contentEnd) {
          emptyContinuation ??= this.lineNo;
          continue;
        }
        cont = this.trimContinuation(next.start, next.contentEnd);
        pieces.push({ start: next.start, end: cont.end });
        lastEnd = next.contentEnd;
      }
      const line = this.buildLine(pieces, lastEnd);
      if (emptyContinuation !== undefined) {
        const at = this.source.lineStart(emptyContinuation);
        this.warnings.push({
          code: "EMPTY_CONTINUATION",
          message: `empty continuation line in: ${line.text}`,
          span: this.source.span(at, at),
        });
      }
      const span = this.source.span(first, lastEnd);
      const inst = this.instruction(line, span, prevComments);
      this.readHeredocs(inst, line, startLine);
      instructions.push(inst);
      prevComments = [];
    }
    if (instructions.length === 0) {
      throw new DrydockError("DOCKERFILE_EMPTY", "file with no instructions", {
        location: this.location(this.source.span(this.text.length, this.text.length)),
      });
    }
    return {
      file: this.file,
      source: this.source,
      escapeToken: this.escape,
      directives: this.directives,
      comments: this.comments,
      instructions,
      warnings: this.warnings,
    };
  }

  private nextLine(): RawLine | undefined {
    const start = this.pos;
    if (start >= this.text.length) return undefined;
    const nl = this.text.indexOf("\n", start);
    const end = nl === -1 ? this.text.length : nl + 1;
    let contentEnd = end;
    while (contentEnd > start) {
      const c = this.text.charCodeAt(contentEnd - 1);
      if (c !== 0x0a && c !== 0x0d) break;
      contentEnd--;
    }
    this.pos = end;
    this.lineNo++;
    if (end - start > MAX_LINE_BYTES / 3 && utf8Length(this.text.slice(start, end)) > MAX_LINE_BYTES + 1) {
      throw new DrydockError("INPUT_TOO_LARGE", `line longer than ${MAX_LINE_BYTES} bytes (BuildKit's limit)`, {
        location: this.location(this.source.span(start, start)),
      });
    }
    return { start, contentEnd, end };
  }

  /**
   * BuildKit looks for parser directives in the leading comment lines; the first line that is not one (a blank
   * line, an instruction, any other comment, an unknown directive) ends the search. Returns true for a directive.
   */
  private directiveLine(first: number, end: number): boolean {
    if (this.directivesDone) return false;
    const t = this.text;
    if (first >= end || t.charCodeAt(first) !== 0x23) {
      this.directivesDone = true;
      return false;
    }
    let i = skipSpaces(t, first + 1, end);
    const nameStart = i;
    if (!isAsciiLetter(t.charCodeAt(i))) return this.endDirectives();
    i++;
    while (i < end && (isAsciiLetter(t.charCodeAt(i)) || isDigit(t.charCodeAt(i)))) i++;
    const nameEnd = i;
    while (i < end && isRe2Space(t.charCodeAt(i))) i++;
    if (t.charCodeAt(i) !== 0x3d) return this.endDirectives();
    i++;
    while (i < end && isRe2Space(t.charCodeAt(i))) i++;
    let valueEnd = end;
    while (valueEnd > i && isRe2Space(t.charCodeAt(valueEnd - 1))) valueEnd--;
    if (valueEnd <= i) return this.endDirectives();
    const name = t.slice(nameStart, nameEnd).toLowerCase();
    if (!DIRECTIVES.has(name)) return this.endDirectives();
    const span = this.source.span(first, end);
    if (this.seenDirectives.has(name)) {
      throw new DrydockError("DOCKERFILE_SYNTAX", `only one ${name} parser directive can be used`, { location: this.location(span) });
    }
    this.seenDirectives.add(name);
    const value = t.slice(i, valueEnd);
    if (name === "escape") {
      if (value !== "\\" && value !== "`") {
        throw new DrydockError("DOCKERFILE_SYNTAX", `invalid escape token '${value}' does not match \` or \\`, {
          location: this.location(this.source.span(i, valueEnd)),
        });
      }
      this.escape = value;
      this.escapeCode = value.charCodeAt(0);
    }
    this.directives.push({ name: name as DirectiveName, value, span });
    return true;
  }

  private endDirectives(): false {
    this.directivesDone = true;
    return false;
  }

  /**
   * A line continues when its last character other than spaces and tabs is the escape token and that token
   * is not itself escaped (BuildKit's `([^E])E[ \t]*$|^E[ \t]*$`). Returns where the kept text ends.
   */
  private trimContinuation(start: number, end: number): { end: number; continues: boolean } {
    const t = this.text;
    let j = end;
    while (j > start && (t.charCodeAt(j - 1) === 0x20 || t.charCodeAt(j - 1) === 0x09)) j--;
    if (j > start && t.charCodeAt(j - 1) === this.escapeCode) {
      if (j - 1 === start) return { end: start, continues: true };
      if (t.charCodeAt(j - 2) !== this.escapeCode) return { end: j - 1, continues: true };
    }
    return { end, continues: false };
  }

  private buildLine(pieces: Piece[], lastEnd: number): MappedText {
    const first = pieces[0];
    if (pieces.length === 1 && first !== undefined) {
      return new MappedText(this.text.slice(first.start, first.end), undefined, this.source, lastEnd, first.start);
    }
    let length = 0;
    for (const p of pieces) length += p.end - p.start;
    const { array, base } = offsetsFor(length);
    let at = base;
    for (const p of pieces) {
      for (let o = p.start; o < p.end; o++) array[at++] = o;
    }
    return new MappedText(joinPieces(this.text, pieces), array, this.source, lastEnd, base);
  }



  private location(span: Span): { kind: "text"; file: string; start: Span["start"]; end: Span["end"] } {
    return { kind: "text", file: this.file, start: span.start, end: span.end };
  }

  private syntaxError(message: string, span: Span): DrydockError {
    return new DrydockError("DOCKERFILE_SYNTAX", message, { location: this.location(span) });
  }

  /** One logical line → an instruction (BuildKit's newNodeFromLine and its per-instruction line parsers). */
  private instruction(line: MappedText, span: Span, comments: string[]): Instruction {
    const s = line.text;
    const a = skipSpaces(s, 0);
    const b = trimEndSpaces(s, a, s.length);
    let k = a;
    while (k < b && !isSeparator(s.charCodeAt(k))) k++;
    const keywordText = s.slice(a, k);
    let flags: Flag[] = [];
    let restStart = b;
    if (k < b) {
      let f = k;
      while (f < b && isSeparator(s.charCodeAt(f))) f++;
      const extracted = this.extractFlags(line, f, b);
      flags = extracted.flags;
      restStart = skipSpaces(s, extracted.rest, b);
    }
    const rest = line.slice(restStart, b);
    const known = KEYWORDS.get(keywordText);
    let kind: InstructionKind;
    if (known !== undefined) kind = known.kind;
    else {
      const lower = keywordText.toLowerCase();
      kind = (KINDS.has(lower) ? lower : "unknown") as InstructionKind;
    }
    const base = {
      keyword: known?.upper ?? keywordText.toUpperCase(),
      keywordText,
      keywordSpan: line.span(a, k),
      span,
      endLine: span.end.line,
      original: s,
      line,
      flags,
      rest,
      args: [] as Word[],
      json: false,
      heredocs: [] as Heredoc[],
      comments,
    };
    const word = (start: number, end: number, value: string = rest.text.slice(start, end)): Word => ({
      value,
      span: rest.span(start, end),
    });
    const whole = (): Word[] => (rest.text === "" ? [] : [word(0, rest.text.length)]);
    const separated = (): Word[] => separatorSplit(rest.text).map(([x, y]) => word(x, y));

    switch (kind) {
      case "add":
      case "copy":
      case "volume": {
        const json = this.maybeJson(rest, span);
        const args = json ?? separated();
        const common = { ...base, args, json: json !== undefined };
        if (kind === "volume") return { ...common, kind, items: args };
        return { ...common, kind, sources: args.slice(0, -1), destination: args.length > 1 ? args[args.length - 1] : undefined };
      }
      case "run":
      case "cmd":
      case "entrypoint":
      case "shell": {
        const { args, command, json } = this.command(rest, span);
        return { ...base, kind, args, json, command };
      }
      case "healthcheck": {
        const t = rest.text;
        let sep = 0;
        while (sep < t.length && !isSpace(t.charCodeAt(sep))) sep++;
        if (sep === 0) return { ...base, kind, type: undefined, command: undefined };
        const type = word(0, sep);
        const { args, command, json } = this.command(rest.slice(skipSpaces(t, sep)), span);
        return { ...base, kind, args: [type, ...args], json, type, command };
      }
      case "env":
      case "label": {
        const pairs = this.nameValues(rest, kind, span);
        const args: Word[] = [];
        for (const p of pairs) {
          args.push(p.key, p.value, { value: p.legacy ? "" : "=", span: p.value.span });
        }
        return { ...base, kind, args, pairs };
      }
      case "arg": {
        const parts = this.words(rest);
        const args = parts.map(([x, y, v]) => word(x, y, v));
        const declarations = parts.map(([x, y, v]): ArgDeclaration => {
          const eq = v.indexOf("=");
          if (eq === -1) return { name: word(x, y, v), value: undefined };
          const srcEq = rest.text.indexOf("=", x);
          return { name: word(x, srcEq, v.slice(0, eq)), value: word(srcEq + 1, y, v.slice(eq + 1)) };
        });
        return { ...base, kind, args, declarations };
      }
      case "expose": {
        const args = separated();
        return { ...base, kind, args, items: args };
      }
      case "from": {
        const args = separated();
        const hasAs = args.length >= 3 && args[1]?.value.toLowerCase() === "as";
        return {
          ...base, kind, args, image: args[0], asKeyword: hasAs ? args[1] : undefined, stageName: hasAs ? args[2] : undefined,
        };
      }
      case "maintainer":
      case "stopsignal":
      case "user":
      case "workdir": {
        const args = whole();
        return { ...base, kind, args, value: args[0] };
      }
      case "onbuild": {
        if (rest.text === "") return { ...base, kind, inner: undefined };
        const outer = { ...base, kind, inner: undefined as Instruction | undefined };
        const inner = this.instruction(rest, rest.span(0, rest.text.length), []);
        inner.parent = outer;
        outer.inner = inner;
        return outer;
      }
      case "unknown":
        return { ...base, kind };
    }
  }

  /** RUN/CMD/ENTRYPOINT/SHELL arguments: exec form when they are a JSON array of strings, else shell form. */
  private command(rest: MappedText, span: Span): { args: Word[]; json: boolean; command: CommandForm | undefined } {
    if (rest.text === "") return { args: [], json: false, command: undefined };
    const json = this.maybeJson(rest, span);
    if (json !== undefined) {
      return { args: json, json: true, command: { form: "exec", args: json, span: rest.span(0, rest.text.length) } };
    }
    const w = { value: rest.text, span: rest.span(0, rest.text.length) };
    return { args: [w], json: false, command: { form: "shell", script: rest, span: w.span } };
  }

  /**
   * BuildKit's parseJSON: text starting with '[' that is a JSON array of strings is exec form; a JSON array
   * with anything but strings is an error; anything else is not JSON (the caller falls back to shell form).
   */
  private maybeJson(rest: MappedText, span: Span): Word[] | undefined {
    const t = rest.text;
    if (t.charCodeAt(0) !== 0x5b) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(t);
    } catch {
      if (looksLikeExecForm(t)) {
        this.warnings.push({
          code: "INVALID_JSON",
          message: "looks like an exec-form (JSON) array but is not valid JSON, so it runs as a shell command",
          span: rest.span(0, t.length),
        });
      }
      return undefined;
    }
    if (!Array.isArray(parsed)) return undefined;
    if (!parsed.every((x) => typeof x === "string")) {
      throw this.syntaxError("when using JSON array syntax, arrays must be comprised of strings only", span);
    }
    const words: Word[] = [];
    let i = 1;
    for (const value of parsed as string[]) {
      while (t.charCodeAt(i) !== 0x22) i++;
      const start = i++;
      while (t.charCodeAt(i) !== 0x22) i += t.charCodeAt(i) === 0x5c ? 2 : 1;
      i++;
      words.push({ value, span: rest.span(start, i) });
    }
    return words;
  }

  /** BuildKit's flag extraction: leading words starting with `--`, quotes and escapes processed; `--` ends them. */
  private extractFlags(line: MappedText, from: number, to: number): { flags: Flag[]; rest: number } {
    const s = line.text;
    const flags: Flag[] = [];
    let i = from;
    while (i < to) {
      i = skipSpaces(s, i, to);
      if (i >= to) return { flags, rest: to };
      if (s.charCodeAt(i) !== 0x2d || i + 1 >= to || s.charCodeAt(i + 1) !== 0x2d) return { flags, rest: i };
      const start = i;
      let value = "";
      let quote = 0;
      let eq = -1;
      // Most flags hold no quote and no escape: the value is the text as written.
      let plainEnd = i;
      for (let c = s.charCodeAt(plainEnd); plainEnd < to && !isSpace(c) && c !== 0x22 && c !== 0x27 && c !== this.escapeCode; c = s.charCodeAt(++plainEnd)) {
        if (eq === -1 && c === 0x3d) eq = plainEnd;
      }
      const plain = plainEnd >= to || isSpace(s.charCodeAt(plainEnd));
      if (plain) {
        value = s.slice(start, plainEnd);
        i = plainEnd;
      } else {
        eq = -1;
      }
      while (!plain && i < to) {
        const c = s.charCodeAt(i);
        if (quote === 0) {
          if (isSpace(c)) break;
          if (c === 0x22 || c === 0x27) { quote = c; i++; continue; }
        } else if (c === quote) { quote = 0; i++; continue; }
        if (c === this.escapeCode) {
          if (i + 1 >= to) { i++; continue; }
          i++;
        }
        if (eq === -1 && s.charCodeAt(i) === 0x3d) eq = i;
        value += s[i];
        i++;
      }
      if (value === "--") return { flags, rest: i };
      if (value !== "" || quote !== 0) {
        const eqInValue = value.indexOf("=");
        flags.push({
          name: eqInValue === -1 ? value.slice(2) : value.slice(2, eqInValue),
          value: eqInValue === -1 ? undefined : value.slice(eqInValue + 1),
          raw: value,
          span: line.span(start, i),
          valueSpan: eq === -1 ? undefined : line.span(eq + 1, i),
        });
      }
    }
    return { flags, rest: to };
  }

  /**
   * BuildKit's parseWords: split on whitespace outside quotes; quotes and escape tokens are kept in the word
   * (they are processed later, at expansion). Returns [start, end, value] triples.
   */
  private words(rest: MappedText): [number, number, string][] {
    const s = rest.text;
    const out: [number, number, string][] = [];
    const esc = this.escapeCode;
    let i = 0;
    while (i < s.length) {
      while (i < s.length && isSpace(s.charCodeAt(i))) i++;
      if (i >= s.length) break;
      const start = i;
      let value = "";
      let quote = 0;
      let blankOk = false;
      for (; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (quote === 0) {
          if (isSpace(c)) break;
          if (c === 0x22 || c === 0x27) { quote = c; blankOk = true; }
          if (c === esc) {
            if (i + 1 === s.length) continue;
            value += s[i];
            i++;
          }
          value += s[i];
        } else {
          if (c === quote) quote = 0;
          if (c === esc && quote !== 0x27) {
            if (i + 1 === s.length) { quote = 0; continue; }
            value += s[i];
            i++;
          }
          value += s[i];
        }
      }
      if (blankOk || value !== "") out.push([start, i, value]);
    }
    return out;
  }

  /** ENV and LABEL: the legacy `KEY value` form or `k=v ...` pairs (BuildKit's parseNameVal). */
  private nameValues(rest: MappedText, kind: "env" | "label", span: Span): KeyValue[] {
    const words = this.words(rest);
    const first = words[0];
    if (first === undefined) return [];
    const s = rest.text;
    if (!first[2].includes("=")) {
      let k = 0;
      while (k < s.length && !isSeparator(s.charCodeAt(k))) k++;
      let v = k;
      while (v < s.length && isSeparator(s.charCodeAt(v))) v++;
      if (k >= s.length) throw this.syntaxError(`${kind.toUpperCase()} must have two arguments`, span);
      return [{
        key: { value: s.slice(0, k), span: rest.span(0, k) },
        value: { value: s.slice(v), span: rest.span(v, s.length) },
        legacy: true,
      }];
    }
    return words.map(([start, end, value]) => {
      const eq = value.indexOf("=");
      if (eq === -1) {
        throw this.syntaxError(`Syntax error - can't find = in ${JSON.stringify(value)}. Must be of the form: name=value`, rest.span(start, end));
      }
      // The key has no quotes or escapes before '=' in practice; find '=' in the source range to place the value.
      const srcEq = s.indexOf("=", start);
      return {
        key: { value: value.slice(0, eq), span: rest.span(start, srcEq) },
        value: { value: value.slice(eq + 1), span: rest.span(srcEq + 1, end) },
        legacy: false,
      };
    });
  }

  /** After an instruction that may have heredocs (RUN/COPY/ADD, also under ONBUILD), read their bodies. */
  private readHeredocs(inst: Instruction, line: MappedText, startLine: number): void {
    const target = inst.kind === "onbuild" ? inst.inner : inst;
    if (target === undefined || !HEREDOC_KINDS.has(target.kind) || target.json || !line.text.includes("<<")) return;
    const openers = heredocOpeners(line.text, (message) => this.syntaxError(message, inst.span));
    for (const opener of openers) {
      const bodyStart = this.pos;
      let content = "";
      let terminated = false;
      let bodyEnd = bodyStart;
      for (let raw = this.nextLine(); raw !== undefined; raw = this.nextLine()) {
        let from = raw.start;
        if (opener.chomp) while (from < raw.contentEnd && this.text.charCodeAt(from) === 0x09) from++;
        if (this.text.slice(from, raw.contentEnd) === opener.name) {
          terminated = true;
          break;
        }
        content += this.text.slice(raw.start, raw.end);
        bodyEnd = raw.end;
      }
      if (!terminated) {
        const at = this.source.lineStart(startLine);
        throw this.syntaxError(`unterminated heredoc: no line "${opener.name}" ends the heredoc opened on line ${startLine}`, {
          start: this.source.position(at),
          end: this.source.position(this.text.length),
        });
      }
      const heredoc: Heredoc = {
        ...opener,
        content,
        body: MappedText.contiguous(this.source, bodyStart, bodyEnd),
        span: this.source.span(bodyStart, this.lineEndBefore(this.pos)),
      };
      inst.heredocs.push(heredoc);
      if (target !== inst) target.heredocs.push(heredoc);
    }
    if (inst.heredocs.length > 0) {
      const last = inst.heredocs[inst.heredocs.length - 1];
      const endLine = last === undefined ? inst.endLine : this.source.position(this.lineEndBefore(this.pos)).line;
      inst.endLine = endLine;
      if (target !== inst) target.endLine = endLine;
      if (target.kind === "run" && target.command?.form === "shell") {
        target.command = { ...target.command, script: withHeredocBodies(target.command.script, this.source, inst.heredocs) };
      }
    }
  }

  /** The offset just before the newline that ends the line containing pos - 1. */
  private lineEndBefore(pos: number): number {
    let e = pos;
    while (e > 0 && (this.text.charCodeAt(e - 1) === 0x0a || this.text.charCodeAt(e - 1) === 0x0d)) e--;
    return e;
  }
}

/** The shell as bash sees it: the command line, then the heredoc bodies and their delimiter lines. */
function withHeredocBodies(script: MappedText, source: LineIndex, heredocs: Heredoc[]): MappedText {
  const first = heredocs[0];
  const last = heredocs[heredocs.length - 1];
  if (first === undefined || last === undefined) return script;
  const nlAt = script.sourceOffset(script.text.length);
  const newline = new MappedText("\n", Int32Array.of(nlAt), source, nlAt + 1);
  const bodies = MappedText.contiguous(source, first.span.start.offset, last.span.end.offset);
  return concatMapped([script, newline, bodies], source);
}

function isAsciiLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * Text that BuildKit runs as a shell command although its author meant an exec-form array: it starts like a
 * JSON array of strings (`["a", ...` or `['a', ...`) or never closes the bracket. A shell test such as
 * `[ -f x ] && y` is neither.
 */
function looksLikeExecForm(t: string): boolean {
  if (!t.includes("]")) return true;
  return /^\[\s*(?:"[^"]*"|'[^']*')\s*(?:,|\]\s*$)/.test(t);
}

interface HeredocOpener {
  name: string;
  fileDescriptor: number;
  expand: boolean;
  chomp: boolean;
}

/**
 * The heredocs a line opens, in order. BuildKit splits the line into words keeping quotes and escapes, and a
 * word of the form `[n]<<[-]WORD` opens a heredoc named by WORD with quotes removed; a quoted WORD turns
 * expansion of the body off.
 */
export function heredocOpeners(line: string, fail: (message: string) => Error): HeredocOpener[] {
  const words = shellWords(line, true, true);
  if (words instanceof Error) return [];
  const out: HeredocOpener[] = [];
  for (const w of words) {
    const m = /^(\d*)<<(-?)[\t\n\f\r ]*([^<]*)$/.exec(w);
    if (m === null) continue;
    const rest = m[3] ?? "";
    if (rest === "") continue;
    const plain = shellWords(rest, false, false);
    if (plain instanceof Error) throw fail(plain.message);
    if (plain.length !== 1) continue;
    const raw = shellWords(rest, true, false);
    if (raw instanceof Error) throw fail(raw.message);
    const name = plain[0] ?? "";
    const fd = Number.parseInt(m[1] ?? "", 10);
    out.push({
      name,
      fileDescriptor: Number.isNaN(fd) ? 0 : fd,
      expand: countQuotes(name) === countQuotes(raw[0] ?? ""),
      chomp: m[2] === "-",
    });
  }
  return out;
}

function countQuotes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s[i] === "'" || s[i] === '"') n++;
  return n;
}

/**
 * Word splitting of BuildKit's shell lexer as the heredoc detection uses it (escape token `\`, no environment,
 * unset variables left as written). rawQuotes/rawEscapes keep quote characters and escapes in the words.
 */
function shellWords(s: string, rawQuotes: boolean, rawEscapes: boolean): string[] | Error {
  const words: string[] = [];
  let buf = "";
  let inWord = false;
  const flush = (): void => {
    if (buf !== "") words.push(buf);
    buf = "";
    inWord = false;
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i] ?? "";
    if (c === "'") {
      const close = s.indexOf("'", i + 1);
      if (close === -1) return new Error("unexpected end of statement while looking for matching single-quote");
      buf += rawQuotes ? s.slice(i, close + 1) : s.slice(i + 1, close);
      inWord = true;
      i = close + 1;
    } else if (c === '"') {
      let j = i + 1;
      let inner = rawQuotes ? '"' : "";
      for (;;) {
        if (j >= s.length) return new Error("unexpected end of statement while looking for matching double-quote");
        const d = s[j] ?? "";
        if (d === '"') break;
        if (d === "\\") {
          if (rawEscapes) inner += d;
          const e = s[j + 1];
          if (e === undefined) { j++; continue; }
          if (e === '"' || e === "$" || e === "\\") { inner += e; j += 2; continue; }
          if (!rawEscapes) inner += d;
          j++;
          continue;
        }
        inner += d;
        j++;
      }
      buf += rawQuotes ? `${inner}"` : inner;
      inWord = true;
      i = j + 1;
    } else if (c === "<" && s[i + 1] === "<") {
      let j = i + 2;
      while (j < s.length && (s[j] === " " || s[j] === "\t")) j++;
      buf += s.slice(i, j);
      inWord = true;
      i = j;
    } else if (c === "\\") {
      if (rawEscapes) buf += c;
      if (i + 1 >= s.length) break;
      buf += s[i + 1];
      inWord = true;
      i += 2;
    } else if (isSpace(c.charCodeAt(0))) {
      if (inWord) flush();
      i++;
    } else {
      buf += c;
      inWord = true;
      i++;
    }
  }
  flush();
  return words;
}
