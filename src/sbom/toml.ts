// A TOML reader for lockfiles (poetry.lock, uv.lock, Cargo.lock, Pipfile-adjacent files). It follows TOML 1.0,
// plus the two TOML 1.1 relaxations real files already use (newlines and a trailing comma inside inline tables).
// Dates and times are returned as their text: no lockfile we read needs them as values, and the text is lossless.
// Integers are numbers, or bigints beyond 2^53. Tables are plain objects, set with defineProperty so a key named
// "__proto__" is data, not a prototype change.
import { DrydockError } from "../core/errors.ts";

type Table = Record<string, unknown>;

const BARE_KEY_CHAR = /[A-Za-z0-9_-]/;
const VALUE_TOKEN_CHAR = /[0-9A-Za-z_+\-.:]/;
const DECIMAL_INTEGER = /^[+-]?(?:0|[1-9](?:_?[0-9])*)$/;
const PREFIXED_INTEGER = /^0(?:x[0-9A-Fa-f](?:_?[0-9A-Fa-f])*|o[0-7](?:_?[0-7])*|b[01](?:_?[01])*)$/;
const FLOAT = /^[+-]?(?:0|[1-9](?:_?[0-9])*)(?:\.[0-9](?:_?[0-9])*)?(?:[eE][+-]?[0-9](?:_?[0-9])*)?$/;
const SPECIAL_FLOAT = /^[+-]?(?:inf|nan)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?$/;
const LOCAL_TIME = /^\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;
const MAX_NESTING = 256;
/** Control characters TOML forbids inside strings and comments (tab is allowed). */
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F]/;

/**
 * Parses a TOML document. Throws DrydockError "INPUT_UNREADABLE" whose message gives the line and column and whose
 * location names `where` (the file as the user knows it).
 */
export function parseToml(text: string, where: string): Record<string, unknown> {
  return new TomlParser(text, where).parseDocument();
}

class TomlParser {
  readonly text: string;
  readonly where: string;
  pos = 0;
  readonly root: Table = {};
  /** Tables opened by a [header]: a second header for the same table is an error. */
  readonly headerTables = new WeakSet<Table>();
  /** Tables created by dotted keys: a later [header] cannot reopen them. */
  readonly dottedTables = new WeakSet<Table>();
  /** Inline tables and arrays written as values are closed: nothing may be added to them afterwards. */
  readonly closedValues = new WeakSet<object>();
  /** Arrays made by [[header]]s, which later [[header]]s extend. */
  readonly tableArrays = new WeakSet<unknown[]>();
  /** Nesting of arrays and inline tables, bounded so hostile input cannot exhaust the stack. */
  depth = 0;

  constructor(text: string, where: string) {
    this.text = text.startsWith("\uFEFF") ? text.slice(1) : text;
    this.where = where;
  }

  parseDocument(): Table {
    let current = this.root;
    for (;;) {
      this.skipBlankLines();
      if (this.pos >= this.text.length) return this.root;
      if (this.peek() === "[") current = this.parseHeader();
      else this.parseKeyValue(current, false);
      this.expectLineEnd();
    }
  }

  // ---- structure -------------------------------------------------------------------------------------------

  parseHeader(): Table {
    const start = this.pos;
    const isArray = this.text.startsWith("[[", this.pos);
    this.pos += isArray ? 2 : 1;
    this.skipSpaces();
    const keys = this.parseKey();
    this.skipSpaces();
    if (!this.text.startsWith(isArray ? "]]" : "]", this.pos)) this.fail(isArray ? "expected ']]' to close the table header" : "expected ']' to close the table header");
    this.pos += isArray ? 2 : 1;
    let table = this.root;
    for (const key of keys.slice(0, -1)) table = this.descendForHeader(table, key, start);
    const last = keys[keys.length - 1] as string;
    const existing = Object.hasOwn(table, last) ? table[last] : undefined;
    if (isArray) {
      const fresh: Table = {};
      if (existing === undefined) {
        const array: unknown[] = [fresh];
        this.tableArrays.add(array);
        setKey(table, last, array);
      } else if (Array.isArray(existing) && this.tableArrays.has(existing)) {
        existing.push(fresh);
      } else {
        this.fail(`"${keys.join(".")}" is already defined and is not an array of tables`, start);
      }
      return fresh;
    }
    if (existing === undefined) {
      const fresh: Table = {};
      this.headerTables.add(fresh);
      setKey(table, last, fresh);
      return fresh;
    }
    if (!isTable(existing) || this.headerTables.has(existing) || this.dottedTables.has(existing) || this.closedValues.has(existing)) {
      this.fail(`table "${keys.join(".")}" is defined more than once`, start);
    }
    this.headerTables.add(existing);
    return existing;
  }

  /** One step of a header's path: an existing table, the last table of an array of tables, or a new table. */
  descendForHeader(table: Table, key: string, at: number): Table {
    if (!Object.hasOwn(table, key)) {
      const fresh: Table = {};
      setKey(table, key, fresh);
      return fresh;
    }
    const value = table[key];
    if (Array.isArray(value) && this.tableArrays.has(value)) return value[value.length - 1] as Table;
    if (isTable(value) && !this.closedValues.has(value)) return value;
    return this.fail(`"${key}" is already defined as a value, not a table`, at);
  }

  /** key = value into `table`; dotted keys create (or extend) sub-tables. */
  parseKeyValue(table: Table, inline: boolean): void {
    const start = this.pos;
    const keys = this.parseKey();
    this.skipSpaces();
    if (this.peek() !== "=") this.fail("expected '=' after a key");
    this.pos++;
    this.skipSpaces();
    const value = this.parseValue();
    let target = table;
    for (const key of keys.slice(0, -1)) {
      if (!Object.hasOwn(target, key)) {
        const fresh: Table = {};
        if (!inline) this.dottedTables.add(fresh);
        setKey(target, key, fresh);
        target = fresh;
        continue;
      }
      const next = target[key];
      if (!isTable(next) || this.closedValues.has(next) || this.headerTables.has(next)) {
        this.fail(`cannot add keys to "${key}": it is already defined`, start);
      }
      target = next;
    }
    const last = keys[keys.length - 1] as string;
    if (Object.hasOwn(target, last)) this.fail(`key "${keys.join(".")}" is defined more than once`, start);
    setKey(target, last, value);
  }

  parseKey(): string[] {
    const keys: string[] = [];
    for (;;) {
      this.skipSpaces();
      const c = this.peek();
      if (c === '"') keys.push(this.parseBasicString());
      else if (c === "'") keys.push(this.parseLiteralString());
      else {
        const start = this.pos;
        while (this.pos < this.text.length && BARE_KEY_CHAR.test(this.text[this.pos] as string)) this.pos++;
        if (this.pos === start) this.fail(c === undefined || c === "\n" || c === "\r" ? "expected a key" : `unexpected character ${JSON.stringify(c)} where a key was expected`);
        keys.push(this.text.slice(start, this.pos));
      }
      this.skipSpaces();
      if (this.peek() !== ".") return keys;
      this.pos++;
    }
  }

  // ---- values ----------------------------------------------------------------------------------------------

  parseValue(): unknown {
    const c = this.peek();
    if (c === '"') return this.text.startsWith('"""', this.pos) ? this.parseMultilineBasicString() : this.parseBasicString();
    if (c === "'") return this.text.startsWith("'''", this.pos) ? this.parseMultilineLiteralString() : this.parseLiteralString();
    if (c === "[") return this.parseArray();
    if (c === "{") return this.parseInlineTable();
    if (this.text.startsWith("true", this.pos) && !this.isTokenChar(this.pos + 4)) {
      this.pos += 4;
      return true;
    }
    if (this.text.startsWith("false", this.pos) && !this.isTokenChar(this.pos + 5)) {
      this.pos += 5;
      return false;
    }
    return this.parseScalarToken();
  }

  isTokenChar(at: number): boolean {
    const c = this.text[at];
    return c !== undefined && VALUE_TOKEN_CHAR.test(c);
  }

  /** Numbers and dates: read the token, then decide what it is. */
  parseScalarToken(): unknown {
    const start = this.pos;
    while (this.isTokenChar(this.pos)) this.pos++;
    // A date and a time may be separated by one space ("1979-05-27 07:32:00").
    if (DATE.test(this.text.slice(start, this.pos)) && this.text[this.pos] === " " && /\d/.test(this.text[this.pos + 1] ?? "")) {
      this.pos++;
      while (this.isTokenChar(this.pos)) this.pos++;
    }
    const token = this.text.slice(start, this.pos);
    if (token === "") {
      const c = this.peek();
      return this.fail(c === undefined || c === "\n" || c === "\r" ? "expected a value" : `unexpected character ${JSON.stringify(c)} where a value was expected`);
    }
    if (DECIMAL_INTEGER.test(token)) return toInteger(BigInt(token.replace(/_/g, "")));
    if (PREFIXED_INTEGER.test(token)) return toInteger(BigInt(token.replace(/_/g, "")));
    if (FLOAT.test(token)) return Number(token.replace(/_/g, ""));
    if (SPECIAL_FLOAT.test(token)) return token.endsWith("nan") ? Number.NaN : token.startsWith("-") ? -Infinity : Infinity;
    if (DATE.test(token) || DATE_TIME.test(token) || LOCAL_TIME.test(token)) return token;
    return this.fail(`invalid value ${JSON.stringify(token)}`, start);
  }

  parseArray(): unknown[] {
    this.enterNesting();
    this.pos++; // [
    const items: unknown[] = [];
    for (;;) {
      this.skipSpacesNewlinesComments();
      if (this.peek() === "]") break;
      items.push(this.parseValue());
      this.skipSpacesNewlinesComments();
      const c = this.peek();
      if (c === ",") {
        this.pos++;
        continue;
      }
      if (c === "]") break;
      this.fail("expected ',' or ']' in an array");
    }
    this.pos++; // ]
    this.depth--;
    this.closedValues.add(items);
    return items;
  }

  parseInlineTable(): Table {
    this.enterNesting();
    this.pos++; // {
    const table: Table = {};
    for (;;) {
      this.skipSpacesNewlinesComments();
      if (this.peek() === "}") break;
      this.parseKeyValue(table, true);
      this.skipSpacesNewlinesComments();
      const c = this.peek();
      if (c === ",") {
        this.pos++;
        continue;
      }
      if (c === "}") break;
      this.fail("expected ',' or '}' in an inline table");
    }
    this.pos++; // }
    this.depth--;
    this.closeDeep(table);
    return table;
  }

  enterNesting(): void {
    if (++this.depth > MAX_NESTING) this.fail(`arrays and inline tables nested deeper than ${MAX_NESTING}`);
  }

  /** An inline table and every table inside it are complete as written. */
  closeDeep(value: unknown): void {
    if (isTable(value)) {
      this.closedValues.add(value);
      for (const v of Object.values(value)) this.closeDeep(v);
    }
  }

  // ---- strings ---------------------------------------------------------------------------------------------

  parseBasicString(): string {
    const start = this.pos;
    this.pos++; // "
    let out = "";
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined || c === "\n" || (c === "\r" && this.text[this.pos + 1] === "\n")) this.fail("unterminated string", start);
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === "\\") {
        out += this.parseEscape();
        continue;
      }
      if (FORBIDDEN_CONTROL.test(c)) this.fail("control character in a string");
      out += c;
      this.pos++;
    }
  }

  parseMultilineBasicString(): string {
    const start = this.pos;
    this.pos += 3;
    this.skipOneNewline();
    let out = "";
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) this.fail("unterminated multi-line string", start);
      if (c === '"' && this.text.startsWith('"""', this.pos)) {
        out += this.closingQuotes('"');
        return out;
      }
      if (c === "\\") {
        if (this.isLineEndingBackslash()) {
          this.pos++;
          this.skipWhitespaceAndNewlines();
          continue;
        }
        out += this.parseEscape();
        continue;
      }
      if (c === "\r" && this.text[this.pos + 1] === "\n") {
        out += "\n";
        this.pos += 2;
        continue;
      }
      if (c !== "\n" && FORBIDDEN_CONTROL.test(c)) this.fail("control character in a string");
      out += c;
      this.pos++;
    }
  }

  parseLiteralString(): string {
    const start = this.pos;
    this.pos++; // '
    const end = this.text.indexOf("'", this.pos);
    const newline = this.text.indexOf("\n", this.pos);
    if (end < 0 || (newline >= 0 && newline < end)) this.fail("unterminated string", start);
    const out = this.text.slice(this.pos, end);
    if (FORBIDDEN_CONTROL.test(out)) this.fail("control character in a string");
    this.pos = end + 1;
    return out;
  }

  parseMultilineLiteralString(): string {
    const start = this.pos;
    this.pos += 3;
    this.skipOneNewline();
    const end = this.text.indexOf("'''", this.pos);
    if (end < 0) this.fail("unterminated multi-line string", start);
    let out = this.text.slice(this.pos, end).replace(/\r\n/g, "\n");
    if (/[\u0000-\u0008\u000B-\u001F\u007F]/.test(out.replace(/\r\n/g, ""))) this.fail("control character in a string");
    this.pos = end;
    out += this.closingQuotes("'");
    return out;
  }

  /** At a run of 3-5 quotes closing a multi-line string: the ones beyond three belong to the content. */
  closingQuotes(quote: string): string {
    let n = 0;
    while (this.text[this.pos + n] === quote) n++;
    if (n > 5) this.fail("too many quotes at the end of a multi-line string");
    this.pos += n;
    return quote.repeat(n - 3);
  }

  isLineEndingBackslash(): boolean {
    let i = this.pos + 1;
    while (this.text[i] === " " || this.text[i] === "\t") i++;
    return this.text[i] === "\n" || (this.text[i] === "\r" && this.text[i + 1] === "\n");
  }

  parseEscape(): string {
    const at = this.pos;
    const c = this.text[this.pos + 1];
    this.pos += 2;
    switch (c) {
      case "b": return "\b";
      case "t": return "\t";
      case "n": return "\n";
      case "f": return "\f";
      case "r": return "\r";
      case "e": return "\u001B";
      case '"': return '"';
      case "\\": return "\\";
      case "x": return this.parseCodePoint(2, at);
      case "u": return this.parseCodePoint(4, at);
      case "U": return this.parseCodePoint(8, at);
      default: return this.fail(`invalid escape "\\${c ?? ""}"`, at);
    }
  }

  parseCodePoint(digits: number, at: number): string {
    const hex = this.text.slice(this.pos, this.pos + digits);
    if (!new RegExp(`^[0-9A-Fa-f]{${digits}}$`).test(hex)) this.fail(`invalid unicode escape "${this.text.slice(at, this.pos + digits)}"`, at);
    const code = Number.parseInt(hex, 16);
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) this.fail("unicode escape is not a scalar value", at);
    this.pos += digits;
    return String.fromCodePoint(code);
  }

  // ---- whitespace ------------------------------------------------------------------------------------------

  peek(): string | undefined {
    return this.text[this.pos];
  }

  skipSpaces(): void {
    while (this.text[this.pos] === " " || this.text[this.pos] === "\t") this.pos++;
  }

  skipWhitespaceAndNewlines(): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c === " " || c === "\t" || c === "\n") this.pos++;
      else if (c === "\r" && this.text[this.pos + 1] === "\n") this.pos += 2;
      else return;
    }
  }

  skipOneNewline(): void {
    if (this.text[this.pos] === "\n") this.pos++;
    else if (this.text.startsWith("\r\n", this.pos)) this.pos += 2;
  }

  skipComment(): void {
    if (this.text[this.pos] !== "#") return;
    const start = this.pos;
    let end = this.text.indexOf("\n", this.pos);
    if (end < 0) end = this.text.length;
    const body = this.text.slice(start + 1, end).replace(/\r$/, "");
    const bad = FORBIDDEN_CONTROL.exec(body);
    if (bad !== null) this.fail("control character in a comment", start + 1 + bad.index);
    this.pos = end;
    if (this.text[this.pos - 1] === "\r") this.pos--;
  }

  skipSpacesNewlinesComments(): void {
    for (;;) {
      this.skipWhitespaceAndNewlines();
      if (this.text[this.pos] !== "#") return;
      this.skipComment();
    }
  }

  skipBlankLines(): void {
    this.skipSpacesNewlinesComments();
  }

  /** After a key/value pair or a header: only spaces and a comment may follow on the line. */
  expectLineEnd(): void {
    this.skipSpaces();
    this.skipComment();
    if (this.pos >= this.text.length) return;
    if (this.text[this.pos] === "\n") {
      this.pos++;
      return;
    }
    if (this.text.startsWith("\r\n", this.pos)) {
      this.pos += 2;
      return;
    }
    this.fail(`unexpected ${JSON.stringify(this.text[this.pos])} after a value (expected a new line)`);
  }

  fail(message: string, at: number = this.pos): never {
    const offset = Math.min(at, this.text.length);
    let line = 1;
    let lineStart = 0;
    for (let i = this.text.indexOf("\n"); i >= 0 && i < offset; i = this.text.indexOf("\n", i + 1)) {
      line++;
      lineStart = i + 1;
    }
    const column = offset - lineStart + 1;
    const position = { line, column, offset };
    throw new DrydockError("INPUT_UNREADABLE", `invalid TOML at line ${line}, column ${column}: ${message}`, {
      location: { kind: "text", file: this.where, start: position, end: position },
    });
  }
}

function isTable(value: unknown): value is Table {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function setKey(table: Table, key: string, value: unknown): void {
  Object.defineProperty(table, key, { value, writable: true, enumerable: true, configurable: true });
}

function toInteger(n: bigint): number | bigint {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}
